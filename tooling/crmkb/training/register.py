"""The certification register: who holds which required certification, and until when.

A certificate is valid from the day it is passed until the day before `expires`; within
`EXPIRING_DAYS` of that it is `expiring` (still valid, renew it). Only active people are
listed: someone no longer working in a role needs no certificate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.certification import Certification
from crmkb.records.exam_result import ExamResult
from crmkb.records.person import Person
from crmkb.records.role import Role
from crmkb.training.draw import next_allowed

EXPIRING_DAYS = 30
State = Literal["valid", "expiring", "expired", "missing"]
STATE_LABEL: dict[State, str] = {
    "valid": "有效",
    "expiring": "即将到期",
    "expired": "已过期",
    "missing": "未取得",
}


@dataclass(frozen=True)
class Standing:
    """One person's position on one certification their roles require."""

    person: Person
    certification: str
    state: State
    result: ExamResult | None  # the passed result it rests on (latest expiry)
    retake_from: dt.date | None  # set while a failed attempt's wait runs

    @property
    def holds(self) -> bool:
        return self.state in ("valid", "expiring")

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person.id,
            "name": self.person.name,
            "roles": self.person.roles,
            "certification": self.certification,
            "state": self.state,
            "result": self.result.id if self.result else None,
            "passed_on": self.result.taken.isoformat() if self.result else None,
            "expires": self.result.expires.isoformat()
            if self.result and self.result.expires
            else None,
            "retake_from": self.retake_from.isoformat() if self.retake_from else None,
        }


def required(kb: KnowledgeBase, person: Person) -> list[str]:
    """The certifications a person's roles require, in role order, each once."""
    roles = kb.of(Role)
    wanted: list[str] = []
    for role in person.roles:
        for cert in roles[role].certifications if role in roles else []:
            if cert not in wanted:
                wanted.append(cert)
    return wanted


def state_of(expires: dt.date | None, today: dt.date) -> State:
    if expires is None:
        return "missing"
    if expires <= today:
        return "expired"
    if (expires - today).days <= EXPIRING_DAYS:
        return "expiring"
    return "valid"


def standings(kb: KnowledgeBase, today: dt.date) -> list[Standing]:
    """Every active person's standing on every certification their roles require."""
    passed: dict[tuple[str, str], ExamResult] = {}
    for result in sorted(
        kb.of(ExamResult).values(), key=lambda r: (r.expires or dt.date.min, r.id)
    ):
        if result.passed and result.taken <= today:
            passed[(result.person, result.certification)] = result
    certs = kb.of(Certification)
    found: list[Standing] = []
    for person in sorted(kb.of(Person).values(), key=lambda p: p.id):
        if not person.active:
            continue
        for cert_id in required(kb, person):
            held = passed.get((person.id, cert_id))
            state = state_of(held.expires if held else None, today)
            wait = next_allowed(kb, person.id, certs[cert_id]) if cert_id in certs else None
            retake = wait if wait is not None and wait > today and state != "valid" else None
            found.append(Standing(person, cert_id, state, held, retake))
    return found


def expiring(rows: list[Standing], today: dt.date, days: int = EXPIRING_DAYS) -> list[Standing]:
    """Held certificates whose last valid day falls within `days` days of `today`."""
    return [
        row
        for row in rows
        if row.holds
        and row.result
        and row.result.expires
        and (row.result.expires - today).days <= days
    ]


def lacking(rows: list[Standing]) -> list[Standing]:
    """The standings that block work: expired or missing."""
    return [row for row in rows if not row.holds]
