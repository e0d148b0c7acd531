"""Audits, master-data checks, recurring problems and teach-it (issue 22 items 1-4): exact
output of `kb audit plan`, `kb solution teach|review`, every new `kb check` warning and the
report's sections, in Chinese (the sample's language) and with --lang en."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Kb

AUD3 = "records/audits/AUD-0003.md"
DC2 = "records/data-checks/DC-0002.md"
SOL7 = "records/solutions/SOL-0007.md"


def edit(sample: Path, path: str, old: str, new: str) -> None:
    file = sample / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def warnings(kb: Kb, *lang: str, today: str = "2026-11-23") -> list[str]:
    result = kb(*lang, "check", today=today)
    assert result.exit_code == 0, result.output
    mine = ("SLA", "milestone")  # the sample's own warnings, not this issue's
    return [line for line in result.output.splitlines() if not any(m in line for m in mine)][:-1]


# kb audit plan


PLAN_ZH = (
    "从 24 个人员中抽取 5 个，种子 7（用 --seed 7 可重现）\n"
    "P016  service-agent  徐芳\n"
    "P019  ecommerce-operator  罗敏\n"
    "P020  system-admin  蔡文博\n"
    "P023  sales-rep  曾凯\n"
    "P025  sales-rep  江涛\n"
)


def test_plan_draws_the_same_sample_for_the_same_seed(kb: Kb) -> None:
    args = ("audit", "plan", "--of", "people", "--size", "5", "--seed", "7")
    first, again = kb(*args, "--weight", "sales-rep=2"), kb(*args, "--weight", "sales-rep=2")
    assert (first.exit_code, first.output) == (0, PLAN_ZH)
    assert again.output == first.output
    assert kb(*args, "--seed", "8", "--weight", "sales-rep=2").output != first.output


def test_plan_in_english_and_weights_leave_groups_out(kb: Kb) -> None:
    result = kb(
        "--lang", "en", "audit", "plan", "--of", "issues", "--size", "3", "--seed", "1",
        "--since", "2026-11-01", "--weight", "customer=0", "--weight", "receivable=5",
    )  # fmt: skip
    lines = result.output.splitlines()
    assert lines[0] == "3 of 26 issues, seed 1 (repeat with --seed 1)"
    assert all(" customer " not in line for line in lines[1:])
    assert len(lines) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--weight", "sales=2"),
            "error: --weight 指定的 sales 下没有任何候选对象；现有分组：auditor, consultant, "
            "ecommerce-operator, finance-clerk, finance-director, general-manager, "
            "product-specialist, project-lead, sales-admin, sales-manager, sales-rep, "
            "service-agent, system-admin\n",
        ),
        (
            ("--weight", "sales-rep"),
            "error: --weight 的格式是 分组=数字（0 到 1000），例如 sales-rep=2；"
            "收到的是 'sales-rep'\n",
        ),
        (("--write",), "error: --write 需要同时给出 --title、--standard 和 --module\n"),
        (
            ("--write", "--title", "t", "--standard", "rule:x", "--module", "order"),
            "error: --standard 的格式是 类别:对象，类别为 process、training 或 data_rights，"
            "例如 training:TM-OP-02；收到的是 'rule:x'\n",
        ),
    ],
)
def test_plan_refuses_wrong_options(
    kb: Kb, sample: Path, args: tuple[str, ...], message: str
) -> None:
    before = sorted(p.name for p in (sample / "records/audits").iterdir())
    result = kb("audit", "plan", "--of", "people", "--size", "2", "--seed", "1", *args)
    assert (result.exit_code, result.stderr[-len(message) :]) == (2, message)
    assert sorted(p.name for p in (sample / "records/audits").iterdir()) == before


def test_plan_writes_a_draft_audit_that_kb_check_accepts(kb: Kb, sample: Path) -> None:
    result = kb(
        "audit", "plan", "--of", "people", "--size", "2", "--seed", "3", "--weight",
        "sales-rep=1", "--write", "--title", "回款登记抽查", "--standard",
        "process:回款按到账日期登记", "--module", "receivable",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "已写入 records/audits/AUD-0004.md；请在其中逐条记录稽核发现"
    )
    drawn = [line.split()[0] for line in result.output.splitlines()[1:-1]]
    text = (sample / "records/audits/AUD-0004.md").read_text(encoding="utf-8")
    assert text == (
        "---\nid: AUD-0004\ntitle: 回款登记抽查\ndate: 2026-11-23\nauditor: P001\n"
        "standard_kind: process\nstandard: 回款按到账日期登记\nmodule: receivable\n"
        f"sample: [{', '.join(drawn)}]\nseed: 3\n---\n\n## 抽查方法\n\n\n\n## 结论\n\n"
    )
    assert kb("check").exit_code == 0


# kb check: audits and data checks


def test_an_overdue_follow_up_is_a_located_warning(kb: Kb, sample: Path) -> None:
    edit(sample, AUD3, "due: 2026-12-15", "due: 2026-11-20")
    assert warnings(kb) == [
        "records/audits/AUD-0003.md:28:10: warning: 整改（重新培训）应在 2026-11-20 前完成，"
        "尚未完成；完成后填写 `done:`，或调整 `due:`",
    ]
    assert warnings(kb, "--lang", "en") == [
        "records/audits/AUD-0003.md:28:10: warning: follow-up (retraining) was due 2026-11-20 "
        "and is not done; do it and set `done:`, or move `due:`",
    ]


def test_a_finding_outside_the_sample_and_a_future_audit_are_errors(kb: Kb, sample: Path) -> None:
    edit(sample, AUD3, "  - subject: P023", "  - subject: P012")
    edit(sample, AUD3, "date: 2026-11-18", "date: 2026-11-30")
    result = kb("--lang", "en", "check")
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "records/audits/AUD-0003.md:4:7: error: audit date 2026-11-30 is in the future",
        "records/audits/AUD-0003.md:18:14: error: P012 is not in the sample; add it to "
        "`sample` or correct it",
    ]


def test_errors_found_again_without_a_cause_are_a_warning(kb: Kb, sample: Path) -> None:
    text = (sample / DC2).read_text(encoding="utf-8")
    start = text.index("cause: >-")
    (sample / DC2).write_text(text[:start] + text[text.index("---", start) :], encoding="utf-8")
    assert warnings(kb) == [
        "records/data-checks/DC-0002.md:9:8: warning: duplicate-payment-terms 再次发现错误"
        "（DC-0001 于 2026-09-10 发现 135 条）；请写明 `cause`，以便预防",
    ]


def test_more_fixed_than_found_is_an_error(kb: Kb, sample: Path) -> None:
    edit(sample, DC2, "fixed: 6", "fixed: 7")
    result = kb("check")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "DC-0002" in line] == [
        "records/data-checks/DC-0002.md:10:8: error: 已纠正数（7）大于发现数（6）；请改正数字"
    ]


def test_kb_new_data_check_takes_the_module_owner(kb: Kb, sample: Path) -> None:
    result = kb(
        "new", "data-check", "--title", "付款条件重复", "--set", "check=duplicate-payment-terms",
        "--set", "module=payment-terms", "--set", "checker=P001", "--set", "found=0",
    )  # fmt: skip
    assert (result.exit_code, result.output) == (0, "records/data-checks/DC-0006.md\n")
    text = (sample / "records/data-checks/DC-0006.md").read_text(encoding="utf-8")
    assert "owner: P005\n" in text
    assert kb("check").exit_code == 0


# recurring problems


def drop_root_cause(sample: Path) -> None:
    """SOL-0007 no longer names the root cause of the access-rights cluster."""
    text = (sample / SOL7).read_text(encoding="utf-8")
    start = text.index("root_cause:")
    (sample / SOL7).write_text(text[:start] + text[text.index("told:", start) :], "utf-8")


def test_a_cluster_without_a_root_cause_is_named_on_its_latest_issue(kb: Kb, sample: Path) -> None:
    drop_root_cause(sample)
    assert warnings(kb) == [
        "records/issues/ISS-0033.md:6:9: warning: 重复出现的问题：45 天内模块 权限与组织 有 3 个"
        "原因为“配置问题”的问题（ISS-0010, ISS-0011, ISS-0033）；请查找根本原因："
        "为其中一个问题关联变更需求，或在其解决方案中写明 `root_cause`",
    ]
    english = warnings(kb, "--lang", "en")
    assert english == [
        "records/issues/ISS-0033.md:6:9: warning: recurring problem: 3 issues in module "
        "权限与组织 with cause configuration within 45 days (ISS-0010, ISS-0011, ISS-0033); "
        "find the root cause: link a change request to one of them, or give their solution "
        "a `root_cause`",
    ]
    # a change request listing one of them names the root cause as well
    edit(
        sample,
        "records/changes/CR-0006.md",
        "module: report\n",
        "module: report\nissues: [ISS-0033]\n",
    )
    assert warnings(kb) == []


def test_the_count_and_window_come_from_crmkb_yml(kb: Kb, sample: Path) -> None:
    drop_root_cause(sample)
    config = sample / "crmkb.yml"
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings.replace("window_days: 45", "window_days: 30"), "utf-8")
    assert warnings(kb) == []  # ISS-0010 (2026-10-14) falls out of the window
    config.write_text(settings.replace("count: 3", "count: 4"), "utf-8")
    assert warnings(kb) == []
    config.write_text(settings, "utf-8")
    assert len(warnings(kb)) == 1


def test_alike_titles_form_a_cluster(kb: Kb, sample: Path) -> None:
    # with the sample's own ISS-0017 (合同到期前没有收到提醒, reported 2026-11-02)
    for n, day in ((53, "2026-11-16"), (54, "2026-11-18"), (55, "2026-11-20")):
        body = (
            f"---\nid: ISS-00{n}\ntitle: 合同到期提醒邮件没有发出\nreporter: P026\n"
            f"reported: {day}\nmodule: contract\nseverity: low\n---\n\n## 现象\n\n没有收到。\n"
        )
        (sample / f"records/issues/ISS-00{n}.md").write_text(body, encoding="utf-8")
    assert warnings(kb, "--lang", "en", today="2026-11-20") == [
        "records/issues/ISS-0055.md:6:9: warning: recurring problem: 4 alike issues within "
        "45 days (ISS-0017, ISS-0053, ISS-0054, ISS-0055); find the root cause: link a "
        "change request to one of them, or give their solution a `root_cause`",
    ]


def test_reopening_marks_the_solution_for_review_until_reviewed(kb: Kb, sample: Path) -> None:
    result = kb("reopen", "ISS-0011", "--reason", "新来的出纳又没有回款录入权限")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "  wrote records/issues/ISS-0011.md",
        "  wrote records/solutions/SOL-0007.md",
    ]
    text = (sample / SOL7).read_text(encoding="utf-8")
    assert (
        "recheck:\n  since: 2026-11-23\n  issue: ISS-0011\n  reason: 新来的出纳又没有回款录入权限\n"
        in text
    )
    expected = (
        "records/solutions/SOL-0007.md:{}: warning: 需复核：ISS-0011 于 2026-11-23 再次出现；"
        "请确认解决步骤仍然有效，然后运行 kb solution review"
    )
    line = text.splitlines().index("recheck:") + 2
    assert [w for w in warnings(kb) if "SOL-0007" in w] == [expected.format(f"{line}:3")]
    result = kb("solution", "review", "SOL-0007", "--note", "开户清单仍然有效，补了出纳岗位")
    assert (result.exit_code, result.output) == (
        0,
        "SOL-0007: 2026-11-23 已复核\n  wrote records/solutions/SOL-0007.md\n",
    )
    assert [w for w in warnings(kb) if "SOL-0007" in w] == []
    assert "recheck" not in (sample / SOL7).read_text(encoding="utf-8")


# teach-it


def test_an_untaught_validated_fix_is_a_warning_until_taught(kb: Kb, sample: Path) -> None:
    path = sample / "records/solutions/SOL-0014.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("told:")
    path.write_text(text[:start] + text[text.index("---", start) :], encoding="utf-8")
    assert warnings(kb, today="2026-11-25") == []  # 14 days after 2026-11-11
    expected = (
        "records/solutions/SOL-0014.md:6:13: warning: validated on 2026-11-11 with a "
        "prevention note, but nobody was told yet; record who was taught and how "
        "(kb solution teach)"
    )
    assert warnings(kb, "--lang", "en", today="2026-11-26") == [expected]
    result = kb(
        "solution", "teach", "SOL-0014", "--to", "sales-rep", "--to", "P007", "--channel",
        "mail", "--note", "发送输单原因填写口径说明", today="2026-11-26",
    )  # fmt: skip
    assert (result.exit_code, result.output) == (
        0,
        "SOL-0014: 2026-11-26 已宣导（邮件）\n  wrote records/solutions/SOL-0014.md\n",
    )
    assert warnings(kb, today="2026-11-26") == []
    assert "told:\n  - on: 2026-11-26\n    audience: [sales-rep, P007]\n    channel: mail\n" in (
        path.read_text(encoding="utf-8")
    )


def test_teach_refuses_an_unknown_audience_and_writes_nothing(kb: Kb, sample: Path) -> None:
    path = sample / "records/solutions/SOL-0014.md"
    before = path.read_bytes()
    result = kb(
        "--lang", "en", "solution", "teach", "SOL-0014", "--to", "boss", "--channel", "mail"
    )
    assert result.exit_code == 1
    assert "unknown role 'boss'" in result.stderr
    assert path.read_bytes() == before
    result = kb("--lang", "en", "solution", "teach", "SOL-0014", "--channel", "mail")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: name who was told with --to (a role such as sales-rep, or P012)\n",
    )


# reports


def test_the_weekly_report_shows_audits_checks_and_clusters(kb: Kb) -> None:
    report = kb("report", "weekly", "--period", "2026-W47").output
    assert report[report.index("## 稽核") :] == (
        "## 稽核\n\n### 按模块的合规率\n\n| 模块 | 合规率 |\n|---|---:|\n"
        "| 权限与组织 | 75% (3/4) |\n| 订单 | 80% (4/5) |\n| 付款与信用条件 | 75% (3/4) |\n\n"
        "### 按角色的合规率\n\n| 角色 | 合规率 |\n|---|---:|\n"
        "| 业务经理 | 50% (1/2) |\n| 业务员 | 82% (9/11) |\n\n"
        "### 按月的合规率\n\n| 月份 | 合规率 |\n|---|---:|\n"
        "| 2026-10 | 80% (4/5) |\n| 2026-11 | 75% (6/8) |\n\n"
        "## 基础数据检查\n\n| 检查项 | 日期 | 发现 | 已纠正 | 原因 |\n|---|---|---:|---:|---|\n"
        "| 疑似重复客户档案检查 | 2026-11-04 | 23 | 20 |  |\n"
        "| 疑似重复客户档案检查 | 2026-11-20 | 4 | 4 | 服务工单里的“快速新建客户”不走查重规则，"
        "个体户客户又没有信用代码，按 SOL-0009 的信用代码查重拦不住。 |\n"
        "| 付款条件重复记录清理 | 2026-09-10 | 135 | 135 |  |\n"
        "| 付款条件重复记录月度复查 | 2026-10-12 | 6 | 6 | 9月收回业务员新建权限时漏掉了销售二部的"
        "两个共用账号，6条重复条件都由这两个账号创建。 |\n"
        "| 付款条件重复记录月度复查 | 2026-11-10 | 0 | 0 |  |\n\n"
        "## 重复出现的问题\n\n- 重复出现的问题：45 天内模块 权限与组织 有 3 个"
        "原因为“配置问题”的问题（ISS-0010, ISS-0011, ISS-0033）；根本原因见 SOL-0007\n"
    )
    # a week before the audits and the checks of November: only what was known then
    earlier = kb("--lang", "en", "report", "weekly", "--period", "2026-W43").output
    assert "## Audits" in earlier
    assert "| 2026-11" not in earlier
    assert "## Recurring problems" not in earlier
    english = kb("--lang", "en", "report", "weekly", "--period", "2026-W47").output
    assert english.endswith(
        "## Recurring problems\n\n- recurring problem: 3 issues in module 权限与组织 with cause "
        "configuration within 45 days \\(ISS-0010, ISS-0011, ISS-0033\\); root cause: SOL-0007\n"
    )


def test_kb_list_shows_audits_and_data_checks(kb: Kb) -> None:
    assert kb("list", "audit").stdout == (
        "ID        DATE        AUDITOR  MODULE         CONFORMS  OPEN  TITLE\n"
        "AUD-0001  2026-10-20  P018     order          4/5       0     "
        "业务员订单录入与审核流程抽查\n"
        "AUD-0002  2026-11-12  P018     access         3/4       1     "
        "销售管理人员回款数据权限稽核\n"
        "AUD-0003  2026-11-18  P018     payment-terms  3/4       1     付款条件维护权限稽核\n"
    )
    listed = kb("list", "data-check").stdout.splitlines()
    assert listed[0].split() == ["ID", "CHECK", "DATE", "FOUND", "FIXED", "TITLE"]
    assert listed[2].split() == [
        "DC-0002", "duplicate-payment-terms", "2026-10-12", "6", "6", "付款条件重复记录月度复查"
    ]  # fmt: skip


def test_kb_new_audit_with_its_standard_set_field_by_field(kb: Kb, sample: Path) -> None:
    result = kb(
        "new", "audit", "--title", "订单抽查", "--set", "auditor=P018",
        "--set", "standard_kind=process", "--set", "standard=先审核后发货", "--set", "module=order",
    )  # fmt: skip
    assert (result.exit_code, result.output) == (0, "records/audits/AUD-0004.md\n")
    text = (sample / "records/audits/AUD-0004.md").read_text(encoding="utf-8")
    assert "auditor: P018\n" in text
    assert kb("check").exit_code == 0


def test_record_text_in_the_report_sections_is_escaped(kb: Kb, sample: Path) -> None:
    edit(
        sample,
        "records/data-checks/DC-0005.md",
        'title: "疑似重复客户档案检查"',
        'title: "<script>alert(1)</script> | 列 ![x](http://evil.example/x.png)"',
    )
    report = kb("report", "weekly", "--period", "2026-W47").output
    assert "<script>" not in report
    assert "](http://evil.example" not in report
    assert report.count("\n| 疑似重复客户档案检查 | 2026-11-04 |") == 1
