"""How long a text a manager types may be: the length of its column, read from the storage models.

The models are the one source of truth: a column declared ``String(120)``
gives a form field of 120 characters (``QLineEdit.setMaxLength``) and a
service that refuses a 121st with a sentence naming the field. SQLite does
not enforce a ``VARCHAR`` length; PostgreSQL at head office does, counting
characters as ``len()`` does, so a name the console accepts always syncs.
"""

from __future__ import annotations

from typing import Any

from console.domain.errors import ValidationError
from console.i18n import Message, msg
from console.storage.models import Anchor, Broadcast, LiveRoom, ShiftTemplate


def column_length(attribute: Any) -> int:
    """The declared length of a ``String(n)`` column attribute (``Anchor.name`` -> 120)."""
    length = getattr(attribute.property.columns[0].type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{attribute} is not a text column with a length")
    return length


ANCHOR_CODE = column_length(Anchor.code)
ANCHOR_NAME = column_length(Anchor.name)
ANCHOR_EMPLOYER_BRAND = column_length(Anchor.employer_brand)
# Trained brands and categories are lists, matched against a broadcast's brand and category:
# one longer than those columns could never match anything.
TRAINED_BRAND = column_length(Broadcast.brand)
TRAINED_CATEGORY = column_length(Broadcast.category)
ROOM_CODE = column_length(LiveRoom.code)
ROOM_NAME = column_length(LiveRoom.name)
TEMPLATE_NAME = column_length(ShiftTemplate.name)


def check_length(field: Message, value: str, limit: int) -> str:
    """``value`` if it fits in ``limit`` characters; else a :class:`ValidationError` naming the field."""
    if len(value) > limit:
        raise ValidationError(msg("limits.too_long",
                                  "The {field} may be at most {limit} characters long; this one has {length}.",
                                  field=field, limit=limit, length=len(value)))
    return value

