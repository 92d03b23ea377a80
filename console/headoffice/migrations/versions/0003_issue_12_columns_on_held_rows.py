"""issue 12's new columns on the synced rows head office already holds: product.image_refs, queue_item.link_pinned

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Synced rows are kept whole, as JSON, and a console reads every column of a
pulled row (a missing one is the server's mistake and stops the page), so a
column the console's migration adds (0004 there) must be on the rows written
before it too, with the value the console's migration gave its own rows. The
rows keep their versions: consoles that already hold them have that value.
The new tables (price_history, product_set) need nothing here; their rows
arrive whole.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (table, field, JSON value): the console's server defaults in its migration 0004.
_NEW_FIELDS = (
    ("product", "image_refs", "[]"),
    ("queue_item", "link_pinned", "false"),
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
