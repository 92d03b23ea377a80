"""What a cell of a catalog spreadsheet says: prices, stock counts, codes, quality document numbers, texts.

Values as people type them into a spreadsheet in China: prices in yuan with
or without thousands separators, a yuan sign (half- or full-width) or 元,
full-width digits from an input method; stock with its measure word (35件);
codes Excel turned into numbers. Each reader returns the value, None for an
empty cell, or raises :class:`CellProblem` saying what is wrong in words a
store manager understands; the file reader adds file, row and column.
"""

from __future__ import annotations

import re
from typing import Any

from console.domain.enums import QualityDocumentKind
from console.domain.amounts import (  # noqa: F401  (re-exported: the catalog's readers)
    MAX_PRICE_FEN,
    MAX_STOCK,
    CellProblem,
    parse_price_fen,
    parse_stock,
    price_text,
)
from console.i18n import msg
from console.services.limits import column_length
from console.storage.models import Product, QualityDocument
from console.sync.protocol import storable

# Lengths of the columns the texts go to (the models are the one source of truth).
LIMITS: dict[str, int] = {
    "sku": column_length(Product.sku), "name": column_length(Product.name),
    "brand": column_length(Product.brand), "category": column_length(Product.category),
    "spec": column_length(Product.spec), "barcode": column_length(Product.barcode),
    "quality_doc": column_length(QualityDocument.number),
}
_SHORTENED_NUMBER = re.compile(r"\d(?:\.\d+)?e\+\d+", re.IGNORECASE)
_UNDECODED = re.compile("[\udc80-\udcff]")     # bytes the decoder could not read, kept as escapes
_PAPER_SEPARATORS = re.compile(r"[;；、\r\n]+")
_FULL_WIDTH = {0x3000: 0x20, **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}}
_FOOD_LICENCE = re.compile(r"(?:SC|JY)\d{14}")
_CCC_NUMBER = re.compile(r"\d{16}")


# --------------------------------------------------------------------------
# Values as people write them
# --------------------------------------------------------------------------


def paper_kind(number: str) -> QualityDocumentKind:
    """What a quality document number is, from its shape: food licences (SC/JY and 14 digits),
    cosmetics filings (妆), 3C certificates (16 digits); anything else an inspection report."""
    if "妆" in number:
        return QualityDocumentKind.COSMETICS_FILING
    if _FOOD_LICENCE.fullmatch(number):
        return QualityDocumentKind.FOOD_LICENSE
    if _CCC_NUMBER.fullmatch(number):
        return QualityDocumentKind.CCC_CERTIFICATE
    return QualityDocumentKind.INSPECTION_REPORT


# --------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------


def cell_text(cell: object) -> str:
    """A cell as text, trimmed (a number Excel keeps for a typed code as the code)."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer():
        # Excel keeps a code typed as 1001 as the number 1001.0.
        return str(int(cell))
    return str(cell).strip()


def _checked_text(text: str, limit: int | None) -> str | None:
    # Most cells are plain ASCII (codes, numbers), which stores as it is.
    if not (text.isascii() and "\x00" not in text) and not storable(text):
        if _UNDECODED.search(text):
            raise CellProblem(msg("catalog_file.not_in_encoding",
                                  "the cell is not text in the encoding of the rest of the file (part of it was "
                                  "saved another way); save the whole file as 'CSV UTF-8'"))
        raise CellProblem(msg("catalog_file.unstorable",
                              "the cell holds a character that cannot be stored (a NUL or a broken character)"))
    if limit is not None and len(text) > limit:
        raise CellProblem(msg("catalog_file.too_long", "the text has {length} characters; at most {limit} fit",
                              length=len(text), limit=limit))
    return text or None


def _text_reader(column: str) -> Any:
    limit = LIMITS.get(column)

    def read(cell: object) -> str | None:
        return _checked_text(cell.strip() if type(cell) is str else cell_text(cell), limit)
    return read


def _code(text: str) -> str:
    """A code as written, apart from an input method's full-width letters and digits; a number Excel
    shortened (6.90123E+12) is refused: its digits are lost."""
    if not text.isascii():
        return text.translate(_FULL_WIDTH).strip()
    if _SHORTENED_NUMBER.fullmatch(text):
        raise CellProblem(msg("catalog_file.shortened_number",
                              "'{value}' is a number Excel shortened; format the column as text, type the "
                              "codes again and save", value=text))
    return text


def _code_reader(column: str) -> Any:
    """SKUs and barcodes."""
    limit = LIMITS[column]

    def read(cell: object) -> str | None:
        return _checked_text(_code(cell.strip() if type(cell) is str else cell_text(cell)), limit)
    return read


def _papers(cell: object) -> tuple[str, ...] | None:
    """Quality document numbers, several split by ';', '；', '、' or line breaks."""
    numbers: list[str] = []
    limit = LIMITS["quality_doc"]
    for part in _PAPER_SEPARATORS.split(cell_text(cell)):
        checked = _checked_text(_code(part.strip()), limit)
        if checked and checked not in numbers:
            numbers.append(checked)
    return tuple(numbers) or None


def _price(cell: object) -> int | None:
    return None if cell_text(cell) == "" else parse_price_fen(cell)


def _stock(cell: object) -> int | None:
    return None if cell_text(cell) == "" else parse_stock(cell)


# How each column's cell is read; each raises CellProblem for a value it refuses.
READERS: dict[str, Any] = {
    "sku": _code_reader("sku"), "barcode": _code_reader("barcode"),
    **{c: _text_reader(c) for c in ("name", "brand", "category", "spec")},
    "after_sales": _text_reader("after_sales"),
    "quality_doc": _papers, "price": _price, "counter_price": _price, "stock": _stock,
}
