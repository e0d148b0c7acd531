"""The one write path: a change read, checked and written under the repository lock.

    with writing(root, today) as change:
        kb, errors = change.checked()              # the knowledge base as it is now
        text = change.read(issue.path)             # remembered by content hash
        change.write(issue.path, edited_text)
        record_id, path = change.create(REGISTRY["solution"], render)
        written = change.commit()                  # validate the result, then write it all

`commit` refuses, naming the file, when a file read has changed since; refuses with `kb check`'s
located messages when the knowledge base after the change would have new errors; and then
writes every file in one journalled transaction (`crmkb.store.journal`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from crmkb.errors import RecordError
from crmkb.store import journal
from crmkb.store.files import used_numbers
from crmkb.store.journal import FileWrite, StoreError, digest
from crmkb.store.lock import repository_lock

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase
    from crmkb.record_cache import StatKey
    from crmkb.records.base import Kind

Checked = tuple["KnowledgeBase", list[RecordError]]


class Change:
    """The files one command reads and writes; nothing reaches the disk before `commit`."""

    def __init__(self, root: Path, today: dt.date) -> None:
        self.root = root
        self.today = today
        self.recovered: list[str] = []
        self._seen: dict[Path, str | None] = {}  # file -> its hash when read (None: absent)
        self._writes: dict[Path, FileWrite] = {}
        self._placed: set[Path] = set()  # files `place` creates: not records, never parsed
        self._loaded: tuple[KnowledgeBase, list[RecordError], list[RecordError]] | None = None
        self._inputs: list[tuple[str, StatKey | None]] = []  # see `_rule_inputs`

    def _path(self, path: Path | str) -> Path:
        full = Path(path)
        return full if full.is_absolute() else self.root / full

    def shown(self, path: Path | str) -> str:
        full = self._path(path)
        inside = full.is_relative_to(self.root)
        return full.relative_to(self.root).as_posix() if inside else str(full)

    def checked(self) -> Checked:
        """Every record loaded and cross-checked, as `kb check` does (cached for the change).

        The cross-record rules' warnings are left out: a write never reports them."""
        from crmkb.knowledge_base import load_records
        from crmkb.store.remembered import before_errors

        if self._loaded is None:
            kb, load_errors = load_records(self.root, today=self.today)
            self._inputs = _rule_inputs(kb)
            self._loaded = (kb, load_errors, before_errors(kb, load_errors))
        kb, load_errors, cross_errors = self._loaded
        return kb, sorted(set(load_errors + cross_errors))

    def read(self, path: Path | str) -> str:
        """The file's text; `commit` refuses if it changes before the write."""
        full = self._path(path)
        try:
            data = full.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read {self.shown(full)}: {exc.strerror}") from None
        self._seen.setdefault(full, digest(data))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise StoreError(f"{self.shown(full)} is not UTF-8; save it as UTF-8") from None

    def write(self, path: Path | str, text: str) -> None:
        """Replace (or create) a file as part of the change."""
        full = self._path(path)
        if full not in self._seen:
            self._seen[full] = _hash_of(full)
        self._writes[full] = FileWrite(full, _encode(text, self.shown(full)))

    def place(self, path: Path | str, data: bytes) -> None:
        """Create a file that must not exist yet (a moved evidence file), bytes as they are."""
        full = self._path(path)
        self._seen.setdefault(full, None)
        self._writes[full] = FileWrite(full, data, create=True)
        self._placed.add(full)

    def remove(self, path: Path | str) -> None:
        """Delete a file as part of the change (a renumbered record's old file and evidence)."""
        full = self._path(path)
        if full not in self._seen:
            self._seen[full] = _hash_of(full)
        self._writes[full] = FileWrite(full, b"", remove=True)

    def removed(self) -> list[str]:
        """The files the change deletes, as shown paths."""
        return sorted(self.shown(w.path) for w in self._writes.values() if w.remove)

    def create(self, kind: Kind, render: Callable[[str], str]) -> tuple[str, Path]:
        """A new record under the next free id of its kind; returns (id, absolute path)."""
        if not kind.prefix:
            raise StoreError(f"{kind.name} records have no numbered ids")
        folder = self.root / kind.directory
        pending = [w.path for w in self._writes.values() if w.path.parent == folder]
        taken = used_numbers(folder, kind.prefix) + _numbers(pending, kind.prefix)
        record_id = f"{kind.prefix}-{max(taken, default=0) + 1:04d}"
        full = folder / f"{record_id}{kind.suffix}"
        self._seen[full] = None
        self._writes[full] = FileWrite(full, _encode(render(record_id), self.shown(full)), True)
        return record_id, full

    def add_file(self, path: Path | str, data: bytes) -> None:
        """A new file (evidence) written with the change, never over an existing file."""
        full = self._path(path)
        if full.exists() or full in self._writes:
            raise StoreError(f"{self.shown(full)} already exists; nothing was changed")
        self.place(full, data)

    def text(self, path: Path | str) -> str | None:
        """The text the change will write to `path`, if it writes it."""
        write = self._writes.get(self._path(path))
        return write.data.decode("utf-8") if write else None

    def commit(self) -> list[str]:
        """Check and write every file of the change; returns the paths written."""
        from crmkb.store.validate import refuse_new_errors

        for full, seen in self._seen.items():
            if full in self._writes and _hash_of(full) != seen:
                raise StoreError(
                    f"{self.shown(full)} changed after this command read it (another program "
                    "wrote it); nothing was written; run the command again"
                )
        inside = [w for w in self._writes.values() if w.path.is_relative_to(self.root)]
        removed = {self.shown(w.path) for w in inside if w.remove}
        placed = {self.shown(path) for path in self._placed}
        records = {
            self.shown(w.path): w.data.decode("utf-8")
            for w in inside
            if not w.remove and self.shown(w.path) not in placed
        }
        after = None
        if self._loaded is not None or _touches_records(records) or removed:
            self.checked()
            assert self._loaded is not None
            # Files the change places (evidence) are read by the rules: check everything.
            same = _rule_inputs(self._loaded[0]) == self._inputs and not removed and not placed
            with pending_files(placed, removed):
                after = refuse_new_errors(*self._loaded, records, inputs_same=same, removed=removed)
        writes = list(self._writes.values())
        journal.commit(self.root, writes)
        if after is not None and self._loaded is not None and not removed:
            from crmkb.store.remembered import keep_after

            keep_after(self._loaded[0], *after, records)
        return sorted(self.shown(w.path) for w in writes)


