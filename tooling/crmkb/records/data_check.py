"""Master-data checks (DC-0001): one run of a named check of base data, what it found and fixed.

Runs of the same `check` (a slug such as duplicate-payment-terms) form its trend; when a run
finds errors again after an earlier run found some, the run names their `cause` (so the error
is prevented, not only corrected). The data owner defaults to the module's owner.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.i18n import _
from crmkb.records.base import Date, Kind, PersonId, Record, Slug, Text, Title
from crmkb.records.history import Entry

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


class DataCheck(Record):
    id: str = Field(pattern=r"^DC-\d{4,}$")
    title: Title
    check: Slug  # the same slug for every run of the same check: its trend
    module: Slug
    date: Date
    checker: PersonId
    owner: PersonId | None = None  # the data's owner (`kb new` fills in the module's owner)
    found: int = Field(ge=0, le=10_000_000)
    fixed: int = Field(0, ge=0, le=10_000_000)
    cause: Text | None = None  # why the errors keep coming back
    history: list[Entry] = Field(default_factory=list)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.person import Person

    runs = sorted(kb.of(DataCheck).values(), key=lambda r: (r.date, r.id))
    found_before: dict[str, DataCheck] = {}
    for run in runs:
        yield from kb.refs(run, ("module",), run.module, CrmModule)
        yield from kb.refs(run, ("checker",), run.checker, Person)
        if run.owner:
            yield from kb.refs(run, ("owner",), run.owner, Person)
        if run.date > kb.today:
            yield run.error(
                ("date",), _("check date {date} is in the future").format(date=run.date)
            )
        if run.fixed > run.found:
            message = _("fixed ({fixed}) is more than found ({found}); correct the counts")
            yield run.error(("fixed",), message.format(fixed=run.fixed, found=run.found))
        earlier = found_before.get(run.check)
        if run.found and earlier is not None and not run.cause:
            message = _(
                "{check} found errors again ({id} found {n} on {date}); "
                "write their `cause` so they can be prevented"
            )
            yield run.warning(
                ("found",),
                message.format(check=run.check, id=earlier.id, n=earlier.found, date=earlier.date),
            )
        if run.found:
            found_before[run.check] = run


def template(language: str) -> str:
    if language == "en":
        return "## What was checked and how\n\n\n\n## Corrections\n\n"
    return "## 检查内容与方法\n\n\n\n## 纠正情况\n\n"


KIND = Kind(
    name="data-check",
    model=DataCheck,
    directory="records/data-checks",
    id_pattern=r"DC-\d{4,}",
    markdown=True,
    prefix="DC",
    title="基础数据检查",
    check=check,
    template=template,
    date_field="date",
)
