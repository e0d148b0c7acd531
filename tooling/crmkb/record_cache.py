"""A cache of parsed and validated record files, so a command at 10,000 records rereads none.

Each record file that loaded without any error is remembered by path, size, modification and
change time, inode and a hash of its text, with its validated fields as JSON. A later load
trusts an entry only when every one of those stat fields still matches and the file was last
changed well before the entry was taken (git's "racily clean" rule: an edit in the same clock
tick as the read would keep the same times); otherwise it rereads the file and reuses the
entry only if the text hash still matches. The fields are validated again from the JSON on
every load, so a cached record is always a record the models accept today.

The cache lives in `.kb-cache/` (SQLite, one transaction per write, so two commands at once
see a whole cache or wait); when it is missing, locked, read-only, full or corrupt, commands
run exactly as without it.

Anyone who can write the repository's folder can write `.kb-cache/`, so every entry and every
remembered result carries an HMAC-SHA256 (stdlib `hmac`) under a key kept outside the
repository (`$XDG_CACHE_HOME/crmkb/cache-key`, created on first use, readable by its owner
only): an entry planted or edited by hand fails its MAC and is not used, so the cache can
never make a broken record pass `kb check` nor stand in for a record file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import (
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from crmkb.errors import RecordError

FOLDER = ".kb-cache"
DATABASE = "records.sqlite3"
# A file changed this close to the moment its entry was taken is checked by content:
# timestamps are coarse (a clock tick on ext4, 2 s on FAT), so a second edit in that window
# could keep the same times.
RACY_NS = 2_000_000_000
# The texts (YAML and body) are kept apart from the fields, and the key columns have a covering
# index: a command reads every entry's keys and many entries' fields, but few texts, so those
# reads never page through the bodies (15 MB at 10,000 records).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
    ctime INTEGER NOT NULL, ino INTEGER NOT NULL, taken INTEGER NOT NULL, digest TEXT NOT NULL,
    fields TEXT NOT NULL, yaml_line INTEGER NOT NULL, body_line INTEGER NOT NULL,
    mac TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS files_keys ON files (path, kind, size, mtime, ctime, ino, taken, digest);
CREATE TABLE IF NOT EXISTS texts (path TEXT PRIMARY KEY, digest TEXT NOT NULL,
    yaml_text TEXT NOT NULL, body TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bags (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL,
    length INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS postings (term TEXT NOT NULL, bag INTEGER NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (term, bag)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS postings_bag ON postings (bag);
CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID;
"""
_KEYS = "path, kind, size, mtime, ctime, ino, taken, digest"
# A Row's columns without its texts, which `texts` fetches.
_FIELDS = f"{_KEYS}, fields, NULL, yaml_line, NULL, body_line"
_INSERT_FIELDS = (
    "INSERT OR REPLACE INTO files (path, kind, size, mtime, ctime, ino, taken, digest, "
    "fields, yaml_line, body_line, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TEXTS = "INSERT OR REPLACE INTO texts VALUES (?, ?, ?, ?, ?)"
_KEY_FILE = "cache-key"
_KEY: list[bytes] = []


def _mac_key() -> bytes | None:
    """The key entries are signed with, kept outside the repository; None when it cannot be
    read or made (then no cache is used)."""
    if _KEY:
        return _KEY[0]
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "crmkb" / _KEY_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
        else:
            key = secrets.token_bytes(32)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key)
    except OSError:
        return None
    if len(key) != 32:  # half written by a process killed meanwhile: unusable, start again
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    _KEY.append(key)
    return key


def mac(*parts: object) -> str:
    """The HMAC of these values (their text, each ended by a NUL) under the cache key."""
    key = _mac_key() or b""
    text = "".join(f"{part}\0" for part in parts)
    return hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _row_mac(row: Sequence[Any]) -> str:
    """The MAC of an entry's columns: path, kind, stat fields, taken, digest, fields, lines."""
    return mac(*row[:9], row[10], row[12])


def _text_mac(path: str, digest: str, yaml_text: str, body: str) -> str:
    return mac("texts", path, digest, yaml_text, body)


