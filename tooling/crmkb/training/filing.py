"""Filing a result that `kb exam` had to save outside the repository (`kb exam import`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from crmkb.errors import KbError, RecordErrors, located
from crmkb.records.base import validation_errors
from crmkb.records.exam_result import ExamResult
from crmkb.signatures import ALLOWED_SIGNERS, Claim, signed_message, verify
from crmkb.yamlfile import load_yaml


def import_result(root: Path, file: Path) -> tuple[ExamResult, Path]:
    """Verify a saved result's signature and write it under the next free EXR id."""
    from crmkb.training.exam import file_result

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
    reason = verify(root / ALLOWED_SIGNERS, [claim])[0]
    if reason is not None:
        raise located(file, 1, 1, f"the signature does not verify ({reason}); it was changed")
    fields = saved.model_dump(exclude={"id"}, exclude_none=True)
    filed = file_result(root, fields, [])
    if filed.path is None:
        raise KbError(f"could not write {filed.problem}; {file} is left as it is")
    return filed.record, filed.path
