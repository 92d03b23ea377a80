"""issue 15: accounts that see only some stores

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

A head-office user with rows in ``head_office_user_store`` sees only those
stores (a regional manager); one with none sees every store, as every account
did before this.
"""

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
    op.drop_table("head_office_user_store")
