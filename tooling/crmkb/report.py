"""Operation report figures for a week or a month, computed from the records.

Definitions, so the numbers can be checked by hand:
- reported / resolved: issues whose `reported` / `dates.resolved` falls in the period;
  open: issues reported by the period's end and not closed by then.
- SLA compliance: every deadline that falls in the period (and has passed, or was met) is
  judged once, there: on time when its step (verifying/resolved, or the consultant's proposal)
  is dated on or before the deadline. Duplicates and declined reports have no deadline.
- time to resolve: working days from report to resolution, for issues resolved in the period.
- as of the period's end: every state is the one the step dates (and the history of earlier
  passes) show at the end of the period, not today's; a cause counts once the issue was
  resolved by then; duplicates and declined reports are counted on their own lines.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from crmkb.errors import UsageError
from crmkb.records.change_request import ChangeRequest
from crmkb.records.feedback import Feedback
from crmkb.records.issue import Issue
from crmkb.sla import clock, kb_calendar
from crmkb.workdays import Calendar

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Cadence = Literal["weekly", "monthly"]
USER_ERROR = "user_error"
TRAINING_CAUSES = frozenset({"user_error", "training_gap"})
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    id: str
    cadence: Cadence
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def period(cadence: Cadence, value: str) -> Period:
    """Parse 2026-W47 (ISO week, Monday to Sunday) or 2026-11."""
    if cadence == "weekly":
        match = _WEEK.match(value)
        try:
            if match is None:
                raise ValueError
            start = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise UsageError(f"week {value!r} is not an ISO week like 2026-W47") from None
        return Period(value, cadence, start, start + dt.timedelta(days=6))
    match = _MONTH.match(value)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(f"month {value!r} is not like 2026-11")
    start = dt.date(int(match.group(1)), int(match.group(2)), 1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(value, cadence, start, following - dt.timedelta(days=1))


def period_of(cadence: Cadence, day: dt.date) -> Period:
    if cadence == "weekly":
        year, week, _ = day.isocalendar()
        return period(cadence, f"{year}-W{week:02d}")
    return period(cadence, f"{day.year}-{day.month:02d}")


def last_complete(cadence: Cadence, day: dt.date) -> Period:
    """The last period that ended before `day` (on a Monday: the week that just ended)."""
    current = period_of(cadence, day)
    return period_of(cadence, current.start - dt.timedelta(days=1))


def periods(kb: KnowledgeBase, cadence: Cadence) -> list[Period]:
    """Every period from the first reported issue's to today's, oldest first."""
    dates = [i.reported for i in kb.of(Issue).values()]
    if not dates:
        return []
    found = [period_of(cadence, min(dates))]
    while found[-1].end < kb.today:
        found.append(period_of(cadence, found[-1].end + dt.timedelta(days=1)))
    return found


@dataclass(frozen=True)
class Moved:
    """A change request that moved in the period: what happened, and where it stands."""

    id: str
    title: str
    status: str
    events: tuple[tuple[str, dt.date], ...]


@dataclass
class Figures:
    period: Period
    as_of: dt.date
    reported: list[Issue] = field(default_factory=list)
    resolved: list[Issue] = field(default_factory=list)
    open: list[Issue] = field(default_factory=list)
    sla_on_time: int = 0
    sla_judged: int = 0
    sla_missed: list[str] = field(default_factory=list)
    resolve_days: list[int] = field(default_factory=list)
    by_module: Counter[str] = field(default_factory=Counter)
    by_cause: Counter[str] = field(default_factory=Counter)
    training_modules: Counter[str] = field(default_factory=Counter)
    untrained: frozenset[str] = frozenset()
    changes: list[Moved] = field(default_factory=list)
    declined_feedback: list[Feedback] = field(default_factory=list)
    # Weekly reports: certificates to renew within 30 days (person, certification, expiry).
    expiring: list[tuple[str, str, dt.date]] = field(default_factory=list)
    duplicates: list[Issue] = field(default_factory=list)  # closed as duplicate in the period
    declined: list[Issue] = field(default_factory=list)  # declined in the period
    state_at_end: dict[str, str] = field(default_factory=dict)  # issue id -> status then

    @property
    def sla_percent(self) -> float | None:
        return 100 * self.sla_on_time / self.sla_judged if self.sla_judged else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.resolve_days) if self.resolve_days else None

    @property
    def user_error_share(self) -> tuple[int, int]:
        """(user-error issues, issues with a known cause) among those reported."""
        known = sum(n for cause, n in self.by_cause.items() if cause)
        return self.by_cause.get(USER_ERROR, 0), known


def figures(kb: KnowledgeBase, when: Period, calendar: Calendar | None = None) -> Figures:
    calendar = calendar or kb_calendar(kb)
    as_of = min(when.end, kb.today)
    out = Figures(when, as_of)
    for issue in sorted(kb.of(Issue).values(), key=lambda i: i.id):
        _count_issue(kb, calendar, out, issue)
    out.untrained = _untrained(kb, set(out.training_modules))
    out.changes = [m for cr in kb.of(ChangeRequest).values() if (m := _moved(cr, when))]
    out.changes.sort(key=lambda m: m.id)
    out.declined_feedback = sorted(
        (f for f in kb.of(Feedback).values() if not f.reasonable and f.received in when),
        key=lambda f: f.id,
    )
    if when.cadence == "weekly":
        out.expiring = _expiring(kb, as_of)
    return out


def _expiring(kb: KnowledgeBase, as_of: dt.date) -> list[tuple[str, str, dt.date]]:
    from crmkb.records.certification import Certification
    from crmkb.training.register import expiring, standings

    certs = kb.of(Certification)  # the reader knows a certificate by its name, not its id
    return [
        (
            f"{row.person.name}（{row.person.id}）",
            certs[row.certification].name if row.certification in certs else row.certification,
            row.result.expires,
        )
        for row in expiring(standings(kb, as_of), as_of)
        if row.result and row.result.expires
    ]


def _count_issue(kb: KnowledgeBase, calendar: Calendar, out: Figures, issue: Issue) -> None:
    when, as_of = out.period, out.as_of
    then = issue.state_on(as_of)
    if then is None:
        return  # reported after the period
    out.state_at_end[issue.id] = then
    events = issue.events()
    closed_in = {state for state, day in events if day in when}
    if issue.reported in when:
        out.reported.append(issue)
        if then not in ("duplicate", "declined"):
            out.by_module[issue.module] += 1
            cause = issue.cause if then == "resolved" else None
            out.by_cause[cause or ""] += 1
            if cause in TRAINING_CAUSES:
                out.training_modules[issue.module] += 1
    resolved = [day for state, day in events if state == "resolved" and day in when]
    if resolved and resolved[-1] <= as_of:
        out.resolved.append(issue)
        out.resolve_days.append(calendar.between(issue.reported, resolved[-1]))
    if "duplicate" in closed_in and then == "duplicate":
        out.duplicates.append(issue)
    if "declined" in closed_in and then == "declined":
        out.declined.append(issue)
    if then not in ("resolved", "duplicate", "declined"):
        out.open.append(issue)
    deadline = clock(issue, kb.config, calendar, as_of)
    if deadline is None or deadline.due not in when:
        return
    met = deadline.met_on if deadline.met_on and deadline.met_on <= as_of else None
    if met is None and deadline.due >= as_of:
        return  # still running: judged once the deadline has passed
    out.sla_judged += 1
    if met is not None and met <= deadline.due:
        out.sla_on_time += 1
    else:
        out.sla_missed.append(issue.id)


def _untrained(kb: KnowledgeBase, modules: set[str]) -> frozenset[str]:
    """The CRM modules among `modules` that no training module teaches."""
    from crmkb.records.training_module import TrainingModule

    taught = {m for tm in kb.of(TrainingModule).values() for m in tm.modules}
    return frozenset(modules - taught)


def _moved(cr: ChangeRequest, when: Period) -> Moved | None:
    events: list[tuple[str, dt.date | None]] = [("提出", cr.requested)]
    events += [(f"方案{o.key}", o.proposed) for o in cr.options]
    events += [(f"评估{e.option}", e.on) for e in cr.evaluations]
    if cr.decision:
        events.append(("决定", cr.decision.on))
    if cr.development:
        events += [(f"里程碑“{m.name}”完成", m.done) for m in cr.development.milestones]
    if cr.pilot:
        events += [("试点开始", cr.pilot.start), ("试点结束", cr.pilot.end)]
    events.append(("推广上线", cr.rollout))
    inside = tuple(
        dict.fromkeys((label, day) for label, day in events if day is not None and day in when)
    )
    return Moved(cr.id, cr.title, stage_on(cr, when.end), inside) if inside else None


def stage_on(cr: ChangeRequest, day: dt.date) -> str:
    """The stage a change request had reached at the end of `day`, from its stage dates."""

    def by(when: dt.date | None) -> bool:
        return when is not None and when <= day

    if by(cr.rollout):
        return "rolled_out"
    if cr.pilot and by(cr.pilot.start):
        return "piloting"
    if cr.decision and by(cr.decision.on):
        if cr.decision.option is None:
            return "rejected"
        return "developing" if cr.development else "decided"
    if any(by(e.on) for e in cr.evaluations):
        return "evaluated"
    if any(by(o.proposed) for o in cr.options):
        return "options_proposed"
    return "requested"
