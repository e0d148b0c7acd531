"""Proctor signatures on exam results: OpenSSH's `ssh-keygen -Y sign` / `-Y verify`.

The same mechanism git uses for signed commits: a proctor signs with their SSH key (a key
file or the ssh agent), and `records/proctors/allowed_signers` in the repository says which
public key belongs to which proctor. crmkb does no cryptography of its own; it only builds
the exact bytes that are signed (`signed_message`) and runs ssh-keygen.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from crmkb.errors import KbError

NAMESPACE = "crmkb-exam-result"
ALLOWED_SIGNERS = "records/proctors/allowed_signers"
INSTALL_HINT = "install the OpenSSH client (Debian: apt-get install openssh-client)"


class SigningError(KbError):
    """A result could not be signed: no key, an unknown key, or no ssh-keygen."""


def signed_message(fields: Mapping[str, object]) -> bytes:
    """The bytes a proctor signs: every field of the result but its id and the signature.

    The id is left out so that a result saved to a fallback file can be filed later under
    whatever id is free; copies of one sitting are caught by their identical signatures.
    """
    body = {k: v for k, v in fields.items() if k not in ("id", "signature")}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise SigningError(f"ssh-keygen is not installed; {INSTALL_HINT}")
    return found


def _run(args: Sequence[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    # A closed stdin and no tty: ssh-keygen must never stop to ask for a passphrase mid-exam.
    env = {**os.environ, "SSH_ASKPASS_REQUIRE": "never"}
    return subprocess.run(
        [ssh_keygen(), *args], input=stdin, capture_output=True, env=env, check=False
    )


@dataclass(frozen=True)
class Signer:
    """A proctor's signing key: a private key file, or a public key whose half is in the agent."""

    key: Path
    allowed_signers: Path
    proctor: str = ""

    def sign(self, message: bytes) -> str:
        done = _run(["-Y", "sign", "-q", "-f", str(self.key), "-n", NAMESPACE, "-"], message)
        if done.returncode != 0 or b"BEGIN SSH SIGNATURE" not in done.stdout:
            reason = done.stderr.decode("utf-8", "replace").strip() or "no signature"
            raise SigningError(f"ssh-keygen could not sign with {self.key}: {reason}")
        return done.stdout.decode("ascii")


def open_signer(key: Path | None, allowed_signers: Path, trusted: bytes) -> Signer:
    """The proctor's signer, checked by signing a probe: its key must be an allowed signer.

    `trusted` is the part of the allowed signers file crmkb accepts (`proctors.Register`);
    only those lines are given to ssh-keygen. Without `key`, the first ssh-agent key listed
    there is used.
    """
    if not allowed_signers.is_file():
        raise SigningError(
            f"no allowed signers file at {ALLOWED_SIGNERS}; add each proctor's public key "
            'there as: P001 namespaces="crmkb-exam-result" ssh-ed25519 AAAA…'
        )
    candidates = [key] if key is not None else _agent_keys()
    if key is not None and not key.is_file():
        raise SigningError(f"no key file at {key}; pass the proctor's private key with --key")
    with allowed_file(trusted) as accepted:
        for candidate in candidates:
            signer = Signer(candidate, allowed_signers)
            proctor = find_proctor(accepted, signer.sign(b"crmkb proctor probe"))
            if proctor:
                return Signer(candidate, allowed_signers, proctor)
    where = str(key) if key is not None else "the ssh agent"
    raise SigningError(
        f"the key from {where} is not a proctor's: its public key is not in {ALLOWED_SIGNERS}"
        " (or its line there is refused: kb check says why)"
    )


def _agent_keys() -> list[Path]:
    if not os.environ.get("SSH_AUTH_SOCK") or shutil.which("ssh-add") is None:
        raise SigningError("no --key given and no ssh agent running; pass --key PATH")
    listed = subprocess.run(["ssh-add", "-L"], capture_output=True, check=False)
    lines = [ln for ln in listed.stdout.decode().splitlines() if ln.startswith(("ssh-", "ecdsa-"))]
    if listed.returncode != 0 or not lines:
        raise SigningError("the ssh agent holds no key; add the proctor's key with ssh-add")
    folder = Path(tempfile.mkdtemp(prefix="crmkb-agent-"))
    paths = []
    for i, line in enumerate(lines):
        path = folder / f"key{i}.pub"
        path.write_text(line + "\n", encoding="ascii")
        paths.append(path)
    return paths


