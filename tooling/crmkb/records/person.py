"""People (records/people.yml): staff and the roles they hold."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints

from crmkb.errors import RecordError
from crmkb.i18n import _
from crmkb.records.base import (
    Date,
    Flag,
    Kind,
    PersonId,
    Record,
    Slug,
    Text,
)

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)]
# A GitHub login as GitHub allows it: letters, digits and single inner hyphens, 39 at most.
GitHubLogin = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$", max_length=39)
]


class Person(Record):
    id: PersonId
    name: Text
    roles: list[Slug] = Field(default_factory=list)
    department: Text | None = None
    # Matched when a mailed report comes in and for `--mine` (git config user.email).
    email: Email | None = None
    # The GitHub account whose issue-form reports are this person's (issue-form intake).
    github: GitHubLogin | None = None
    joined: Date | None = None
    active: Flag = True


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.role import Role

    logins: dict[str, str] = {}
    for person in kb.of(Person).values():
        for i, role in enumerate(person.roles):
            yield from kb.refs(person, ("roles", i), role, Role)
        if person.github:
            first = logins.setdefault(person.github.lower(), person.id)
            if first != person.id:
                yield person.error(
                    ("github",),
                    _(
                        "the GitHub account {login} is already {person}'s; give each one once"
                    ).format(login=person.github, person=first),
                )


KIND = Kind(
    name="person",
    model=Person,
    directory="records/people",
    id_pattern=r"P\d{3,}",
    list_key="people",
    title="人员",
    check=check,
)