def digest(text: str) -> str:
    """The content hash of a record file's (normalized) text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class StatKey(NamedTuple):
    size: int
    mtime: int
    ctime: int
    ino: int

    @classmethod
    def of(cls, path: str) -> StatKey | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


_Keys = tuple[str, str, int, int, int, int, int, str]


class Row(NamedTuple):
    path: str
    kind: str
    size: int
    mtime: int
    ctime: int
    ino: int
    taken: int
    digest: str
    fields: str
    yaml_text: str | None  # None: not fetched (see RecordCache.texts)
    yaml_line: int
    body: str | None
    body_line: int


def trusted(keys: Sequence[Any], key: StatKey) -> bool:
    """Whether an entry's key columns (path, kind, size, mtime, ctime, ino, taken, ...) prove
    the file unchanged without reading it: the same stat fields, and the file last changed
    more than RACY_NS before the entry was taken (git's "racily clean" rule)."""
    same = keys[2] == key[0] and keys[3] == key[1] and keys[4] == key[2] and keys[5] == key[3]
    return same and max(key[1], key[2]) < int(keys[6]) - RACY_NS


@dataclass
class RecordCache:
    """The cache of one repository; every method is a no-op once the database failed."""

    root: Path
    version: str = ""
    _db: sqlite3.Connection | None = None
    _rows: dict[str, _Keys] | None = None
    _verified: dict[str, Row] = field(default_factory=dict)  # rows() proved by their MAC
    _pending: list[Row] = field(default_factory=list)
    _restamped: list[Row] = field(default_factory=list)  # same text, new stat fields
    # A forked parsing process that writes entries (see `share_writing`).
    _writer: Any = None

    @classmethod
    def open(cls, root: Path) -> RecordCache:
        cache = cls(root, code_version())
        if os.environ.get("CRMKB_NO_CACHE") or _mac_key() is None:
            return cache
        cache._db = _connect(root / FOLDER / DATABASE)
        if cache._db is not None and cache._meta("version") != cache.version:
            cache._reset()
        return cache

    def rows(self) -> dict[str, _Keys]:
        """Every entry's key fields as (path, kind, size, mtime, ctime, ino, taken, digest): plain
        tuples, read from the covering index (the fields and texts are fetched on demand)."""
        if self._rows is None:
            select = f"SELECT {_FIELDS}, mac FROM files"
            self._verified = {
                row[0]: Row(*row[:-1])
                for row in self._query(select)
                if hmac.compare_digest(_row_mac(row), str(row[-1]))
            }
            self._rows = {path: row[:8] for path, row in self._verified.items()}
        return self._rows

    def full_rows(self, paths: list[str]) -> dict[str, Row]:
        """The entries of these files with their fields, and their texts as well."""
        rows = self.field_rows(paths)
        texts = self.texts(paths)
        return {
            path: row._replace(yaml_text=texts[path][1], body=texts[path][2])
            for path, row in rows.items()
            if path in texts and texts[path][0] == row.digest
        }

    def field_rows(self, paths: list[str]) -> dict[str, Row]:
        """The entries of these files with their fields, without their texts."""
        self.rows()
        return {path: self._verified[path] for path in paths if path in self._verified}

    def texts(self, paths: list[str]) -> dict[str, tuple[str, str, str]]:
        """Path -> (digest, YAML text, body) of the files whose texts are kept."""
        found = self._lookup("SELECT path, digest, yaml_text, body, mac FROM texts", paths)
        return {
            path: (digest, yaml_text, body)
            for path, digest, yaml_text, body, sealed in found
            if hmac.compare_digest(_text_mac(path, digest, yaml_text, body), str(sealed))
        }

    def field_values(self, kind: str, names: list[str]) -> dict[str, tuple[str, list[str | None]]]:
        """Path -> (digest, the text of each named top-level field, or None when it is absent or
        not a text) for every entry of `kind`: enough to rule records out without building them."""
        columns = ", ".join(
            ["CASE WHEN json_type(fields, ?) = 'text' THEN json_extract(fields, ?) END"]
            * len(names)
        )
        args = [arg for name in names for arg in (f'$."{name}"', f'$."{name}"')]
        sql = f"SELECT path, mac, digest, {columns} FROM files WHERE kind = ?"
        return {
            row[0]: (row[2], list(row[3:]))
            for row in self._query(sql, (*args, kind))
            if self._proved(row[0], row[1])
        }

    def _proved(self, path: str, sealed: str) -> bool:
        """Whether a row read now is the entry `rows()` proved by its MAC."""
        self.rows()
        proved = self._verified.get(path)
        return proved is not None and hmac.compare_digest(_row_mac(proved), str(sealed))

    def _lookup(self, select: str, paths: list[str]) -> list[Any]:
        """Rows of `select` for these paths, looked up by path (never a pass over the table,
        which would page through every record's text)."""
        found: list[Any] = []
        for start in range(0, len(paths), 500):  # within SQLite's limit on parameters
            chunk = tuple(paths[start : start + 500])
            places = ", ".join("?" * len(chunk))
            found.extend(self._query(f"{select} WHERE path IN ({places})", chunk))
        return found

    def same_text(self, keys: _Keys, key: StatKey, read: Callable[[], str]) -> bool:
        """Whether a file whose stat fields (`key`) no longer prove its entry (`keys`) still
        holds the same text, which `read()` gives; if so the entry takes the new stat fields."""
        taken = time.time_ns()
        try:
            text = read()
        except Exception:  # the loader reports an unreadable file; here it is just a miss
            return False
        if digest(text) != keys[7]:
            return False
        self._restamped.append(Row(keys[0], keys[1], *key, taken, keys[7], "", None, 0, None, 0))
        return True

    def naming(self, quoted: list[str]) -> dict[str, bool] | None:
        """For every entry, by path: whether its fields (JSON) hold one of the `quoted` JSON
        strings, such as '"ISS-0002"'; one pass in SQLite. None when the cache cannot answer."""
        test = " OR ".join("instr(fields, ?) > 0" for _ in quoted) or "0"
        rows = self._query(f"SELECT path, mac, {test} FROM files", tuple(quoted))
        if self._db is None:
            return None
        return {str(path): bool(hit) for path, sealed, hit in rows if self._proved(path, sealed)}

    def remember(self, row: Row) -> None:
        self._pending.append(row)

    def save(self, present: Iterable[str] | None = None) -> None:
        """Write the entries remembered since the last save; drop entries of vanished files."""
        if self._db is None:
            return
        gone = set(self.rows()) - set(present) if present is not None else set()
        if not self._pending and not self._restamped and not gone:
            return
        restamp = "UPDATE files SET size=?, mtime=?, ctime=?, ino=?, taken=?, mac=? WHERE path=?"
        moved = []
        for r in self._restamped:
            proved = self._verified.get(r.path)
            if proved is not None:
                stamped = proved._replace(
                    size=r.size, mtime=r.mtime, ctime=r.ctime, ino=r.ino, taken=r.taken
                )
                moved.append((*r[2:7], _row_mac(stamped), r.path))
        with self._writing() as db:
            _store_rows(db, self._pending)
            db.executemany(restamp, moved)
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
            db.executemany("DELETE FROM texts WHERE path = ?", [(p,) for p in gone])
        self._pending.clear()
        self._restamped.clear()

    def release_for_fork(self) -> bool:
        """Close this process's connection before a fork, so the forked process may open one
        of its own (an open SQLite connection must never cross a fork). False, and nothing
        closed, when there is no database or other connections or threads could be using one.
        """
        key = (str(self.root / FOLDER / DATABASE), threading.get_ident())
        pooled = _OPEN.get(key)
        if self._db is None or len(_OPEN) != 1 or pooled is None or pooled[0] is not self._db:
            return False
        if threading.active_count() > 1:
            return False
        del _OPEN[key]
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._db = None
        return True

    def reconnect(self) -> None:
        """Open the connection again after `release_for_fork`."""
        self._db = _connect(self.root / FOLDER / DATABASE)

    def share_writing(self, writer: Any) -> None:
        """A forked process (a `crmkb.forked.Worker`) writes entries; `wait_for_writer` waits
        for it to finish (every write of this process does so first)."""
        self._writer = writer

    def wait_for_writer(self) -> None:
        if self._writer is not None:
            self._writer.join()
            self._writer = None

    def derived(self, key: str, fingerprint: str) -> Any:
        """A value computed from the whole knowledge base, if computed from the same inputs."""
        for (value,) in self._query("SELECT value FROM derived WHERE key = ?", (key,)):
            with contextlib.suppress(ValueError, TypeError, KeyError):
                stored = json.loads(value)
                if stored["fingerprint"] == fingerprint and hmac.compare_digest(
                    str(stored["mac"]), _derived_mac(key, fingerprint, stored["value"])
                ):
                    return stored["value"]
        return None

    def keep(self, key: str, fingerprint: str, value: Any) -> None:
        payload = _derived_payload(key, fingerprint, value)
        with self._writing() as db:
            db.execute("INSERT OR REPLACE INTO derived (key, value) VALUES (?, ?)", (key, payload))

    def term_index(
        self,
        keys: list[str],
        compute: Callable[[list[int]], list[Mapping[str, int]]],
        terms: set[str],
    ) -> list[tuple[dict[str, int], int]]:
        """For each document (its key names everything its terms come from): its counts of
        `terms` and its total weight. Documents not indexed yet are `compute`d (all at once,
        by position) and added; documents no longer listed are dropped."""
        lengths = {k: (i, n) for i, k, n in self._query("SELECT id, key, length FROM bags")}
        missing = [i for i, key in enumerate(keys) if key not in lengths]
        found: dict[int, dict[str, int]] = {}
        if missing or len(lengths) != len(keys):
            computed = dict(zip(missing, compute(missing), strict=True))
            self._index(keys, computed, lengths)
            found = {i: {t: n for t, n in bag.items() if t in terms} for i, bag in computed.items()}
        by_id = {lengths[key][0]: i for i, key in enumerate(keys) if key in lengths}
        places = ", ".join("?" * len(terms))
        sql = f"SELECT bag, term, count FROM postings WHERE term IN ({places})"
        for bag, term, count in self._query(sql, tuple(terms)):
            if bag in by_id:
                found.setdefault(by_id[bag], {})[term] = count
        return [
            (found.get(i, {}), lengths[key][1] if key in lengths else 0)
            for i, key in enumerate(keys)
        ]

    def _index(
        self,
        keys: list[str],
        computed: dict[int, Mapping[str, int]],
        lengths: dict[str, tuple[int, int]],
    ) -> None:
        gone = [lengths[key][0] for key in set(lengths) - set(keys)]
        with self._writing() as db:
            db.executemany("DELETE FROM postings WHERE bag = ?", [(g,) for g in gone])
            db.executemany("DELETE FROM bags WHERE id = ?", [(g,) for g in gone])
            # Ids are given here, so every bag and posting goes in with one statement each.
            (top,) = db.execute("SELECT coalesce(max(id), 0) FROM bags").fetchone()
            bags: list[tuple[int, str, int]] = []
            postings: list[tuple[str, int, int]] = []
            for bag_id, (i, bag) in enumerate(computed.items(), start=top + 1):
                length = sum(bag.values())
                bags.append((bag_id, keys[i], length))
                postings.extend((t, bag_id, n) for t, n in bag.items())
                lengths[keys[i]] = (bag_id, length)
            db.executemany("INSERT INTO bags (id, key, length) VALUES (?, ?, ?)", bags)
            db.executemany("INSERT INTO postings (term, bag, count) VALUES (?, ?, ?)", postings)

    def words(
        self,
        version: str,
        read: Callable[[], Mapping[str, int] | None],
        wanted: Callable[[int], set[str]],
    ) -> tuple[dict[str, int], int] | None:
        """The strings `wanted(longest word's length)` that are words of a segmenter's
        dictionary, with their frequencies, and the dictionary's total frequency. The
        dictionary is `read` and kept the first time (per `version`); None when the cache
        cannot answer or `read` gave None (a dictionary that must not be used)."""
        kept = self.derived("words", version)
        if not isinstance(kept, dict) or not isinstance(kept.get("total"), int):
            entries = read() or {}
            total = sum(entries.values()) if entries else -1  # -1: never use it
            kept = {"total": total, "longest": max(map(len, entries), default=0)}
            payload = _derived_payload("words", version, kept)
            with self._writing() as db:
                db.execute("DELETE FROM words")
                db.executemany("INSERT INTO words VALUES (?, ?)", entries.items())
                db.execute("INSERT OR REPLACE INTO derived VALUES ('words', ?)", (payload,))
        if kept["total"] < 0:
            return None
        strings = sorted(wanted(int(kept["longest"])))
        found: dict[str, int] = {}
        for start in range(0, len(strings), 500):  # within SQLite's limit on parameters
            chunk = tuple(strings[start : start + 500])
            sql = f"SELECT word, freq FROM words WHERE word IN ({', '.join('?' * len(chunk))})"
            found.update((str(w), int(n)) for w, n in self._query(sql, chunk))
        if self._db is None:
            return None
        return found, int(kept["total"])

    def _meta(self, key: str) -> str | None:
        for (value,) in self._query("SELECT value FROM meta WHERE key = ?", (key,)):
            return str(value)
        return None

    def _reset(self) -> None:
        """Empty the cache for a new code version; the tables are made afresh, since that
        version may lay them out differently."""
        with self._writing() as db:
            for table in ("files", "texts", "derived", "bags", "postings", "words"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _SCHEMA.split(";"):
                db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
        self._rows = {}

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error:
            self._broken()
            return []

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; on any database error (locked too long, read-only, disk full,
        corrupt) the cache is given up for this command and the command goes on without it.
        A forked process still writing entries finishes first: one writer at a time, so
        nothing waits on SQLite's lock (which gives up after 5 s)."""
        self.wait_for_writer()
        db = self._db
        if db is None:  # a throwaway target, so callers need no branch
            scratch = sqlite3.connect(":memory:")
            try:
                scratch.executescript(_SCHEMA)
                yield scratch
            finally:
                scratch.close()
            return
        try:
            with db:
                yield db
        except sqlite3.Error:
            self._broken()
            return
        _fold_big_log(db, self.root / FOLDER / DATABASE)

    def _broken(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None


# One connection per cache file and thread, reused by every load in a process: a long-lived
# process (kb serve, a build, the tests) reloads the records many times and must not open
# three more file descriptors each time.
_OPEN: dict[tuple[str, int], tuple[sqlite3.Connection, int]] = {}  # -> (connection, inode)


def _connect(path: Path) -> sqlite3.Connection | None:
    key = (str(path), threading.get_ident())
    known = _OPEN.pop(key, None)
    if known is not None:
        db, inode = known
        try:
            # Still the same file (not deleted or replaced since), and still usable.
            if os.stat(path).st_ino == inode:
                db.execute("SELECT count(*) FROM files").fetchone()
                _OPEN[key] = known
                return db
        except (OSError, sqlite3.Error):
            pass
        with contextlib.suppress(sqlite3.Error):
            db.close()
    fresh = _new_connection(path)
    if fresh is not None:
        with contextlib.suppress(OSError):
            _OPEN[key] = (fresh, os.stat(path).st_ino)
    while len(_OPEN) > _POOL_LIMIT:  # least recently used first: a process that reads many
        old, _ = _OPEN.pop(next(iter(_OPEN)))  # repositories must not run out of descriptors
        with contextlib.suppress(sqlite3.Error):  # another thread's: freed when unreferenced
            old.close()
    return fresh


# At most this many pooled connections per process (3 file descriptors each).
_POOL_LIMIT = 8


def _store_rows(db: sqlite3.Connection, rows: list[Row]) -> None:
    """Write whole entries, each with its MAC: the fields in `files`, the texts in `texts`."""
    db.executemany(_INSERT_FIELDS, [(*r[:9], r.yaml_line, r.body_line, _row_mac(r)) for r in rows])
    texts = [(r.path, r.digest, r.yaml_text or "", r.body or "") for r in rows]
    db.executemany(_INSERT_TEXTS, [(*t, _text_mac(*t)) for t in texts])


def _derived_mac(key: str, fingerprint: str, value: Any) -> str:
    return mac("derived", key, fingerprint, json.dumps(value, ensure_ascii=False, sort_keys=True))


def _derived_payload(key: str, fingerprint: str, value: Any) -> str:
    sealed = _derived_mac(key, fingerprint, value)
    payload = {"fingerprint": fingerprint, "value": value, "mac": sealed}
    return json.dumps(payload, ensure_ascii=False)


def write_forked(root: Path, rows: list[Row]) -> None:
    """Write entries from a forked process, through a connection of its own; a failure only
    loses the entries (the next command parses those files again)."""
    if not rows:
        return
    db = _new_connection(root / FOLDER / DATABASE)
    if db is None:
        return
    with contextlib.suppress(sqlite3.Error), db:
        _store_rows(db, rows)
    _fold_big_log(db, root / FOLDER / DATABASE)


# Past this size the write-ahead log is folded into the database and emptied after a write:
# left at tens of megabytes (a cold load, the similar index), every later command's first
# statement reads it all again.
_BIG_LOG = 4 << 20


def _fold_big_log(db: sqlite3.Connection, path: Path) -> None:
    try:
        if os.stat(f"{path}-wal").st_size > _BIG_LOG:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except (OSError, sqlite3.Error):
        pass  # another connection is reading: the next write folds it


def _new_connection(path: Path) -> sqlite3.Connection | None:
    """The cache database, created if needed; a corrupt file is removed and started afresh."""
    for _ in range(2):
        try:
            path.parent.mkdir(exist_ok=True)
            db = sqlite3.connect(path, timeout=5, isolation_level=None)
            db.isolation_level = "DEFERRED"
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            db.execute("SELECT count(*) FROM files").fetchone()
            return db
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "readonly" in str(exc):
                return None
            for suffix in ("", "-wal", "-shm"):  # corrupt: start again with an empty cache
                with contextlib.suppress(OSError):
                    os.unlink(f"{path}{suffix}")
        except OSError:  # read-only or full disk, or no folder: run without a cache
            return None
    return None


_VERSION: list[str] = []


def code_version() -> str:
    """A hash of the package's own source and of the installed libraries' folder, so a new
    model, rule or library version never reads entries or results made by the old one."""
    if _VERSION:
        return _VERSION[0]
    import pydantic

    package = Path(__file__).parent
    h = hashlib.blake2b(digest_size=16)
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode())
        h.update(source.read_bytes())
    site = Path(pydantic.__file__).parent.parent
    h.update(f"{pydantic.VERSION} {os.stat(site).st_mtime_ns}".encode())
    _VERSION.append(h.hexdigest())
    return _VERSION[0]


def fingerprint(
    root: Path,
    today: dt.date,
    sources: dict[str, str],
    load_errors: list[RecordError],
    attachments: list[Path],
) -> str:
    """A hash of every input the cross-record rules read, for reusing their results."""
    h = hashlib.blake2b(digest_size=16)
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("CRMKB_"))
    for part in (code_version(), today.isoformat(), repr(settings), repr(sorted(load_errors))):
        h.update(part.encode())
        h.update(b"\0")
    # One update of the joined text: the same bytes (so the same hash) as one per file.
    h.update(
        "".join(f"{path}\0{text_hash}\0" for path, text_hash in sorted(sources.items())).encode()
    )
    for file in [root / "crmkb.yml", *attachments]:
        h.update(f"{file}\0{StatKey.of(str(file))}\0".encode())
    return h.hexdigest()


def errors_from_json(items: list[dict[str, Any]]) -> list[RecordError]:
    return [RecordError(i["path"], i["line"], i["col"], i["message"], i["severity"]) for i in items]
