"""The layers, as contracts in .importlinter: checked on every test run, so CI refuses a crossing."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"


def _contracts() -> list[str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return [section.split(":", 2)[2] for section in parser.sections() if section.startswith("importlinter:contract:")]


def test_the_four_layer_contracts_are_declared() -> None:
    assert set(_contracts()) == {"core-without-ui", "pure-rules", "ui-through-services", "headoffice-apart"}


def test_every_layer_contract_is_kept(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    status = lint_imports(config_filename=str(CONFIG), no_cache=True)
    report = capsys.readouterr().out
    assert status == 0, report
    assert report.count(" KEPT") == len(_contracts())


def test_a_crossing_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """The checker is live: a rule module that imports storage breaks the pure-rules contract."""
    from importlinter.cli import lint_imports

    package = tmp_path / "console"
    (package / "rules").mkdir(parents=True)
    (package / "storage").mkdir()
    for init in (package / "__init__.py", package / "rules" / "__init__.py", package / "storage" / "__init__.py"):
        init.write_text("", encoding="utf-8")
    (package / "rules" / "bad.py").write_text("import console.storage\n", encoding="utf-8")
    config = tmp_path / ".importlinter"
    config.write_text(
        "[importlinter]\nroot_packages =\n    console\n\n"
        "[importlinter:contract:pure-rules]\nname = rules\ntype = forbidden\n"
        "source_modules =\n    console.rules\nforbidden_modules =\n    console.storage\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in __import__("sys").modules if m == "console" or m.startswith("console.")]:
        monkeypatch.delitem(__import__("sys").modules, name)
    status = lint_imports(config_filename=str(config), no_cache=True)
    assert status != 0
    assert "console.rules.bad -> console.storage" in capsys.readouterr().out
