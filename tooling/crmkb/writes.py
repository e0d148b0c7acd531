"""The one door the lead's commands write through: the store's checked change, plus new files.

Record edits go through `crmkb.store.writing` (lock, re-read check, validation, journal).
Evidence files are binary, so they are linked into place (never over an existing file) just
before the change commits, and removed again when the change is refused.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from crmkb.errors import KbError
from crmkb.store import Change


def commit(change: Change, new_files: Sequence[tuple[Path, bytes]] = ()) -> list[str]:
    """Place the new files, then commit the change; on any failure neither is left behind."""
    created: list[Path] = []
    try:
        for path, content in new_files:
            create_file(path, content)
            created.append(path)
        written = change.commit()
    except BaseException:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return sorted([*written, *(change.shown(p) for p in created)])


def create_file(path: Path, content: bytes) -> None:
    """Write a complete file under a new name; refuse (KbError) when the name is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)  # fails when the name exists: nothing is ever replaced
        except FileExistsError:
            raise KbError(f"{path.name} already exists; nothing was changed") from None
    except OSError as exc:
        raise KbError(f"could not write {path.name}: {exc.strerror}; nothing was changed") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
