"""A ready show on a real store, for the on-air tests of the core, the CLI, the screens and the overlay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from console.domain.enums import QualityDocumentKind
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.broadcasts import BroadcastService
from console.services.roster import RosterService
from console.storage.db import Database
from console.storage.models import Broadcast, Product, QualityDocument, QueueItem, StoreProduct

START = datetime(2031, 3, 3, 11, 0, tzinfo=UTC)       # 19:00 in Shanghai, years ahead: the show is upcoming whenever the tests run
NAMES = ("羊绒围巾", "真丝睡衣", "保温杯", "羽绒服", "护手霜", "皮手套", "毛呢大衣", "雪地靴", "香薰蜡烛")


def ready_show(db: Database, store: StoreInfo, actor: Actor, *, items: int = 5, title: str = "锦华冬季专场",
               room_code: str = "R1", room_name: str = "美妆直播间", start: datetime = START,
               room_id: UUID | None = None, stock: int = 50, planned_seconds: int = 300) -> UUID:
    """A broadcast marked ready, its queue links 1..``items`` of good products (papers, policy, prices)."""
    if room_id is None:
        room_id = RosterService(db, actor).add_room(code=room_code, name=room_name).id
    with db.begin() as s:
        show = Broadcast(store_id=store.id, room_id=room_id, title=title, planned_start=start,
                         planned_end=start + timedelta(hours=2))
        s.add(show)
        s.flush()
        for link in range(1, items + 1):
            name = NAMES[(link - 1) % len(NAMES)]
            product = Product(sku=f"{title[:2]}-{room_code}-{link:03d}", name=name, brand="锦华", category="服饰",
                              spec="均码", origin="浙江", after_sales_policy="7天无理由退货")
            s.add(product)
            s.flush()
            s.add(QualityDocument(product_id=product.id, kind=QualityDocumentKind.INSPECTION_REPORT,
                                  number=f"JC-{link:04d}", valid_until=date(2032, 1, 1)))
            s.add(StoreProduct(store_id=store.id, product_id=product.id, counter_price_fen=39_900 + link * 100,
                               stock=500, counter_price_evidence="price tag photo"))
            s.add(QueueItem(store_id=store.id, broadcast_id=show.id, product_id=product.id, position=link,
                            link_number=link, live_price_fen=19_900 + link * 100, deal="买一送一",
                            planned_seconds=planned_seconds, stock_allocated=stock))
        broadcast_id = show.id
    BroadcastService(db, actor).mark_ready(broadcast_id)
    return broadcast_id
