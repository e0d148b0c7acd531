"""What every record kind shares: the base model, the kind descriptor and the error locator."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PrivateAttr,
    Strict,
    StringConstraints,
    ValidationError,
    field_validator,
)

from crmkb.errors import RecordError
from crmkb.yamlfile import Document, locate, locate_key

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


def _calendar_date(value: object) -> object:
    """Accept only a calendar date: YAML's 2026-09-01 or the same text quoted."""
    if isinstance(value, dt.datetime):
        raise ValueError("use a date without a time, like 2026-09-01")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("expected a date like 2026-09-01")


# Every date a record holds lies in this range: deadlines and expiries are computed from them,
# and a year like 9999 would overflow that arithmetic.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)


def _bounded_date(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"a date must lie between {FIRST_DATE} and {LAST_DATE}")
    return value


def _ascii_id(value: object) -> object:
    # Unicode digits such as fullwidth ０-９ would make ISS-００３９ a second ISS-0039.
    if isinstance(value, str) and not value.isascii():
        raise ValueError("ids use ASCII letters, digits and '-' only (no fullwidth characters)")
    return value


Date = Annotated[dt.date, BeforeValidator(_calendar_date), AfterValidator(_bounded_date)]
# Bounds on what a person would never write: they keep every page (and the build) linear in
# the size of the records, and a pasted log or a runaway script gets a clear message.
MAX_TEXT = 2_000  # a free-text field: a paragraph
MAX_TITLE = 200
MAX_TAG = 40
MAX_TAGS = 30
MAX_ITEMS = 100  # any other list of free text (duties, evidence, options...)
MAX_BODY = 100_000  # a Markdown record's body, in characters

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
# Numbers and yes/no exactly as YAML types them: `retake_wait_days: no` is YAML's false, and
# pydantic's lax mode would read it as 0 (and `active: 1` as true); strict types refuse both.
Int = Annotated[int, Strict()]
Number = Annotated[float, Strict()]
Flag = Annotated[bool, Strict()]
# Line breaks, C0/C1 controls and bidirectional overrides: a title is one line of plain text
# in a terminal table, a CSV cell, a mail subject and a page heading alike.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _one_line(value: str) -> str:
    found = _NOT_ONE_LINE.search(value)
    if found is not None:
        raise ValueError(
            f"holds the control character U+{ord(found.group()):04X} at character "
            f"{found.start() + 1}; write it on one line of plain text"
        )
    return value


Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE),
    AfterValidator(_one_line),
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TAG)]
PersonId = Annotated[str, StringConstraints(pattern=r"^P\d{3,}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]


class Record(BaseModel):
    """Base of every record: closed field set, plus where it came from."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True
    )

    id: str
    _doc: Document | None = PrivateAttr(default=None)
    _loc: tuple[str | int, ...] = PrivateAttr(default=())

    _ascii = field_validator("id", mode="before")(_ascii_id)

    @property
    def path(self) -> str:
        return self._doc.path if self._doc else ""

    @property
    def body(self) -> str:
        return self._doc.body if self._doc else ""

    def attach(self, doc: Document, loc: tuple[str | int, ...] = ()) -> None:
        self._doc = doc
        self._loc = loc

    def error(self, field_path: tuple[str | int, ...], message: str) -> RecordError:
        """A located error at one of this record's fields (or the record itself)."""
        return self._issue(field_path, message, "error")

    def warning(self, field_path: tuple[str | int, ...], message: str) -> RecordError:
        return self._issue(field_path, message, "warning")

    def _issue(self, field_path: tuple[str | int, ...], message: str, severity: str) -> RecordError:
        if self._doc is None:
            return RecordError("<memory>", 1, 1, message, severity)  # type: ignore[arg-type]
        if severity == "warning" and not LOCATE_WARNINGS.get():
            return RecordError(self._doc.path, 1, 1, message, "warning")
        # A record of a list file (people.yml) is not the document's root: only its data can
        # stand in for the document's.
        line, col = locate(self._doc, self._loc + field_path, None if self._loc else self)
        return RecordError(self._doc.path, line, col, message, severity)  # type: ignore[arg-type]


# A write only weighs errors: locating hundreds of SLA warnings (a YAML compose each) would
# double its check for nothing, so the write path turns warning locations off.
LOCATE_WARNINGS: ContextVar[bool] = ContextVar("locate_warnings", default=True)

# The files a change will place and remove (repository paths), while the change is checked
# before it is written: the rules that look at files on disk (evidence) see them as committed.
PENDING_FILES: ContextVar[tuple[frozenset[str], frozenset[str]]] = ContextVar(
    "pending_files", default=(frozenset(), frozenset())
)

Check = Callable[["KnowledgeBase"], Iterator[RecordError]]


def _no_checks(kb: KnowledgeBase) -> Iterator[RecordError]:
    return iter(())


@dataclass(frozen=True)
class Kind:
    """How one record kind is stored and checked.

    Per-file kinds live one record per file in `directory`; list kinds live together in
    `directory` (a single YAML file) under the top-level key `list_key`.
    """

    name: str
    model: type[Record]
    directory: str
    id_pattern: str
    markdown: bool = False
    list_key: str | None = None
    prefix: str | None = None
    title: str = ""
    check: Check = field(default=_no_checks)
    template: Callable[[str], str] | None = None
    date_field: str | None = (
        None  # the record's own date: set to today by `kb new`, filtered by `kb list`
    )

    @property
    def id_regex(self) -> re.Pattern[str]:
        return re.compile(self.id_pattern)

    @property
    def suffix(self) -> str:
        return ".md" if self.markdown else ".yml"


def validation_errors(
    exc: ValidationError, doc: Document, model: type[BaseModel], prefix: tuple[str | int, ...] = ()
) -> list[RecordError]:
    """Turn pydantic's errors into errors located at the offending field's line."""
    found: list[RecordError] = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        dotted = ".".join(str(p) for p in err["loc"]) or "record"
        kind = err["type"]
        if kind == "extra_forbidden":
            line, col = locate_key(doc, loc)
            name = str(err["loc"][-1])
            hint = difflib.get_close_matches(name, sorted(field_names(model)), n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else "remove it"
            message = f"unknown field '{dotted}'; {advice}"
        elif kind in ("string_too_long", "too_long"):
            line, col = locate(doc, loc)
            message = _too_long(dotted, err["input"], err["ctx"]["max_length"])
        elif kind in ("int_type", "float_type") and isinstance(err.get("input"), bool):
            line, col = locate(doc, loc)
            said = "yes" if err["input"] else "no"
            message = (
                f"{dotted}: expected a number, but YAML reads this value as {said} "
                "(true/false); write a number such as 0 or 3"
            )
        elif kind == "missing":
            line, col = locate(doc, loc)
            message = f"missing required field '{dotted}'"
        else:
            line, col = locate(doc, loc)
            got = err.get("input")
            shown = "" if isinstance(got, (dict, list)) else f" (got {got!r})"
            message = f"{dotted}: {err['msg']}{shown}"
        found.append(RecordError(doc.path, line, col, message))
    return found


def _too_long(dotted: str, got: Any, limit: int) -> str:
    if isinstance(got, str):
        return f"{dotted}: {len(got):,} characters; at most {limit:,} allowed, shorten it"
    return f"{dotted}: {len(got):,} items; at most {limit:,} allowed, keep the ones that matter"


def body_problem(doc: Document) -> RecordError | None:
    """A located error when a Markdown record's body is longer than anyone would write."""
    if len(doc.body) <= MAX_BODY:
        return None
    return RecordError(
        doc.path,
        max(doc.body_line, 1),
        1,
        f"body is {len(doc.body):,} characters; at most {MAX_BODY:,} allowed, "
        "move long logs or exports into an evidence file",
    )


@cache
def field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every field name in a model and the models nested in it, for 'did you mean' hints."""
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for nested in _models_in(info.annotation):
            names |= field_names(nested)
    return frozenset(names)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        yield from _models_in(typing.get_args(annotation)[0])
    elif origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _models_in(arg)


class Registry:
    """Every record kind, in dependency order (referenced kinds first)."""

    def __init__(self, kinds: list[Kind]) -> None:
        self.kinds = kinds
        self.by_name = {k.name: k for k in kinds}
        self.by_model: dict[type[Record], Kind] = {k.model: k for k in kinds}

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.kinds)

    def __getitem__(self, name: str) -> Kind:
        return self.by_name[name]

    def names(self) -> list[str]:
        return [k.name for k in self.kinds]
