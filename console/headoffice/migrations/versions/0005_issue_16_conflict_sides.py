"""issue 16: who changed each side of a conflict, and the kept row's version, for settling it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Conflicts recorded before this have none of it (null): a console settles them
by comparing the kept values instead of the row version.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_conflict") as batch:
        batch.add_column(sa.Column("kept_row_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("kept_by", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))
        batch.add_column(sa.Column("kept_at", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("attempted_at", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict") as batch:
        for name in ("attempted_at", "kept_at", "kept_by", "kept_row_version"):
            batch.drop_column(name)
