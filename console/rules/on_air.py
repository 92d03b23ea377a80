"""The on-air gate: a product goes on air only with quality papers and an after-sales policy.

This is the gate's one home. The Products, Live, Broadcasts and Reports
screens, the services and the demo all ask it; where a count has to be made
in SQL over the whole catalog, ``console.services.gate`` builds the same
test from :data:`BLANK` so the two cannot drift apart.

A policy made only of blank characters (spaces, the full-width space U+3000,
line breaks, the zero-width marks a copy from a web page or a spreadsheet
leaves behind) is no policy: a customer could not read anything in it.
"""

from __future__ import annotations

from console.i18n import Message, msg

# Every character ``str.isspace`` knows, plus zero-width space, word joiner and
# the byte-order mark (a zero-width no-break space), which are invisible too.
# Spelled out rather than computed, so that SQL's trim() gets the very same set.
BLANK = (
    "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
    "\u200b\u2060\ufeff"
)

NO_QUALITY_PAPERS = msg("on_air.no_quality_papers", "No quality papers on file.")
NO_AFTER_SALES_POLICY = msg("on_air.no_after_sales_policy", "No after-sales policy.")


def has_after_sales_policy(policy: str) -> bool:
    """Whether ``policy`` says anything: blank characters alone do not count."""
    return bool(policy.strip(BLANK))


def on_air_problems(*, quality_papers: int, has_policy: bool) -> tuple[Message, ...]:
    """What keeps a product off the air, in the order to fix it; empty when it may go on air."""
    problems: list[Message] = []
    if quality_papers <= 0:
        problems.append(NO_QUALITY_PAPERS)
    if not has_policy:
        problems.append(NO_AFTER_SALES_POLICY)
    return tuple(problems)


def may_go_on_air(*, quality_papers: int, has_policy: bool) -> bool:
    return not on_air_problems(quality_papers=quality_papers, has_policy=has_policy)
