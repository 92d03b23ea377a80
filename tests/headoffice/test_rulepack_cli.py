"""``anchor-headoffice rulepack import|list``: a pack issued into the catalog scope; a malformed or repeated one
refused with the file and rule named, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from console.compliance import default_pack
from console.headoffice.cli import EXIT_ERROR, EXIT_OK, main
from console.headoffice.models import CATALOG_SCOPE, SyncedRow


def pack_file(tmp_path: Path, version: int, name: str = "pack.json", **changes: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({**default_pack().as_data(), "name": "锦华合规", "version": version, **changes},
                               ensure_ascii=False), encoding="utf-8")
    return path


def english(url: str) -> list[str]:
    return ["--database-url", url, "--lang", "en"]


def packs(url: str) -> list[dict[str, object]]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return [d for (d,) in c.execute(select(SyncedRow.data).where(
                SyncedRow.table_name == "rule_pack", SyncedRow.scope_key == CATALOG_SCOPE))]
    finally:
        engine.dispose()


def test_import_issues_a_pack_and_refuses_a_bad_or_repeated_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'ho.db'}"
    assert main(["rulepack", "import", str(pack_file(tmp_path, 1)), *english(url)]) == EXIT_OK
    assert "Issued rule pack 锦华合规 version 1" in capsys.readouterr().out
    (row,) = packs(url)
    assert (row["name"], row["version"], row["rules"]["version"]) == ("锦华合规", 1, 1)

    assert main(["rulepack", "import", str(pack_file(tmp_path, 1, "again.json")),
                 *english(url)]) == EXIT_ERROR
    assert "already been issued" in capsys.readouterr().err
    bad = pack_file(tmp_path, 2, "bad.json", rules=[{"id": "price.bad", "category": "price"}])
    assert main(["rulepack", "import", str(bad), *english(url)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "bad.json" in err and "price.bad" in err and "stays in force" in err
    assert main(["rulepack", "import", str(tmp_path / "missing.json"), *english(url)]) == EXIT_ERROR
    assert "missing.json" in capsys.readouterr().err
    assert len(packs(url)) == 1

    assert main(["rulepack", "import", str(pack_file(tmp_path, 3, "three.json")), *english(url)]) == 0
    capsys.readouterr()
    assert main(["rulepack", "import", str(pack_file(tmp_path, 2, "two.json")), *english(url)]) == EXIT_ERROR
    assert "older than version 3" in capsys.readouterr().err
    assert main(["rulepack", "list", *english(url)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["锦华合规", "3"], ["锦华合规", "1"]]
    assert lines[0].endswith("in force") and not lines[1].endswith("in force")
