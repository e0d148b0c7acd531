"""Single-file writes: atomic replacement, and creation that never takes a used id."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from crmkb.errors import KbError
from crmkb.records.base import Kind


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` so readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def used_numbers(folder: Path, prefix: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(prefix)}-([0-9]+)\.", re.ASCII)
    if not folder.is_dir():
        return []
    return [int(m.group(1)) for p in folder.iterdir() if (m := pattern.match(p.name))]


def create_numbered(
    root: Path, kind: Kind, render: Callable[[str], str], attempts: int = 1000
) -> tuple[str, Path]:
    """Write a new record under the next free id and return (id, path), without checking it.

    Prefer `crmkb.store.writing` and `Change.create`, which also validate the record.

    The complete file is written to a temporary name first and then hard-linked into place;
    linking fails if the name is taken, so two concurrent writers can never get the same id
    and no reader ever sees a partial record.
    """
    from crmkb.store.lock import repository_lock

    if not kind.prefix:
        raise KbError(f"{kind.name} records have no numbered ids")
    with repository_lock(root):
        return _create_numbered(root, kind, render, attempts)


def _create_numbered(
    root: Path, kind: Kind, render: Callable[[str], str], attempts: int
) -> tuple[str, Path]:
    prefix = kind.prefix or ""
    folder = root / kind.directory
    folder.mkdir(parents=True, exist_ok=True)
    number = max(used_numbers(folder, prefix), default=0) + 1
    for _ in range(attempts):
        record_id = f"{prefix}-{number:04d}"
        target = folder / f"{record_id}{kind.suffix}"
        fd, tmp = tempfile.mkstemp(prefix=f".{record_id}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(render(record_id))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            try:
                os.link(tmp, target)
            except FileExistsError:
                number += 1
                continue
            return record_id, target
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    raise KbError(f"could not find a free {prefix} id after {attempts} attempts")
