"""Every record model: a minimal valid record, required fields, closed enums, real dates."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ValidationError

from crmkb.records import REGISTRY
from crmkb.records.change_request import Evaluation
from crmkb.records.question_bank import Question
from crmkb.records.role import Role

D = dt.date(2026, 9, 1)
QUESTION = {
    "id": "Q-OP-01-01",
    "type": "single",
    "text": "哪一项必填？",
    "options": {"A": "客户名称", "B": "传真"},
    "answer": "A",
    "explanation": "客户名称必填。",
    "section": "新建客户",
}
# The smallest valid record of each kind; a new kind must add one here.
MINIMAL: dict[str, dict[str, Any]] = {
    "person": {"id": "P001", "name": "王立"},
    "role": {"id": "sales-rep", "name": "业务员"},
    "module": {"id": "receivable", "name": "应收与回款", "owner": "P001"},
    "synonym": {"id": "unresponsive", "words": ["无响应", "死机"]},
    "issue": {
        "id": "ISS-0001",
        "title": "回款显示逾期",
        "reporter": "P001",
        "reported": D,
        "module": "receivable",
        "severity": "high",
    },
    "solution": {"id": "SOL-0001", "title": "按到账日期登记", "modules": ["receivable"]},
    "change": {
        "id": "CR-0001",
        "title": "订单同步",
        "requester": "P001",
        "requested": D,
        "module": "ecommerce",
    },
    "feedback": {
        "id": "FB-0001",
        "person": "P001",
        "received": D,
        "summary": "太慢",
        "reasonable": True,
    },
    "audit": {
        "id": "AUD-0001",
        "title": "订单流程抽查",
        "date": D,
        "auditor": "P001",
        "standard_kind": "process",
        "standard": "先审核后发货",
        "module": "order",
    },
    "data-check": {
        "id": "DC-0001",
        "title": "付款条件重复",
        "check": "duplicate-payment-terms",
        "module": "payment-terms",
        "date": D,
        "checker": "P001",
        "found": 3,
    },
    "training": {
        "id": "TM-OP-01",
        "title": "新建客户",
        "track": "operation",
        "roles": ["sales-rep"],
        "order": 1,
    },
    "questions": {"id": "QB-OP-01", "module": "TM-OP-01", "pool": "exam", "questions": [QUESTION]},
    "certification": {
        "id": "CERT-OP",
        "name": "基础操作上岗证",
        "modules": ["TM-OP-01"],
        "questions_per_exam": 10,
        "pass_mark": 80,
        "time_limit_minutes": 20,
        "validity_months": 12,
    },
    "exam-result": {
        "id": "EXR-0001",
        "person": "P001",
        "certification": "CERT-OP",
        "taken": D,
        "duration_seconds": 540,
        "questions": ["Q-OP-01-01"],
        "score": 100,
        "passed": True,
        "digest": "sha256:" + "0" * 64,
    },
}

# The enumerations as the record spec (spec/records.md) states them.
SPEC_ENUMS: list[tuple[type[BaseModel], str, set[str]]] = [
    (REGISTRY["issue"].model, "severity", {"low", "medium", "high", "critical"}),
    (
        REGISTRY["issue"].model,
        "cause",
        {
            "system_defect",
            "configuration",
            "user_error",
            "process",
            "master_data",
            "training_gap",
            "requirement",
        },
    ),
    (
        REGISTRY["issue"].model,
        "status",
        {
            "reported",
            "investigating",
            "escalated",
            "proposed",
            "verifying",
            "resolved",
            "duplicate",
            "declined",
        },
    ),
    (REGISTRY["issue"].model, "handled_by", {"internal", "consultant"}),
    (REGISTRY["solution"].model, "confidence", {"draft", "validated", "archived"}),
    (
        REGISTRY["change"].model,
        "status",
        {
            "requested",
            "options_proposed",
            "evaluated",
            "decided",
            "developing",
            "piloting",
            "rolled_out",
            "rejected",
        },
    ),
    (Evaluation, "verdict", {"accept", "reject", "revise"}),
    (REGISTRY["training"].model, "track", {"operation", "process"}),
    (REGISTRY["questions"].model, "pool", {"exam", "practice"}),
    (Question, "type", {"single", "multiple", "true_false"}),
    (REGISTRY["exam-result"].model, "status", {"complete", "incomplete"}),
]


def literal_values(annotation: Any) -> set[str]:
    """The values of the Literal inside an annotation such as `Literal[...] | None`."""
    if typing.get_origin(annotation) is Literal:
        return set(typing.get_args(annotation))
    if typing.get_origin(annotation) is typing.Union or isinstance(annotation, types.UnionType):
        return set().union(*(literal_values(a) for a in typing.get_args(annotation)))
    return set()


def minimal(kind: str) -> dict[str, Any]:
    data = dict(MINIMAL[kind])
    fields = REGISTRY[kind].model.model_fields
    return {k: v for k, v in data.items() if k in fields}  # e.g. digest, while it is new


def errors(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(e["loc"], e["type"]) for e in caught.value.errors()]


def test_every_kind_has_a_minimal_example() -> None:
    assert set(MINIMAL) == set(REGISTRY.names())


@pytest.mark.parametrize("kind", REGISTRY.names())
def test_minimal_record_is_valid(kind: str) -> None:
    record = REGISTRY[kind].model.model_validate(minimal(kind))
    assert record.id == MINIMAL[kind]["id"]
    assert REGISTRY[kind].id_regex.fullmatch(record.id)


REQUIRED = [
    (kind, name)
    for kind in REGISTRY.names()
    for name, info in REGISTRY[kind].model.model_fields.items()
    if info.is_required()
]


@pytest.mark.parametrize(("kind", "field"), REQUIRED, ids=[f"{k}.{f}" for k, f in REQUIRED])
def test_required_field_is_required(kind: str, field: str) -> None:
    data = minimal(kind)
    data.pop(field, None)
    assert errors(REGISTRY[kind].model, data) == [((field,), "missing")]


@pytest.mark.parametrize("kind", REGISTRY.names())
def test_unknown_field_is_refused(kind: str) -> None:
    assert errors(REGISTRY[kind].model, {**minimal(kind), "reportr": "P001"}) == [
        (("reportr",), "extra_forbidden")
    ]


@pytest.mark.parametrize(
    ("model", "field", "values"), SPEC_ENUMS, ids=[f"{m.__name__}.{f}" for m, f, _ in SPEC_ENUMS]
)
def test_enum_matches_the_spec(model: type[BaseModel], field: str, values: set[str]) -> None:
    assert literal_values(model.model_fields[field].annotation) == values


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (k, f)
        for k in REGISTRY.names()
        for f, i in REGISTRY[k].model.model_fields.items()
        if literal_values(i.annotation)
    ],
)
def test_enum_is_closed(kind: str, field: str) -> None:
    assert errors(REGISTRY[kind].model, {**minimal(kind), field: "urgent"}) == [
        ((field,), "literal_error")
    ]


def test_issue_dates_keys_are_lifecycle_steps() -> None:
    data = {**minimal("issue"), "dates": {"investigating": D, "reopened": D}}
    assert errors(REGISTRY["issue"].model, data) == [
        (("dates", "reopened", "[key]"), "literal_error")
    ]


def test_nested_enums_are_closed() -> None:
    evaluation = {"option": "A", "by": "P001", "on": D, "verdict": "maybe"}
    assert errors(Evaluation, evaluation) == [(("verdict",), "literal_error")]
    assert errors(Question, {**QUESTION, "type": "essay"}) == [(("type",), "literal_error")]
    role = {"id": "sales-rep", "name": "业务员", "data_rights": {"customer": ["delete"]}}
    assert errors(Role, role) == [(("data_rights", "customer", 0), "literal_error")]


DATE_FIELDS = [
    (kind, name)
    for kind in REGISTRY.names()
    for name, info in REGISTRY[kind].model.model_fields.items()
    if info.annotation in (dt.date, dt.date | None)
]


@pytest.mark.parametrize(("kind", "field"), DATE_FIELDS, ids=[f"{k}.{f}" for k, f in DATE_FIELDS])
@pytest.mark.parametrize("value", ["2026-02-30", "下周一", "2026/09/01", True])
def test_dates_are_real_dates(kind: str, field: str, value: object) -> None:
    found = errors(REGISTRY[kind].model, {**minimal(kind), field: value})
    assert [loc for loc, _ in found] == [(field,)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (86400, "Value error, expected a date like 2026-09-01"),
        (20260901, "Value error, expected a date like 2026-09-01"),
        (dt.datetime(2026, 9, 1, 8, 0), "Value error, use a date without a time, like 2026-09-01"),
    ],
)
def test_only_calendar_dates_are_dates(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        REGISTRY["issue"].model.model_validate({**minimal("issue"), "reported": value})
    assert [(e["loc"], e["msg"]) for e in caught.value.errors()] == [(("reported",), message)]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("issue", "id", "ISS-1"),
        ("issue", "reporter", "王立"),
        ("issue", "module", "Receivable"),
        ("solution", "modules", []),
        ("person", "id", "P1"),
        ("role", "id", "Sales Rep"),
        ("certification", "pass_mark", 101),
        ("certification", "questions_per_exam", 0),
        ("questions", "questions", []),
        ("training", "order", 0),
        ("issue", "title", "   "),
    ],
)
def test_field_constraints(kind: str, field: str, value: object) -> None:
    found = errors(REGISTRY[kind].model, {**minimal(kind), field: value})
    assert [loc[0] for loc, _ in found] == [field]
