"""What the compliance tests ask of a checker: the categories blocked, the findings, and family tables as cases."""

from __future__ import annotations

from typing import Any

import pytest

from console.compliance import Checker, Finding, ProductFacts


def blocks(checker: Checker, text: str, product: ProductFacts | None = None) -> set[str]:
    """The categories a fresh checker of the same pack blocks ``text`` for (nothing remembered from other texts)."""
    return {f.category for f in Checker(checker.pack).check(text, product) if f.blocks}


def found(checker: Checker, text: str, product: ProductFacts | None = None) -> list[Finding]:
    return Checker(checker.pack).check(text, product)


def family_cases(table: dict[str, list[str]]) -> list[Any]:
    """``{family: [sentence, ...]}`` as one case a sentence, named after its family."""
    return [pytest.param(text, id=f"{family}-{i}") for family, texts in table.items() for i, text in enumerate(texts)]
