"""Writing exam results: signed, whole or not at all, and never lost.

Every result write goes through `file_result` (a new result) or `settle` (a sitting's final
result replacing its provisional one), so moving them onto another write path is one change.
When records/exam-results/ cannot take a file (full disk, read-only, no rights), the same
signed text goes whole to a fallback file that `kb exam import` files later.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from crmkb.errors import KbError, RecordErrors, located
from crmkb.records import REGISTRY
from crmkb.records.base import validation_errors
from crmkb.records.exam_result import ExamResult
from crmkb.signatures import ALLOWED_SIGNERS, Claim, allowed_file, signed_message, verify
from crmkb.yamlfile import load_yaml

if TYPE_CHECKING:
    from crmkb.signatures import Signer

FOLDER = REGISTRY["exam-result"].directory


@dataclass(frozen=True)
class Filed:
    """Where a result went: its place in the repository, or a fallback file."""

    record: ExamResult
    path: Path | None  # None: no file could be written anywhere; `text` is all there is
    text: str
    problem: str = ""  # why it is not in records/exam-results/


def seal(fields: dict[str, Any], signer: Signer) -> dict[str, Any]:
    """The result fields with the proctor and the proctor's signature over all of them."""
    signed = {**fields, "proctor": signer.proctor}
    check_fields = ExamResult.model_validate({"id": "EXR-0000", **signed}).signed_fields()
    return {**signed, "signature": signer.sign(signed_message(check_fields))}


def render(record_id: str, fields: dict[str, Any]) -> tuple[ExamResult, str]:
    """The result as YAML: exactly the fields given (what was signed), signature as a block."""
    record = ExamResult.model_validate({"id": record_id, **fields})
    data = record.model_dump(exclude_none=True, exclude_unset=True)
    if "signature" in data:
        data["signature"] = _Block(data["signature"])
    text = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None
    )
    return record, text


class _Block(str):
    """A string dumped in YAML's literal block style, so a signature keeps its armor lines."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    pass


def _block(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.strip() + "\n", style="|")


_Dumper.add_representer(_Block, _block)
_Dumper.width = 100  # type: ignore[attr-defined]


def file_result(root: Path, fields: dict[str, Any], fallback_dirs: list[Path]) -> Filed:
    """Write a new result under the next free EXR id; else whole to a fallback file."""
    from crmkb.store import used_numbers, writing

    written: list[tuple[ExamResult, str]] = []

    def render_as(record_id: str) -> str:
        written[:] = [render(record_id, fields)]
        return written[-1][1]

    try:
        # The repository's one write path: locked, checked like kb check, journalled.
        with writing(root) as change:
            change.checked()
            _, path = change.create(REGISTRY["exam-result"], render_as)
            change.commit()
        return Filed(written[-1][0], path, written[-1][1])
    except OSError as exc:
        problem = f"{FOLDER}/: {exc.strerror or exc}"
    except (KbError, RecordErrors) as exc:  # full disk, read-only folder, a refused record
        problem = f"{FOLDER}/: {_first_line(exc)}"
    try:
        number = max(used_numbers(root / FOLDER, "EXR"), default=0)
    except OSError:
        number = 0
    record, text = render(f"EXR-{number + 1:04d}", fields)
    return _fallback(record, text, problem, fallback_dirs)


def settle(
    root: Path, provisional: Filed, fields: dict[str, Any], fallback_dirs: list[Path]
) -> Filed:
    """Replace a sitting's provisional (incomplete) result with its final one, in place."""
    from crmkb.store import writing

    record, text = render(provisional.record.id, fields)
    problem = provisional.problem
    if provisional.path is not None:
        try:
            with writing(root) as change:
                change.checked()
                change.read(provisional.path)  # refused if it changed since it was written
                change.write(provisional.path, text)
                change.commit()
            return Filed(record, provisional.path, text, problem)
        except OSError as exc:
            problem = problem or f"{FOLDER}/: {exc.strerror or exc}"
        except (KbError, RecordErrors) as exc:
            problem = problem or f"{FOLDER}/: {_first_line(exc)}"
    return _fallback(record, text, problem, fallback_dirs)


def _first_line(exc: Exception) -> str:
    """The reason to show on the exam screen: the system's own words for a failed write."""
    cause = getattr(exc, "os_error", None)
    if isinstance(cause, OSError):
        return str(cause.strerror or cause)
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _fallback(record: ExamResult, text: str, problem: str, folders: list[Path]) -> Filed:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    name = f"crmkb-exam-{record.id}-{record.person}-{record.certification}-{stamp}.yml"
    for folder in folders:
        target = folder / name
        try:
            handle = open(target, "x", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError:
            continue
        try:
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            with contextlib.suppress(OSError):
                target.unlink()  # a partial fallback is worse than none
            continue
        return Filed(record, target, text, problem)
    return Filed(record, None, text, problem)


def default_fallback_dirs() -> list[Path]:
    """Where a result goes when records/exam-results/ cannot take it, most durable first."""
    import tempfile

    folders = [Path.home(), Path(tempfile.gettempdir()), Path("/dev/shm")]
    extra = os.environ.get("CRMKB_EXAM_FALLBACK")
    return ([Path(extra)] if extra else []) + folders


def import_result(root: Path, file: Path) -> tuple[ExamResult, Path]:
    """File a saved result (`kb exam import`) once its signature verifies.

    It replaces the provisional incomplete result of the same sitting when that reached the
    repository (same id, person, certification, date and paper); otherwise it takes the
    next free id.
    """
    saved = _verified(root, file)
    fields = saved.model_dump(exclude={"id"}, exclude_none=True, exclude_unset=True)
    same = root / FOLDER / f"{saved.id}.yml"
    if _is_provisional_of(same, saved):
        provisional = Filed(ExamResult.model_validate(load_yaml(same, str(same)).data), same, "")
        filed = settle(root, provisional, fields, [])
    else:
        filed = file_result(root, fields, [])
    if filed.path is None:
        raise KbError(f"could not write {filed.problem}; {file} is left as it is")
    return filed.record, filed.path


def _verified(root: Path, file: Path) -> ExamResult:
    from crmkb.knowledge_base import load_lists
    from crmkb.records.proctors import register

    doc = load_yaml(file, str(file))
    if not isinstance(doc.data, dict):
        raise located(file, 1, 1, "this is not an exam result (a mapping of fields)")
    try:
        saved = ExamResult.model_validate(doc.data)
    except ValidationError as exc:
        raise RecordErrors(validation_errors(exc, doc, ExamResult)) from None
    if saved.signature is None or saved.proctor is None:
        raise located(file, 1, 1, "this result is not signed by a proctor; it cannot be filed")
    claim = Claim(signed_message(saved.signed_fields()), saved.signature, saved.proctor)
    signers = register(load_lists(root, ("person", "role")))
    if saved.proctor not in signers.proctors():
        raise located(file, 1, 1, f"{saved.proctor} is not a proctor in {ALLOWED_SIGNERS}")
    with allowed_file(signers.text()) as trusted:
        reason = verify(trusted, [claim])[0]
    if reason is not None:
        raise located(file, 1, 1, f"the signature does not verify ({reason}); it was changed")
    return saved


def _is_provisional_of(path: Path, saved: ExamResult) -> bool:
    try:
        there = ExamResult.model_validate(load_yaml(path, str(path)).data)
    except (KbError, ValidationError, OSError):
        return False
    return (
        there.status == "incomplete"
        and not there.answers
        and (there.person, there.certification, there.taken, there.questions)
        == (saved.person, saved.certification, saved.taken, saved.questions)
    )
