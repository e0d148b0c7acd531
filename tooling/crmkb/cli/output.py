"""Record text on its way to a terminal or a CI log, escaped so it cannot act there.

A title holding `ESC]0;…` would retitle the lead's terminal, and a file name holding a newline
would start a new workflow command in a GitHub Actions log; both are shown as escapes instead.
"""

from __future__ import annotations

import re

# C0 and C1 controls (DEL included) and the bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def safe(text: str) -> str:
    """Multi-line text for a terminal: newlines and tabs kept, every other control escaped."""
    return _UNSAFE.sub(_escape, text)


def safe_line(text: str) -> str:
    """One line for a terminal: newlines and tabs escaped too."""
    return _UNSAFE_LINE.sub(_escape, text)


def github_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (%, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value: also ':' and ',' are escaped."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
