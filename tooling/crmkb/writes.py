"""The one door the lead's commands write through: edited records and new files together.

Every write of `kb edit`, `note`, `assign`, the ways back, `attach`, the judgement commands
and intake goes through `commit`, so the repository's write path (lock, re-read check,
journal) is applied in one place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from crmkb.errors import KbError
from crmkb.roundtrip import FrontMatter, write_all


def commit(
    edits: Sequence[FrontMatter],
    new_files: Sequence[tuple[Path, bytes]] = (),
    check: Callable[[], None] | None = None,
) -> None:
    """Write new files (never over an existing one), `check`, then the edits; all or nothing.

    `check` runs once the new files exist, so a rule that looks at them (evidence) sees them;
    when it raises, the new files are removed and no record is touched.
    """
    created: list[Path] = []
    try:
        for path, content in new_files:
            create_file(path, content)
            created.append(path)
        if check is not None:
            check()
        write_all([(matter, matter.render()) for matter in edits])
    except BaseException:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise


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
