"""Alembic environment for the console's local SQLite store."""

from alembic import context

from console.storage import search_index
from console.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through console.storage.db.open_database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    # The search index's tables are SQL of migration 0005, not models: never propose dropping them.
    include_name=search_index.in_metadata,
)
with context.begin_transaction():
    context.run_migrations()
