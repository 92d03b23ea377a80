"""product search: a trigram full-text index over SKU, barcode, name, brand and pinyin

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Outside the ORM's metadata (console.storage.search_index.TABLES): the FTS5
table ``product_search`` and its vocabulary, ``product_search_entry`` (which
product each indexed row is), ``product_search_dirty`` (products changed or
deleted since the index last caught up, noted by the two triggers below) and
``product_search_state`` (the last product row the index has seen; newer
rows are new products, so inserts need no trigger).

Why so: FTS5 writes a new segment at every statement that touches it, and an
index fed row by row from triggers made writing products 15 to 60 times
slower; even a trigger that only copies the searched fields halved the
insert rate. Here an insert costs nothing, a change of a searched field one
row in ``product_search_dirty``, and search_index.catch_up feeds the index in
bulk.

A later migration that rebuilds ``product`` (batch_alter_table copies the
table and drops the old one) drops these triggers with it and must create
them again; tests/console/test_catalog_search.py checks that they are there.
"""

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _note(product_id: str) -> str:
    # NOT EXISTS rather than INSERT OR IGNORE: a statement's own conflict clause overrides its
    # triggers' (the sync's INSERT ... ON CONFLICT DO UPDATE made the IGNORE an ABORT).
    return (f"INSERT INTO product_search_dirty (product_id) SELECT {product_id} WHERE NOT EXISTS "
            f"(SELECT 1 FROM product_search_dirty WHERE product_id = {product_id});")


_TRIGGERS = {
    # Only when something searched changed: the sync's upserts set every column every time.
    "product_search_on_update": f"""
        CREATE TRIGGER product_search_on_update
        AFTER UPDATE OF id, sku, barcode, name, brand, search_key, deleted_at ON product
        WHEN OLD.id IS NOT NEW.id OR OLD.sku IS NOT NEW.sku OR OLD.barcode IS NOT NEW.barcode
          OR OLD.name IS NOT NEW.name OR OLD.brand IS NOT NEW.brand OR OLD.search_key IS NOT NEW.search_key
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
        BEGIN
            {_note("OLD.id")}
            {_note("NEW.id")}
        END
    """,
    "product_search_on_delete": f"""
        CREATE TRIGGER product_search_on_delete AFTER DELETE ON product
        BEGIN
            {_note("OLD.id")}
        END
    """,
}

# Each field between a start mark (char 30) and two end marks (char 31): see search_index.
_FIELDS = """
    char(30) || p.sku || char(31, 31),
    char(30) || p.barcode || char(31, 31),
    char(30) || p.name || char(31, 31),
    char(30) || p.brand || char(31, 31),
    char(30) || substr(p.search_key, 1, instr(p.search_key, ' ') - 1) || char(31, 31),
    char(30) || substr(p.search_key, instr(p.search_key, ' ') + 1) || char(31, 31)
"""


def upgrade() -> None:
    op.execute("""
        CREATE VIRTUAL TABLE product_search USING fts5(
            sku, barcode, name, brand, pinyin, initials, tokenize = 'trigram', columnsize = 0
        )
    """)
    op.execute("CREATE VIRTUAL TABLE product_search_terms USING fts5vocab(product_search, row)")
    op.execute("""
        CREATE TABLE product_search_entry (
            entry INTEGER PRIMARY KEY,
            product_id CHAR(32) NOT NULL UNIQUE
        )
    """)
    op.execute("CREATE TABLE product_search_dirty (product_id CHAR(32) PRIMARY KEY) WITHOUT ROWID")
    op.execute("""
        CREATE TABLE product_search_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seen_rowid INTEGER NOT NULL,
            seen_id CHAR(32)
        )
    """)
    for ddl in _TRIGGERS.values():
        op.execute(ddl)
    # The catalog as it is, in the order its products came: the order within a rank.
    op.execute("INSERT INTO product_search_entry (product_id) "
               "SELECT id FROM product WHERE deleted_at IS NULL ORDER BY rowid")
    op.execute(f"""
        INSERT INTO product_search (rowid, sku, barcode, name, brand, pinyin, initials)
        SELECT e.entry, {_FIELDS} FROM product_search_entry AS e JOIN product AS p ON p.id = e.product_id
        ORDER BY e.entry
    """)
    op.execute("""
        INSERT INTO product_search_state (id, seen_rowid, seen_id)
        SELECT 1, coalesce(max(rowid), 0), (SELECT id FROM product ORDER BY rowid DESC LIMIT 1) FROM product
    """)
    op.execute("INSERT INTO product_search (product_search) VALUES ('optimize')")


def downgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("product_search_state", "product_search_dirty", "product_search_entry",
                  "product_search_terms", "product_search"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
