"""sync: snapshot_stage, the pages of a snapshot being loaded (a long initial load resumes from its last page)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('snapshot_stage',
    sa.Column('page', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('watermark', sa.Integer(), nullable=False),
    sa.Column('next_after', sa.Integer(), nullable=False),
    sa.Column('has_more', sa.Boolean(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('page', name=op.f('pk_snapshot_stage')),
    )
    op.create_index(op.f('ix_snapshot_stage_scope'), 'snapshot_stage', ['scope'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_snapshot_stage_scope'), table_name='snapshot_stage')
    op.drop_table('snapshot_stage')
