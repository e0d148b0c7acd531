"""--owner and --mine, shared by `kb list` and `kb sla`: one person's queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

F = TypeVar("F", bound=Callable[..., Any])


def owner_options(func: F) -> F:
    func = click.option(
        "--mine", is_flag=True, help="Only my records (me: in crmkb.yml, or git user.email)."
    )(func)
    return click.option("--owner", metavar="PERSON", help="Only records this person owns.")(func)


def queue_owner(kb: KnowledgeBase, owner: str | None, mine: bool) -> str | None:
    """The person whose queue is asked for, or None for everyone."""
    from crmkb.errors import UsageError
    from crmkb.identity import require_me
    from crmkb.people_lookup import person_id

    if owner and mine:
        raise UsageError("pass --owner PERSON or --mine, not both")
    if mine:
        return require_me(kb)
    return person_id(kb, owner) if owner else None
