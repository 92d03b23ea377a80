"""Alembic environment for the head-office database (SQLite or PostgreSQL)."""

from alembic import context

from console.headoffice.db import VERSION_TABLE
from console.headoffice.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through console.headoffice.db.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
