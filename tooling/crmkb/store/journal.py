"""Writing several files as one transaction, with a journal the next `kb` run finishes.

The journal (`.kb-journal.json` at the repository root) is written before anything else:

1. `preparing`: it names every target and its temporary file; then each temporary file is
   written in full and fsynced. A crash here is undone: the temporaries are removed.
2. `committed`: the journal is rewritten atomically. From here the change is complete on disk
   and a crash is rolled forward: every temporary is renamed onto its target, in path order.
3. The journal is removed.

Renames need no free space, so a full disk can only fail steps 1 and 2, which are undone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmkb.errors import KbError, RecordError

JOURNAL = ".kb-journal.json"
TEMP_SUFFIX = ".kb-tmp"
FAULT_ENV = "CRMKB_FAULT"  # test seam: SIGKILL this process at the named point


class StoreError(KbError):
    """A write that could not be made; nothing was changed (or the next run completes it)."""

    def __init__(self, message: str, os_error: OSError | None = None) -> None:
        super().__init__(message)
        self.os_error = os_error  # the system's own reason, for callers that report it alone


def fault_point(name: str) -> None:
    """Kill the process here when CRMKB_FAULT names this point (crash tests only)."""
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FileWrite:
    """One file of a change: its new bytes, and whether it must not exist yet (or, with
    `remove`, a file the change deletes: a renumbered record's old file and evidence)."""

    path: Path  # absolute
    data: bytes
    create: bool = False
    remove: bool = False

    @property
    def temp(self) -> Path:
        return self.path.with_name(f".{self.path.name}{TEMP_SUFFIX}")


def describe(exc: OSError, path: Path, root: Path) -> str:
    """A user's description of a failed write: the file and the plain reason."""
    shown = _shown(path, root)
    reason = exc.strerror or str(exc)
    if exc.errno == 28:
        reason = "the disk is full (no space left on device)"
    elif exc.errno == 30:
        reason = "the folder is on a read-only file system"
    elif exc.errno == 13:
        reason = "permission denied: the folder is not writable"
    return f"cannot write {shown}: {reason}"


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, mode)  # umask must not narrow a record's permissions


def _write_journal(root: Path, state: str, writes: list[FileWrite]) -> None:
    entries = [
        {
            "path": str(w.path),
            "temp": str(w.temp),
            "sha256": digest(w.data),
            "create": w.create,
            "remove": w.remove,
        }
        for w in writes
    ]
    data = json.dumps({"state": state, "files": entries}, ensure_ascii=False, indent=1)
    temp = root / f"{JOURNAL}{TEMP_SUFFIX}"
    _write_file(temp, data.encode("utf-8"), 0o644)
    os.replace(temp, root / JOURNAL)
    _fsync_dir(root)


def commit(root: Path, writes: list[FileWrite]) -> None:
    """Write every file of the change, or none; the caller holds the repository lock."""
    ordered = sorted(writes, key=lambda w: str(w.path))
    current: Path = root / JOURNAL
    try:
        _write_journal(root, "preparing", ordered)
        fault_point("prepared")
        for i, write in enumerate(ordered, 1):
            current = write.path
            if write.remove:
                continue
            write.path.parent.mkdir(parents=True, exist_ok=True)
            if write.create and write.path.exists():
                raise StoreError(f"{_shown(write.path, root)} already exists; nothing was written")
            mode = write.path.stat().st_mode & 0o777 if write.path.exists() else 0o644
            _write_file(write.temp, write.data, mode)
            fault_point(f"temp-{i}")
        current = root / JOURNAL
        _write_journal(root, "committed", ordered)
    except OSError as exc:
        _undo(root, ordered)
        raise StoreError(f"{describe(exc, current, root)}; nothing was written", exc) from None
    except BaseException:
        _undo(root, ordered)
        raise
    fault_point("committed")
    _roll_forward(root, ordered)


