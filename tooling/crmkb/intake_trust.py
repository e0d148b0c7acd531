"""What a mail's headers may be trusted for: they are claims until the mail system vouches.

From, Date and Message-ID are written by whoever sent the mail. Only the company's own
receiving server can say who really sent it: an `Authentication-Results` header (RFC 8601,
parsed with `authres`) whose authserv-id is `intake.authserv_id` in crmkb.yml, at the top of
the mail (the last header that server added), with an aligned dmarc, dkim or spf pass.
Anything else leaves the sender a claim that the lead confirms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage

import authres  # type: ignore[import-untyped]

from crmkb.i18n import _


@dataclass(frozen=True)
class Sender:
    """Who the mail says it is from, and whether the mail system vouches for it."""

    address: str
    verified: bool
    why: str = ""  # why it is not verified, for the lead


def sender_of(message: EmailMessage, authserv_id: str | None) -> Sender | None:
    """The claimed sender (None: no address at all) and the verdict on it."""
    try:
        header = message["From"]
        groups = list(getattr(header, "groups", ()))
    except Exception:  # a header the parser could not make sense of is no address
        return None
    addresses = [a for g in groups for a in g.addresses if "@" in a.addr_spec]
    if not addresses:
        return None
    address = addresses[0].addr_spec.strip()
    if len(addresses) > 1 or any(g.display_name is not None for g in groups):
        return Sender(address, False, _("the From header names a group or several addresses"))
    if not authserv_id:
        return Sender(address, False, _("no intake.authserv_id is set in crmkb.yml"))
    return Sender(address, *_vouched(message, authserv_id, address))


def _vouched(message: EmailMessage, authserv_id: str, address: str) -> tuple[bool, str]:
    tops = message.get_all("Authentication-Results") or []
    if not tops:
        return False, _("the mail carries no Authentication-Results")
    try:  # only the topmost one: our server adds it last; any below may be the sender's
        top = authres.AuthenticationResultsHeader.parse_value(str(tops[0]))
    except Exception:
        return False, _("its Authentication-Results cannot be read")
    if str(top.authserv_id).lower() != authserv_id.lower():
        return False, _("its Authentication-Results were not added by {server}").format(
            server=authserv_id
        )
    domain = address.rpartition("@")[2].lower()
    verdicts = {str(r.method).lower(): str(r.result).lower() for r in top.results}
    if verdicts.get("dmarc") == "fail" or verdicts.get("dkim") == "fail":
        return False, _("the mail system reports dkim or dmarc fail")
    for result in top.results:
        if str(result.result).lower() != "pass":
            continue
        for prop in result.properties:
            aligned = (str(result.method).lower(), prop.type, prop.name) in _ALIGNED
            if aligned and str(prop.value).rpartition("@")[2].lower() == domain:
                return True, ""
    return False, _("no dmarc, dkim or spf pass for {domain}").format(domain=domain)


# The identifier each method vouches for; it must be the From address's domain.
_ALIGNED = {("dmarc", "header", "from"), ("dkim", "header", "d"), ("spf", "smtp", "mailfrom")}
_TAG = re.compile(r"^\s*(?:\[[^\]]*\]\s*|(?:re|fw|fwd|回复|答复|转发)\s*[:：]\s*)+", re.I)


def same_mail_key(message: EmailMessage, sender: str, body: str) -> str:
    """What makes two mails the same: the Message-ID without case, brackets or whitespace;
    without one, a digest of the sender (any case), the Date and the text."""
    raw = str(message.get("Message-ID", "") or "")
    wanted = re.sub(r"[\s<>]+", "", raw).lower()
    if wanted:
        return wanted
    seen = "\0".join([sender.lower(), str(message.get("Date", "")).strip(), body.strip()])
    return "sha256:" + hashlib.sha256(seen.encode("utf-8", "replace")).hexdigest()[:32]


def plain_subject(subject: str) -> str:
    """A subject without the tags gateways and replies add (`[External]`, `RE:`)."""
    return _TAG.sub("", subject).strip()


def claimed_time(message: EmailMessage) -> dt.datetime | None:
    """The Date header's moment, or None when it is missing or no date."""
    try:
        header = message["Date"]
        when = getattr(header, "datetime", None)
    except Exception:
        return None
    return when if isinstance(when, dt.datetime) else None


def trusted_day(
    when: dt.datetime | None, earliest: dt.date, today: dt.date, slack_days: int
) -> dt.date | None:
    """The sender's calendar day of `when`, or None when outside [earliest, today + slack]."""
    if when is None:
        return None
    day = when.date()
    if day < earliest or day > today + dt.timedelta(days=slack_days):
        return None
    return day
