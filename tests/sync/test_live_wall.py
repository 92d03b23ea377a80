"""The live wall's feed over a real service and real consoles: a show on air appears with its room, hosts,
product, link number and figures, follows the console's pushes, and leaves when it ends; rehearsals and
other stores' shows stay off an account's wall.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from uuid import UUID

from console.domain.enums import Affiliation, ShiftRole
from console.storage.models import Broadcast
from console.headoffice.wall import WallFeed
from console.services.broadcasts import BroadcastService
from console.services.onair import OnAirService
from console.services.roster import RosterService
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import Console, ConsoleFactory, store_id_of
from tests.sync.test_run_of_show_sync import COAT, HEADER, SCARF, START, actor, head_office_imports, plan_a_show, \
    products_by_sku


def _host(console: Console, show: UUID, name: str, code: str, role: ShiftRole) -> None:
    """An anchor with a shift on the show, as the roster screen makes them (drafts count as hosts)."""
    roster = RosterService(console.db, actor(console))
    anchor = roster.add_anchor(code=code, name=name, affiliation=Affiliation.STAFF,
                               trained_brands=("锦华",), trained_categories=("服装", "配饰"))
    with console.db.begin() as s:
        room_id = s.get(Broadcast, show).room_id
    roster.add_shift(anchor_id=anchor.id, room_id=room_id, role=role, starts_at=START - timedelta(minutes=30),
                     ends_at=START + timedelta(hours=1), broadcast_id=show, override_reason="测试")


def test_a_show_on_air_reaches_the_wall_follows_each_push_and_leaves_when_it_ends(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    any_service.add_store("BJ02")
    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    shop, other = make_console(any_service, "SH01"), make_console(any_service, "BJ02")
    feed = WallFeed(any_service.sessions())
    assert feed.refresh() is False or feed.shows() == ()
    assert feed.shows() == ()

    show = plan_a_show(shop, products_by_sku(shop))
    _host(shop, show, "李佳", "A01", ShiftRole.HOST)
    _host(shop, show, "王薇", "A02", ShiftRole.CO_HOST)
    assert BroadcastService(shop.db, actor(shop)).mark_ready(show).ready
    onair = OnAirService(shop.db, actor(shop))
    t0 = datetime.now(UTC).replace(microsecond=0)

    # A rehearsal is not on air.
    onair.start(show, rehearsal=True, now=t0 - timedelta(minutes=30))
    assert shop.sync().clean
    feed.refresh()
    assert feed.shows() == ()
    onair.end(now=t0 - timedelta(minutes=29))

    live = onair.start(show, now=t0)
    assert live.current is not None and live.current.link_number == 1
    onair.record_metrics(views=300, viewers=120, likes=40, orders=2, gmv_fen=199_800, now=t0 + timedelta(minutes=1))
    assert shop.sync().clean and other.sync().clean
    assert feed.refresh() is True
    (on_air,) = feed.shows()
    assert (on_air.run_id, on_air.store_code, on_air.title, on_air.room) == (live.run_id, "SH01", "冬季大衣专场",
                                                                             "一号直播间")
    assert on_air.hosts == ("李佳", "王薇")
    assert (on_air.product, on_air.link_number) == ("羊绒大衣", 1)
    assert (on_air.viewers, on_air.orders, on_air.gmv_fen) == (120, 2, 199_800)

    # Nothing pushed: nothing changes.
    assert feed.refresh() is False

    second = onair.next(now=t0 + timedelta(minutes=2)).current
    assert second is not None
    onair.record_metrics(views=800, viewers=90, likes=100, orders=7, gmv_fen=699_300, now=t0 + timedelta(minutes=3))
    assert shop.sync().clean
    assert feed.refresh() is True
    (on_air,) = feed.shows()
    assert (on_air.product, on_air.link_number) == ("真丝围巾", second.link_number)
    assert (on_air.viewers, on_air.orders, on_air.gmv_fen) == (90, 7, 699_300)

    # A feed started now (another process, a restart) reads the same wall from what is stored.
    fresh = WallFeed(any_service.sessions())
    fresh.refresh()
    assert fresh.shows() == feed.shows()

    # An account of the other store sees none of it.
    assert feed.shows(frozenset({store_id_of(any_service, "BJ02")})) == ()
    assert feed.shows(frozenset({store_id_of(any_service, "SH01")})) == feed.shows()

    onair.end(now=t0 + timedelta(minutes=4))
    assert shop.sync().clean
    assert feed.refresh() is True
    assert feed.shows() == ()