def find_proctor(allowed_signers: Path, signature: str) -> str | None:
    """The principal the allowed signers file gives the signature's key, if any."""
    with _signature_file(signature) as sig:
        done = _run(["-Y", "find-principals", "-s", sig, "-f", str(allowed_signers)])
    found = done.stdout.decode("utf-8", "replace").split()
    return found[0] if done.returncode == 0 and found else None


def blob(signature: str) -> bytes:
    """The signature's decoded bytes: how it is wrapped or spaced does not change them."""
    inner = [
        line.strip() for line in signature.strip().splitlines() if not line.startswith("-----")
    ]
    try:
        return base64.b64decode("".join(inner), validate=True)
    except binascii.Error:
        return "".join(signature.split()).encode("utf-8", "replace")


@contextlib.contextmanager
def allowed_file(text: bytes) -> Iterator[Path]:
    """A private temporary allowed signers file holding `text` (the accepted lines only)."""
    fd, name = tempfile.mkstemp(prefix="crmkb-signers-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text)
        yield Path(name)
    finally:
        os.unlink(name)


@dataclass(frozen=True)
class Claim:
    """One signed result to verify: the bytes, the signature and who claims to have signed."""

    message: bytes
    signature: str
    proctor: str


def verify(allowed_signers: Path, claims: Iterable[Claim]) -> list[str | None]:
    """For each claim, None when the signature is good, else ssh-keygen's reason.

    One ssh-keygen process per result (about 5 ms each), two or more at a time, and only for
    results not verified before: a good verdict is remembered in the user's cache, keyed by
    the allowed signers file, the proctor, the signed bytes and the signature together, so
    any change to one of them is verified afresh.
    """
    items = list(claims)
    allowed = allowed_signers.read_bytes()
    keys = [_cache_key(allowed, claim) for claim in items]
    cache = _cache_file()
    known = _read_cache(cache)
    todo = [i for i, key in enumerate(keys) if key not in known]
    reasons: list[str | None] = [None] * len(items)
    workers = max(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = pool.map(lambda i: _verify_one(allowed_signers, items[i]), todo)
        for i, reason in zip(todo, found, strict=True):
            reasons[i] = reason
    good = {keys[i] for i in todo if reasons[i] is None}
    if good and cache is not None:
        _write_cache(cache, known | good)
    return reasons


CACHE_ENV = "CRMKB_SIGNATURE_CACHE"
_CACHE_LIMIT = 200_000


def _cache_file() -> Path | None:
    """$XDG_CACHE_HOME/crmkb/verified-signatures; CRMKB_SIGNATURE_CACHE=off verifies all."""
    if os.environ.get(CACHE_ENV, "").lower() in ("off", "0", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crmkb" / "verified-signatures"


def _cache_key(allowed: bytes, claim: Claim) -> str:
    digest = hashlib.sha256()
    for part in (NAMESPACE.encode(), allowed, claim.proctor.encode(), claim.message):
        digest.update(hashlib.sha256(part).digest())
    digest.update(claim.signature.strip().encode("ascii", "replace"))
    return digest.hexdigest()


def _read_cache(path: Path | None) -> set[str]:
    try:
        return set(path.read_text("ascii").split()) if path else set()
    except (OSError, UnicodeDecodeError):
        return set()


def _write_cache(path: Path, keys: set[str]) -> None:
    """Best effort: a cache that cannot be written only costs time next run."""
    kept = sorted(keys)[-_CACHE_LIMIT:]
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".verified-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write("\n".join(kept) + "\n")
        os.replace(tmp, path)


def _verify_one(allowed_signers: Path, claim: Claim) -> str | None:
    with _signature_file(claim.signature) as sig:
        done = _run(
            [
                "-Y",
                "verify",
                "-f",
                str(allowed_signers),
                "-I",
                claim.proctor,
                "-n",
                NAMESPACE,
                "-s",
                sig,
            ],
            claim.message,
        )
    if done.returncode == 0:
        return None
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "the signature does not verify"


class _signature_file:
    """A signature written to a private temporary file, since ssh-keygen reads it by name."""

    def __init__(self, signature: str) -> None:
        self.signature = signature
        self.path = ""

    def __enter__(self) -> str:
        fd, self.path = tempfile.mkstemp(prefix="crmkb-sig-", suffix=".sig")
        with os.fdopen(fd, "w", encoding="ascii", errors="replace") as handle:
            handle.write(self.signature)
        return self.path

    def __exit__(self, *exc: object) -> None:
        os.unlink(self.path)