@contextmanager
def pending_files(placed: set[str], removed: set[str]) -> Iterator[None]:
    """Let the rules see the files a change places and removes as if it had committed."""
    from crmkb.records.base import PENDING_FILES

    token = PENDING_FILES.set((frozenset(placed), frozenset(removed)))
    try:
        yield
    finally:
        PENDING_FILES.reset(token)


def errors_only(
    check: Callable[[KnowledgeBase], list[RecordError]], kb: KnowledgeBase
) -> list[RecordError]:
    """Run a cross-check without locating its warnings (a write weighs only errors)."""
    from crmkb.records.base import LOCATE_WARNINGS

    token = LOCATE_WARNINGS.set(False)
    try:
        return check(kb)
    finally:
        LOCATE_WARNINGS.reset(token)


def _rule_inputs(kb: KnowledgeBase) -> list[tuple[str, StatKey | None]]:
    """What the files the rules read besides records look like now (crmkb.yml, attachments,
    proctors' keys, calendar): a change made while they changed is checked in full."""
    from crmkb.knowledge_base import rule_files
    from crmkb.record_cache import StatKey

    files = [kb.root / "crmkb.yml", *rule_files(kb)]
    return [(str(f), StatKey.of(str(f))) for f in files]


def _hash_of(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None


def _encode(text: str, shown: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError(
            f"the text for {shown} holds characters that are not valid Unicode "
            "(check the terminal's encoding); nothing was written"
        ) from None


def _numbers(paths: list[Path], prefix: str) -> list[int]:
    import re

    pattern = re.compile(rf"^{re.escape(prefix)}-([0-9]+)\.", re.ASCII)
    return [int(m.group(1)) for p in paths if (m := pattern.match(p.name))]


def _touches_records(texts: dict[str, str]) -> bool:
    return any(name.startswith("records/") for name in texts)


@contextmanager
def writing(root: Path, today: dt.date | None = None) -> Iterator[Change]:
    """Hold the repository lock, finish an interrupted change, and give a new one."""
    with repository_lock(root):
        change = Change(root, today or dt.date.today())
        change.recovered = journal.recover(root)
        yield change


def finish_interrupted(root: Path) -> list[str]:
    """Complete or undo a change a killed `kb` left behind; say what was done."""
    if journal.pending_journal(root) is None:
        return []
    with repository_lock(root):
        return journal.recover(root)
