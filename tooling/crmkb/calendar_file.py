"""The company calendar file: a year's official schedule (or company days) in one place.

    base: cn                 # what answers for the days and years the file does not list
    years: [2027]            # years whose schedule the file lists in full
    holidays: [2027-01-01, ...]   # days off: every 放假 day of the State Council's notice
    workdays: [...]               # weekend days worked: the notice's 上班 days (调休)

A listed day wins over every library. For a year in `years`, the days the file does not list
are ordinary Monday-Friday days unless chinese-calendar has that year (see `workdays`). With
`base: cn` and no `years`, the file only adds its days to the libraries' (a company's own
day off); with `base: weekends` the years of its days are its `years`. A file that contradicts
itself, a day both a holiday and a workday, is refused with a located error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from crmkb.errors import RecordError, RecordErrors, UsageError
from crmkb.i18n import _

KEYS = ("base", "years", "holidays", "workdays")
BASES = ("cn", "weekends")


@dataclass(frozen=True)
class CompanyCalendar:
    """A calendar file: listed holidays and working days on top of a base calendar."""

    path: str  # as crmkb.yml names it
    base: str
    years: frozenset[int]
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    def listed(self, day: dt.date) -> bool | None:
        """The file's own answer for a day it lists, else None."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return None

    def whole_year(self, day: dt.date) -> bool | None:
        """Monday-Friday for a year whose schedule the file lists, else None."""
        return day.weekday() < 5 if day.year in self.years else None


def load_company_calendar(root: Path, relative: str) -> CompanyCalendar:
    """Read and check a company calendar file; RecordErrors (located) when it is wrong."""
    from crmkb.yamlfile import load_yaml, locate, locate_key

    path = root / relative
    try:
        found = "\0" not in relative and path.is_file()
        inside = found and path.resolve().is_relative_to(root.resolve())
    except OSError:  # a name too long for the file system, say
        found = inside = False
    if found and not inside:
        raise UsageError(
            _(
                "crmkb.yml calendar: '{file}' is outside the repository; keep the calendar file "
                "in it, e.g. calendar.yml"
            ).format(file=relative)
        )
    if not found:
        raise UsageError(
            f"crmkb.yml calendar: '{relative}' is neither cn, weekends, holidays:XX "
            "nor an existing calendar file"
        )
    doc = load_yaml(path, relative)
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[RecordError] = []

    def problem(where: tuple[int, int], message: str) -> None:
        problems.append(RecordError(relative, where[0], where[1], message))

    for key in data:
        if key not in KEYS:
            message = _("unknown key '{key}'; use {known}")
            problem(locate_key(doc, (key,)), message.format(key=key, known=", ".join(KEYS)))
    base = data.get("base", "weekends")
    if base not in BASES:
        message = _("base must be cn or weekends (got {got})")
        problem(locate(doc, ("base",)), message.format(got=repr(base)))
    days: dict[str, dict[dt.date, int]] = {}  # each list's days and their index in it
    for key in ("holidays", "workdays"):
        values = data.get(key) or []
        if not isinstance(values, list):
            message = _("{key} must be a list of dates like 2027-01-01").format(key=key)
            problem(locate(doc, (key,)), message)
            values = []
        for index, value in enumerate(values):
            if not isinstance(value, dt.date):
                message = _("{value} under {key} is not a date; write it like 2027-01-01")
                problem(locate(doc, (key, index)), message.format(value=repr(value), key=key))
        values = [v for v in values if isinstance(v, dt.date)]
        days[key] = {day: index for index, day in reversed(list(enumerate(values)))}
    listed = days["holidays"].keys() | days["workdays"].keys()
    years = data.get("years")
    listed_years = years is not None  # then every listed day must fall in one of them
    if years is None:  # a cn-based file without `years` adds its days to the libraries'
        years = sorted({d.year for d in listed}) if base == "weekends" else []
    elif not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        problem(locate(doc, ("years",)), _("years must be a list of years like [2027, 2028]"))
        years, listed_years = [], False
    for day in sorted(days["holidays"].keys() & days["workdays"].keys()):
        line = locate(doc, ("holidays", days["holidays"][day]))[0]
        message = _(
            "{day} is listed both as a holiday (line {line}) and as a working day; "
            "keep it in only one of the two lists"
        )
        problem(
            locate(doc, ("workdays", days["workdays"][day])), message.format(day=day, line=line)
        )
    for day in sorted(listed):
        if listed_years and day.year not in years:
            key = "workdays" if day in days["workdays"] else "holidays"
            message = _("{day} is in {year}, a year not listed in `years`; add {year} to it")
            where = locate(doc, (key, days[key][day]))
            problem(where, message.format(day=day, year=day.year))
    if problems:
        raise RecordErrors(problems)
    return CompanyCalendar(
        relative,
        str(base),
        frozenset(years),
        frozenset(days["holidays"]),
        frozenset(days["workdays"]),
    )
