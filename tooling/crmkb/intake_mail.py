"""Reading a problem-report mail (.eml) with the standard library's `email` package.

The mail is parsed with the policy API (`policy.default`) and walked as a tree, so any nesting
of multipart parts is read. Its headers are claims (`intake_trust`): the sender is verified
only where the company's mail server says so, and a Date outside the sane window is replaced
by the day the mail is taken in, with a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser

from crmkb.config import IntakeConfig
from crmkb.errors import UsageError
from crmkb.i18n import _
from crmkb.intake import Report, problems_in
from crmkb.intake_trust import claimed_time, plain_subject, same_mail_key, sender_of, trusted_day

MAX_MAIL_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 20  # nesting deeper than any mail program writes


def read_mail(raw: bytes, shown: str, settings: IntakeConfig, today: dt.date) -> Report:
    """The report a mail holds; UsageError naming what is wrong with a malformed mail."""
    if len(raw) > MAX_MAIL_BYTES:
        raise UsageError(
            _("{file} is over {size} MiB").format(file=shown, size=MAX_MAIL_BYTES // (1024 * 1024))
        )
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; anything it still refuses is malformed
        raise UsageError(
            _("{file} is not a readable mail: {why}").format(file=shown, why=exc)
        ) from None
    assert isinstance(message, EmailMessage)
    sender = sender_of(message, settings.authserv_id)
    if sender is None:
        raise UsageError(
            _("{file} has no From address; the reporter is matched by it").format(file=shown)
        )
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        raise UsageError(
            _("{file} has no plain-text part holding the daily log").format(file=shown)
        )
    try:
        text = body.get_content()
    except (LookupError, UnicodeError) as exc:
        raise UsageError(
            _("{file}: the text cannot be decoded ({why})").format(file=shown, why=exc)
        ) from None
    notes: list[str] = []
    if not sender.verified:
        notes.append(
            _(
                "the sender {address} is only claimed ({why}); the reporter awaits the lead's "
                "confirmation"
            ).format(address=sender.address, why=sender.why)
        )
    return Report(
        sender.address,
        _date(message, settings, today, notes),
        plain_subject(str(message.get("Subject", "") or "")),
        problems_in(text),
        _attachments(message, body, shown),
        same_mail_key(message, sender.address, text),
        sender.verified,
        tuple(notes),
    )


def _attachments(message: EmailMessage, body: MIMEPart, shown: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for part in _leaves(message, 0, shown):
        if part is body:
            continue
        name = part.get_filename()
        if not name:
            if part.is_attachment():
                raise UsageError(
                    _("{file} has an attachment without a file name").format(file=shown)
                )
            continue  # an inline alternative, an embedded logo or a disclaimer
        if part.get_content_maintype() in ("message", "multipart"):
            raise UsageError(
                _("{file}: attachment {name} is not a file (a forwarded mail?)").format(
                    file=shown, name=name
                )
            )
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            raise UsageError(
                _("{file}: attachment {name} cannot be decoded").format(file=shown, name=name)
            )
        if name in files:
            raise UsageError(
                _("{file} attaches two files named {name}; rename one").format(
                    file=shown, name=name
                )
            )
        files[name] = content
    return files


def _leaves(part: MIMEPart, depth: int, shown: str) -> Iterator[MIMEPart]:
    """Every part that holds content, however deep the multipart nesting."""
    if depth > MAX_DEPTH:
        raise UsageError(
            _("{file} nests its parts more than {depth} deep").format(file=shown, depth=MAX_DEPTH)
        )
    if part.get_content_maintype() != "multipart":
        yield part
        return
    for sub in part.iter_parts():
        yield from _leaves(sub, depth + 1, shown)


def _date(
    message: EmailMessage, settings: IntakeConfig, today: dt.date, notes: list[str]
) -> dt.date:
    """The sender's calendar day, when it is within the window; else the day of intake."""
    earliest = settings.since or today - dt.timedelta(days=365)
    when = claimed_time(message)
    day = trusted_day(when, earliest, today, settings.future_days)
    if day is not None:
        return day
    claimed = str(message.get("Date", "") or "").strip() or _("none")
    notes.append(
        _(
            "the mail's Date ({date}) is not between {earliest} and {latest}: dated when received"
        ).format(
            date=claimed[:80],
            earliest=earliest,
            latest=today + dt.timedelta(days=settings.future_days),
        )
    )
    return today
