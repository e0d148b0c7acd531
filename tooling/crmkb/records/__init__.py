"""The record kinds, one module each; REGISTRY lists them with referenced kinds first."""

from crmkb.records import (
    audit,
    certification,
    change_request,
    crm_module,
    data_check,
    exam_result,
    feedback,
    issue,
    person,
    question_bank,
    role,
    solution,
    synonym,
    training_module,
)
from crmkb.records.base import Kind, Record, Registry

REGISTRY = Registry(
    [
        person.KIND,
        role.KIND,
        crm_module.KIND,
        issue.KIND,
        solution.KIND,
        change_request.KIND,
        feedback.KIND,
        training_module.KIND,
        question_bank.KIND,
        certification.KIND,
        exam_result.KIND,
        synonym.KIND,
        audit.KIND,
        data_check.KIND,
    ]
)

__all__ = ["REGISTRY", "Kind", "Record"]
