"""Who runs kb: `me:` in crmkb.yml, else `git config user.email` matched to a person."""

from __future__ import annotations

import subprocess
from pathlib import Path

from crmkb.errors import UsageError
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.person import Person


def whoami(kb: KnowledgeBase) -> str | None:
    """The person id of the user, or None when neither setting names a known person."""
    if kb.config.me:
        return kb.config.me
    email = git_email(kb.root)
    if not email:
        return None
    return by_email(kb, email)


def require_me(kb: KnowledgeBase) -> str:
    me = whoami(kb)
    if me is None:
        raise UsageError(
            "--mine needs to know who you are: set `me: P001` in crmkb.yml, or "
            "`git config user.email` to your email in records/people.yml"
        )
    return me


def by_email(kb: KnowledgeBase, email: str) -> str | None:
    wanted = email.strip().lower()
    for person in kb.of(Person).values():
        if person.email and person.email.lower() == wanted:
            return person.id
    return None


def by_github(kb: KnowledgeBase, login: str) -> str | None:
    """The person whose `github:` login is `login` (GitHub logins ignore case)."""
    wanted = login.strip().lower()
    for person in kb.of(Person).values():
        if wanted and person.github and person.github.lower() == wanted:
            return person.id
    return None


def git_email(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "config", "user.email"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
