"""`anchor-console --screenshot`: the real window rendered to PNG, and its failures."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from console.domain.enums import Role
from ui.app import run as run_gui
from ui.prompter import HEADING


def console_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ui", *args], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parents[2])


def distinct_colours(image: QImage) -> int:
    step = 37
    return len({image.pixel(x, y) for x in range(0, image.width(), step)
                for y in range(0, image.height(), step)})


@pytest.mark.parametrize("view", ["live", "roster", "products"])
def test_screenshot_renders_the_main_window_at_1600_by_1000(demo_dir: Path, tmp_path: Path, view: str) -> None:
    target = tmp_path / f"{view}.png"
    result = console_cli("--data-dir", str(demo_dir), "--screenshot", str(target), "--view", view,
                         "--lang", "zh_CN")
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1600, 1000)
    assert distinct_colours(image) > 8  # a rendered screen, not a blank canvas


def test_screenshot_of_the_prompter_with_the_demo_s_approved_opening_on_it(demo_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "prompter-opening.png"
    result = console_cli("--data-dir", str(demo_dir), "--screenshot", str(target), "--view", "prompter-opening",
                         "--lang", "en")
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1600, 1000)
    # The segment's heading is drawn in a colour of its own, which a product's script never uses.
    heading = QColor(HEADING)
    assert any(image.pixelColor(x, y) == heading for x in range(0, 800, 2) for y in range(280, 400, 2))


def test_screenshot_as_another_user_and_data_dir_after_the_options(demo_dir: Path, tmp_path: Path,
                                                                    demo_users) -> None:  # type: ignore[no-untyped-def]
    anchor = next(u for u in demo_users if u.role is Role.ANCHOR)
    target = tmp_path / "anchor.png"
    result = console_cli("--screenshot", str(target), "--view", "reports", "--user", anchor.login,
                         "--theme", "dark", "--data-dir", str(demo_dir))
    assert result.returncode == 0, result.stderr
    assert QImage(str(target)).width() == 1600


def test_screenshot_of_an_unknown_user_fails_in_one_sentence(demo_dir: Path, tmp_path: Path) -> None:
    result = console_cli("--data-dir", str(demo_dir), "--screenshot", str(tmp_path / "x.png"),
                         "--user", "nobody-here")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "No user with login 'nobody-here'" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_of_a_folder_without_a_store_says_how_to_make_one(tmp_path: Path) -> None:
    result = console_cli("--data-dir", str(tmp_path / "empty"), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "anchor-console demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_screenshot_of_a_corrupt_database_fails_and_leaves_it(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    db_file = folder / "anchor-console.sqlite3"
    db_file.write_bytes(b"this is not a database" * 100)
    result = console_cli("--data-dir", str(folder), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "damaged" in result.stderr and str(db_file) in result.stderr
    assert db_file.read_bytes() == b"this is not a database" * 100


def test_gui_shows_a_storage_problem_in_a_dialog(qapp, qloop, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "anchor-console.sqlite3").write_bytes(b"garbage" * 50)
    seen: list[str] = []

    def answer_dialog() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, answer_dialog)

    QTimer.singleShot(20, answer_dialog)
    args = argparse.Namespace(screenshot=None, view="live", lang="en", user=None, theme=None)
    try:
        assert run_gui(folder, args) == 1
    finally:
        asyncio.set_event_loop(qloop)  # run() installs a loop of its own

    assert seen and "damaged" in seen[0]
    assert "damaged" in capsys.readouterr().err
