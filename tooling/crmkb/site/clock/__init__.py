"""The reader's clock: pages say on which day their data was true, and the browser recomputes
each open issue's deadline (overdue by N working days, due today, due on a date) for the day
the page is read, from the due date and the working-day calendar shipped with the site.

`calendar.js` is written at build time: the build date, the SLA phrases of the content
language, the build's phrase of every moving deadline with its due date, and the calendar's
exceptions to Monday-Friday (holidays on weekdays, working weekends) over the range the
deadlines need. `clock.js` (static, no inline script under the site's CSP) does the rest.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from crmkb.i18n import _, speaking
from crmkb.knowledge_base import KnowledgeBase
from crmkb.site.pages.open_issues import COLUMNS
from crmkb.site.pages.urgency import MOVING, moving_words, words_of
from crmkb.sla import kb_calendar
from crmkb.workdays import ONE_DAY, Calendar

CALENDAR = "assets/crmkb-clock/calendar.js"
SCRIPT = "assets/crmkb-clock/clock.js"
ASSETS = (CALENDAR, SCRIPT)  # linked on every page, in this order
AHEAD = dt.timedelta(days=400)  # how far past the build a page may be read with exact days


def exceptions(
    calendar: Calendar, start: dt.date, end: dt.date
) -> tuple[list[dt.date], list[dt.date]]:
    """(weekdays off, weekend days worked) from `start` to `end`, both included.

    The one place the site asks the calendar for a range: a calendar that can list its
    exceptions directly (crmkb.workdays) answers here instead of this day-by-day walk."""
    off: list[dt.date] = []
    worked: list[dt.date] = []
    day = start
    while day <= end:
        weekday = day.weekday() < 5
        if calendar.is_workday(day) != weekday:
            (off if weekday else worked).append(day)
        day += ONE_DAY
    return off, worked


def calendar_script(kb: KnowledgeBase) -> bytes:
    """`calendar.js`: what clock.js needs, as one assignment (JSON is a JavaScript literal)."""
    dues = moving_words(kb)
    start = min([dt.date.fromisoformat(d) for d in dues.values()] + [kb.today]) - ONE_DAY
    end = kb.today + AHEAD
    off, worked = exceptions(kb_calendar(kb), start, end)
    words = words_of(kb.config.language)
    with speaking(kb.config.language):
        today = _("read on {today}: deadlines below are counted to that day")
        read_on = _("read on {today}")
    data = {
        "built": kb.today.isoformat(),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "off": [d.isoformat() for d in off],
        "on": [d.isoformat() for d in worked],
        "words": {state: words[state] for state in MOVING},
        "dues": dues,
        "column": _label("sla"),
        "reported_column": _label("reported"),
        "age_column": _label("age"),
        "today": today,
        "read_on": read_on,
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return f"window.crmkbClock = {text};\n".encode()


def _label(key: str) -> str:
    """The open list's heading of a column (clock.js finds the column by it)."""
    return next(c.label for c in COLUMNS if c.key == key)


def clock_assets(kb: KnowledgeBase) -> dict[str, bytes | Path]:
    """Site path -> the calendar built for `kb` and the static script."""
    return {CALENDAR: calendar_script(kb), SCRIPT: Path(__file__).with_name("clock.js")}
