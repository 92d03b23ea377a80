"""The Chinese catalogue: complete, up to date with ui/, compiled, and faithful to placeholders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QTranslator  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "anchor_console_zh_CN.ts"
QM = TRANSLATIONS / "anchor_console_zh_CN.qm"

PLACEHOLDER = re.compile(r"%L?(\d+)")
ACCELERATOR = re.compile(r"&([^&\s])")


def messages() -> list[tuple[str, str, str]]:
    """(context, source, translation) for every message in the committed .ts."""
    found = []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = translation.findall("numerusform") if translation is not None else []
            # A %n message has its text in plural forms (Chinese has one).
            text = " ".join(f.text or "" for f in forms) if forms else message.findtext("translation", "")
            found.append((name, message.findtext("source", ""), text))
    return found


def test_catalogue_is_complete_and_current() -> None:
    """Every string in ui/ is in the .ts and translated, and the .qm is compiled from it."""
    result = subprocess.run([sys.executable, str(TRANSLATIONS / "update.py"), "--check"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def chinese(qapp: Any) -> Iterator[QTranslator]:
    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} does not load"
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


@pytest.mark.parametrize(("context", "source", "expected"), [
    ("Actions", "&Live", "直播(&L)"),
    ("Actions", "&Quit", "退出(&Q)"),
    ("Enums", "Room controller", "场控"),
    ("Enums", "On air", "直播中"),
    ("LivePage", "Live", "直播"),
    ("QueueTableModel", "#%1", "%1号链接"),
    ("MainWindow", "&File", "文件(&F)"),
    ("Console", "Anchor Console", "主播控制台"),
])
def test_compiled_catalogue_translates(chinese: QTranslator, context: str, source: str, expected: str) -> None:
    assert QCoreApplication.translate(context, source) == expected


def test_language_names_stay_as_they_are(chinese: QTranslator) -> None:
    assert QCoreApplication.translate("Actions", "中文") == "中文"
    assert QCoreApplication.translate("Actions", "English") == "English"


@pytest.mark.parametrize(("context", "source", "translation"), messages(),
                         ids=lambda value: value[:30] if isinstance(value, str) else None)
def test_translation_keeps_placeholders(context: str, source: str, translation: str) -> None:
    assert translation.strip(), f"[{context}] {source!r} is not translated"
    assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(source))


def test_accelerators_are_kept() -> None:
    """A menu text with &X keeps one accelerator, in the "文件(&F)" form; others gain none."""
    for context, source, translation in messages():
        wanted = len(ACCELERATOR.findall(source))
        assert len(ACCELERATOR.findall(translation)) == wanted, f"[{context}] {source!r} -> {translation!r}"
