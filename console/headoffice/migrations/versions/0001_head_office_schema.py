"""head-office schema: stores, consoles, enrollment, users, synced rows, batches, conflicts, cursors

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "store",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store")),
        sa.UniqueConstraint("code", name=op.f("uq_store_code")),
    )
    op.create_table(
        "head_office_user",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_head_office_user")),
        sa.UniqueConstraint("login", name=op.f("uq_head_office_user_login")),
    )
    op.create_table(
        "scope_counter",
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("purged_through", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope_key", name=op.f("pk_scope_counter")),
    )
    op.create_table(
        "synced_row",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=True),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", _json(), nullable=False),
        sa.Column("field_versions", _json(), nullable=False),
        sa.Column("field_authors", _json(), nullable=False),
        sa.Column("committed_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_synced_row")),
    )
    op.create_index("uq_synced_row_scope_key_version", "synced_row", ["scope_key", "version"], unique=True)
    op.create_index("ix_synced_row_scope_key_deleted_version", "synced_row",
                    ["scope_key", "deleted", "version"])
    op.create_index("ix_synced_row_store_id_table_name", "synced_row", ["store_id", "table_name"])
    op.create_table(
        "console",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", _when(), nullable=False),
        sa.Column("expires_at", _when(), nullable=True),
        sa.Column("revoked_at", _when(), nullable=True),
        sa.Column("last_seen_at", _when(), nullable=True),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], name=op.f("fk_console_store_id_store")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_token_hash")),
    )
    op.create_index(op.f("ix_console_store_id"), "console", ["store_id"])
    op.create_table(
        "applied_mutation",
        sa.Column("mutation_id", sa.Uuid(), nullable=False),
        sa.Column("console_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("base_root", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("applied_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["console_id"], ["console.id"],
                                name=op.f("fk_applied_mutation_console_id_console")),
        sa.PrimaryKeyConstraint("mutation_id", name=op.f("pk_applied_mutation")),
    )
    op.create_index("ix_applied_mutation_console_id_table_name_row_id", "applied_mutation",
                    ["console_id", "table_name", "row_id"])
    op.create_table(
        "console_cursor",
        sa.Column("console_id", sa.Uuid(), nullable=False),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("acked_version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["console_id"], ["console.id"],
                                name=op.f("fk_console_cursor_console_id_console")),
        sa.PrimaryKeyConstraint("console_id", "scope_key", name=op.f("pk_console_cursor")),
    )
    op.create_table(
        "enrollment_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("expires_at", _when(), nullable=False),
        sa.Column("used_at", _when(), nullable=True),
        sa.Column("console_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["console_id"], ["console.id"],
                                name=op.f("fk_enrollment_code_console_id_console")),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], name=op.f("fk_enrollment_code_store_id_store")),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_enrollment_code")),
    )
    op.create_index(op.f("ix_enrollment_code_store_id"), "enrollment_code", ["store_id"])
    op.create_table(
        "push_batch",
        sa.Column("console_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("request_digest", sa.String(length=64), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["console_id"], ["console.id"], name=op.f("fk_push_batch_console_id_console")),
        sa.PrimaryKeyConstraint("console_id", "batch_id", name=op.f("pk_push_batch")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("console_id", sa.Uuid(), nullable=False),
        sa.Column("mutation_id", sa.Uuid(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("server_row_version", sa.Integer(), nullable=False),
        sa.Column("fields", _json(), nullable=False),
        sa.Column("attempted", _json(), nullable=False),
        sa.Column("kept", _json(), nullable=False),
        sa.Column("recorded_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["console_id"], ["console.id"], name=op.f("fk_sync_conflict_console_id_console")),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], name=op.f("fk_sync_conflict_store_id_store")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index("uq_sync_conflict_scope_key_version", "sync_conflict", ["scope_key", "version"], unique=True)
    # The catalog scope exists from the start; store scopes are added with their stores.
    op.bulk_insert(sa.table("scope_counter", sa.column("scope_key", sa.String), sa.column("version", sa.BigInteger),
                            sa.column("purged_through", sa.BigInteger)),
                   [{"scope_key": "catalog", "version": 0, "purged_through": 0}])


def downgrade() -> None:
    for table in ("sync_conflict", "push_batch", "enrollment_code", "console_cursor", "applied_mutation",
                  "console", "synced_row", "scope_counter", "head_office_user", "store"):
        op.drop_table(table)
