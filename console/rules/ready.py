"""The ready-gate: what stops a broadcast's queue from being marked ready, and what its manager should know.

A broadcast is marked ready only when no queue item is *blocked*: every
product has quality papers valid until the show ends and an after-sales
policy (the on-air gate of :mod:`console.rules.on_air`, tightened by the
papers' expiry), its live price is no higher than its counter price, and
head office has not withdrawn it. *Warnings* do not stop it: a counter price
without evidence, a counter price above the lowest one the store offered in
the seven days before the show, no stock, a queue planned longer than the show.

The seven days are those of 明码标价和禁止价格欺诈规定, Art. 19: a price shown
as the one "before" a promotion must be the lowest offered in the seven days
before it, or viewers are misled. The lowest is worked out from the price
history by the services (one SQL expression, :mod:`console.services.prices`);
the rule only compares it.

Every check is a small function over plain facts, like the roster rules:
``check_<rule>(show, item)`` for one queue item, ``check_<rule>(show, items)``
for the whole queue. Each finding is a message naming the link number (and the
product) the viewers and the host know it by. The same rules run for each
row as the queue editor shows it, and authoritatively when a broadcast is
marked ready.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from console.domain.values import ItemReadiness, ReadyCheck
from console.i18n import Message, Money, msg
from console.i18n.formats import DEFAULT_TIMEZONE
from console.rules.on_air import BLANK, NO_AFTER_SALES_POLICY, NO_QUALITY_PAPERS, has_after_sales_policy

# 明码标价和禁止价格欺诈规定 Art. 19: the reference ("before") price is the lowest of the 7 days before.
REFERENCE_PRICE_DAYS = 7


# --------------------------------------------------------------------------
# Facts: what the services read from storage, nothing lazy
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaperFacts:
    """One quality paper on file (withdrawn papers are not facts)."""

    number: str
    valid_until: date | None = None    # the last day it is valid, in the store's days; None: no expiry


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """One queue item and what the gate needs to know of its product and the store's price and stock."""

    queue_item_id: UUID
    link_number: int
    product_name: str
    live_price_fen: int
    planned_seconds: int
    papers: tuple[PaperFacts, ...] = ()
    after_sales_policy: str = ""
    withdrawn: bool = False                     # head office took the product out of the catalog
    counter_price_fen: int | None = None        # None: the store has set no counter price
    counter_price_evidence: str = ""
    # The lowest counter price in effect in the 7 days before the show; None: no price history then.
    lowest_counter_price_fen: int | None = None
    stock: int | None = None                    # None: the store has no stock row for it


@dataclass(frozen=True, slots=True)
class ShowFacts:
    """The broadcast as the gate sees it: its window, in UTC, and the store's zone for the papers' days."""

    broadcast_id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str = DEFAULT_TIMEZONE

    @property
    def window(self) -> timedelta:
        return self.ends_at - self.starts_at


# --------------------------------------------------------------------------
# Findings on one item
# --------------------------------------------------------------------------


def _at_link(item: ItemFacts, finding: Message) -> Message:
    return msg("ready.at_link", "Link {link} ({product}): {finding}", link=item.link_number,
               product=item.product_name, finding=finding)


def _expires_at(valid_until: date, zone: str) -> datetime:
    # A paper is good through its last day: it lapses at the next local midnight.
    return datetime.combine(valid_until + timedelta(days=1), time(0), ZoneInfo(zone))


def check_withdrawn(show: ShowFacts, item: ItemFacts) -> list[Message]:
    if not item.withdrawn:
        return []
    return [msg("ready.withdrawn", "Head office has withdrawn this product from the catalog.")]


def check_quality_papers(show: ShowFacts, item: ItemFacts) -> list[Message]:
    """No papers at all, or a paper that lapses before the show ends (each such paper named)."""
    if not item.papers:
        return [NO_QUALITY_PAPERS]
    return [
        msg("ready.paper_expires", "Its quality paper {number} expires on {day}, before the show ends.",
            number=paper.number, day=paper.valid_until)
        for paper in item.papers
        if paper.valid_until is not None and _expires_at(paper.valid_until, show.timezone) < show.ends_at
    ]


def check_after_sales_policy(show: ShowFacts, item: ItemFacts) -> list[Message]:
    return [] if has_after_sales_policy(item.after_sales_policy) else [NO_AFTER_SALES_POLICY]


