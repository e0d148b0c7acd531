"""Audit records (AUD-0001): a spot check of people or records against a standard (稽核).

A finding says whether one sampled person or record conforms, with its evidence; a follow-up
(retraining, an issue, a change request) is due by a date and is a `kb check` warning once
that date has passed without `done`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crmkb.errors import RecordError
from crmkb.i18n import _
from crmkb.records.base import MAX_ITEMS, Date, Kind, PersonId, Record, Slug, Text, Title
from crmkb.records.history import Entry

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

# What an audit samples: a person (P012) or a record (ISS-0042, CR-0003, SOL-0007, FB-0002).
Subject = Annotated[str, StringConstraints(pattern=r"^(P\d{3,}|(ISS|CR|SOL|FB)-\d{4,})$")]
FollowLink = Annotated[str, StringConstraints(pattern=r"^(ISS|CR)-\d{4,}|TM-[A-Z]{2}-\d{2,}$")]


class _Part(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Finding(_Part):
    subject: Subject
    conforms: bool
    evidence: Text


class FollowUp(_Part):
    action: Literal["retraining", "issue", "change"]
    due: Date
    who: PersonId | None = None  # who is retrained, or who acts
    link: FollowLink | None = None  # the issue, change request or training module
    done: Date | None = None


class Audit(Record):
    id: str = Field(pattern=r"^AUD-\d{4,}$")
    title: Title
    date: Date
    auditor: PersonId
    # The standard checked: a process (its name), a training module (TM-OP-02) or a role's
    # data rights (sales-rep); `module` is the CRM module it concerns (conformance per module).
    standard_kind: Literal["process", "training", "data_rights"]
    standard: Text
    module: Slug
    sample: list[Subject] = Field(default_factory=list, max_length=MAX_ITEMS)
    seed: int | None = None  # the `kb audit plan --seed` that drew the sample
    findings: list[Finding] = Field(default_factory=list, max_length=MAX_ITEMS)
    follow_up: list[FollowUp] = Field(default_factory=list, max_length=MAX_ITEMS)
    history: list[Entry] = Field(default_factory=list)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.person import Person

    for audit in kb.of(Audit).values():
        yield from kb.refs(audit, ("auditor",), audit.auditor, Person)
        yield from kb.refs(audit, ("module",), audit.module, CrmModule)
        yield from _standard_ref(kb, audit)
        if audit.date > kb.today:
            yield audit.error(
                ("date",), _("audit date {date} is in the future").format(date=audit.date)
            )
        for i, subject in enumerate(audit.sample):
            yield from _subject(kb, audit, ("sample", i), subject)
        for i, finding in enumerate(audit.findings):
            yield from _subject(kb, audit, ("findings", i, "subject"), finding.subject)
            if audit.sample and finding.subject not in audit.sample:
                message = _("{subject} is not in the sample; add it to `sample` or correct it")
                yield audit.error(
                    ("findings", i, "subject"), message.format(subject=finding.subject)
                )
        yield from _follow_ups(kb, audit)


def _standard_ref(kb: KnowledgeBase, audit: Audit) -> Iterator[RecordError]:
    from crmkb.records.role import Role
    from crmkb.records.training_module import TrainingModule

    loc = ("standard",)
    if audit.standard_kind == "training":
        yield from kb.refs(audit, loc, audit.standard, TrainingModule)
    elif audit.standard_kind == "data_rights":
        yield from kb.refs(audit, loc, audit.standard, Role)


def _subject(
    kb: KnowledgeBase, audit: Audit, loc: tuple[str | int, ...], subject: str
) -> Iterator[RecordError]:
    from crmkb.records.person import Person

    if subject.startswith("P"):
        yield from kb.refs(audit, loc, subject, Person)
    elif kb.get(subject) is None and subject not in kb.invalid and not kb.unreadable:
        yield audit.error(loc, _("unknown record '{id}'").format(id=subject))


def _follow_ups(kb: KnowledgeBase, audit: Audit) -> Iterator[RecordError]:
    from crmkb.records.person import Person

    for i, item in enumerate(audit.follow_up):
        if item.who:
            yield from kb.refs(audit, ("follow_up", i, "who"), item.who, Person)
        link = item.link
        if link and kb.get(link) is None and link not in kb.invalid and not kb.unreadable:
            message = _("unknown record '{id}'")
            yield audit.error(("follow_up", i, "link"), message.format(id=link))
        if item.done is not None and item.done > kb.today:
            message = _("follow-up done date {date} is in the future")
            yield audit.error(("follow_up", i, "done"), message.format(date=item.done))
        if item.done is None and item.due < kb.today:
            message = _(
                "follow-up ({action}) was due {due} and is not done; "
                "do it and set `done:`, or move `due:`"
            )
            yield audit.warning(
                ("follow_up", i, "due"),
                message.format(action=action_name(item.action), due=item.due),
            )


def action_name(action: str) -> str:
    """A follow-up action in the active language."""
    names = {"retraining": _("retraining"), "issue": _("issue"), "change": _("change request")}
    return names.get(action, action)


def template(language: str) -> str:
    if language == "en":
        return "## How the sample was checked\n\n\n\n## Conclusion\n\n"
    return "## 抽查方法\n\n\n\n## 结论\n\n"


KIND = Kind(
    name="audit",
    model=Audit,
    directory="records/audits",
    id_pattern=r"AUD-\d{4,}",
    markdown=True,
    prefix="AUD",
    title="稽核",
    check=check,
    template=template,
    date_field="date",
)
