"""Feedback records (FB-0001): a complaint or wish, judged reasonable or not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints

from crmkb.errors import RecordError
from crmkb.records.base import (
    MAX_ITEMS,
    Date,
    Flag,
    Kind,
    PersonId,
    Record,
    Text,
)
from crmkb.records.history import Entry
from crmkb.records.personal_data import AcceptedValue

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Link = Annotated[str, StringConstraints(pattern=r"^(ISS|CR)-\d{4,}$")]


class Feedback(Record):
    id: str = Field(pattern=r"^FB-\d{4,}$")
    person: PersonId
    received: Date
    session: Text | None = None
    summary: Text
    reasonable: Flag
    response: Text | None = None
    links: list[Link] = Field(default_factory=list)
    history: list[Entry] = Field(default_factory=list)
    # Values the personal-data warning accepts in this record (not a person's: a hotline).
    personal_data_ok: list[AcceptedValue] = Field(default_factory=list, max_length=MAX_ITEMS)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.person import Person

    for fb in kb.of(Feedback).values():
        yield from kb.refs(fb, ("person",), fb.person, Person)
        if fb.received > kb.today:
            yield fb.error(("received",), f"received date {fb.received} is in the future")
        if not fb.reasonable and not fb.response:
            yield fb.error(
                ("reasonable",),
                "unreasonable feedback needs a `response` explaining why it is declined",
            )
        if fb.reasonable and not fb.links:
            yield fb.error(
                ("reasonable",),
                "reasonable feedback needs `links` to the issue or change request acting on it",
            )
        for i, link in enumerate(fb.links):
            if kb.get(link) is None and link not in kb.invalid and not kb.unreadable:
                yield fb.error(("links", i), f"unknown record '{link}'")


def template(language: str) -> str:
    if language == "en":
        return "## What was said\n\n\n\n## Assessment\n\n"
    return "## 反馈原话\n\n\n\n## 评估\n\n"


KIND = Kind(
    name="feedback",
    model=Feedback,
    directory="records/feedback",
    id_pattern=r"FB-\d{4,}",
    markdown=True,
    prefix="FB",
    title="用户反馈",
    check=check,
    template=template,
    date_field="received",
)
