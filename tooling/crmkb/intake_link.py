"""Report links for staff without a GitHub account: a `mailto:` that composes an intake mail.

When `report_form` in crmkb.yml is a `mailto:` address (the intake mailbox), the site's report
and "did this help?" links open a mail whose subject and body already follow the daily-log
format `kb intake` reads (intake.py), with the query or the page's record filled in. The URL
is percent-encoded as RFC 6068 asks: every character outside the unreserved set, line breaks
as %0D%0A.
"""

from __future__ import annotations

from urllib.parse import quote

QUERY = "{query}"  # where the site's search panel puts the reader's words (percent-encoded)
_TEXT = {
    "zh": {
        "subject": "问题上报：{title}",
        "hint": (
            "（请在最后写下现象：在哪个页面、做了什么、看到了什么；截图直接加为附件。"
            "“问题1：”“模块：”“影响：”这几行请保留，项目负责人用它们登记。）"
        ),
        "problem": "问题1：{title}",
        "module": "模块：{module}",
        "no_module": "（请写模块，例如 订单、应收与回款）",
        "severity": "影响：中",
        "related": "相关页面：{record}",
    },
    "en": {
        "subject": "Problem report: {title}",
        "hint": (
            "(Write what happened at the end: which page, what you did, what you saw; attach "
            "screenshots. Keep the Problem/Module/Severity lines: the project lead files them.)"
        ),
        "problem": "Problem 1: {title}",
        "module": "Module: {module}",
        "no_module": "(the module, e.g. order)",
        "severity": "Severity: medium",
        "related": "Related page: {record}",
    },
}


def is_mailto(form: str | None) -> bool:
    return bool(form) and str(form).lower().startswith("mailto:")


def report_mail(
    language: str, title: str, module: str = "", record: str = "", said: str = ""
) -> tuple[str, str]:
    """(subject, body) of a report mail in the format `kb intake` reads."""
    text = _TEXT.get(language, _TEXT["zh"])
    title = " ".join(title.split())[:120] or "…"
    lines = [
        text["hint"],
        "",
        text["problem"].format(title=title),
        text["module"].format(module=module or text["no_module"]),
        text["severity"],
    ]
    if record:
        lines.append(text["related"].format(record=record))
    if said:
        lines.append(said)
    return text["subject"].format(title=title), "\r\n".join(lines) + "\r\n"


def mailto(form: str, subject: str, body: str) -> str:
    """`form` (mailto:address) with the subject and body as RFC 6068 header fields.

    A `{query}` left in the subject or body stays as the literal text `%7Bquery%7D`, which the
    search panel replaces with the reader's own words."""
    address = form.split("?", 1)[0]
    return f"{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
