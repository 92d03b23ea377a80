"""issue 15: accounts that see only some stores

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

A head-office user with rows in ``head_office_user_store`` sees only those
stores (a regional manager); one with none sees every store, as every account
did before this.

The reports' projections (console/headoffice/projection.py): typed copies of
the synced rows reports read and each broadcast's figures, filled here from the
rows already held (each broadcast's figures by 0007, with the rollup's SQL of
today), then kept by every write.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from console.storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "head_office_user_store",
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("head_office_user.id", ondelete="CASCADE",
                                                      name="fk_head_office_user_store_user_id_head_office_user"),
                  nullable=False),
        sa.Column("store_id", sa.Uuid(), sa.ForeignKey("store.id", ondelete="CASCADE",
                                                       name="fk_head_office_user_store_store_id_store"),
                  nullable=False),
        sa.PrimaryKeyConstraint("user_id", "store_id", name="pk_head_office_user_store"),
    )
    op.create_table('report_broadcast',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('room_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('planned_start', UTCDateTime(timezone=True), nullable=False),
    sa.Column('planned_seconds', sa.Integer(), nullable=False),
    sa.Column('actual_seconds', sa.Integer(), nullable=True),
    sa.Column('brand', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=False),
    sa.Column('platform_account_ids', sa.JSON().with_variant(JSONB(), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_broadcast'))
    )
    op.create_index('ix_report_broadcast_store_id_planned_start', 'report_broadcast', ['store_id', 'planned_start'], unique=False)
    op.create_table('report_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=True),
    sa.Column('queue_item_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=True),
    sa.Column('stock', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_event'))
    )
    op.create_index('ix_report_event_broadcast_id', 'report_event', ['broadcast_id'], unique=False)
    op.create_table('report_host',
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('anchor_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('shift_id', name=op.f('pk_report_host'))
    )
    op.create_index('ix_report_host_broadcast_id', 'report_host', ['broadcast_id'], unique=False)
    op.create_table('report_item',
    sa.Column('queue_item_id', sa.Uuid(), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('planned_seconds', sa.Integer(), nullable=False),
    sa.Column('explained', sa.Integer(), nullable=False),
    sa.Column('actual_seconds', sa.BigInteger(), nullable=False),
    sa.Column('peak_viewers', sa.BigInteger(), nullable=False),
    sa.Column('viewer_sum', sa.BigInteger(), nullable=False),
    sa.Column('readings', sa.BigInteger(), nullable=False),
    sa.Column('orders', sa.BigInteger(), nullable=False),
    sa.Column('gmv_fen', sa.BigInteger(), nullable=False),
    sa.Column('sold_out_times', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('queue_item_id', name=op.f('pk_report_item'))
    )
    op.create_index('ix_report_item_broadcast_id', 'report_item', ['broadcast_id'], unique=False)
    op.create_index('ix_report_item_product_id', 'report_item', ['product_id'], unique=False)
    op.create_table('report_queue_item',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('link_number', sa.Integer(), nullable=False),
    sa.Column('planned_seconds', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_queue_item'))
    )
    op.create_index('ix_report_queue_item_broadcast_id', 'report_queue_item', ['broadcast_id'], unique=False)
    op.create_table('report_run',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('rehearsal', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_run'))
    )
    op.create_index('ix_report_run_broadcast_id', 'report_run', ['broadcast_id'], unique=False)
    op.create_table('report_show',
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('products_planned', sa.Integer(), nullable=False),
    sa.Column('products_explained', sa.Integer(), nullable=False),
    sa.Column('peak_viewers', sa.BigInteger(), nullable=False),
    sa.Column('viewer_sum', sa.BigInteger(), nullable=False),
    sa.Column('readings', sa.BigInteger(), nullable=False),
    sa.Column('orders', sa.BigInteger(), nullable=False),
    sa.Column('gmv_fen', sa.BigInteger(), nullable=False),
    sa.Column('sold_out_times', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('broadcast_id', name=op.f('pk_report_show'))
    )
    op.create_table('report_snapshot',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=True),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('viewers', sa.BigInteger(), nullable=False),
    sa.Column('orders', sa.BigInteger(), nullable=False),
    sa.Column('gmv_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshot'))
    )
    op.create_index('ix_report_snapshot_broadcast_id', 'report_snapshot', ['broadcast_id'], unique=False)
    op.create_table('report_stale',
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('broadcast_id', name=op.f('pk_report_stale'))
    )
    from console.headoffice import projection

    # The rows only: every broadcast is left stale, and migration 0007 computes the rollups with the
    # module's SQL once report_item has all its columns.
    projection.rebuild_connection(op.get_bind(), rollups=False)


def downgrade() -> None:
    for table in ("report_stale", "report_snapshot", "report_show", "report_run", "report_queue_item",
                  "report_item", "report_host", "report_event", "report_broadcast"):
        op.drop_table(table)
    op.drop_table("head_office_user_store")
