"""Two consoles of one store: edits go up, come down to the other, deletes travel as tombstones."""

from __future__ import annotations

from sqlalchemy import select

from console.domain.enums import Affiliation
from console.services.base import local_store_id
from console.storage.models import Anchor, LiveRoom, Outbox, Store
from console.storage.outbox import tombstone
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import ConsoleFactory, store_id_of


def _anchors(console) -> dict[str, tuple[str, bool]]:  # type: ignore[no-untyped-def]
    with console.db.begin() as s:
        return {a.code: (a.name, a.is_deleted) for a in s.scalars(select(Anchor))}


def test_enrolled_console_becomes_the_store_and_gets_the_catalog(service: LiveService,
                                                                 make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    service.add_store("BJ02")
    console = make_console(service, "SH01")

    with console.db.begin() as s:
        assert local_store_id(s) == store_id_of(service, "SH01")
        assert sorted(st.code for st in s.scalars(select(Store))) == ["BJ02", "SH01"]
        assert s.scalar(select(Outbox.seq)) is None
    token_file = console.data_dir / ".sync-token"
    assert token_file.stat().st_mode & 0o777 == 0o600


def test_an_edit_on_one_console_reaches_the_other(any_service: LiveService, make_console: ConsoleFactory) -> None:
    any_service.add_store("SH01")
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    store_id = store_id_of(any_service, "SH01")
    with a.db.begin() as s:
        room = LiveRoom(store_id=store_id, code="R1", name="美妆直播间", platforms=["douyin"])
        anchor = Anchor(store_id=store_id, code="A001", name="王雨桐", affiliation=Affiliation.STAFF)
        s.add_all([room, anchor])

    pushed = a.sync()
    pulled = b.sync()

    assert (pushed.pushed, pushed.pending_after, pushed.errors) == (2, 0, ())
    assert pulled.pulled >= 2 and pulled.clean
    assert _anchors(b) == {"A001": ("王雨桐", False)}
    # Applied from head office: no outbox entry, the version as the server sent it.
    assert b.outbox() == []

    with b.db.begin() as s:
        s.scalars(select(Anchor)).one().name = "王雨彤"
    assert b.sync().clean and a.sync().clean
    assert _anchors(a) == {"A001": ("王雨彤", False)}

    with a.db.begin() as s:
        tombstone(s.scalars(select(Anchor)).one())
    assert a.sync().clean and b.sync().clean
    assert _anchors(b) == {"A001": ("王雨彤", True)}
    with b.db.begin() as s:
        assert s.scalars(select(Anchor)).one().row_version == 3