def _undo(root: Path, writes: list[FileWrite]) -> None:
    for write in writes:
        with contextlib.suppress(OSError):
            write.temp.unlink()
    for name in (JOURNAL, JOURNAL + TEMP_SUFFIX):
        with contextlib.suppress(OSError):
            (root / name).unlink()


def _roll_forward(root: Path, writes: list[FileWrite]) -> None:
    folders: set[Path] = set()
    emptied = {w.path.parent for w in writes if w.remove}
    for i, write in enumerate(writes, 1):
        if write.remove:
            with contextlib.suppress(FileNotFoundError):
                write.path.unlink()
        elif write.temp.exists():
            if write.create:
                _link_new(write)
            else:
                os.replace(write.temp, write.path)
        folders.add(write.path.parent)
        fault_point(f"renamed-{i}")
    for folder in sorted(folders, reverse=True):
        if folder in emptied:
            with contextlib.suppress(OSError):  # a folder the change left empty (moved evidence)
                folder.rmdir()
        _fsync_dir(folder if folder.exists() else folder.parent)
    (root / JOURNAL).unlink()
    _fsync_dir(root)


def _link_new(write: FileWrite) -> None:
    # A link fails on an existing name: a created record never replaces another file.
    try:
        os.link(write.temp, write.path)
    except FileExistsError:
        # Linked before a crash, the temporary not yet removed: the same bytes are in place.
        if write.path.read_bytes() != write.temp.read_bytes():
            raise
    write.temp.unlink()


def pending_journal(root: Path) -> Path | None:
    """The journal of an interrupted change, if one is there."""
    path = root / JOURNAL
    return path if path.exists() else None


def journal_problem(root: Path) -> RecordError | None:
    """What `kb check` reports when an interrupted change is waiting to be finished."""
    if pending_journal(root) is None:
        return None
    message = (
        "an interrupted kb write left this journal; run any other kb command (kb list) "
        "to complete or undo it, then check again"
    )
    return RecordError(JOURNAL, 1, 1, message)


def pending_paths(root: Path) -> set[str]:
    """The repository paths an interrupted change is writing (empty when none or unreadable):
    their state is the journal's to settle, so kb check names the journal, not them."""
    try:
        journal: Any = json.loads((root / JOURNAL).read_text(encoding="utf-8"))
        writes = [FileWrite(Path(e["path"]), b"") for e in journal["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    return {_shown(p, root) for w in writes for p in (w.path, w.temp)}


def recover(root: Path) -> list[str]:
    """Complete (committed) or undo (preparing) an interrupted change; say what was done.

    The caller holds the repository lock.
    """
    path = root / JOURNAL
    with contextlib.suppress(OSError):
        (root / (JOURNAL + TEMP_SUFFIX)).unlink()
    if not path.exists():
        return []
    try:
        journal: Any = json.loads(path.read_text(encoding="utf-8"))
        state = journal["state"]
        writes = [
            FileWrite(Path(e["path"]), b"", bool(e["create"]), bool(e.get("remove")))
            for e in journal["files"]
        ]
        hashes = [str(e["sha256"]) for e in journal["files"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"{JOURNAL} of an interrupted kb write cannot be read ({exc}); compare the files "
            f"with git status, then delete {JOURNAL}"
        ) from None
    shown = ", ".join(_shown(w.path, root) for w in writes)
    if state != "committed":
        _undo(root, writes)
        return [f"undid an interrupted kb write (nothing of it had been written): {shown}"]
    for write, expected in zip(writes, hashes, strict=True):
        if write.temp.exists() and digest(write.temp.read_bytes()) != expected:
            raise StoreError(
                f"{_shown(write.temp, root)} does not hold what {JOURNAL} recorded; "
                f"compare it with git status, then delete {JOURNAL} and the temporary file"
            )
    try:
        _roll_forward(root, writes)
    except OSError as exc:
        message = f"{describe(exc, path, root)} while completing an interrupted write"
        raise StoreError(message) from None
    return [f"completed an interrupted kb write: {shown}"]
