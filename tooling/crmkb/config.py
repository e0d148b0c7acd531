"""Project configuration (crmkb.yml at the repository root): language, SLA, calendar, points,
and where the exam pool lives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, model_validator

from crmkb.errors import RecordErrors
from crmkb.yamlfile import load_yaml

CONFIG_FILE = "crmkb.yml"
Severity = Literal["low", "medium", "high", "critical"]
DEFAULT_POINTS: dict[Severity, int] = {"low": 1, "medium": 3, "high": 5, "critical": 8}
# Whole numbers as YAML types them: `internal_days: yes` must not read as 1 (records.base.Int).
Int = Annotated[int, Strict()]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlaTerms(_Strict):
    internal_days: Int = Field(2, ge=1, le=60)
    consultant_days: Int = Field(3, ge=1, le=60)
    # After the consultant's proposal the project hands the fix to the user within this many
    # working days; the user then has `verifying_days` to test it (the project's clock pauses).
    proposed_days: Int = Field(2, ge=1, le=60)
    verifying_days: Int = Field(5, ge=1, le=60)


class SlaConfig(SlaTerms):
    """Working-day deadlines; `severity` overrides them per severity."""

    severity: dict[Severity, SlaTerms] = Field(default_factory=dict)
    # A rejected fix or a reopened problem: the internal clock starts again on that day
    # ("restart") or keeps counting from the original report ("continue").
    reopen: Literal["restart", "continue"] = "restart"

    def terms(self, severity: str) -> SlaTerms:
        return self.severity.get(severity, self)  # type: ignore[call-overload,no-any-return]


class IntakeConfig(_Strict):
    """`kb intake`: what a mail's headers are trusted for and how much one mail may create."""

    # The authserv-id of the company's own receiving server: only its Authentication-Results
    # header (dkim/spf/dmarc pass for the From domain) makes a sender verified.
    authserv_id: str | None = Field(None, pattern=r"^[A-Za-z0-9.-]+$", max_length=253)
    max_problems: int = Field(20, ge=1, le=500)  # issues one mail may create
    # A mail's Date before this day (default: a year before the intake) or more than
    # `future_days` ahead is not trusted: the report is dated the day it is taken in.
    since: dt.date | None = None
    future_days: int = Field(1, ge=0, le=30)


class PublishConfig(_Strict):
    """Where the built site goes. `intranet` (the default): the CI build is an artifact for the
    company's own web server (deploy/). `github-pages` only with `visibility` stated: `private`
    where the organisation's Pages are private, `public` otherwise. A `public` site is built
    without people, leaderboard, certificate register, exam results and reports, and without
    staff names on any page."""

    target: Literal["intranet", "github-pages"] = "intranet"
    visibility: Literal["private", "public"] | None = None

    @model_validator(mode="after")
    def _visibility_stated(self) -> PublishConfig:
        if self.target == "github-pages" and self.visibility is None:
            raise ValueError(
                "GitHub Pages are public unless the organisation has private Pages: add "
                "`visibility: private` (private Pages) or `visibility: public` (the site is "
                "then built without people, leaderboard, register, exam results or staff names)"
            )
        return self

    @property
    def public(self) -> bool:
        return self.visibility == "public"


class RecurringConfig(_Strict):
    """When issues count as one recurring problem: `count` or more within `window_days`,
    sharing module and cause, or alike in text (kb similar's score, relative to an issue's own
    score, at least `similarity`)."""

    count: int = Field(3, ge=2, le=1000)
    window_days: int = Field(30, ge=1, le=3650)
    similarity: float = Field(0.6, gt=0, le=1)


class Config(_Strict):
    language: Literal["zh", "en"] = "zh"
    sla: SlaConfig = Field(default_factory=SlaConfig)
    calendar: str = Field("cn", min_length=1, max_length=200)
    points: dict[Severity, Annotated[Int, Field(ge=0, le=1000)]] = Field(
        default_factory=lambda: dict(DEFAULT_POINTS)
    )
    # A folder (relative to the repository, e.g. a private submodule) holding the exam-pool
    # question banks, so the published repository need not contain them.
    exam_pool: str | None = Field(None, min_length=1, max_length=500)
    # A solution not reviewed for this many days shows a "review due" mark on its page.
    solution_review_days: Int = Field(180, ge=1, le=3650)
    # The repository's problem-report form; pages link to it with their record id filled in.
    # Or `mailto:` the intake mailbox: the links then compose a mail `kb intake` reads.
    report_form: str | None = Field(
        None,
        pattern=r"^(https?://[^\s\"'<>()]+|mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)$",
        max_length=500,
    )
    # Who runs kb here (P001): names the author of history entries and `--mine`; without it,
    # `git config user.email` is matched to a person's email.
    me: str | None = Field(None, pattern=r"^P\d{3,}$")
    intake: IntakeConfig = Field(default_factory=IntakeConfig)
    publish: PublishConfig = Field(default_factory=PublishConfig)
    # Issue 22: recurring problems, and how soon a validated fix with a prevention note is
    # taught to its users (宣导) before `kb check` warns.
    recurring: RecurringConfig = Field(default_factory=RecurringConfig)
    teach_within_days: int = Field(14, ge=1, le=3650)


def load_config(root: Path) -> Config:
    """Read crmkb.yml, or the defaults when the project has none."""
    from crmkb.records.base import validation_errors

    path = root / CONFIG_FILE
    if not path.exists():
        return Config()
    doc = load_yaml(path, CONFIG_FILE)
    try:
        return Config.model_validate(doc.data or {})
    except ValidationError as exc:
        raise RecordErrors(validation_errors(exc, doc, Config)) from None
