"""shift swaps and templates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('shift_template',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_shift_template_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_template')),
    sa.UniqueConstraint('store_id', 'name', name=op.f('uq_shift_template_store_id_name'))
    )
    with op.batch_alter_table('shift_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_template_store_id'), ['store_id'], unique=False)

    op.create_table('shift_swap',
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('from_anchor_id', sa.Uuid(), nullable=False),
    sa.Column('to_anchor_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', 'rejected', name='requeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('requested_by', sa.Uuid(), nullable=True),
    sa.Column('decided_by', sa.Uuid(), nullable=True),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_shift_swap_decided_by_user_account')),
    sa.ForeignKeyConstraint(['from_anchor_id'], ['anchor.id'], name=op.f('fk_shift_swap_from_anchor_id_anchor')),
    sa.ForeignKeyConstraint(['requested_by'], ['user_account.id'], name=op.f('fk_shift_swap_requested_by_user_account')),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_shift_swap_shift_id_shift')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_shift_swap_store_id_store')),
    sa.ForeignKeyConstraint(['to_anchor_id'], ['anchor.id'], name=op.f('fk_shift_swap_to_anchor_id_anchor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_swap'))
    )
    with op.batch_alter_table('shift_swap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_swap_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_swap_store_id'), ['store_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('shift_swap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_swap_store_id'))
        batch_op.drop_index(batch_op.f('ix_shift_swap_shift_id'))

    op.drop_table('shift_swap')
    with op.batch_alter_table('shift_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_template_store_id'))

    op.drop_table('shift_template')

