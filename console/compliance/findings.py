"""What the checker reports and what it knows of the product: plain frozen values, no storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from console.i18n import Catalog, Message, load_catalog

CATEGORIES = ("absolute", "medical", "guarantee", "price", "scarcity", "off_platform")
BLOCK = "block"
WARN = "warn"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in a script the law or the platform forbids (``block``) or that needs care (``warn``).

    ``start``/``end`` are character offsets into the checked text (end
    exclusive); ``text`` is ``checked_text[start:end]``.
    """

    category: str
    severity: str
    start: int
    end: int
    text: str
    rule: str
    message: Message
    reference: str
    suggestion: Message | str = ""
    # The product fact the finding was judged against, for tests and the editor's tooltip; not in the JSON.
    evidence: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK

    def shifted(self, delta: int) -> Finding:
        """The same finding ``delta`` characters further on (after an edit before it)."""
        return Finding(self.category, self.severity, self.start + delta, self.end + delta, self.text, self.rule,
                       self.message, self.reference, self.suggestion, self.evidence)

    def as_json(self, lang: str | Catalog = "zh_CN") -> dict[str, Any]:
        """The JSON object the CLI prints, with the message and suggestion rendered in ``lang``."""
        catalog = lang if isinstance(lang, Catalog) else _catalog(lang)
        suggestion = self.suggestion.render(catalog) if isinstance(self.suggestion, Message) else self.suggestion
        return {"category": self.category, "severity": self.severity, "start": self.start, "end": self.end,
                "text": self.text, "rule": self.rule, "message": self.message.render(catalog),
                "reference": self.reference, "suggestion": suggestion}


_CATALOGS: dict[str, Catalog] = {}


def _catalog(language: str) -> Catalog:
    if language not in _CATALOGS:
        _CATALOGS[language] = load_catalog(language)
    return _CATALOGS[language]


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What the catalog, the price history and the stock say of the product a script sells.

    Every fact is optional: a check that needs a missing one says so
    (a counter price with no evidence) or stays a warning.
    """

    category: str | None = None
    counter_price_fen: int | None = None
    lowest_7d_fen: int | None = None
    live_price_fen: int | None = None
    stock: int | None = None
    medical_allowed: bool = False
