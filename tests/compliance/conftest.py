from __future__ import annotations

import pytest

from console.compliance import Checker, default_pack


@pytest.fixture(scope="module")
def checker() -> Checker:
    """The shipped pack, compiled once a module."""
    return Checker(default_pack())
