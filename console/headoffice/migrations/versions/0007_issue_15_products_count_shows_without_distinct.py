"""issue 15: each product's broadcasts counted without count(DISTINCT)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

``report_item.first_in_show`` is 1 on one queue item of each product in a
broadcast (its first by id) and 0 on the others, so the products report and
the rankings sum it instead of ``count(DISTINCT broadcast_id)``, which sorted
every queue item in range (docs/headoffice-reports.md, "Measured"). Filled
here for the rollups already held; the rollup SQL keeps it from now on. The
broadcasts 0006 projected in the same upgrade (left in ``report_stale``) get
their rollups here, with it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_item") as batch:
        batch.add_column(sa.Column("first_in_show", sa.Integer(), server_default="0", nullable=False))
    op.execute("""
        UPDATE report_item SET first_in_show = 1 WHERE queue_item_id IN (
            SELECT queue_item_id FROM (
                SELECT queue_item_id,
                       row_number() OVER (PARTITION BY broadcast_id, product_id ORDER BY queue_item_id) AS n
                FROM report_item) AS ranked
            WHERE n = 1)""")
    # The broadcasts migration 0006 projected in this same upgrade have no rollups yet: computed here.
    from console.headoffice import projection

    projection.refresh_stale(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("report_item") as batch:
        batch.drop_column("first_in_show")
