"""Every cross-record rule, each broken once in the minimal repository: `kb check` must exit 1
(0 for the cases that are valid) and print exactly these problems, one per line."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import pytest

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

ISS = "records/issues/ISS-0001.md"
S = "records/solutions/SOL-0001.md"
C = "records/changes/CR-0001.md"
F = "records/feedback/FB-0001.md"
P = "records/people.yml"
RO = "records/roles.yml"
M = "records/modules.yml"
T = "records/training/TM-OP-01.md"
Q = "records/questions/QB-OP-01.yml"
CE = "records/certifications/CERT-OP.yml"

# A change request that has passed every stage, custom development included.
CR_FULL = """\
---
id: CR-0001
title: 电商订单自动同步
requester: P002
requested: 2026-08-01
module: customer
status: rolled_out
reason: 手工录入太慢
goal: 订单当天进入系统
options:
  - key: A
    summary: 开发同步接口
    custom_development: true
    proposed: 2026-08-05
  - key: B
    summary: 每日导入表格
    proposed: 2026-08-05
evaluations:
  - option: A
    by: P002
    on: 2026-08-08
    verdict: accept
  - option: B
    by: P001
    on: 2026-08-08
    verdict: reject
    comment: 仍需手工
decision:
  option: A
  on: 2026-08-10
  by: P001
  note: 选 A
development:
  cost: 18000
  vendor: 致远咨询
  milestones:
    - name: 接口开发
      due: 2026-09-01
      done: 2026-08-30
pilot:
  users: [P002]
  start: 2026-09-05
  end: 2026-09-20
  outcome: 同步正常
rollout: 2026-10-01
issues: [ISS-0001]
---

