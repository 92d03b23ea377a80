"""head-office sessions: staff sign-ins with hashed tokens

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "head_office_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["head_office_user.id"],
                                name=op.f("fk_head_office_session_user_id_head_office_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_head_office_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_head_office_session_token_hash")),
    )
    op.create_index(op.f("ix_head_office_session_user_id"), "head_office_session", ["user_id"])


def downgrade() -> None:
    op.drop_table("head_office_session")
