"""Reading a problem-report mail (.eml) with the standard library's `email` package."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from crmkb.errors import UsageError
from crmkb.intake import Report, problems_in

MAX_MAIL_BYTES = 50 * 1024 * 1024


def read_mail(raw: bytes, shown: str) -> Report:
    """The report a mail holds; UsageError naming what is wrong with a malformed mail."""
    if len(raw) > MAX_MAIL_BYTES:
        raise UsageError(f"{shown} is over {MAX_MAIL_BYTES // (1024 * 1024)} MiB")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; anything it still refuses is malformed
        raise UsageError(f"{shown} is not a readable mail: {exc}") from None
    assert isinstance(message, EmailMessage)
    sender = parseaddr(str(message.get("From", "")))[1]
    if "@" not in sender:
        raise UsageError(f"{shown} has no From address; the reporter is matched by it")
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        raise UsageError(f"{shown} has no plain-text part holding the daily log")
    try:
        text = body.get_content()
    except (LookupError, UnicodeError) as exc:
        raise UsageError(f"{shown}: the text cannot be decoded ({exc})") from None
    files: dict[str, bytes] = {}
    for part in message.iter_attachments():
        name = part.get_filename()
        content = part.get_content()
        if not name:
            raise UsageError(f"{shown} has an attachment without a file name")
        if isinstance(content, str):
            content = content.encode("utf-8")
        if not isinstance(content, bytes):
            raise UsageError(f"{shown}: attachment {name!r} is not a file (a forwarded mail?)")
        if name in files:
            raise UsageError(f"{shown} attaches two files named {name!r}; rename one")
        files[name] = content
    return Report(
        sender,
        _date(message, shown),
        str(message.get("Subject", "")),
        problems_in(text),
        files,
        str(message.get("Message-ID", "")).strip(),
    )


def _date(message: EmailMessage, shown: str) -> dt.date:
    header = message.get("Date")
    if header is None:
        raise UsageError(f"{shown} has no Date header; the report date is taken from it")
    try:
        when = header.datetime
    except (AttributeError, TypeError, ValueError):
        when = None
    if when is None:
        raise UsageError(f"{shown}: the Date header {str(header)!r} is not a date")
    day: dt.date = when.date()  # the sender's own calendar day
    return day