## 背景
"""


class Case(NamedTuple):
    name: str
    edits: list[tuple[str, ...]]  # (path, old, new) replaces once; (path, text) writes the file
    exit_code: int
    expected: tuple[str, ...]


CASES = [
    Case(
        "dup_person",
        [(P, "  - id: P002\n", "  - id: P001\n")],
        1,
        (
            (
                "records/changes/CR-0001.md:4:12: error: unknown person 'P002'; it is not defined "
                "in records/people.yml"
            ),
            (
                "records/feedback/FB-0001.md:3:9: error: unknown person 'P002'; it is not defined "
                "in records/people.yml"
            ),
            (
                "records/issues/ISS-0001.md:4:11: error: unknown person 'P002'; it is not defined "
                "in records/people.yml"
            ),
            (
                "records/modules.yml:8:12: error: unknown person 'P002'; it is not defined in "
                "records/people.yml"
            ),
            (
                "records/people.yml:7:9: error: duplicate id 'P001' (also used in "
                "records/people.yml); pick a free id"
            ),
        ),
    ),
    Case(
        "reporter_unknown",
        [(ISS, "reporter: P002", "reporter: P099")],
        1,
        (
            (
                "records/issues/ISS-0001.md:4:11: error: unknown person 'P099'; it is not defined "
                "in records/people.yml"
            ),
        ),
    ),
    Case(
        "module_unknown",
        [(ISS, "module: receivable", "module: warehouse")],
        1,
        (
            (
                "records/issues/ISS-0001.md:6:9: error: unknown module 'warehouse'; it is not "
                "defined in records/modules.yml"
            ),
        ),
    ),
    Case(
        "solution_unknown",
        [(ISS, "solution: SOL-0001", "solution: SOL-0009")],
        1,
        (
            (
                "records/issues/ISS-0001.md:13:11: error: unknown solution 'SOL-0009'; "
                "it is not defined in records/solutions/"
            ),
            (
                "records/solutions/SOL-0001.md:5:10: error: ISS-0001 does not name this solution; "
                "set `solution: SOL-0001` there"
            ),
        ),
    ),
    Case(
        "solution_not_listing",
        [(S, "issues: [ISS-0001]", "issues: []")],
        1,
        (
            (
                "records/issues/ISS-0001.md:13:11: error: SOL-0001 does not list ISS-0001 in its "
                "issues; add it there"
            ),
        ),
    ),
    Case(
        "solution_lists_issue_not_naming",
        [
            (ISS, "solution: SOL-0001\n", ""),
            (ISS, "status: resolved", "status: verifying"),
            (ISS, "  resolved: 2026-10-12", "  verifying: 2026-10-12"),
        ],
        1,
        (
            (
                "records/solutions/SOL-0001.md:5:10: error: ISS-0001 does not name this solution; "
                "set `solution: SOL-0001` there"
            ),
        ),
    ),
    Case(
        "resolved_no_solution_no_cause",
        [
            (ISS, "solution: SOL-0001\n", ""),
            (ISS, "cause: process\n", ""),
            (S, "issues: [ISS-0001]", "issues: []"),
        ],
        1,
        (
            "records/issues/ISS-0001.md:8:9: error: a resolved issue needs `solution: SOL-…`",
            "records/issues/ISS-0001.md:8:9: error: a resolved issue needs a `cause`",
        ),
    ),
    Case(
        "resolved_no_date",
        [(ISS, "  resolved: 2026-10-12\n", "")],
        1,
        (
            (
                "records/issues/ISS-0001.md:9:9: error: status is 'resolved' but dates has no "
                "resolved: add the day it became resolved (dates.resolved: YYYY-MM-DD) or correct "
                "the status"
            ),
        ),
    ),
    Case(
        "date_backwards",
        [(ISS, "  resolved: 2026-10-12", "  resolved: 2026-10-08")],
        1,
        (
            (
                "records/issues/ISS-0001.md:12:13: error: resolved date 2026-10-08 is before the "
                "investigating date 2026-10-09"
            ),
        ),
    ),
    Case(
        "date_before_reported",
        [(ISS, "  investigating: 2026-10-09", "  investigating: 2026-10-01")],
        1,
        (
            (
                "records/issues/ISS-0001.md:11:18: error: investigating date 2026-10-01 is before "
                "the reported date 2026-10-09"
            ),
        ),
    ),
    Case(
        "date_future",
        [(ISS, "  resolved: 2026-10-12", "  resolved: 2026-12-12")],
        1,
        (
            (
                "records/issues/ISS-0001.md:12:13: error: resolved date 2026-12-12 is in the "
                "future (today is 2026-11-23)"
            ),
        ),
    ),
    Case(
        "illegal_path",
        [
            (
                ISS,
                "  investigating: 2026-10-09\n",
                "  investigating: 2026-10-09\n  proposed: 2026-10-10\n",
            )
        ],
        1,
        (
            (
                "records/issues/ISS-0001.md:12:13: error: 'investigating' cannot move to "
                "'proposed' (legal next states: escalated, verifying, resolved, duplicate, "
                "declined)"
            ),
            (
                "records/issues/ISS-0001.md:13:13: error: 'proposed' cannot move to 'resolved' "
                "(legal next states: verifying)"
            ),
        ),
    ),
    Case(
        "skip_investigating",
        [(ISS, "  investigating: 2026-10-09\n", "")],
        1,
        (
            (
                "records/issues/ISS-0001.md:11:13: error: 'reported' cannot move to 'resolved' "
                "(legal next states: investigating, duplicate, declined)"
            ),
        ),
    ),
    Case(
        "escalated_internal",
        [
            (
                ISS,
                "  investigating: 2026-10-09\n",
                (
                    "  investigating: 2026-10-09\n  escalated: 2026-10-10\n  proposed: "
                    "2026-10-11\n  verifying: 2026-10-11\n"
                ),
            )
        ],
        1,
        ("records/issues/ISS-0001.md:2:1: error: an escalated issue is handled_by 'consultant'",),
    ),
    Case(
        "duplicate_of_missing",
        [
            (ISS, "status: resolved", "status: duplicate"),
            (ISS, "  resolved: 2026-10-12", "  duplicate: 2026-10-12"),
            (ISS, "solution: SOL-0001\n", ""),
            (S, "issues: [ISS-0001]", "issues: []"),
        ],
        1,
        (
            (
                "records/issues/ISS-0001.md:9:9: error: `duplicate_of` is set exactly when status "
                "is 'duplicate'"
            ),
        ),
    ),
    Case(
        "duplicate_of_self",
        [
            (ISS, "status: resolved", "status: duplicate"),
            (ISS, "  resolved: 2026-10-12", "  duplicate: 2026-10-12"),
            (ISS, "solution: SOL-0001\n", "duplicate_of: ISS-0001\n"),
            (S, "issues: [ISS-0001]", "issues: []"),
        ],
        1,
        ("records/issues/ISS-0001.md:13:15: error: an issue cannot be a duplicate of itself",),
    ),
    Case(
        "duplicate_of_unknown",
        [
            (ISS, "status: resolved", "status: duplicate"),
            (ISS, "  resolved: 2026-10-12", "  duplicate: 2026-10-12"),
            (ISS, "solution: SOL-0001\n", "duplicate_of: ISS-0042\n"),
            (S, "issues: [ISS-0001]", "issues: []"),
        ],
        1,
        (
            (
                "records/issues/ISS-0001.md:13:15: error: unknown issue 'ISS-0042'; it is not "
                "defined in records/issues/"
            ),
        ),
    ),
    Case(
        "duplicate_of_when_resolved",
        [(ISS, "solution: SOL-0001\n", "solution: SOL-0001\nduplicate_of: ISS-0001\n")],
        1,
        (
            (
                "records/issues/ISS-0001.md:14:15: error: `duplicate_of` is set exactly when "
                "status is 'duplicate'"
            ),
            "records/issues/ISS-0001.md:14:15: error: an issue cannot be a duplicate of itself",
        ),
    ),
    Case(
        "declined_no_reason",
        [
            (ISS, "status: resolved", "status: declined"),
            (ISS, "  resolved: 2026-10-12", "  declined: 2026-10-12"),
            (ISS, "solution: SOL-0001\n", ""),
            (S, "issues: [ISS-0001]", "issues: []"),
        ],
        1,
        ("records/issues/ISS-0001.md:9:9: error: a declined issue needs a `decline_reason`",),
    ),
    Case(
        "evidence_missing",
        [(ISS, "shot.svg", "gone.svg")],
        1,
        (
            (
                "records/issues/ISS-0001.md:14:12: error: evidence file "
                "'records/evidence/ISS-0001/gone.svg' does not exist; add it or fix the path"
            ),
        ),
    ),
    Case(
        "evidence_absolute",
        [(ISS, "records/evidence/ISS-0001/shot.svg", "/etc/passwd")],
        1,
        (
            (
                "records/issues/ISS-0001.md:14:12: error: evidence path '/etc/passwd' leaves the "
                "repository; use a path like records/evidence/…"
            ),
        ),
    ),
    Case(
        "evidence_dir",
        [(ISS, "records/evidence/ISS-0001/shot.svg", "records/evidence/ISS-0001")],
        1,
        (
            (
                "records/issues/ISS-0001.md:14:12: error: evidence path "
                "'records/evidence/ISS-0001' is not a file"
            ),
        ),
    ),
    Case(
        "person_role_unknown",
        [(P, "roles: [sales-rep]", "roles: [sales-rap]")],
        1,
        (
            (
                "records/people.yml:9:13: error: unknown role 'sales-rap'; it is not defined in "
                "records/roles.yml"
            ),
        ),
    ),
    Case(
        "module_owner_unknown",
        [(M, "owner: P002", "owner: P003")],
        1,
        (
            (
                "records/modules.yml:8:12: error: unknown person 'P003'; it is not defined in "
                "records/people.yml"
            ),
        ),
    ),
    Case(
        "role_cert_unknown",
        [
            (
                RO,
                "    certifications: [CERT-OP]\n  - id: sales-rep",
                "    certifications: [CERT-FIN]\n  - id: sales-rep",
            )
        ],
        1,
        (
            (
                "records/roles.yml:7:22: error: unknown certification 'CERT-FIN'; it is not "
                "defined in records/certifications/"
            ),
        ),
    ),
    Case(
        "role_rights_module_unknown",
        [(RO, "      receivable: [query]", "      warehouse: [query]")],
        1,
        (
            (
                "records/roles.yml:6:18: error: unknown module 'warehouse'; it is not defined in "
                "records/modules.yml"
            ),
        ),
    ),
    Case(
        "cert_module_unknown",
        [(CE, "modules: [TM-OP-01]", "modules: [TM-OP-01, TM-OP-09]")],
        1,
        (
            (
                "records/certifications/CERT-OP.yml:3:21: error: unknown training 'TM-OP-09'; it "
                "is not defined in records/training/"
            ),
        ),
    ),
    Case(
        "cert_too_few_questions",
        [(CE, "questions_per_exam: 2", "questions_per_exam: 5")],
        1,
        (
            (
                "records/certifications/CERT-OP.yml:4:21: error: 5 questions per exam but the exam "
                "pools of its modules hold only 2"
            ),
        ),
    ),
    Case(
        "training_role_unknown",
        [(T, "roles: [sales-rep]", "roles: [cashier]")],
        1,
        (
            (
                "records/training/TM-OP-01.md:5:9: error: unknown role 'cashier'; it is not "
                "defined in records/roles.yml"
            ),
        ),
    ),
    Case(
        "qb_module_unknown",
        [(Q, "module: TM-OP-01", "module: TM-OP-07")],
        1,
        (
            (
                "records/certifications/CERT-OP.yml:4:21: error: 2 questions per exam but the exam "
                "pools of its modules hold only 0"
            ),
            (
                "records/questions/QB-OP-01.yml:2:9: error: unknown training 'TM-OP-07'; it is not "
                "defined in records/training/"
            ),
        ),
    ),
    Case(
        "qb_section_unknown",
        [(Q, "section: 新建客户", "section: 删除客户")],
        1,
        (
            (
                "records/questions/QB-OP-01.yml:11:14: error: section '删除客户' is not a heading "
                "in TM-OP-01; use one of: 新建客户, 常见错误"
            ),
        ),
    ),
    Case(
        "qb_answer_not_option",
        [(Q, "answer: A\n", "answer: C\n")],
        1,
        (
            (
                "records/questions/QB-OP-01.yml:9:13: error: answer 'C' is not one of the options "
                "['A', 'B']"
            ),
        ),
    ),
    Case(
        "qb_tf_with_options",
        [(Q, "    answer: false\n", "    answer: false\n    options: {A: 对, B: 错}\n")],
        1,
        ("records/questions/QB-OP-01.yml:16:14: error: a true_false question has no options",),
    ),
    Case(
        "qb_tf_answer_not_bool",
        [(Q, "    answer: false\n", "    answer: A\n")],
        1,
        ("records/questions/QB-OP-01.yml:15:13: error: a true_false answer is true or false",),
    ),
    Case(
        "qb_multiple_not_list",
        [(Q, "type: single", "type: multiple")],
        1,
        (
            (
                "records/questions/QB-OP-01.yml:9:13: error: a multiple-choice answer is a list "
                "with at least one option key"
            ),
        ),
    ),
    Case(
        "qb_dup_question_id",
        [(Q, "id: Q-OP-01-02", "id: Q-OP-01-01")],
        1,
        ("records/questions/QB-OP-01.yml:12:9: error: question id Q-OP-01-01 is also in QB-OP-01",),
    ),
    Case(
        "qb_one_option",
        [(Q, "options: {A: 客户名称, B: 传真}", "options: {A: 客户名称}")],
        1,
        (
            (
                "records/questions/QB-OP-01.yml:8:14: error: a choice question needs at least two "
                "options"
            ),
        ),
    ),
    Case(
        "fb_reasonable_no_links",
        [(F, "links: [ISS-0001]\n", "")],
        1,
        (
            (
                "records/feedback/FB-0001.md:6:13: error: reasonable feedback needs `links` to the "
                "issue or change request acting on it"
            ),
        ),
    ),
    Case(
        "fb_unreasonable_no_response",
        [(F, "reasonable: true", "reasonable: false")],
        1,
        (
            (
                "records/feedback/FB-0001.md:6:13: error: unreasonable feedback needs a `response` "
                "explaining why it is declined"
            ),
        ),
    ),
    Case(
        "fb_unreasonable_ok",
        [
            (F, "reasonable: true", "reasonable: false\nresponse: 系统按设计运行"),
            (F, "links: [ISS-0001]\n", ""),
        ],
        0,
        (),
    ),
    Case(
        "fb_link_unknown",
        [(F, "links: [ISS-0001]", "links: [ISS-0001, CR-0042]")],
        1,
        ("records/feedback/FB-0001.md:7:19: error: unknown record 'CR-0042'",),
    ),
    Case(
        "fb_future",
        [(F, "received: 2026-10-10", "received: 2026-12-10")],
        1,
        ("records/feedback/FB-0001.md:4:11: error: received date 2026-12-10 is in the future",),
    ),
    Case(
        "fb_person_unknown",
        [(F, "person: P002", "person: P777")],
        1,
        (
            (
                "records/feedback/FB-0001.md:3:9: error: unknown person 'P777'; it is not defined "
                "in records/people.yml"
            ),
        ),
    ),
    Case(
        "file_name_kind",
        [("records/issues/notes.txt", "hello\n")],
        1,
        (
            (
                "records/issues/notes.txt:1:1: error: not an issue record; records/issues/ holds "
                "files named like ISS-0001.md"
            ),
        ),
    ),
    Case(
        "cr_full_valid",
        [(C, CR_FULL)],
        0,
        (),
    ),
    Case(
        "cr_options_without_reason",
        [
            (
                C,
                "reason: 手工录入太慢\n",
                "options:\n  - key: A\n    summary: 接口\n    proposed: 2026-10-02\n",
            ),
            (C, "status: requested", "status: options_proposed"),
        ],
        1,
        (
            (
                "records/changes/CR-0001.md:9:3: error: record the user's `reason` and `goal` "
                "before adding options"
            ),
        ),
    ),
    Case(
        "cr_status_mismatch",
        [(C, CR_FULL.replace("status: rolled_out", "status: piloting"))],
        1,
        (
            (
                "records/changes/CR-0001.md:7:9: error: status is 'piloting' but the filled-in "
                "stages show 'rolled_out'"
            ),
        ),
    ),
    Case(
        "cr_rollout_without_outcome",
        [(C, CR_FULL.replace("  outcome: 同步正常\n", ""))],
        1,
        (
            (
                "records/changes/CR-0001.md:44:10: error: a change cannot be rolled out without a "
                "pilot outcome"
            ),
        ),
    ),
    Case(
        "cr_pilot_before_dev_done",
        [(C, CR_FULL.replace("      done: 2026-08-30\n", ""))],
        1,
        (
            (
                "records/changes/CR-0001.md:40:3: error: custom development must finish (every "
                "milestone done) before a pilot"
            ),
        ),
    ),
    Case(
        "cr_dev_not_custom",
        [(C, CR_FULL.replace("    custom_development: true\n", ""))],
        1,
        (
            (
                "records/changes/CR-0001.md:33:3: error: `development` needs a decided option with "
                "custom_development: true"
            ),
        ),
    ),
    Case(
        "cr_decision_unknown_option",
        [(C, CR_FULL.replace("  option: A\n  on: 2026-08-10", "  option: C\n  on: 2026-08-10"))],
        1,
        (
            "records/changes/CR-0001.md:29:11: error: decision names unknown option 'C'",
            (
                "records/changes/CR-0001.md:34:3: error: `development` needs a decided option with "
                "custom_development: true"
            ),
            "records/changes/CR-0001.md:41:3: error: a pilot needs a decision on an option first",
        ),
    ),
    Case(
        "cr_eval_unknown_option",
        [(C, CR_FULL.replace("  - option: B\n", "  - option: D\n"))],
        1,
        ("records/changes/CR-0001.md:23:13: error: evaluation of unknown option 'D'",),
    ),
    Case(
        "cr_decision_without_evaluations",
        [(C, CR_FULL.split("evaluations:")[0] + "decision:" + CR_FULL.split("decision:")[1])],
        1,
        (
            (
                "records/changes/CR-0001.md:19:3: error: a decision needs the users' `evaluations` "
                "of the options first"
            ),
        ),
    ),
    Case(
        "cr_eval_before_option",
        [
            (
                C,
                CR_FULL.replace(
                    "    on: 2026-08-08\n    verdict: accept",
                    "    on: 2026-08-03\n    verdict: accept",
                ),
            )
        ],
        1,
        (
            (
                "records/changes/CR-0001.md:21:9: error: evaluation date 2026-08-03 is before the "
                "option date 2026-08-05"
            ),
        ),
    ),
    Case(
        "cr_rollout_future",
        [(C, CR_FULL.replace("rollout: 2026-10-01", "rollout: 2026-12-01"))],
        1,
        (
            (
                "records/changes/CR-0001.md:45:10: error: rollout date 2026-12-01 is in the future "
                "(today is 2026-11-23)"
            ),
        ),
    ),
    Case(
        "cr_dup_option_key",
        [(C, CR_FULL.replace("  - key: B", "  - key: A"))],
        1,
        (
            "records/changes/CR-0001.md:15:10: error: option key 'A' is used twice",
            "records/changes/CR-0001.md:23:13: error: evaluation of unknown option 'B'",
        ),
    ),
    Case(
        "cr_pilot_user_unknown",
        [(C, CR_FULL.replace("users: [P002]", "users: [P002, P404]"))],
        1,
        (
            (
                "records/changes/CR-0001.md:41:17: error: unknown person 'P404'; it is not defined "
                "in records/people.yml"
            ),
        ),
    ),
    Case(
        "cr_rejected_valid",
        [
            (
                C,
                CR_FULL.split("decision:")[0].replace("status: rolled_out", "status: rejected")
                + "decision:\n  option: null\n  on: 2026-08-10\n  by: P001\n  note: 不做\n"
                + "issues: [ISS-0001]\n---\n",
            )
        ],
        0,
        (),
    ),
    Case(
        # Ids are unique per kind: a role and a CRM module may share a slug.
        "role_same_id_as_module",
        [
            (
                RO,
                "  - id: sales-rep\n    name: 业务员",
                "  - id: sales-rep\n    name: 业务员\n  - id: customer\n    name: 客户专员",
            )
        ],
        0,
        (),
    ),
    Case(
        "people_unknown_field",
        [(P, "    department: 销售部", "    departmnt: 销售部")],
        1,
        ("records/people.yml:10:5: error: unknown field 'departmnt'; did you mean 'department'?",),
    ),
    Case(
        "issue_bogus_key",
        [(ISS, "severity: high", "severity: high\nzzzz: 1")],
        1,
        ("records/issues/ISS-0001.md:8:1: error: unknown field 'zzzz'; remove it",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule(case: Case, repo: Repo, kb: Kb) -> None:
    for edit in case.edits:
        if len(edit) == 3:
            repo.replace(*edit)
        else:
            repo.write(*edit)
    result = kb("check")
    assert (result.exit_code, result.stdout.splitlines()) == (case.exit_code, list(case.expected))


def test_minimal_repository_is_clean(kb: Kb) -> None:
    result = kb("check")
    assert (result.exit_code, result.stdout) == (0, "")
