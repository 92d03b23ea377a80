"""The core's gettext catalog: extract the messages of console/, merge them into the .po, compile, check.

Used by ``update.py`` (which also refreshes Qt's catalog for ui/) and by the
tests, which point it at a planted copy. Messages are ``msg(id, template, ...)``
and ``msg_n(id, singular, plural, count=..., ...)`` calls; the id becomes the
entry's ``msgctxt`` and the English template its ``msgid``.

The checks, each a line naming the file and the entry or the source line:
  * an entry with no zh_CN translation (empty or fuzzy);
  * a translation whose placeholders differ from its template's;
  * an entry no source uses any more, or a source message not in the .po;
  * a ``.mo`` that is not compiled from the ``.po``;
  * a user-facing error raised with a bare string, an f-string or a
    ``msg()`` whose id or template is not a literal, so the catalog cannot
    see it (``raise ValidationError("...")`` in console/);
  * a CLI ``print`` of an English literal that bypasses the catalog.
"""

from __future__ import annotations

import ast
import io
import re
from datetime import UTC, datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from console.i18n import placeholders

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "console"
LOCALE = SOURCES / "i18n" / "locale"
LANGUAGE = "zh_CN"
PO = LOCALE / LANGUAGE / "LC_MESSAGES" / "console.po"
MO = PO.with_suffix(".mo")

KEYWORDS = {"msg": ((1, "c"), 2), "msg_n": ((1, "c"), 2, 3)}
# Command-line modules: their print()s reach the user directly.
CLI_MODULES = ("cli.py",)
# Raised with a sentence a user reads: MessageError (DomainError, head office's Refusal) and their subclasses (found
# by name in the sources), argparse's type errors, SystemExit with a text.
USER_FACING_ROOTS = {"MessageError", "DomainError", "ArgumentTypeError", "SystemExit"}
_LETTERS = re.compile(r"[A-Za-z]{2,}")

FIXED_DATE = datetime(2026, 12, 1, tzinfo=UTC)

Key = tuple[str, str]   # (id, English template)


@dataclass(frozen=True)
class Extracted:
    id: str
    template: str
    plural: str | None
    where: str


# --- extraction -----------------------------------------------------------------------
def extract(sources: Path = SOURCES) -> dict[Key, Extracted]:
    found: dict[Key, Extracted] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            sources, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        if context is None:
            continue   # reported by bypasses() as a non-literal id
        if isinstance(message, tuple):
            singular, plural = message[0], message[1]
        else:
            singular, plural = message, None
        if not singular:
            continue
        key = (context, singular)
        found.setdefault(key, Extracted(context, singular, plural, f"{filename}:{lineno}"))
    return found


def template_catalog(extracted: dict[Key, Extracted]) -> Catalog:
    template = Catalog(locale=None, project="anchor-console", domain="console")
    for entry in extracted.values():
        msgid = entry.template if entry.plural is None else (entry.template, entry.plural)
        template.add(msgid, context=entry.id)
    return template


# --- the .po ---------------------------------------------------------------------------
def read(po: Path = PO) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE, domain="console", abort_invalid=True)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def key_of(message: object) -> Key:
    msgid = message.id  # type: ignore[attr-defined]
    return (message.context or "", msgid[0] if isinstance(msgid, (tuple, list)) else msgid)  # type: ignore[attr-defined]


def entries(catalog: Catalog) -> dict[Key, object]:
    return {key_of(m): m for m in catalog if m.id}


def merge(po: Path = PO, sources: Path = SOURCES) -> Catalog:
    """The .po brought up to date with the sources: new entries empty, gone entries dropped."""
    extracted = extract(sources)
    if po.is_file():
        catalog = read(po)
    else:
        catalog = Catalog(locale=LANGUAGE, project="anchor-console", domain="console")
    catalog.update(template_catalog(extracted), no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    # A fixed header, so that the .po changes only when its messages do.
    catalog.header_comment = "# The core's messages (console/) in Chinese. Refresh with resources/translations/update.py."
    catalog.project, catalog.version = "anchor-console", ""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.last_translator = catalog.language_team = ""
    catalog.msgid_bugs_address = ""
    catalog.fuzzy = False
    return catalog


# --- checks -----------------------------------------------------------------------------
def translation_problems(catalog: Catalog, po: Path = PO) -> list[str]:
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ident, template = key_of(message)
        where = f"{po.name}: [{ident}] {template!r}"
        strings = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
        if message.fuzzy or not all(s and s.strip() for s in strings):
            problems.append(f"{where}: no {LANGUAGE} translation")
            continue
        sources = list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]
        try:
            wanted = set().union(*(placeholders(s) for s in sources))
            for translated in strings:
                got = placeholders(translated)
                if got != wanted and not (len(sources) > 1 and got == placeholders(sources[-1])):
                    problems.append(f"{where}: the translation's placeholders {sorted(got)} "
                                    f"differ from the template's {sorted(wanted)}")
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    return problems


