"""A record's history: dated entries (who, when, what) appended by every kb step and note."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from crmkb.records.base import Date, PersonId, Text


class Entry(BaseModel):
    """One thing that happened to a record; `step` names the state it entered, if any."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    on: Date
    by: PersonId | None = None
    step: Text | None = None
    text: Text
