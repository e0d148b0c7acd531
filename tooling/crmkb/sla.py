"""SLA clocks on working days: when each issue's response is due, and whether it was on time.

An issue the company handles itself must reach the user (verifying) or be resolved within
`internal_days` working days of its report. An escalated issue needs the consultant's
proposal within `consultant_days` working days of the escalation. While an issue is
`verifying` the project's clock is paused: it waits on the user, not on the project.

Every waiting state also has its own clock (`waiting`): an investigation answers within
`internal_days`, the consultant proposes within `consultant_days`, a proposal reaches the user
within `proposed_days`, and the user tests within `verifying_days`. A rejected fix or a
reopened problem restarts the internal clock on that day (`sla.reopen: restart`) or keeps the
report date (`continue`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from crmkb.config import CONFIG_FILE, Config
from crmkb.errors import RecordError
from crmkb.records.issue import CLOSED, Issue
from crmkb.workdays import Calendar, calendar_for

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Track = Literal["internal", "consultant"]
State = Literal["overdue", "due_today", "on_track", "met", "late"]


@dataclass(frozen=True)
class Clock:
    """One issue's deadline: which track, when it started, when it is due, how it stands."""

    issue: Issue
    track: Track
    start: dt.date
    days: int
    due: dt.date
    met_on: dt.date | None
    state: State
    late_by: int = 0  # working days past `due` (overdue now, or met late)
    waiting_since: dt.date | None = None  # for paused issues: since when the user has it

    @property
    def judged(self) -> bool:
        """Whether the deadline's outcome is known (met, met late, or already missed)."""
        return self.state in ("met", "late", "overdue")

    @property
    def on_time(self) -> bool:
        return self.state == "met"


def clock(issue: Issue, config: Config, calendar: Calendar, today: dt.date) -> Clock | None:
    """The issue's SLA clock, or None for duplicates and declined reports (no deadline)."""
    if issue.status in ("duplicate", "declined"):
        return None
    terms = config.sla.terms(issue.severity)
    escalated = issue.dates.get("escalated")
    if escalated is not None:
        track: Track = "consultant"
        start, days = escalated, terms.consultant_days
        met_on = issue.dates.get("proposed")
    else:
        track, start, days = "internal", internal_start(issue, config), terms.internal_days
        met_on = issue.dates.get("verifying") or issue.dates.get("resolved")
    due = calendar.add(start, days)
    if met_on is not None:
        late = _late_by(calendar, due, met_on)
        state: State = "late" if late else "met"
        waiting = issue.dates.get("verifying") if issue.status == "verifying" else None
        return Clock(issue, track, start, days, due, met_on, state, late, waiting)
    if today > due:
        return Clock(
            issue, track, start, days, due, None, "overdue", _late_by(calendar, due, today)
        )
    return Clock(issue, track, start, days, due, None, "due_today" if today == due else "on_track")


def internal_start(issue: Issue, config: Config) -> dt.date:
    """The internal clock's start: the report, or the latest way back when it restarts."""
    if issue.restarted is not None and config.sla.reopen == "restart":
        return issue.restarted
    return issue.reported


Waiter = Literal["project", "consultant", "user"]


@dataclass(frozen=True)
class Wait:
    """The clock of the state an open issue is in now: who it waits on and how long is left."""

    issue: Issue
    state: str
    waits_on: Waiter
    start: dt.date
    days: int
    due: dt.date
    remaining: int  # working days left before `due`; negative when overdue

    @property
    def paused(self) -> bool:
        """The project's own SLA is paused while the user tests the fix."""
        return self.waits_on == "user"


def waiting(issue: Issue, config: Config, calendar: Calendar, today: dt.date) -> Wait | None:
    """The running clock of an open issue's current state, or None for a closed issue."""
    if not issue.is_open:
        return None
    terms = config.sla.terms(issue.severity)
    status = issue.status
    who: Waiter
    if status in ("escalated", "proposed", "verifying"):
        entered = issue.dates.get(status)
        if entered is None:  # a broken record: issue.check names the missing date
            return None
        who, start = _WAITS_ON[status], entered
        days = {
            "escalated": terms.consultant_days,
            "proposed": terms.proposed_days,
            "verifying": terms.verifying_days,
        }[status]
    else:
        who, start, days = "project", internal_start(issue, config), terms.internal_days
    due = calendar.add(start, days)
    left = calendar.between(today, due) if today <= due else -_late_by(calendar, due, today)
    return Wait(issue, status, who, start, days, due, left)


