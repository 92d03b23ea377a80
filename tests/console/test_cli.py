"""The anchor-console command line: where the data folder comes from, version, usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from console import __version__
from console.cli import EXIT_OK, EXIT_USAGE, main
from console.paths import HOME_ENV
from console.services.auth import AuthService
from console.storage.db import open_database


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English output; tests/console/test_cli_language.py reads the others."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def make_store(data_dir: Path, code: str) -> None:
    database = open_database(data_dir)
    try:
        AuthService(database).create_store(code=code, name=f"Store {code}", manager_name="Manager",
                                           manager_login="manager", pin="1234")
    finally:
        database.close()


@pytest.fixture
def two_stores(tmp_path: Path) -> tuple[Path, Path]:
    """Two data folders, so a test can tell which one the command read."""
    first, second = tmp_path / "first", tmp_path / "second"
    make_store(first, "SH01")
    make_store(second, "BJ02")
    return first, second


@pytest.mark.parametrize("where", ["before", "after"])
def test_data_dir_before_or_after_the_subcommand(
    two_stores: tuple[Path, Path], where: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, second = two_stores
    monkeypatch.setenv(HOME_ENV, str(first))
    argv = ["--data-dir", str(second), "info"] if where == "before" else ["info", "--data-dir", str(second)]

    assert main(argv) == EXIT_OK

    out, err = capsys.readouterr()
    assert out == f"BJ02\tStore BJ02\t\t{second}\n"
    assert err == ""


def test_home_env_is_used_without_data_dir(
    two_stores: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, _ = two_stores
    monkeypatch.setenv(HOME_ENV, str(first))

    assert main(["info"]) == EXIT_OK

    assert capsys.readouterr().out == f"SH01\tStore SH01\t\t{first}\n"


def test_the_real_entry_point_reads_the_env_and_the_option(two_stores: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    first, second = two_stores
    env = {**os.environ, HOME_ENV: str(first)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "console.cli", *args], capture_output=True, check=False,
                              text=True, env=env, cwd=tmp_path, timeout=60)

    from_env = run("info")
    after = run("info", "--data-dir", str(second))
    assert (from_env.returncode, from_env.stdout.split("\t")[0]) == (0, "SH01")
    assert (after.returncode, after.stdout.split("\t")[0]) == (0, "BJ02")
    assert from_env.stderr == after.stderr == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"anchor-console {__version__}"


def test_unknown_subcommand_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(tmp_path / "store"), "frobnicate"])
    assert exited.value.code == EXIT_USAGE == 2
    err = capsys.readouterr().err
    assert "frobnicate" in err and "Traceback" not in err
    assert not (tmp_path / "store").exists()