def check_live_price(show: ShowFacts, item: ItemFacts) -> list[Message]:
    """A live price above the counter price is no bargain, whatever the host says."""
    if item.counter_price_fen is None or item.live_price_fen <= item.counter_price_fen:
        return []
    return [msg("ready.live_price_above_counter", "The live price {live} is above the counter price {counter}.",
                live=Money(item.live_price_fen), counter=Money(item.counter_price_fen))]


def check_counter_price_set(show: ShowFacts, item: ItemFacts) -> list[Message]:
    if item.counter_price_fen is not None:
        return []
    return [msg("ready.no_counter_price",
                "The store has no counter price for it, so the live price cannot be compared with one.")]


def check_counter_price_evidence(show: ShowFacts, item: ItemFacts) -> list[Message]:
    if item.counter_price_fen is None or item.counter_price_evidence.strip(BLANK):
        return []
    return [msg("ready.counter_price_without_evidence",
                "The counter price {counter} has no evidence (a price tag photo or a price list).",
                counter=Money(item.counter_price_fen))]


def check_reference_price(show: ShowFacts, item: ItemFacts) -> list[Message]:
    """Art. 19: quoting a counter price higher than the lowest of the last 7 days misleads viewers."""
    lowest = item.lowest_counter_price_fen
    if item.counter_price_fen is None or lowest is None or item.counter_price_fen <= lowest:
        return []
    return [msg("ready.counter_price_above_recent_lowest",
                "The counter price {counter} is above {lowest}, the lowest counter price in the {days} days "
                "before the show; quote {lowest} as the price before the show.",
                counter=Money(item.counter_price_fen), lowest=Money(lowest), days=REFERENCE_PRICE_DAYS)]


def check_stock(show: ShowFacts, item: ItemFacts) -> list[Message]:
    if item.stock is not None and item.stock > 0:
        return []
    return [msg("ready.no_stock", "The store has no stock of it.")]


ItemRule = Callable[[ShowFacts, ItemFacts], list[Message]]

# In the order a manager should read (and fix) them.
ITEM_BLOCKS: tuple[ItemRule, ...] = (
    check_withdrawn, check_quality_papers, check_after_sales_policy, check_live_price,
)
ITEM_WARNINGS: tuple[ItemRule, ...] = (
    check_counter_price_set, check_counter_price_evidence, check_reference_price, check_stock,
)


def judge_item(show: ShowFacts, item: ItemFacts) -> ItemReadiness:
    """One item's blocks and warnings, each naming its link."""
    return ItemReadiness(
        queue_item_id=item.queue_item_id, link_number=item.link_number,
        problems=tuple(_at_link(item, m) for rule in ITEM_BLOCKS for m in rule(show, item)),
        warnings=tuple(_at_link(item, m) for rule in ITEM_WARNINGS for m in rule(show, item)),
    )


# --------------------------------------------------------------------------
# Findings on the whole queue
# --------------------------------------------------------------------------


def check_queue_not_empty(show: ShowFacts, items: Sequence[ItemFacts]) -> list[Message]:
    if items:
        return []
    return [msg("ready.empty_queue", "The queue of {title} is empty; add its products first.", title=show.title)]


def check_planned_time(show: ShowFacts, items: Sequence[ItemFacts]) -> list[Message]:
    planned = timedelta(seconds=sum(item.planned_seconds for item in items))
    if planned <= show.window:
        return []
    return [msg("ready.queue_longer_than_window",
                "The queue is planned for {planned}, longer than the broadcast's {window}.",
                planned=planned, window=show.window)]


QueueRule = Callable[[ShowFacts, Sequence[ItemFacts]], list[Message]]

QUEUE_BLOCKS: tuple[QueueRule, ...] = (check_queue_not_empty,)
QUEUE_WARNINGS: tuple[QueueRule, ...] = (check_planned_time,)


def judge(show: ShowFacts, items: Sequence[ItemFacts]) -> ReadyCheck:
    """The whole gate: each item's findings in queue order, and the queue's own."""
    return ReadyCheck(
        broadcast_id=show.broadcast_id, title=show.title,
        items=tuple(judge_item(show, item) for item in items),
        show_problems=tuple(m for rule in QUEUE_BLOCKS for m in rule(show, items)),
        show_warnings=tuple(m for rule in QUEUE_WARNINGS for m in rule(show, items)),
    )
