"""change log for other processes on the same data folder

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_log',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('writer', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_ids', sa.JSON(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_log')),
    sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table('change_log')
