"""reports: per-broadcast and per-queue-item rollups, kept stale-marked by triggers

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01

See console/storage/report_rollup.py. Every broadcast that already has
events, snapshots or queue items is marked stale, so the first report
computes its figures.
"""

from alembic import op

from console.storage import report_rollup

revision = '0009'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for ddl in report_rollup.CREATE_TABLES:
        op.execute(ddl)
    for ddl in report_rollup.TRIGGERS.values():
        op.execute(ddl)
    op.execute("INSERT OR IGNORE INTO report_stale (broadcast_id) SELECT DISTINCT broadcast_id FROM queue_item")
    op.execute("INSERT OR IGNORE INTO report_stale (broadcast_id) SELECT DISTINCT broadcast_id FROM onair_event")
    op.execute("INSERT OR IGNORE INTO report_stale (broadcast_id) SELECT DISTINCT broadcast_id FROM metric_snapshot")


def downgrade() -> None:
    for name in report_rollup.TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in report_rollup.TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table}")
