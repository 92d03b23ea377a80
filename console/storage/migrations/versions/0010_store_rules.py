"""roster rules: the limits become a synced store row (store_rules) instead of local settings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Limits a manager set on this console before (``roster.*`` local settings)
move into the store's row, with the outbox entry that takes them to head
office and the store's other consoles, and the local settings go.
"""

import json
import uuid
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# As console.storage.models.store_rules_id: fixed here, as a migration must not change with the code.
_NAMESPACE = uuid.UUID("6f1c7a52-3b7e-4d0a-9a51-2d6f0c1e7b30")
_LEGACY = {
    "roster.min_rest_hours": "min_rest_minutes",
    "roster.max_on_air_minutes_per_day": "max_on_air_minutes_per_day",
    "roster.max_on_air_minutes_in_a_row": "max_on_air_minutes_in_a_row",
    "roster.max_days_in_a_row": "max_days_in_a_row",
}
_DEFAULTS = {"min_rest_minutes": 660, "max_on_air_minutes_per_day": 240, "max_on_air_minutes_in_a_row": 120,
             "min_voice_rest_minutes": 15, "max_days_in_a_row": 6}


def upgrade() -> None:
    op.create_table('store_rules',
    sa.Column('min_rest_minutes', sa.Integer(), nullable=False),
    sa.Column('max_on_air_minutes_per_day', sa.Integer(), nullable=False),
    sa.Column('max_on_air_minutes_in_a_row', sa.Integer(), nullable=False),
    sa.Column('min_voice_rest_minutes', sa.Integer(), nullable=False),
    sa.Column('max_days_in_a_row', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_store_rules_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_rules')),
    sa.UniqueConstraint('store_id', name=op.f('uq_store_rules_store_id')),
    )
    with op.batch_alter_table('store_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_rules_store_id'), ['store_id'], unique=False)
    _move_legacy_settings()


def _move_legacy_settings() -> None:
    conn = op.get_bind()
    settings = dict(conn.execute(sa.text("SELECT key, value FROM local_setting")).all())
    store_id = settings.get("store_id")
    legacy = {k: v for k, v in settings.items() if k in _LEGACY}
    if not store_id or not legacy:
        return
    values = dict(_DEFAULTS)
    for key, value in legacy.items():
        try:
            number = float(value)
        except ValueError:      # a hand-edited value: the default, as the rules read it before
            continue
        values[_LEGACY[key]] = round(number * 60) if key == "roster.min_rest_hours" else int(number)
    row_id = uuid.uuid5(_NAMESPACE, store_id)
    now = datetime.now(timezone.utc)
    row = {"id": row_id, "store_id": uuid.UUID(store_id), "created_at": now, "updated_at": now,
           "row_version": 1, "deleted_at": None, **values}
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")   # as the console keeps times in SQLite: naive UTC
    table = sa.table('store_rules', *(sa.column(k) for k in row))
    conn.execute(sa.insert(table).values(
        {**row, "id": row_id.hex, "store_id": uuid.UUID(store_id).hex, "created_at": stamp,
         "updated_at": stamp}))
    payload = {**row, "id": str(row_id), "store_id": store_id, "created_at": now.isoformat(),
               "updated_at": now.isoformat()}
    conn.execute(sa.text(
        "INSERT INTO outbox (mutation_id, table_name, row_id, op, base_version, row_version, changed_fields, "
        "payload, created_at) VALUES (:mutation_id, 'store_rules', :row_id, 'insert', 0, 1, :fields, :payload, "
        ":created_at)"),
        {"mutation_id": uuid.uuid4().hex, "row_id": row_id.hex,
         "fields": json.dumps(sorted(row)),
         "payload": json.dumps(payload, ensure_ascii=False), "created_at": stamp})
    conn.execute(sa.text("DELETE FROM local_setting WHERE key LIKE 'roster.%'"))


def downgrade() -> None:
    op.drop_table('store_rules')
