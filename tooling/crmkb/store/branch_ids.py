"""Record ids across git branches: the numbered ids a branch added that its base took since.

Every branch takes "the next free id" from the main it left, so two branches can add the same
`ISS-0050`. Git reports that as an add/add conflict on the record's file only when both are
merged; here it is found before: an id is taken when the branch added it since the merge base
and the base branch added it too, as a different file. `kb renumber --onto BASE` then moves the
branch's records to ids free on both sides.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from crmkb.errors import KbError, UsageError
from crmkb.i18n import _
from crmkb.records import REGISTRY
from crmkb.records.base import Kind


@dataclass(frozen=True)
class Taken:
    """An id this branch added that the base branch added too."""

    record_id: str
    path: str  # the branch's file, relative to the repository


def numbered_kinds() -> list[Kind]:
    """The kinds whose ids are a prefix and a sequence number (ISS-0001, not TM-OP-01)."""
    return [
        k
        for k in REGISTRY
        if k.prefix
        and k.id_regex.fullmatch(f"{k.prefix}-0001")
        and not k.id_regex.fullmatch(f"{k.prefix}-A")
    ]


def _patterns() -> list[tuple[Kind, re.Pattern[str]]]:
    return [
        (k, re.compile(rf"{re.escape(k.directory)}/({k.prefix}-[0-9]{{4,}}){re.escape(k.suffix)}"))
        for k in numbered_kinds()
    ]


def _ids_of(paths: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    patterns = _patterns()
    for path in paths:
        for _kind, pattern in patterns:
            if match := pattern.fullmatch(path):
                found[match.group(1)] = path
    return found


def git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise KbError(_("git is not installed; install git to compare branches")) from None
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or [""]
        raise UsageError(
            _("git {args} failed: {reason}").format(args=" ".join(args), reason=reason[0])
        )
    return done.stdout


def revision(root: Path, ref: str) -> str:
    """The commit a ref names, or a usage error that says how to get it."""
    if ref.startswith("-"):
        raise UsageError(_("{ref!r} is not a git revision").format(ref=ref))
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except UsageError:
        raise UsageError(
            _("{ref} is not a commit in this clone; fetch it first (git fetch origin)").format(
                ref=ref
            )
        ) from None


def ids_at(root: Path, rev: str) -> dict[str, str]:
    """id -> path of every numbered record in a commit."""
    listing = git(root, "ls-tree", "-r", "--name-only", "-z", rev, "--", "records")
    return _ids_of([p for p in listing.split("\0") if p])


def ids_on_disk(root: Path) -> dict[str, str]:
    """id -> path of every numbered record in the working tree."""
    paths = [
        p.relative_to(root).as_posix()
        for kind in numbered_kinds()
        for p in (root / kind.directory).glob(f"{kind.prefix}-*{kind.suffix}")
    ]
    return _ids_of(paths)


def _blob(root: Path, rev: str | None, path: str) -> str:
    if rev is None:
        return git(root, "hash-object", "--", path).strip()
    return git(root, "rev-parse", f"{rev}:{path}").strip()


def taken_on(root: Path, base: str, head: str | None = None) -> list[Taken]:
    """The ids `head` (a commit; None: the working tree on HEAD) added since it left `base`
    that `base` added since as well, with another file."""
    base_rev = revision(root, base)
    head_rev = revision(root, head or "HEAD")
    fork = git(root, "merge-base", head_rev, base_rev).strip()
    before = ids_at(root, fork)
    ours = ids_on_disk(root) if head is None else ids_at(root, head_rev)
    theirs = ids_at(root, base_rev)
    found = []
    for record_id in sorted(ours.keys() & theirs.keys() - before.keys()):
        path = ours[record_id]
        if _blob(root, head_rev if head else None, path) != _blob(
            root, base_rev, theirs[record_id]
        ):
            found.append(Taken(record_id, path))
    return found


def id_line(root: Path, head: str | None, path: str) -> tuple[int, int]:
    """Where a record file states its id (line, column), for a located message."""
    text = (root / path).read_text("utf-8") if head is None else git(root, "show", f"{head}:{path}")
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("id:"):
            return number, len(line) - len(line[3:].lstrip()) + 1
    return 1, 1
