"""Every text a manager types for anchors and rooms fits its column, and a longer one is refused by name."""

from __future__ import annotations

import sqlite3

import pytest

from console.domain.enums import Affiliation
from console.domain.errors import ValidationError
from console.domain.permissions import Actor
from console.services import limits
from console.services.roster import RosterService
from console.storage.db import DB_FILENAME, Database
from console.storage.models import Anchor, Broadcast, LiveRoom


@pytest.fixture
def roster(db: Database, manager_actor: Actor) -> RosterService:
    return RosterService(db, manager_actor)


def names_in_db(data_dir, table: str) -> list[str]:  # type: ignore[no-untyped-def]
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        return [row[0] for row in conn.execute(f"SELECT name FROM {table}")]


def test_the_limits_are_the_models_column_lengths() -> None:
    # One source of truth: change String(120) in the model and the form and the service follow.
    assert limits.column_length(Anchor.name) == limits.ANCHOR_NAME == 120
    assert limits.column_length(Anchor.code) == limits.ANCHOR_CODE == 32
    assert limits.ANCHOR_EMPLOYER_BRAND == Anchor.employer_brand.property.columns[0].type.length
    assert limits.TRAINED_BRAND == Broadcast.brand.property.columns[0].type.length
    assert (limits.ROOM_CODE, limits.ROOM_NAME) == (LiveRoom.code.property.columns[0].type.length,
                                                    LiveRoom.name.property.columns[0].type.length)
    with pytest.raises(TypeError):
        limits.column_length(Anchor.weekly_hours_cap)


def test_an_anchor_name_longer_than_its_column_is_refused_naming_field_and_limit(
        roster: RosterService, data_dir) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        roster.add_anchor(code="A001", name="王" * 231, affiliation=Affiliation.STAFF)
    assert str(caught.value) == "The anchor's name may be at most 120 characters long; this one has 231."
    assert names_in_db(data_dir, "anchor") == []

    # Exactly the column's length is fine, and surrounding spaces do not count.
    fits = roster.add_anchor(code="A001", name=f"  {'王' * 120}  ", affiliation=Affiliation.STAFF)
    assert fits.name == "王" * 120
    with pytest.raises(ValidationError, match="anchor's name may be at most 120 characters long; this one has 121"):
        roster.update_anchor(fits.id, name="李" * 121)
    assert names_in_db(data_dir, "anchor") == ["王" * 120]


@pytest.mark.parametrize(("field", "kwargs", "expected"), [
    ("code", {"code": "A" * 33}, "The anchor's code may be at most 32 characters long; this one has 33."),
    ("employer", {"employer_brand": "雅" * 121},
     "The employer brand may be at most 120 characters long; this one has 121."),
    ("brand", {"trained_brands": ("兰蔻", "b" * 121)},
     "The trained brand may be at most 120 characters long; this one has 121."),
    ("category", {"trained_categories": ("c" * 130,)},
     "The trained category may be at most 120 characters long; this one has 130."),
])
def test_each_anchor_text_has_its_columns_limit(roster: RosterService, field: str, kwargs: dict[str, object],
                                                expected: str) -> None:
    values: dict[str, object] = {"code": "A001", "name": "王芳", "affiliation": Affiliation.BRAND, **kwargs}
    with pytest.raises(ValidationError) as caught:
        roster.add_anchor(**values)  # type: ignore[arg-type]
    assert str(caught.value) == expected
    assert roster.anchors(include_inactive=True) == []


def test_room_code_and_name_have_their_columns_limits(roster: RosterService) -> None:
    with pytest.raises(ValidationError, match=r"^The live room's code may be at most 32 characters long; this one "
                                              r"has 40\.$"):
        roster.add_room(code="R" * 40, name="1号直播间")
    with pytest.raises(ValidationError, match=r"^The live room's name may be at most 120 characters long"):
        roster.add_room(code="R01", name="直" * 200)
    room = roster.add_room(code="R01", name="直" * 120)
    with pytest.raises(ValidationError, match="live room's name may be at most 120"):
        roster.update_room(room.id, name="播" * 121)
    assert [r.name for r in roster.rooms()] == ["直" * 120]



def test_a_template_name_longer_than_its_column_is_refused(roster: RosterService) -> None:
    from datetime import UTC, datetime

    with pytest.raises(ValidationError, match="template's name may be at most 120 characters"):
        roster.save_template("周" * 121, datetime(2027, 3, 1, tzinfo=UTC))
    assert roster.templates() == []
