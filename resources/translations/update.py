"""Refresh both Chinese catalogues, Qt's for ui/ and gettext's for console/, and compile them.

    .venv/bin/python resources/translations/update.py          # lupdate, then lrelease
    .venv/bin/python resources/translations/update.py --check  # fail if anything is missing or unfinished

lupdate merges: existing translations are kept, new strings arrive as
"unfinished", strings gone from the sources are dropped (``-no-obsolete``).
No source locations are stored, so the .ts only changes when strings do.

The core's catalogue (``console/i18n/locale/zh_CN/LC_MESSAGES/console.po``)
is merged the same way by :mod:`core_catalog`, which also holds its checks.

``--check`` changes nothing. It fails (exit 1) when
  * a message in the .ts is unfinished,
  * lupdate over the current sources would add or drop messages,
  * the committed .qm is not what lrelease makes of the .ts,
  * a literal passed to tr()/translate()/QT_TRANSLATE_NOOP() in ui/ is one
    lupdate cannot see (e.g. a call inside an f-string),
  * any of the core catalogue's checks fails (see core_catalog.py).
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]
import core_catalog  # noqa: E402
SOURCES_DIR = ROOT / "ui"
TS = HERE / "anchor_console_zh_CN.ts"
QM = TS.with_suffix(".qm")
LANGUAGE = "zh_CN"

Message = tuple[str, str]  # (context, source)


# --- tools ------------------------------------------------------------------------
def tool(name: str) -> Path:
    """pyside6-<name> next to this Python, else the binary inside the PySide6 package."""
    exe = ".exe" if os.name == "nt" else ""
    candidates = [Path(sys.executable).parent / f"pyside6-{name}{exe}"]
    try:
        import PySide6
        package = Path(PySide6.__file__).parent
        candidates += [package / f"{name}{exe}", package / "Qt" / "libexec" / f"{name}{exe}",
                       package / "Qt" / "bin" / f"{name}{exe}"]
    except ImportError:
        pass
    found = shutil.which(f"pyside6-{name}")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise SystemExit(f"update.py: cannot find {name} (is PySide6 installed in this Python?)")


def run(args: list[str | Path]) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True)
    noise = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise SystemExit(f"update.py: {Path(args[0]).name} failed ({result.returncode}):\n{noise}")
    if noise:
        print(noise, file=sys.stderr)


def sources() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in SOURCES_DIR.rglob("*.py"))


def lupdate(ts: Path) -> None:
    run([tool("lupdate"), *sources(), "-silent", "-no-obsolete", "-locations", "none",
         "-source-language", "en", "-target-language", LANGUAGE, "-ts", ts])


def lrelease(ts: Path, qm: Path) -> None:
    run([tool("lrelease"), "-silent", ts, "-qm", qm])


# --- reading a .ts ------------------------------------------------------------------
def read_ts(ts: Path) -> dict[Message, ET.Element]:
    """(context, source) -> the <translation> element."""
    messages: dict[Message, ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: message without <translation>"
            messages[(name, message.findtext("source", ""))] = translation
    return messages


def is_unfinished(translation: ET.Element) -> bool:
    if translation.get("type") is not None:
        return True
    forms = translation.findall("numerusform")
    if forms:   # a %n message: every plural form needs its text
        return not all((form.text or "").strip() for form in forms)
    return not (translation.text or "").strip()


# --- what lupdate cannot see -----------------------------------------------------------
_CLASS_CONTEXT = {"tr", "QT_TR_NOOP"}
_EXPLICIT_CONTEXT = {"translate", "QT_TRANSLATE_NOOP", "QT_TRANSLATE_NOOP3"}


class _Literals(ast.NodeVisitor):
    """Every translatable literal in a module: (context, source, line), plus f-string misuse."""

    def __init__(self) -> None:
        self.classes: list[str] = []
        self.found: list[tuple[str, str, int]] = []
        self.bad: list[tuple[int, str]] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in _CLASS_CONTEXT and node.args and self.classes:
            self._take(self.classes[-1], node.args[0], node.lineno)
        elif name in _EXPLICIT_CONTEXT and len(node.args) >= 2 and _text(node.args[0]) is not None:
            self._take(_text(node.args[0]) or "", node.args[1], node.lineno)
        self.generic_visit(node)

    def _take(self, context: str, arg: ast.expr, line: int) -> None:
        text = _text(arg)
        if text is not None:
            self.found.append((context, text, line))
        elif isinstance(arg, ast.JoinedStr):
            self.bad.append((line, "an f-string cannot be translated; pass a literal with %1 and replace()"))


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def unextracted(extracted: set[Message]) -> list[str]:
    """Literals in ui/ that are meant for translation but that lupdate did not extract."""
    problems = []
    for rel in sources():
        visitor = _Literals()
        visitor.visit(ast.parse((ROOT / rel).read_text(encoding="utf-8"), rel))
        for context, text, line in visitor.found:
            if (context, text) not in extracted:
                problems.append(f"{rel}:{line}: [{context}] {text!r} is not seen by lupdate "
                                f"(move the call out of the f-string or expression)")
        problems += [f"{rel}:{line}: {why}" for line, why in visitor.bad]
    return problems


# --- commands ---------------------------------------------------------------------------
def update() -> int:
    lupdate(TS)
    lrelease(TS, QM)
    messages = read_ts(TS)
    unfinished = sorted(m for m, t in messages.items() if is_unfinished(t))
    print(f"{TS.relative_to(ROOT)}: {len(messages)} messages, {len(unfinished)} unfinished")
    for context, source in unfinished:
        print(f"  unfinished: [{context}] {source!r}")
    for problem in unextracted(set(messages)):
        print(f"  warning: {problem}")
    catalog, todo = core_catalog.update()
    print(f"{core_catalog.PO.relative_to(ROOT)}: {sum(1 for m in catalog if m.id)} messages, "
          f"{len(todo)} to fix")
    for problem in todo:
        print(f"  {problem}")
    return 0


def check() -> int:
    problems: list[str] = []
    if not TS.is_file():
        print(f"{TS.relative_to(ROOT)} is missing; run update.py", file=sys.stderr)
        return 1
    committed = read_ts(TS)
    problems += [f"unfinished: [{c}] {s!r}" for (c, s), t in sorted(committed.items()) if is_unfinished(t)]
    with tempfile.TemporaryDirectory() as tmp:
        fresh_ts = Path(tmp) / TS.name
        shutil.copyfile(TS, fresh_ts)
        lupdate(fresh_ts)
        fresh = set(read_ts(fresh_ts))
        problems += [f"new in the sources, not in the .ts: [{c}] {s!r}" for c, s in sorted(fresh - set(committed))]
        problems += [f"in the .ts, gone from the sources: [{c}] {s!r}" for c, s in sorted(set(committed) - fresh)]
        fresh_qm = Path(tmp) / QM.name
        lrelease(TS, fresh_qm)
        if not QM.is_file() or QM.read_bytes() != fresh_qm.read_bytes():
            problems.append(f"{QM.relative_to(ROOT)} is not compiled from the current .ts")
        problems += unextracted(fresh)
    problems += core_catalog.check()
    print(f"{TS.relative_to(ROOT)}: {len(committed)} messages, "
          f"{sum(is_unfinished(t) for t in committed.values())} unfinished")
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if problems:
        print("Fix the sources if needed, run resources/translations/update.py, translate what is "
              "unfinished (Qt Linguist or any editor), and run it again.", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if the catalogue is incomplete or out of date")
    args = parser.parse_args(argv)
    return check() if args.check else update()


if __name__ == "__main__":
    sys.exit(main())
