"""issue 13's new columns on the synced rows head office already holds: the run of events and metrics, views

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

As in 0003: a console reads every column of a pulled row, so the columns the
console's migration 0006 adds must be on the rows held before it, with the
value that migration gave the console's own rows. The new table (show_run)
needs nothing here.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# (table, field, JSON value): the console's values in its migration 0006.
_NEW_FIELDS = (
    ("onair_event", "run_id", "null"),
    ("metric_snapshot", "run_id", "null"),
    ("metric_snapshot", "views", "0"),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, field, value in _NEW_FIELDS:
        if postgresql:
            op.execute(f"UPDATE synced_row SET data = data || jsonb_build_object('{field}', '{value}'::jsonb) "
                       f"WHERE table_name = '{table}' AND data -> '{field}' IS NULL")
        else:
            op.execute(f"UPDATE synced_row SET data = json_set(data, '$.{field}', json('{value}')) "
                       f"WHERE table_name = '{table}' AND json_type(data, '$.{field}') IS NULL")


def downgrade() -> None:
    pass  # the fields are harmless to a service that does not know them
