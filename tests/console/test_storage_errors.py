"""Every way the data folder can be unusable ends in one sentence naming the path, with nothing overwritten."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console.domain.errors import StorageError
from console.storage.db import DB_FILENAME, open_database

NOBODY = 65534


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def make_store(data_dir: Path) -> Path:
    database = open_database(data_dir)
    database.close()
    return database.path


def assert_one_sentence(message: str, names: Path) -> None:
    assert str(names) in message
    assert "\n" not in message
    assert message.endswith(".")


# --- folder and file problems ------------------------------------------------


def test_missing_database_in_a_non_empty_folder(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "notes.txt").write_text("someone's notes")
    with pytest.raises(StorageError, match="is missing") as caught:
        open_database(data_dir)
    assert_one_sentence(str(caught.value), data_dir / DB_FILENAME)
    # Paths are values of the message, so the sentence around them can be Chinese.
    assert caught.value.message.id == "storage.file_missing"
    assert caught.value.message.values == {"path": str(data_dir / DB_FILENAME),
                                           "backups": str(data_dir / "backups")}
    assert listing(data_dir) == ["notes.txt"]
    assert (data_dir / "notes.txt").read_text() == "someone's notes"


def test_opening_without_create_in_an_empty_folder_creates_nothing(data_dir: Path) -> None:
    data_dir.mkdir()
    with pytest.raises(StorageError, match="no Anchor Console database") as caught:
        open_database(data_dir, create=False)
    assert_one_sentence(str(caught.value), data_dir)
    assert caught.value.message.id == "storage.no_database_yet"
    assert listing(data_dir) == []


def test_opening_without_create_a_folder_that_does_not_exist(data_dir: Path) -> None:
    with pytest.raises(StorageError, match="does not exist") as caught:
        open_database(data_dir, create=False)
    assert_one_sentence(str(caught.value), data_dir)
    assert caught.value.message.id == "storage.folder_missing"
    assert not data_dir.exists()


def test_data_folder_that_is_a_file(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "store"
    not_a_folder.write_bytes(b"a file, not a folder")
    with pytest.raises(StorageError, match="is a file, not a folder") as caught:
        open_database(not_a_folder)
    assert_one_sentence(str(caught.value), not_a_folder)
    assert caught.value.message.id == "storage.folder_is_file"
    assert not_a_folder.read_bytes() == b"a file, not a folder"


def test_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.write_bytes(b"in the way")
    data_dir = parent / "store"
    with pytest.raises(StorageError, match="cannot be created") as caught:
        open_database(data_dir)
    assert_one_sentence(str(caught.value), data_dir)
    assert caught.value.message.id == "storage.folder_not_created"
    assert caught.value.message.values["folder"] == str(data_dir)
    assert parent.read_bytes() == b"in the way"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, id="not-sqlite"),
        pytest.param(b"SQLite format 3\x00" + bytes(range(255, -1, -1)) * 40, id="sqlite-header-then-garbage"),
    ],
)
def test_corrupt_file_is_refused_unchanged(data_dir: Path, content: bytes) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILENAME
    path.write_bytes(content)
    with pytest.raises(StorageError, match="damaged") as caught:
        open_database(data_dir)
    assert_one_sentence(str(caught.value), path)
    assert caught.value.message.id in ("storage.file_not_ours", "storage.file_damaged")
    assert path.read_bytes() == content
    assert listing(data_dir) == [DB_FILENAME]


def test_database_locked_by_another_program(data_dir: Path) -> None:
    path = make_store(data_dir)
    before = sha256(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError, match="in use") as caught:
            open_database(data_dir)
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert_one_sentence(str(caught.value), path)
    assert caught.value.message.id == "storage.file_in_use"
    assert sha256(path) == before
    # Once the other program lets go, the store opens.
    open_database(data_dir).close()


# --- read-only file and folder -----------------------------------------------
#
# Root ignores permission bits (os.access says "writable"), so as root the
# check runs in a child process as the unprivileged user "nobody"; failing
# that, the immutable attribute (chattr +i) refuses writes even to root.


@functools.cache
def _nobody_can_run_python() -> bool:
    if not shutil.which("setpriv"):
        return False
    try:
        done = subprocess.run(
            ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
             sys.executable, "-c", "import console.storage.db"],
            capture_output=True, timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _chattr_works(folder: Path) -> bool:
    if not shutil.which("chattr"):
        return False
    probe = folder / "chattr-probe"
    probe.write_bytes(b"")
    try:
        if subprocess.run(["chattr", "+i", str(probe)], capture_output=True, check=False).returncode != 0:
            return False
        return not os.access(probe, os.W_OK)
    finally:
        subprocess.run(["chattr", "-i", str(probe)], capture_output=True, check=False)
        probe.unlink()


_OPEN_AS_CHILD = """
import json, sys
from pathlib import Path
from console.storage.db import open_database
try:
    open_database(Path(sys.argv[1])).close()
    print(json.dumps(None))
except Exception as exc:
    print(json.dumps([type(exc).__name__, str(exc)]))
