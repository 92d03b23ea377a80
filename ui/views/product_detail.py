"""The Products screen's panel for one product: its facts, papers, pictures, price history and the store's edit.

The panel only shows and holds widgets; the page runs the operations (load,
save) and hands it their results. Pictures are read off the GUI thread by
:func:`load_thumbnails` into ``QImage`` values (never a widget), and a file
that is missing or not an image shows a placeholder.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.values import CatalogAccess, PricePoint, ProductDetail, ProductImage
from console.i18n.formats import format_count, format_money
from ui.i18n import render, ui_language
from ui.layouts import FlowLayout
from ui.models.tables import PriceHistoryModel, QualityPaperModel
from ui.views.page import make_table

THUMBNAIL_PX = 96


def yuan_text(fen: int | None) -> str:
    """A price as the edit box shows it: 1299.00 (no symbol, no separators, so it reads back as typed)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def load_thumbnails(images: Sequence[ProductImage], size: int = THUMBNAIL_PX) -> list[QImage | None]:
    """Each picture scaled to ``size``, or None for a missing file or one that is not an image.

    Runs on the worker: it reads files, and QImage (unlike QPixmap) may be made off the GUI thread.
    """
    return [_thumbnail(image.path, size) for image in images]


def _thumbnail(path: Path | None, size: int) -> QImage | None:
    if path is None or not path.is_file():
        return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    if not reader.canRead():
        return None
    full = reader.size()
    if full.isValid() and (full.width() > size or full.height() > size):
        # Decoded at thumbnail size: a 40-megapixel photo never sits whole in memory.
        reader.setScaledSize(full.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def _short_table(model: Any, parent: QWidget, stretch: int) -> QTableView:
    """A table of a few rows that fits the panel's width: column ``stretch`` takes the rest and elides."""
    view = make_table(model, parent)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = view.horizontalHeader()
    for column in range(model.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return view


def _fit_height(view: QTableView) -> None:
    """A short table as tall as its rows, so the panel scrolls rather than the table."""
    view.resizeRowsToContents()
    rows = view.verticalHeader().length() or view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + rows + 2 * view.frameWidth())


class ProductDetailPanel(QScrollArea):
    """One product in full; empty (with a hint) while nothing is selected."""

    def __init__(self, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProductDetail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail: ProductDetail | None = None
        self._access: CatalogAccess | None = None
        self._images: list[QImage | None] | None = None

        inner = QWidget(self)
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(4, 0, 8, 8)
        outer.setSpacing(10)
        self.setWidget(inner)

        self.hint_label = QLabel(inner)
        self.hint_label.setObjectName("PageIntro")
        self.hint_label.setWordWrap(True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.hint_label)

        self.content = QWidget(inner)
        body = QVBoxLayout(self.content)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        outer.addWidget(self.content)
        outer.addStretch(1)
        self._build_heading(body)
        self._build_images(body)
        self._build_facts(body)
        self._build_edit(body)
        self._build_papers(body, timezone)
        self._build_history(body, timezone)
        self.content.hide()
        self.retranslate()

    # --- building ---------------------------------------------------------------------------------
    def _build_heading(self, body: QVBoxLayout) -> None:
        self.name_label = QLabel(self.content)
        self.name_label.setObjectName("PageTitle")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.withdrawn_label = QLabel(self.content)
        self.withdrawn_label.setObjectName("Problem")
        self.withdrawn_label.setWordWrap(True)
        self.gate_label = QLabel(self.content)
        self.gate_label.setWordWrap(True)
        body.addWidget(self.name_label)
        body.addWidget(self.withdrawn_label)
        body.addWidget(self.gate_label)

    def _build_facts(self, body: QVBoxLayout) -> None:
        self.facts = QFormLayout()
        self.facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in ("sku", "barcode", "brand", "category", "spec", "origin", "price", "evidence", "stock",
                    "after_sales"):
            caption = QLabel(self.content)
            value = QLabel(self.content)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self._captions[key], self.values[key] = caption, value
            self.facts.addRow(caption, value)
        body.addLayout(self.facts)

    def _build_edit(self, body: QVBoxLayout) -> None:
        self.edit_box = QGroupBox(self.content)
        form = QFormLayout(self.edit_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.price_edit = QLineEdit(self.edit_box)
        self.price_edit.setObjectName("CounterPriceEdit")
        self.evidence_edit = QLineEdit(self.edit_box)
        self.stock_edit = QLineEdit(self.edit_box)
        self.stock_edit.setObjectName("StockEdit")
        self.save_button = QPushButton(self.edit_box)
        self.save_button.setObjectName("SaveStorePrice")
        self._price_caption = QLabel(self.edit_box)
        self._evidence_caption = QLabel(self.edit_box)
        self._stock_caption = QLabel(self.edit_box)
        form.addRow(self._price_caption, self.price_edit)
        form.addRow(self._evidence_caption, self.evidence_edit)
        form.addRow(self._stock_caption, self.stock_edit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        form.addRow(row)
        # Enter in any field saves, as a counter clerk expects.
        self.price_edit.returnPressed.connect(self.save_button.click)
        self.evidence_edit.returnPressed.connect(self.save_button.click)
        self.stock_edit.returnPressed.connect(self.save_button.click)
        body.addWidget(self.edit_box)

    def _build_papers(self, body: QVBoxLayout, timezone: str) -> None:
        self.papers_title = QLabel(self.content)
        self.papers_title.setObjectName("CardTitle")
        # The model words each paper; the panel, too narrow for a four-column table, shows one card a paper.
        self.papers_model = QualityPaperModel(timezone, self)
        self.papers_model.modelReset.connect(self._show_papers)
        self.papers_model.dataChanged.connect(lambda *_: self._show_papers())
        self.papers_box = QVBoxLayout()
        self.papers_box.setSpacing(6)
        self.paper_cards: list[QLabel] = []
        self.no_papers_label = QLabel(self.content)
        self.no_papers_label.setWordWrap(True)
        body.addWidget(self.papers_title)
        body.addLayout(self.papers_box)
        body.addWidget(self.no_papers_label)

    def _build_images(self, body: QVBoxLayout) -> None:
        self.images_title = QLabel(self.content)
        self.images_title.setObjectName("CardTitle")
        self.images_box = QWidget(self.content)
        self.images_flow = FlowLayout(self.images_box, spacing=8, line_spacing=8)
        self.thumbnails: list[QLabel] = []
        self.no_images_label = QLabel(self.content)
        self.add_picture_button = QPushButton(self.content)
        self.add_picture_button.setObjectName("AddPicture")
        self.add_picture_button.hide()
        pictures_row = QHBoxLayout()
        pictures_row.addWidget(self.no_images_label, 1)
        pictures_row.addWidget(self.add_picture_button, 0, Qt.AlignmentFlag.AlignTop)
        body.addWidget(self.images_title)
        body.addWidget(self.images_box)
        body.addLayout(pictures_row)

    def _build_history(self, body: QVBoxLayout, timezone: str) -> None:
        self.history_title = QLabel(self.content)
        self.history_title.setObjectName("CardTitle")
        self.history_model = PriceHistoryModel(timezone, self)
        self.history_view = _short_table(self.history_model, self.content, stretch=PriceHistoryModel.EVIDENCE_COLUMN)
        self.no_history_label = QLabel(self.content)
        self.no_history_label.setWordWrap(True)
        body.addWidget(self.history_title)
        body.addWidget(self.history_view)
        body.addWidget(self.no_history_label)

    # --- showing ----------------------------------------------------------------------------------
    def clear(self) -> None:
        self.detail = None
        self._images = None
        self.content.hide()
        self.hint_label.show()

    def show_detail(self, detail: ProductDetail, access: CatalogAccess, today: date) -> None:
        """Show ``detail``; the edit box only to someone who may change this store's prices.

        The same product shown again (a reload) keeps what the person is typing into the edit box.
        """
        same_product = self.detail is not None and self.detail.row.id == detail.row.id
        self.detail, self._access = detail, access
        if not same_product:
            self._images = None
            self._show_thumbnails()
        self._show_facts()
        self.add_picture_button.setVisible(access.may_edit_catalog and not detail.withdrawn)
        self._fill_edit(detail, keep_typing=same_product)
        self.papers_model.set_today(today)
        self.papers_model.set_rows(detail.papers)
        self.hint_label.hide()
        self.content.show()

    def set_thumbnails(self, images: list[QImage | None]) -> None:
        self._images = images
        self._show_thumbnails()

    def set_history(self, points: list[PricePoint]) -> None:
        """The store's counter prices of the product, oldest first (as the service gives them)."""
        self.history_model.set_rows(points)
        self.history_view.setVisible(bool(points))
        self.no_history_label.setVisible(not points)
        _fit_height(self.history_view)

    def _show_facts(self) -> None:
        d = self.detail
        if d is None:
            return
        language = ui_language()
        row = d.row
        self.name_label.setText(row.name)
        self.withdrawn_label.setVisible(d.withdrawn)
        if row.may_go_on_air:
            self.gate_label.setText(self.tr("May go on air."))
        else:
            self.gate_label.setText(self.tr("Held back from the air: %1").replace("%1", render(row.on_air_problems)))
        self.gate_label.setStyleSheet("" if row.may_go_on_air else "color: #c2410c;")
        price = "—" if row.counter_price_fen is None else format_money(row.counter_price_fen, language)
        stock = "—" if row.stock is None else format_count(row.stock, language)
        unit = f" {d.unit}" if d.unit and row.stock is not None else ""
        shown = {
            "sku": row.sku, "barcode": d.barcode or "—", "brand": row.brand or "—", "category": row.category or "—",
            "spec": row.spec or "—", "origin": d.origin or "—", "price": price,
            "evidence": d.counter_price_evidence or self.tr("None on file"), "stock": stock + unit,
            "after_sales": d.after_sales_policy.strip() or self.tr("None"),
        }
        for key, value in shown.items():
            self.values[key].setText(value)
        self.no_papers_label.setVisible(not d.papers)

    def edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        return self.price_edit, self.evidence_edit, self.stock_edit

    def mark_saved(self) -> None:
        """What was typed is saved: the next showing fills the edit box from the store again."""
        for edit in self.edits():
            edit.setModified(False)

    def _fill_edit(self, d: ProductDetail, *, keep_typing: bool) -> None:
        may_edit = self._access is not None and self._access.may_edit_store_prices and not d.withdrawn
        self.edit_box.setVisible(may_edit)
        if keep_typing and any(edit.isModified() for edit in self.edits()):
            return
        # setText leaves isModified() false: only a person's typing sets it.
        self.price_edit.setText(yuan_text(d.row.counter_price_fen))
        self.evidence_edit.setText(d.counter_price_evidence)
        self.stock_edit.setText("" if d.row.stock is None else str(d.row.stock))

    def _show_papers(self) -> None:
        """One card a paper: kind and number, then issuer and validity, in the model's words and colours."""
        for card in self.paper_cards:
            self.papers_box.removeWidget(card)
            card.deleteLater()
        self.paper_cards = []
        model = self.papers_model
        for row in range(model.rowCount()):
            kind, number, issuer, until = (html.escape(model.data(model.index(row, c)) or "") for c in range(4))
            card = QLabel(self.content)
            card.setObjectName("PaperCard")
            card.setFrameShape(QFrame.Shape.StyledPanel)
            card.setWordWrap(True)
            card.setTextFormat(Qt.TextFormat.RichText)
            card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            card.setMargin(6)
            colour = model.data(model.index(row, QualityPaperModel.VALID_UNTIL_COLUMN), Qt.ItemDataRole.ForegroundRole)
            if colour is not None:
                until = f'<span style="color:{colour.color().name()}; font-weight:600">{until}</span>'
            if model.value(row).valid_until is not None:
                until = self.tr("valid until %1").replace("%1", until)
            card.setText(f"<b>{kind}</b> · {number}<br>{issuer} · {until}")
            self.papers_box.addWidget(card)
            self.paper_cards.append(card)

    def _show_thumbnails(self) -> None:
        for label in self.thumbnails:
            self.images_flow.removeWidget(label)
            label.deleteLater()
        self.thumbnails = []
        d = self.detail
        images = d.images if d is not None else ()
        self.images_box.setVisible(bool(images))
        self.no_images_label.setVisible(not images)
        for n, picture in enumerate(images):
            loaded = self._images[n] if self._images is not None and n < len(self._images) else None
            label = QLabel(self.images_box)
            label.setFixedSize(QSize(THUMBNAIL_PX + 8, THUMBNAIL_PX + 8))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setToolTip(picture.name)
            if loaded is not None:
                label.setObjectName("Thumbnail")
                label.setPixmap(QPixmap.fromImage(loaded))
            else:
                # Still loading, or the file is missing or not a picture: say which once loaded.
                label.setObjectName("ThumbnailMissing")
                label.setWordWrap(True)
                label.setText("…" if self._images is None else self.tr("No picture"))
            self.images_flow.add_widget(label)
            self.thumbnails.append(label)

    # --- words --------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.hint_label.setText(self.tr("Choose a product to see its papers, pictures and prices."))
        captions = {
            "sku": self.tr("SKU"), "barcode": self.tr("Barcode"), "brand": self.tr("Brand"),
            "category": self.tr("Category"), "spec": self.tr("Spec"), "origin": self.tr("Origin"),
            "price": self.tr("Counter price"), "evidence": self.tr("Price evidence"), "stock": self.tr("Stock"),
            "after_sales": self.tr("After-sales"),
        }
        for key, words in captions.items():
            self._captions[key].setText(words)
        self.withdrawn_label.setText(self.tr(
            "Head office has withdrawn this product: it is out of search and no queue may put it on air."))
        self.edit_box.setTitle(self.tr("This store's counter price and stock"))
        self._price_caption.setText(self.tr("Counter price (yuan)"))
        self._evidence_caption.setText(self.tr("Evidence"))
        self.evidence_edit.setPlaceholderText(self.tr("Tag photo or price list reference"))
        self.price_edit.setPlaceholderText(self.tr("e.g. 1299.00"))
        self._stock_caption.setText(self.tr("Stock"))
        self.save_button.setText(self.tr("Save"))
        self.add_picture_button.setText(self.tr("Add picture…"))
        self.papers_title.setText(self.tr("Quality documents"))
        self.no_papers_label.setText(self.tr("No quality documents on file: the product may not go on air."))
        self.images_title.setText(self.tr("Pictures"))
        self.no_images_label.setText(self.tr("No pictures."))
        self.history_title.setText(self.tr("Counter price history"))
        self.no_history_label.setText(self.tr("No change of the counter price recorded yet."))
        self._show_facts()
        if self.detail is not None:
            self._show_thumbnails()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        # A panel beside the list, narrower than it.
        return QSize(460, 600)
