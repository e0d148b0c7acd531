"""Personal data in record text, found before the site publishes it (`kb check` warnings).

Candidates are cut from the text with cheap patterns, then confirmed by maintained libraries:
mainland mobile numbers by Google's libphonenumber metadata (`phonenumbers`), resident
identity numbers by their checksum and birth date (`stdnum.cn.ric`), bank card numbers by the
Luhn check (`stdnum.luhn`). E-mail addresses need no checksum: the pattern decides. A value a
record lists under `personal_data_ok` (a company hotline, a test card) is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from crmkb.errors import RecordError, RecordErrors
from crmkb.i18n import N_, _
from crmkb.records.base import Record
from crmkb.yamlfile import read_text

FIELD = "personal_data_ok"

_DIGITS = r"(?<![0-9A-Za-z])"
_END = r"(?![0-9A-Za-z])"
# A run of 11 to 19 digits, in groups split by single spaces or hyphens (138 1234 5678,
# 6222-0212-3456-7890-128), optionally after +86; an ID number may end in X.
_NUMBER = re.compile(_DIGITS + r"(?:\+86[ -]?)?[0-9](?:[ -]?[0-9]){9,17}(?:[ -]?[0-9Xx])" + _END)
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])",
    re.ASCII,
)

MOBILE = N_("a mobile number")
RESIDENT_ID = N_("a resident ID number")
BANK_CARD = N_("a bank card number")
EMAIL = N_("an e-mail address")


@dataclass(frozen=True)
class Found:
    what: str  # one of the labels above (untranslated)
    value: str  # as it stands in the text
    start: int  # offset in the text


def normal(value: str) -> str:
    """The form two spellings of one value share: digits (and X) only, or a lower-case
    e-mail address."""
    if "@" in value:
        return value.strip().lower()
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    return digits[2:] if value.lstrip().startswith("+86") else digits


def _kind_of_number(value: str) -> str | None:
    import phonenumbers
    from stdnum import luhn
    from stdnum.cn import ric

    digits = normal(value)
    if len(digits) == 18 and ric.is_valid(digits):
        return RESIDENT_ID
    if len(digits) == 11 and digits.startswith("1"):
        try:
            number = phonenumbers.parse(digits, "CN")
        except phonenumbers.NumberParseException:
            return None
        mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        return MOBILE if mobile and phonenumbers.is_valid_number(number) else None
    if 16 <= len(digits) <= 19 and digits.isdigit() and luhn.is_valid(digits):
        return BANK_CARD
    return None


_LONG_NUMBER = re.compile(r"[0-9](?:[ -]?[0-9]){9}")


def scan(text: str) -> Iterator[Found]:
    """Every piece of personal data in `text`, in order."""
    found = (
        [Found(EMAIL, m.group(0), m.start()) for m in _EMAIL.finditer(text)] if "@" in text else []
    )
    numbers = _NUMBER.finditer(text) if _LONG_NUMBER.search(text) else iter(())
    for match in numbers:
        what = _kind_of_number(match.group(0))
        if what is not None:
            found.append(Found(what, match.group(0), match.start()))
    yield from sorted(found, key=lambda f: f.start)


def masked(value: str) -> str:
    """The value with its middle hidden, so a warning does not publish it again (CI logs)."""
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    digits = normal(value)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# One piece of personal data in a file, as the record cache keeps it: what it is, its normal
# form (to match personal_data_ok), the masked value, line and column. Bump SCAN_VERSION when
# `scan` changes what it finds.
Hit = tuple[str, str, str, int, int]
SCAN_VERSION = "1"


def hits(text: str) -> list[Hit]:
    """Every piece of personal data in a record file's text, located."""
    return [
        (item.what, normal(item.value), masked(item.value), *_position(text, item.start))
        for item in scan(text)
    ]


def as_hit(item: list[Any]) -> Hit:
    """A hit as the record cache's JSON gives it back."""
    what, key, shown, line, col = item
    return str(what), str(key), str(shown), int(line), int(col)


def file_hits(root: Path, path: str) -> list[Hit]:
    try:
        return hits(read_text(root / path, path))
    except RecordErrors:
        return []  # a file that cannot be read is reported by the load already


def record_warnings(record: Record, found: list[Hit]) -> list[RecordError]:
    """The warnings for one record from its file's hits: personal data it has not accepted,
    and accepted values its text no longer holds."""
    wanted = [normal(value) for value in getattr(record, FIELD, None) or []]
    seen = [key for _what, key, *_rest in found]
    problems = []
    for what, key, shown, line, col in found:
        if key not in wanted:
            message = _(
                "personal data before publishing: {what} ({value}); remove it, or list it "
                "under personal_data_ok if it is no one's personal data"
            ).format(what=_(what), value=shown)
            problems.append(RecordError(record.path, line, col, message, "warning"))
    for i, key in enumerate(wanted):
        # the list itself is in the text: a value is held when it stands somewhere else too
        if seen.count(key) <= wanted.count(key):
            message = _(
                "personal_data_ok lists a value this record's text does not hold as personal "
                "data; remove it from the list"
            )
            problems.append(record.warning((FIELD, i), message))
    return problems


def _as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _one_value(value: str) -> str:
    items = list(scan(value))
    if len(items) != 1 or items[0].value != value:
        raise ValueError(
            _(
                "{value!r} is not one mobile number, resident ID number, bank card number or "
                "e-mail address; list each accepted value exactly as the text has it"
            ).format(value=value)
        )
    return value


# One entry of `personal_data_ok`: a value `scan` reports (YAML may read a number as an int).
AcceptedValue = Annotated[
    str,
    BeforeValidator(_as_text),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_one_value),
]
