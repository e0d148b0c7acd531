"""Project configuration (crmkb.yml at the repository root): language, SLA, calendar, points."""

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


class SlaConfig(SlaTerms):
    """Working-day deadlines; `severity` overrides them per severity."""

    severity: dict[Severity, SlaTerms] = Field(default_factory=dict)

    def terms(self, severity: str) -> SlaTerms:
        return self.severity.get(severity, self)  # type: ignore[call-overload,no-any-return]


class Config(_Strict):
    language: Literal["zh", "en"] = "zh"
    sla: SlaConfig = Field(default_factory=SlaConfig)
    calendar: str = Field("cn", min_length=1, max_length=200)
    points: dict[Severity, Annotated[int, Field(ge=0, le=1000)]] = Field(
        default_factory=lambda: dict(DEFAULT_POINTS)
    )
    # A solution not reviewed for this many days shows a "review due" mark on its page.
    solution_review_days: int = Field(180, ge=1, le=3650)
    # The repository's problem-report form; pages link to it with their record id filled in.
    report_form: str | None = Field(None, pattern=r"^https?://[^\s\"'<>()]+$", max_length=500)


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