_WAITS_ON: dict[str, Waiter] = {
    "escalated": "consultant",
    "proposed": "project",
    "verifying": "user",
}


def _late_by(calendar: Calendar, due: dt.date, when: dt.date) -> int:
    """Working days `when` is past `due`; a day past it on a weekend still counts as one."""
    if when <= due:
        return 0
    return max(1, calendar.between(due, when))


@dataclass(frozen=True)
class Board:
    """Every open issue's current clock today, for `kb sla`."""

    today: dt.date
    overdue: list[Wait]
    due_today: list[Wait]
    paused: list[Wait]
    on_track: list[Wait]
    warnings: list[str]
    notes: list[str] = field(default_factory=list)  # where the calendar's days came from


def board(kb: KnowledgeBase, owner: str | None = None) -> Board:
    """Open issues by standing; `owner` keeps only that person's queue."""
    from crmkb.cached_records import where
    from crmkb.people_lookup import owner_of

    calendar = kb_calendar(kb)
    overdue, due_today, paused, on_track = [], [], [], []
    # Closed issues have no running clock: cached ones are not even built.
    candidates = where(kb.of(Issue), {"status": lambda status: status not in CLOSED})
    for issue in sorted(candidates, key=lambda i: i.id):
        if owner is not None and owner_of(kb, issue) != owner:
            continue
        found = waiting(issue, kb.config, calendar, kb.today)
        if found is None:
            continue
        if found.paused:
            paused.append(found)
        elif found.remaining < 0:
            overdue.append(found)
        elif found.due == kb.today:
            due_today.append(found)
        else:
            on_track.append(found)
    overdue.sort(key=lambda w: (w.remaining, w.due, w.issue.id))
    warnings = [calendar.uncovered_message(y) for y in sorted(calendar.uncovered)]
    notes = [note] if (note := calendar.source_note()) is not None else []
    return Board(kb.today, overdue, due_today, paused, on_track, warnings, notes)


def kb_calendar(kb: KnowledgeBase) -> Calendar:
    return calendar_for(kb.config.calendar, kb.root)


def clocks(kb: KnowledgeBase, calendar: Calendar | None = None) -> Iterable[Clock]:
    """Every issue's clock (duplicates and declined left out), in id order."""
    calendar = calendar or kb_calendar(kb)
    for issue in sorted(kb.of(Issue).values(), key=lambda i: i.id):
        found = clock(issue, kb.config, calendar, kb.today)
        if found is not None:
            yield found


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    """`kb check` warnings: overdue open issues, and years the calendar has no data for."""
    from crmkb.errors import KbError, RecordErrors

    try:
        calendar = kb_calendar(kb)
    except RecordErrors as exc:  # a company calendar file's own errors, located in it
        yield from exc.errors
        return
    except KbError as exc:
        yield _config_problem(kb.root, str(exc), "error")
        return
    for found in clocks(kb, calendar):
        if found.state == "overdue" and found.issue.is_open:
            yield found.issue.warning(("status",), overdue_message(found))
        now = waiting(found.issue, kb.config, calendar, kb.today)
        if now is not None and now.state == "proposed" and now.remaining < 0:
            message = (
                f"SLA overdue by {_days(-now.remaining)}: the consultant's proposal of "
                f"{now.start} was due to reach the user (kb verify) by {now.due}"
            )
            yield found.issue.warning(("status",), message)
    for year in sorted(calendar.uncovered):
        yield _config_problem(kb.root, calendar.uncovered_message(year), "warning")
    if (note := calendar.source_note()) is not None:
        kb.notes.append(note)


def overdue_message(found: Clock) -> str:
    what = "a consultant proposal" if found.track == "consultant" else "an internal answer"
    since = "escalation" if found.track == "consultant" else "report"
    if found.track == "internal" and found.start != found.issue.reported:
        since = "restart"
    return (
        f"SLA overdue by {_days(found.late_by)}: "
        f"{what} was due {found.due} ({_days(found.days)} after the {since} on "
        f"{found.start})"
    )


def _days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


def _config_problem(root: Path, message: str, severity: Literal["error", "warning"]) -> RecordError:
    line, col = 1, 1
    path = root / CONFIG_FILE
    if path.is_file():
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.startswith("calendar:"):
                line, col = number, len("calendar: ") + 1
                break
    return RecordError(CONFIG_FILE, line, col, message, severity)
