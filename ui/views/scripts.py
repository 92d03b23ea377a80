"""Scripts: product and segment scripts, their latest version and approval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from console.services.worker import DbWorker
from ui.models.tables import ScriptTableModel
from ui.views.page import Page, make_table

if TYPE_CHECKING:
    from console.services.registry import Services


class ScriptsPage(Page):
    view_name = "scripts"
    watches = frozenset({"script", "script_version", "product", "rule_pack"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self.model = ScriptTableModel(timezone, self)
        self.view = make_table(self.model, self)
        self.body.addWidget(self.view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Scripts"))
        self.intro_label.setText(self.tr("Only an approved version reaches the prompter; scripts in orange have none yet."))
        self.set_coming([
            self.tr("Editor with versions and approval by the store manager or head office"),
            self.tr("Variables that render the live price and stock, so nobody reads a stale number"),
            self.tr("Compliance guard: absolute terms, medical claims, guarantees, off-platform payment"),
        ])

    async def load(self) -> None:
        self.model.set_rows(await self.call(self._services.scripts.scripts))
        self.view.resizeColumnsToContents()
