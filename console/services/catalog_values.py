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
import unicodedata
from decimal import Decimal
from typing import Any

from console.domain.enums import QualityDocumentKind
from console.i18n import Message, msg
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
MAX_PRICE_FEN = 100_000_000 * 100          # a hundred million yuan: beyond it, a typo
MAX_STOCK = 2**31 - 1
_PRICE_TEXT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+")
_STOCK_TEXT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.0*)?")
_SHORTENED_NUMBER = re.compile(r"\d(?:\.\d+)?e\+\d+", re.IGNORECASE)
_UNDECODED = re.compile("[\udc80-\udcff]")     # bytes the decoder could not read, kept as escapes
_PAPER_SEPARATORS = re.compile(r"[;；、\r\n]+")
_STOCK_UNITS = "件个台套瓶盒双支只条"
_FULL_WIDTH = {0x3000: 0x20, **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}}
_FOOD_LICENCE = re.compile(r"(?:SC|JY)\d{14}")
_CCC_NUMBER = re.compile(r"\d{16}")


class CellProblem(ValueError):
    """What is wrong with one cell's value; the reader adds file, row and column."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


# --------------------------------------------------------------------------
# Values as people write them
# --------------------------------------------------------------------------


def parse_price_fen(value: object) -> int:
    """A price in yuan (``1299``, ``1,299.00``, ``¥1299``, ``￥1,299``, full-width digits) as fen, above zero."""
    if isinstance(value, bool):
        raise CellProblem(_not_a_price(str(value)))
    if isinstance(value, int):
        yuan = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellProblem(_not_a_price(str(value)))
        yuan = Decimal(repr(value))
    else:
        written = str(value).strip()
        if written.isascii() and written.isdigit():
            return _checked_fen(Decimal(written), written)
        yuan = _yuan_from_text(written)
    return _checked_fen(yuan, str(value))


def _yuan_from_text(written: str) -> Decimal:
    text = written if written.isascii() else unicodedata.normalize("NFKC", written)
    text = text.replace(" ", "")
    for prefix in ("¥", "RMB", "CNY", "人民币"):
        text = text.removeprefix(prefix)
    text = text.removesuffix("元")
    negative = text.startswith(("-", "−"))
    digits = text[1:] if negative else text
    if not _PRICE_TEXT.fullmatch(digits):
        raise CellProblem(_not_a_price(written))
    if negative:
        raise CellProblem(msg("catalog_file.price_not_positive",
                              "the price {value} is not above zero; give the price in yuan, such as 1299",
                              value=written))
    return Decimal(digits.replace(",", ""))


def _checked_fen(yuan: Decimal, written: str) -> int:
    if yuan <= 0:
        raise CellProblem(msg("catalog_file.price_not_positive",
                              "the price {value} is not above zero; give the price in yuan, such as 1299",
                              value=written))
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise CellProblem(msg("catalog_file.price_below_fen",
                              "the price {value} has more than two decimals; prices are in yuan and fen",
                              value=written))
    if fen > MAX_PRICE_FEN:
        raise CellProblem(msg("catalog_file.price_too_large",
                              "the price {value} is more than a hundred million yuan; check the cell",
                              value=written))
    return int(fen)


def _not_a_price(written: str) -> Message:
    return msg("catalog_file.not_a_price", "'{value}' is not a price; write it in yuan, such as 1299 or 1,299.00",
               value=written)


def parse_stock(value: object) -> int:
    """A stock count: a whole number, zero or more (``1,200``, ``35件`` and full-width digits too)."""
    if isinstance(value, bool):
        raise CellProblem(_not_a_stock(str(value)))
    if isinstance(value, int):
        count = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellProblem(_not_a_stock(str(value)))
        count = int(value)
    else:
        written = str(value).strip()
        if written.isascii() and written.isdigit():
            count = int(written)
        else:
            text = unicodedata.normalize("NFKC", written).replace(" ", "").rstrip(_STOCK_UNITS)
            negative = text.startswith(("-", "−"))
            digits = text[1:] if negative else text
            if not _STOCK_TEXT.fullmatch(digits):
                raise CellProblem(_not_a_stock(written))
            count = int(Decimal(digits.replace(",", "")))
            if negative and count:
                count = -count
    if count < 0:
        raise CellProblem(msg("catalog_file.stock_negative", "the stock {value} is below zero", value=str(value)))
    if count > MAX_STOCK:
        raise CellProblem(msg("catalog_file.stock_too_large", "the stock {value} is too large; check the cell",
                              value=str(value)))
    return count


def _not_a_stock(written: str) -> Message:
    return msg("catalog_file.not_a_stock", "'{value}' is not a stock count; write a whole number, such as 35",
               value=written)


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


def price_text(fen: int) -> str:
    """Fen as the export writes them: yuan with two decimals, no separators (``1299.00``)."""
    return f"{fen // 100}.{fen % 100:02d}"


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