"""


class ReadOnlyOpener:
    """Makes a file or folder read-only for whoever opens the store, then opens it."""

    def __init__(self, mechanism: str, folder: Path) -> None:
        self.mechanism = mechanism
        self.data_dir = folder / "store"
        self._undo: list[Callable[[], None]] = []

    def make_file_read_only(self, path: Path) -> None:
        if self.mechanism == "chmod":
            os.chmod(path, 0o444)
            self._undo.append(lambda: os.chmod(path, 0o644))
        elif self.mechanism == "nobody":
            # nobody may write the folder but not root's 0644 file.
            os.chown(path.parent, NOBODY, NOBODY)
        else:
            self._chattr(path)

    def make_folder_read_only(self, folder: Path) -> None:
        if self.mechanism == "chmod":
            os.chmod(folder, 0o555)
            self._undo.append(lambda: os.chmod(folder, 0o755))
        elif self.mechanism == "nobody":
            # nobody may write the file but not root's 0755 folder.
            for child in folder.iterdir():
                os.chown(child, NOBODY, NOBODY)
        else:
            self._chattr(folder)

    def _chattr(self, path: Path) -> None:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        self._undo.append(lambda: subprocess.run(["chattr", "-i", str(path)], check=True))

    def open(self) -> tuple[str, str] | None:
        """The error class and message from opening the store, or None if it opened."""
        if self.mechanism == "nobody":
            done = subprocess.run(
                ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                 sys.executable, "-c", _OPEN_AS_CHILD, str(self.data_dir)],
                capture_output=True, text=True, timeout=60, check=False,
            )
            assert done.returncode == 0, done.stderr
            found = json.loads(done.stdout)
            return tuple(found) if found else None
        try:
            open_database(self.data_dir).close()
        except StorageError as exc:
            return type(exc).__name__, str(exc)
        return None

    def restore(self) -> None:
        for undo in reversed(self._undo):
            undo()


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[ReadOnlyOpener]:
    if os.geteuid() != 0:
        opener = ReadOnlyOpener("chmod", tmp_path)
        yield opener
        opener.restore()
        return
    if _nobody_can_run_python():
        # tmp_path's parents are private to root; nobody needs a way in.
        folder = Path(tempfile.mkdtemp(prefix="anchor-console-ro-"))
        os.chmod(folder, 0o755)
        try:
            yield ReadOnlyOpener("nobody", folder)
        finally:
            shutil.rmtree(folder)
        return
    if _chattr_works(tmp_path):
        opener = ReadOnlyOpener("chattr", tmp_path)
        yield opener
        opener.restore()
        return
    pytest.skip("running as root without setpriv for an unprivileged user or chattr +i: "
                "no honest way to make a file read-only")


def test_read_only_database_file(read_only: ReadOnlyOpener) -> None:
    path = make_store(read_only.data_dir)
    before = sha256(path)
    read_only.make_file_read_only(path)

    found = read_only.open()

    assert found is not None, "a read-only database file was opened for writing"
    kind, message = found
    assert kind == "StorageError"
    assert "read-only" in message
    assert_one_sentence(message, path)
    assert sha256(path) == before
    assert listing(read_only.data_dir) == [DB_FILENAME]


def test_read_only_data_folder(read_only: ReadOnlyOpener) -> None:
    path = make_store(read_only.data_dir)
    before = sha256(path)
    read_only.make_folder_read_only(read_only.data_dir)

    found = read_only.open()

    assert found is not None, "a store in a read-only folder was opened for writing"
    kind, message = found
    assert kind == "StorageError"
    assert "read-only" in message and "folder" in message  # the folder, not the file, is at fault
    assert_one_sentence(message, read_only.data_dir)
    assert sha256(path) == before
    assert listing(read_only.data_dir) == [DB_FILENAME]


# --- the command line --------------------------------------------------------


def _future_store(data_dir: Path) -> None:
    path = make_store(data_dir)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.commit()
    raw.close()


def _corrupt_store(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DB_FILENAME).write_bytes(b"garbage" * 500)


def _file_not_folder(data_dir: Path) -> None:
    data_dir.write_text("a file")


def _folder_with_other_things(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "notes.txt").write_text("x")


BAD_DATA_DIRS: dict[str, Callable[[Path], None]] = {
    "newer-schema": _future_store,
    "corrupt": _corrupt_store,
    "file-not-folder": _file_not_folder,
    "missing-database": _folder_with_other_things,
    "empty-folder": lambda d: d.mkdir(),
    "no-such-folder": lambda d: None,
}


@pytest.mark.parametrize("make_bad", BAD_DATA_DIRS.values(), ids=BAD_DATA_DIRS.keys())
def test_cli_reports_a_bad_data_folder_in_one_line(
    tmp_path: Path, data_dir: Path, make_bad: Callable[[Path], None],
) -> None:
    make_bad(data_dir)
    env = {k: v for k, v in os.environ.items() if k != "ANCHOR_CONSOLE_HOME"}
    done = subprocess.run(
        [sys.executable, "-m", "console.cli", "--data-dir", str(data_dir), "info"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("anchor-console: ")
    assert str(data_dir) in lines[0]
    assert done.stdout == ""
