"""The proctors' keys (records/proctors/allowed_signers): who may sign exam results.

The file keeps ssh-keygen's allowed signers format, but crmkb accepts only a narrow part of
it, since every line mints a proctor: one exact person id per line (no patterns, no
negations, no lists), an active person holding a role marked `proctor: true`, no
`cert-authority` or other options than `namespaces`, `valid-after` and `valid-before`, and a
key listed for that one person only. Each other line is a located error, and ssh-keygen is
only ever given the accepted lines (`Register.text`), so a refused line can sign nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crmkb.errors import RecordError
from crmkb.signatures import ALLOWED_SIGNERS

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ssh-rsa",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
OPTIONS = frozenset({"namespaces", "valid-after", "valid-before"})
PRINCIPAL = re.compile(r"P\d{3,}")
# One option: name, or name="value" (a value may hold spaces and commas inside the quotes).
_OPTION = re.compile(r'([A-Za-z-]+)(?:="([^"]*)")?')
_FIELD = re.compile(r'(?:[^\s"]|"[^"]*")+')


@dataclass(frozen=True)
class SignerLine:
    """One accepted line: the proctor, the options as written, and the key."""

    line: int
    principal: str
    options: str
    key_type: str
    key: str  # base64, as written

    def allowed_line(self) -> str:
        options = f" {self.options}" if self.options else ""
        return f"{self.principal}{options} {self.key_type} {self.key}"


@dataclass
class Register:
    """The accepted lines, and a located error for each refused one."""

    accepted: list[SignerLine] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    def text(self) -> bytes:
        """The allowed signers file ssh-keygen is given: the accepted lines only."""
        return "".join(f"{s.allowed_line()}\n" for s in self.accepted).encode("ascii")

    def proctors(self) -> set[str]:
        return {s.principal for s in self.accepted}


def _error(line: int, col: int, message: str) -> RecordError:
    return RecordError(ALLOWED_SIGNERS, line, col, message)


def _key_problem(key_type: str, key: str) -> str | None:
    """Why the base64 key is not a public key of `key_type`, or None."""
    try:
        blob = base64.b64decode(key, validate=True)
        (size,) = struct.unpack(">I", blob[:4])
        named = blob[4 : 4 + size].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError):
        return "the key is not valid base64 of an SSH public key; paste the .pub file's key"
    if named != key_type:
        return f"the key says it is {named!r}, not {key_type}; paste the .pub file's line as is"
    return None


def _options_problem(options: str) -> tuple[int, str] | None:
    """(offset, message) for the first refused option, or None."""
    for part in re.finditer(r'(?:[^,"]|"[^"]*")+', options):
        match = _OPTION.fullmatch(part.group())
        name = match.group(1).lower() if match else part.group()
        if name == "cert-authority":
            return part.start(), (
                "cert-authority lines are not accepted: any certificate the authority issues "
                "would sign as a proctor; list each proctor's own key instead"
            )
        if match is None or name not in OPTIONS:
            allowed = ", ".join(sorted(OPTIONS))
            return part.start(), f"option '{part.group()}' is not accepted here (only {allowed})"
    return None


def parse(text: str) -> tuple[list[SignerLine], list[RecordError]]:
    """Each line that has the shape crmkb accepts, and an error for each that has not."""
    lines: list[SignerLine] = []
    errors: list[RecordError] = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = list(_FIELD.finditer(raw))
        principal = fields[0].group()
        col = fields[0].start() + 1
        if not PRINCIPAL.fullmatch(principal):
            errors.append(_error(number, col, _principal_problem(principal)))
            continue
        rest = fields[1:]
        options = ""
        if rest and rest[0].group() not in KEY_TYPES:
            options = rest[0].group()
            problem = _options_problem(options)
            if problem is not None:
                errors.append(_error(number, rest[0].start() + problem[0] + 1, problem[1]))
                continue
            rest = rest[1:]
        if len(rest) < 2 or rest[0].group() not in KEY_TYPES:
            at = rest[0].start() + 1 if rest else len(raw) + 1
            types = ", ".join(sorted(KEY_TYPES))
            message = f"expected a key type ({types}) and the key after the person id"
            errors.append(_error(number, at, message))
            continue
        key_type, key = rest[0].group(), rest[1].group()
        wrong_key = _key_problem(key_type, key)
        if wrong_key is not None:
            errors.append(_error(number, rest[1].start() + 1, wrong_key))
            continue
        lines.append(SignerLine(number, principal, options, key_type, key))
    return lines, errors


def _principal_problem(principal: str) -> str:
    if "," in principal:
        return (
            f"'{principal}' names several principals; a line names exactly one proctor "
            "(a person id like P001): give each proctor their own line and key"
        )
    if any(c in principal for c in '*?!"'):
        return (
            f"'{principal}' is a pattern; a line names exactly one proctor by person id "
            "(like P001), never a wildcard, negation or quoted list"
        )
    return f"'{principal}' is not a person id; a line starts with the proctor's id, like P001"


def register(kb: KnowledgeBase) -> Register:
    """The lines of the file that make a proctor, and an error for each other line."""
    try:
        text = (kb.root / ALLOWED_SIGNERS).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Register()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        return Register(errors=[_error(1, 1, f"cannot read this file: {reason}")])
    lines, errors = parse(text)
    found = Register(errors=errors)
    holders: dict[bytes, list[SignerLine]] = {}
    for line in lines:
        holders.setdefault(base64.b64decode(line.key), []).append(line)
    for line in lines:
        problem = _proctor_problem(kb, line.principal)
        others = [s for s in holders[base64.b64decode(line.key)] if s.principal != line.principal]
        if problem is None and others:
            where = ", ".join(f"{s.principal} (line {s.line})" for s in others)
            problem = (
                f"this key is also listed for {where}; a key belongs to one proctor only, "
                "so no line with it is trusted: remove the lines that are not the key's owner"
            )
        if problem is not None:
            found.errors.append(_error(line.line, 1, problem))
        else:
            found.accepted.append(line)
    return found


def _proctor_problem(kb: KnowledgeBase, principal: str) -> str | None:
    from crmkb.records.person import Person
    from crmkb.records.role import Role

    person = kb.of(Person).get(principal)
    if person is None:
        return f"{principal} is not a person in records/people.yml; remove the line"
    if not person.active:
        return f"{principal} is not an active person (active: false); remove the line"
    roles = kb.of(Role)
    if not any(roles[r].proctor for r in person.roles if r in roles):
        proctor_roles = ", ".join(sorted(r.id for r in roles.values() if r.proctor)) or "none"
        return (
            f"{principal} holds no proctor role (roles with `proctor: true`: {proctor_roles}); "
            "give them one in records/people.yml or remove the line"
        )
    return None


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    yield from register(kb).errors
