"""catalog and run-of-show: product images, price history, product sets, pinned link numbers

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _synced() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_refs', sa.JSON(), nullable=False, server_default='[]'))
    op.create_index('ix_product_barcode', 'product', ['barcode'], unique=False)
    with op.batch_alter_table('queue_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_pinned', sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table('price_history',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('counter_price_fen', sa.BigInteger(), nullable=False),
    sa.Column('evidence', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    *_synced(),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_price_history_product_id_product')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_price_history_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_history')),
    )
    with op.batch_alter_table('price_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_history_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_price_history_store_id_product_id_at', ['store_id', 'product_id', 'at'],
                              unique=False)

    op.create_table('product_set',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    *_synced(),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_product_set_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_set')),
    sa.UniqueConstraint('store_id', 'name', name=op.f('uq_product_set_store_id_name'))
    )
    with op.batch_alter_table('product_set', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_set_store_id'), ['store_id'], unique=False)


def downgrade() -> None:
    op.drop_table('product_set')
    op.drop_table('price_history')
    with op.batch_alter_table('queue_item', schema=None) as batch_op:
        batch_op.drop_column('link_pinned')
    op.drop_index('ix_product_barcode', table_name='product')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('image_refs')
