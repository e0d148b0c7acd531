"""Project configuration (crmkb.yml at the repository root): language, SLA, calendar, points,
and where the exam pool lives."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crmkb.errors import RecordErrors
from crmkb.yamlfile import load_yaml

CONFIG_FILE = "crmkb.yml"
Severity = Literal["low", "medium", "high", "critical"]
DEFAULT_POINTS: dict[Severity, int] = {"low": 1, "medium": 3, "high": 5, "critical": 8}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlaTerms(_Strict):
    internal_days: int = Field(2, ge=1, le=60)
    consultant_days: int = Field(3, ge=1, le=60)
    # After the consultant's proposal the project hands the fix to the user within this many
    # working days; the user then has `verifying_days` to test it (the project's clock pauses).
    proposed_days: int = Field(2, ge=1, le=60)
    verifying_days: int = Field(5, ge=1, le=60)


class SlaConfig(SlaTerms):
    """Working-day deadlines; `severity` overrides them per severity."""

    severity: dict[Severity, SlaTerms] = Field(default_factory=dict)
    # A rejected fix or a reopened problem: the internal clock starts again on that day
    # ("restart") or keeps counting from the original report ("continue").
    reopen: Literal["restart", "continue"] = "restart"

    def terms(self, severity: str) -> SlaTerms:
        return self.severity.get(severity, self)  # type: ignore[call-overload,no-any-return]


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
    points: dict[Severity, Annotated[int, Field(ge=0, le=1000)]] = Field(
        default_factory=lambda: dict(DEFAULT_POINTS)
    )
    # A folder (relative to the repository, e.g. a private submodule) holding the exam-pool
    # question banks, so the published repository need not contain them.
    exam_pool: str | None = Field(None, min_length=1, max_length=500)
    # A solution not reviewed for this many days shows a "review due" mark on its page.
    solution_review_days: int = Field(180, ge=1, le=3650)
    # The repository's problem-report form; pages link to it with their record id filled in.
    report_form: str | None = Field(None, pattern=r"^https?://[^\s\"'<>()]+$", max_length=500)
    # Who runs kb here (P001): names the author of history entries and `--mine`; without it,
    # `git config user.email` is matched to a person's email.
    me: str | None = Field(None, pattern=r"^P\d{3,}$")
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
