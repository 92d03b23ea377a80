"""The command line's words in the user's language: --lang found early, argparse's own texts, help that wraps Chinese.

argparse asks gettext for its fixed texts ("usage: ", "the following
arguments are required: %s") when it prints them; :func:`argparse_in_our_language`
answers from the core's catalog while a command runs. Its help formatter
measures in terminal columns, where a Chinese character takes two.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from console.i18n import Message, active, msg, msg_n, resolve_language
from console.paths import resolve_data_dir

# argparse's own words, by the English text argparse asks gettext for. The
# templates keep argparse's %-placeholders (argparse fills them in after the
# lookup); our renderer only ever fills {names}, so it leaves them alone.
_ARGPARSE_TEXTS: dict[str, Message] = {m.template: m for m in (
    msg("cli.argparse_usage", "usage: "),
    msg("cli.argparse_positionals", "positional arguments"),
    msg("cli.argparse_options", "options"),
    msg("cli.argparse_help", "show this help message and exit"),
    msg("cli.argparse_error", "%(prog)s: error: %(message)s\n"),
    msg("cli.argparse_argument", "argument %(argument_name)s: %(message)s"),
    msg("cli.argparse_required", "the following arguments are required: %s"),
    msg("cli.argparse_one_required", "one of the arguments %s is required"),
    msg("cli.argparse_not_allowed", "not allowed with argument %s"),
    msg("cli.argparse_invalid_choice", "invalid choice: %(value)r (choose from %(choices)s)"),
    msg("cli.argparse_invalid_value", "invalid %(type)s value: %(value)r"),
    msg("cli.argparse_unrecognized", "unrecognized arguments: %s"),
    msg("cli.argparse_ambiguous", "ambiguous option: %(option)s could match %(matches)s"),
    msg("cli.argparse_ignored_explicit", "ignored explicit argument %r"),
    msg("cli.argparse_expected_one", "expected one argument"),
    msg("cli.argparse_expected_at_most_one", "expected at most one argument"),
    msg("cli.argparse_expected_at_least_one", "expected at least one argument"),
    msg("cli.argparse_unknown_parser", "unknown parser %(parser_name)r (choices: %(choices)s)"),
    msg("cli.argparse_cannot_open", "can't open '%(filename)s': %(error)s"),
)}
_ARGPARSE_PLURALS: dict[str, Message] = {m.template: m for m in (
    msg_n("cli.argparse_expected_n", "expected %s argument", "expected %s arguments", count=1),
)}


@contextmanager
def argparse_in_our_language() -> Iterator[None]:
    """argparse's fixed strings from our catalog while the command runs (argparse looks them up late)."""
    english_gettext: Callable[[str], str] = argparse._  # type: ignore[attr-defined]
    english_ngettext: Callable[[str, str, int], str] = argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        ours = _ARGPARSE_TEXTS.get(message)
        return active().template(ours) if ours is not None else english_gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        ours = _ARGPARSE_PLURALS.get(singular)
        if ours is None:
            return english_ngettext(singular, plural, n)
        return active().template(Message(ours.id, ours.template, {"count": n}, ours.plural, ours.count))

    setattr(argparse, "_", gettext)
    setattr(argparse, "ngettext", ngettext)
    try:
        yield
    finally:
        setattr(argparse, "_", english_gettext)
        setattr(argparse, "ngettext", english_ngettext)


class _EarlyParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _EarlyParseFailed(message)


class _EarlyParseFailed(Exception):
    pass


def _early_option(argv: Sequence[str], option: str) -> str | None:
    early = _EarlyParser(add_help=False)
    early.add_argument(option, dest="value", default=None)
    try:
        known, _rest = early.parse_known_args(list(argv))
    except _EarlyParseFailed:
        return None   # malformed: the real parser explains it, in the language found without it
    return known.value


def _early_options(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """--lang and --data-dir, wherever they are, before the real parser (whose words depend on them).

    One small parser each, so that a ``--data-dir`` without its folder still
    leaves ``--lang`` to choose the language of the complaint.
    """
    return _early_option(argv, "--lang"), _early_option(argv, "--data-dir")


def language_option(argv: Sequence[str]) -> str | None:
    """The --lang given anywhere in ``argv``, before the real parser; None if absent or malformed."""
    return _early_option(argv, "--lang")


def choose_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of this command: --lang, else the setting in the data folder, else the locale, else zh_CN."""
    requested, data_dir = _early_options(argv)
    return resolve_language(requested, resolve_data_dir(data_dir), environ)


def columns(shown: str) -> int:
    """Terminal columns the text takes: Chinese characters and punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown)


# Chinese may break between any two characters, except before these.
_NO_LINE_START = frozenset("，。、；：！？）」』》")


def wrap_by_columns(paragraph: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns: Latin words kept whole, Chinese broken between characters."""
    tokens = re.findall(r"\s+|[^\s\u2e80-\uffef]+|[\u2e80-\uffef]", " ".join(paragraph.split()))
    lines: list[str] = []
    line = ""
    for token in tokens:
        if token.isspace():
            if line:
                line += " "
            continue
        fits = columns(line + token) <= width
        if line and not fits and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, measured in terminal columns so that Chinese help lines up and wraps."""

    def __init__(self, prog: str, *args: object, **kwargs: object) -> None:
        super().__init__(prog, *args, **kwargs)  # type: ignore[arg-type]
        self._headings: list[str] = []

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        shown = super().format_help()
        for heading in self._headings:
            if columns(heading) > len(heading):   # a Chinese heading takes a Chinese colon
                shown = shown.replace(f"{heading}:\n", f"{heading}：\n")
        return shown

    def _format_usage(self, usage: str | None, actions: object, groups: object, prefix: str | None) -> str:
        if prefix is None:
            prefix = argparse._("usage: ")  # type: ignore[attr-defined]
        extra = columns(prefix) - len(prefix)
        if extra <= 0:
            return str(super()._format_usage(usage, actions, groups, prefix))  # type: ignore[arg-type]
        # argparse measures the prefix by its length: wrap as if the lines were that much
        # narrower, then indent the continuation lines by the prefix's true width.
        self._width -= extra
        try:
            shown = str(super()._format_usage(usage, actions, groups, prefix))  # type: ignore[arg-type]
        finally:
            self._width += extra
        first, *rest = shown.split("\n")
        return "\n".join([first, *(" " * extra + line if line.startswith(" ") else line for line in rest)])

    def _split_lines(self, text: str, width: int) -> list[str]:
        if columns(text) == len(text):
            return super()._split_lines(text, width)
        return wrap_by_columns(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if columns(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_by_columns(text, width - len(indent)))


class Parser(argparse.ArgumentParser):
    """Our parser: its subcommands' parsers are of this class too, so they share the formatter."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