def currency_problems(catalog: Catalog, extracted: dict[Key, Extracted], po: Path = PO) -> list[str]:
    have = set(entries(catalog))
    wanted = set(extracted)
    problems = [f"{po.name}: [{i}] {t!r} is used by no source any more (run update.py)"
                for i, t in sorted(have - wanted)]
    problems += [f"{extracted[k].where}: [{k[0]}] {k[1]!r} is not in {po.name} (run update.py)"
                 for k in sorted(wanted - have)]
    ids: dict[str, str] = {}
    for ident, template in sorted(wanted):
        if ident in ids and ids[ident] != template:
            problems.append(f"{extracted[(ident, template)].where}: the id {ident!r} has two templates")
        ids[ident] = template
    return problems


def _literal(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _bare_text(node: ast.expr) -> bool:
    """A string the catalog cannot see: a literal, an f-string, or one glued from them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(_LETTERS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_bare_text(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _bare_text(node.left) or _bare_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _bare_text(node.func.value)
    return False


def _user_facing_classes(modules: dict[Path, ast.Module]) -> set[str]:
    bases: dict[str, set[str]] = {}
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                    for b in node.bases)
    facing = set(USER_FACING_ROOTS)
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in facing and parents & facing:
                facing.add(name)
                changed = True
    return facing


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def bypasses(sources: Path = SOURCES, *, exclude: Iterable[str] = ("headoffice",)) -> list[str]:
    """Source lines that show a user text the catalog cannot translate."""
    skip = tuple(exclude)
    modules = {}
    for path in sorted(sources.rglob("*.py")):
        rel = path.relative_to(sources)
        if rel.parts and rel.parts[0] in skip or "migrations" in rel.parts:
            continue
        modules[path] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    facing = _user_facing_classes(modules)
    problems = []
    for path, tree in modules.items():
        rel = path.relative_to(sources.parent).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
                if _name(call.func) in facing and call.args and _bare_text(call.args[0]):
                    problems.append(f"{rel}:{node.lineno}: {_name(call.func)} raised with a bare string; "
                                    "pass msg(id, template, ...) so the catalog can translate it")
            elif isinstance(node, ast.Call):
                name = _name(node.func)
                if name in KEYWORDS:
                    wanted = 3 if name == "msg_n" else 2
                    if len(node.args) < wanted or not all(_literal(a) for a in node.args[:wanted]):
                        problems.append(f"{rel}:{node.lineno}: {name}() needs a literal id and template(s)")
                elif name == "Violation":
                    for keyword in node.keywords:
                        if keyword.arg == "message" and _bare_text(keyword.value):
                            problems.append(f"{rel}:{node.lineno}: a Violation's message must be a msg()")
                elif (name == "print" and path.name in CLI_MODULES and node.args
                      and _bare_text(node.args[0])):
                    problems.append(f"{rel}:{node.lineno}: print() of an English text; "
                                    "print text(msg(...)) instead")
    return problems


def check(po: Path = PO, mo: Path | None = None, sources: Path = SOURCES) -> list[str]:
    mo = mo or po.with_suffix(".mo")
    if not po.is_file():
        return [f"{po} is missing; run resources/translations/update.py"]
    try:
        catalog = read(po)
    except Exception as exc:   # babel's PoFileError, or a decoding error: name the file and line
        return [f"{po.name}: {exc}"]
    extracted = extract(sources)
    problems = translation_problems(catalog, po)
    problems += currency_problems(catalog, extracted, po)
    if not mo.is_file() or mo.read_bytes() != mo_bytes(catalog):
        problems.append(f"{mo.name} is not compiled from the current {po.name} (run update.py)")
    problems += bypasses(sources)
    return problems


def update(po: Path = PO, sources: Path = SOURCES) -> tuple[Catalog, list[str]]:
    """Merge, write the .po and the .mo; return the catalog and what is still to translate."""
    catalog = merge(po, sources)
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(po_bytes(catalog))
    po.with_suffix(".mo").write_bytes(mo_bytes(catalog))
    return catalog, translation_problems(catalog, po) + bypasses(sources)
