"""The one door the lead's commands write through: the store's checked change, plus new files.

Record edits go through `crmkb.store.writing` (lock, re-read check, validation, journal), and
so do evidence files: they are files the change creates (linked into place at the commit,
never over an existing file), in the same journal as the record that lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from crmkb.store import Change


def commit(change: Change, new_files: Sequence[tuple[Path, bytes]] = ()) -> list[str]:
    """Commit the change with the new files as part of it: one journalled transaction, so a
    command killed at any point leaves all of them written or none (never a file outside
    the journal)."""
    for path, content in new_files:
        change.add_file(path, content)
    return change.commit()
