"""Migrations at start-up: schema matches the models, backups first, foreign files refused."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from console.domain.errors import NewerSchemaError, StorageError
from console.storage import db as db_module
from console.storage.db import (
    BACKUP_DIRNAME,
    DB_FILENAME,
    Database,
    backup_copy,
    head_revision,
    open_database,
)
from console.storage import report_rollup, search_index
from console.storage.models import Base


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def alembic_version(path: Path) -> list[str]:
    raw = sqlite3.connect(path)
    try:
        return [r[0] for r in raw.execute("SELECT version_num FROM alembic_version")]
    finally:
        raw.close()


def make_store(data_dir: Path) -> Path:
    database = open_database(data_dir)
    database.close()
    return database.path


def test_upgrade_from_empty_creates_every_table_and_stamps_head(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    # The search index's tables live outside the ORM (migration 0005).
    assert search_index.TABLES <= tables
    # So do the reports' rollups (migration 0009).
    assert set(report_rollup.TABLES) <= tables
    assert tables - search_index.TABLES - set(report_rollup.TABLES) == set(Base.metadata.tables) | {"alembic_version"}
    assert alembic_version(db.path) == [head_revision()]
    # A brand-new store has nothing worth backing up.
    assert not (db.path.parent / BACKUP_DIRNAME).exists()


def test_migrated_schema_matches_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        def modelled(name: str | None, type_: str, parents: object) -> bool:
            return search_index.in_metadata(name, type_, parents) and report_rollup.in_metadata(name, type_, parents)

        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": modelled})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_reopening_a_store_at_head_makes_no_backup(data_dir: Path) -> None:
    make_store(data_dir)
    again = open_database(data_dir)
    again.close()
    assert not (data_dir / BACKUP_DIRNAME).exists()
    assert alembic_version(data_dir / DB_FILENAME) == [head_revision()]


def test_backup_copy_is_consistent_and_includes_the_wal(data_dir: Path) -> None:
    path = make_store(data_dir)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        # Keep the committed rows in the WAL: a plain file copy would miss them.
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO local_setting (key, value) VALUES ('probe', 'in the wal')")
        assert Path(f"{path}-wal").stat().st_size > 0
        naive_copy = data_dir.parent / "naive-copy.sqlite3"
        shutil.copyfile(path, naive_copy)

        target = backup_copy(path)
    finally:
        writer.close()

    assert target.parent == data_dir / BACKUP_DIRNAME
    assert target.name.startswith("anchor-console-") and target.suffix == ".sqlite3"

    def probe(file: Path) -> list[tuple[str]]:
        # immutable=1: read only the main file, ignoring any -wal next to it.
        conn = sqlite3.connect(f"file:{file}?immutable=1", uri=True)
        try:
            return conn.execute("SELECT value FROM local_setting WHERE key = 'probe'").fetchall()
        finally:
            conn.close()

    assert probe(naive_copy) == []  # the row really was only in the WAL
    assert probe(target) == [("in the wal",)]
    check = sqlite3.connect(target)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    finally:
        check.close()


def _migrations_with_a_newer_revision(tmp_path: Path) -> Path:
    """A copy of the real migrations plus one revision after head."""
    folder = tmp_path / "migrations"
    shutil.copytree(Path(db_module.__file__).with_name("migrations"), folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    (folder / "versions" / "9000_probe.py").write_text(
        f'"""probe revision for the backup test"""\n'
        "from alembic import op\n"
        "import sqlalchemy as sa\n\n"
        "revision = '9000_probe'\n"
        f"down_revision = {head!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        "    op.create_table('probe', sa.Column('x', sa.Integer(), primary_key=True))\n\n\n"
        "def downgrade() -> None:\n"
        "    op.drop_table('probe')\n"
    )
    return folder


def test_store_at_an_older_revision_is_backed_up_before_upgrade(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # There is only one real revision, so "older" is made real by adding a
    # newer one: today's head becomes the older schema of a later release.
    path = make_store(data_dir)
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO local_setting (key, value) VALUES ('before', 'upgrade')")
    raw.commit()
    raw.close()
    old_head = head_revision()

    monkeypatch.setattr(db_module, "_MIGRATIONS", _migrations_with_a_newer_revision(tmp_path))
    assert head_revision() == "9000_probe"
    upgraded = open_database(data_dir)
    upgraded.close()

    assert alembic_version(path) == ["9000_probe"]
    backups = list((data_dir / BACKUP_DIRNAME).iterdir())
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchall() == [(old_head,)]
        assert backup.execute("SELECT value FROM local_setting WHERE key='before'").fetchall() == [
            ("upgrade",)
        ]
        tables = {r[0] for r in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "probe" not in tables
    finally:
        backup.close()


def test_store_from_a_newer_version_is_refused_unchanged(data_dir: Path) -> None:
    path = make_store(data_dir)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.commit()
    raw.close()
    before = sha256(path)
    files_before = sorted(p.name for p in data_dir.iterdir())

    with pytest.raises(NewerSchemaError) as caught:
        open_database(data_dir)

    message = str(caught.value)
    assert str(path) in message
    assert "9999_from_the_future" in message and "newer version" in message
    assert "\n" not in message and message.endswith(".")
    assert sha256(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == files_before


def test_someone_elses_sqlite_file_is_refused_unchanged(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILENAME
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    raw.execute("INSERT INTO customers (name) VALUES ('Chen')")
    raw.commit()
    raw.close()
    before = sha256(path)

    with pytest.raises(StorageError, match="not made by Anchor Console") as caught:
        open_database(data_dir)

    assert str(path) in str(caught.value)
    assert not isinstance(caught.value, NewerSchemaError)
    assert sha256(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME]


def test_the_fast_revision_reading_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from console.storage.db import _revisions, alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    head, known = _revisions()
    assert head == script.get_current_head()
    assert known == {rev.revision for rev in script.walk_revisions()}


def test_roster_limits_set_on_this_console_move_into_the_synced_store_row(data_dir: Path) -> None:
    """Migration 0010: limits kept as this console's local settings become the store's synced row,
    with the outbox entry that takes them to head office; the local settings go."""
    from alembic import command

    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.roster import RosterService

    database = open_database(data_dir)
    AuthService(database).create_store(code="SH01", name="上海店", manager_name="王经理", manager_login="wang",
                                       pin="1234")
    cfg = db_module.alembic_config()
    with database.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    database.close()
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    raw.execute("DELETE FROM outbox")
    raw.executemany("INSERT INTO local_setting (key, value) VALUES (?, ?)", [
        ("roster.min_rest_hours", "10.5"), ("roster.max_on_air_minutes_per_day", "300"),
        ("roster.max_days_in_a_row", "not a number")])
    raw.commit()
    raw.close()

    upgraded = open_database(data_dir)
    try:
        settings = RosterService(upgraded, AuthService(upgraded).actor_for_login(None, via=AuditVia.CLI)
                                 ).roster_settings()
        assert (settings.min_rest.total_seconds() / 3600, settings.max_on_air_minutes_per_day,
                settings.max_on_air_minutes_in_a_row, settings.max_days_in_a_row) == (10.5, 300, 120, 6)
        raw = sqlite3.connect(upgraded.path)
        try:
            queued = raw.execute("SELECT table_name, op, payload FROM outbox").fetchall()
            legacy = raw.execute("SELECT count(*) FROM local_setting WHERE key LIKE 'roster.%'").fetchone()
        finally:
            raw.close()
        assert [(t, op) for t, op, _ in queued] == [("store_rules", "insert")]
        from console.sync.tables import TABLES
        import json

        TABLES["store_rules"].check_row(json.loads(queued[0][2]))   # a whole row, as head office checks it
        assert legacy == (0,)
    finally:
        upgraded.close()
