"""Generate a valid crmkb repository of N realistic Chinese records, deterministically from a seed.

    python benchmarks/generate.py OUT_DIR --records 10000 --seed 1

The repository holds crmkb.yml, people/roles/modules, issues (bodies of about 300 characters
drawn from CRM rollout scenarios, every lifecycle path) and the solutions the resolved issues
point to, and `kb check` finds no errors in it (open issues may carry SLA warnings). All dates lie
on or before --today, so run `kb check` with CRMKB_TODAY set to the same date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

TODAY = dt.date(2026, 11, 23)

MODULES: dict[str, tuple[str, list[str]]] = {
    "customer": ("客户管理", ["客户档案", "重复建档", "客户归属", "离职移交"]),
    "opportunity": ("商机", ["商机阶段", "输单原因", "赢单率"]),
    "quote": ("报价", ["折扣审批", "价格表", "报价转订单"]),
    "order": ("订单", ["订单审核", "发货通知", "订单变更"]),
    "contract": ("合同", ["合同审批", "合同到期", "电子签章"]),
    "receivable": ("应收与回款", ["账龄", "核销", "回款日期", "节假日"]),
    "payment-terms": ("付款条件", ["付款条件", "信用额度", "账期"]),
    "product": ("产品", ["产品编码", "计量单位", "停产物料"]),
    "ecommerce": ("电商对接", ["订单同步", "店铺授权", "退款"]),
    "service": ("售后服务", ["工单", "保修期", "上门服务"]),
    "report": ("报表", ["回款率", "销售漏斗", "导出"]),
    "access": ("权限", ["数据权限", "角色授权", "离职停用"]),
}
ROLES: dict[str, tuple[str, list[str]]] = {
    "project-lead": ("项目负责人", ["receivable", "report", "access"]),
    "consultant": ("实施顾问（外部）", ["access"]),
    "sales-rep": ("业务员", ["customer", "opportunity", "quote", "order"]),
    "sales-manager": ("销售经理", ["customer", "opportunity", "report"]),
    "finance-clerk": ("财务专员", ["receivable", "payment-terms"]),
    "service-agent": ("售后专员", ["service", "customer"]),
    "ecommerce-operator": ("电商运营", ["ecommerce", "order"]),
    "system-admin": ("系统管理员", ["access", "product"]),
}
DEPARTMENTS = ["销售一部", "销售二部", "财务部", "信息中心", "客服中心", "电商部", "商务部"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌慧婷雪琳"
CUSTOMERS = ["恒通机电", "永盛电器", "华远建材", "鼎新科技", "瑞丰食品", "东方五金", "金桥物流"]
SCREENS = ["客户列表", "账龄分析", "回款单", "报价单", "订单审核", "合同台账", "工单看板"]
SYMPTOMS = [
    "“{customer}那笔{amount}万明明{month}月就处理了，今天在{screen}里还是显示未完成，领导问我我也说不清。”",
    "“我在{screen}点保存，系统提示没有权限，可上周同样的操作是可以的，{customer}那边还在等。”",
    "“{screen}里{customer}出现了两条，一条是我建的，一条是别人建的，回款也分到了两边。”",
    "“导出{screen}要等好几分钟，{month}月底对账的时候根本等不及，只好先用旧的表格。”",
    "“{customer}的折扣是按去年的价格表算的，金额差了{amount}千，客户打电话来问为什么报价变了。”",
]
CONTEXTS = [
    "{reporter}在{screen}中操作，客户选{customer}，期间选{month}月；同部门其他同事的账号同样复现。",
    "问题出现在{month}月结账前后，涉及{customer}等三家客户，系统版本为上线后的第二个补丁。",
    "操作人是新入职三个月的员工，按培训手册第二章的步骤在{screen}录入，未修改任何默认值。",
]
STEPS = [
    "打开“{screen}”，按客户筛选{customer}。",
    "点击“查询”，核对金额与{month}月的银行回单。",
    "点击“保存”或“提交审批”，观察系统提示。",
    "用管理员账号重复以上步骤，对比两者结果。",
]
CAUSES = [
    "系统按录入日期而不是业务发生日期取数，节假日前后必然出现时差，属于配置问题。",
    "该角色的数据权限只包含本部门客户，客户归属变更后没有同步调整权限。",
    "主数据中的付款条件由两个部门分别维护，出现了两套口径，需要统一维护人。",
    "员工未按手册操作，使用了自动核销而没有按回单备注手工指定订单。",
    "报表未建索引且默认查询全部历史期间，数据量增长后导出变慢，顾问确认可调整。",
]
SOLUTION_STEPS = [
    "在“系统设置 > 单据字段”中启用相应字段，并设为必填。",
    "由信息中心统一调整角色的数据权限，并通知相关部门负责人复核。",
    "财务部指定专人维护该主数据，其他部门只读，变更走审批流程。",
    "在周例会上宣导正确的操作方法，并更新培训手册对应章节。",
]
CAUSE_CODES = ["system_defect", "configuration", "user_error", "process", "master_data"]
SEVERITIES = ["low", "medium", "medium", "high", "critical"]


@dataclass
class Issue:
    id: str
    module: str
    resolved_on: dt.date | None = None
    solution: str | None = None
    lines: list[str] = field(default_factory=list)


class Generator:
    """Writes one repository; every choice comes from one seeded random source."""

    def __init__(self, out: Path, records: int, seed: int, today: dt.date = TODAY) -> None:
        self.out = out
        self.rng = random.Random(seed)
        self.today = today
        self.people = [f"P{i:03d}" for i in range(1, 61)]
        budget = max(records - len(self.people) - len(ROLES) - len(MODULES), 2)
        self.issue_budget = budget
        self.written = 0

    def run(self) -> int:
        if self.out.exists():
            shutil.rmtree(self.out)
        (self.out / "records/issues").mkdir(parents=True)
        (self.out / "records/solutions").mkdir(parents=True)
        self._write("crmkb.yml", "language: zh\ncalendar: cn\n")
        self._master_data()
        self._issues_and_solutions()
        return self.written

    def _write(self, relpath: str, text: str) -> None:
        path = self.out / relpath
        path.write_text(text, encoding="utf-8")

    def _master_data(self) -> None:
        rng = self.rng
        roles = list(ROLES)
        people = ["people:"]
        for pid in self.people:
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
            joined = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            people += [
                f"  - id: {pid}",
                f"    name: {name}",
                f"    roles: [{rng.choice(roles)}]",
                f"    department: {rng.choice(DEPARTMENTS)}",
                f"    joined: {joined.isoformat()}",
            ]
        self._write("records/people.yml", "\n".join(people) + "\n")
        lines = ["roles:"]
        for rid, (name, modules) in ROLES.items():
            lines += [f"  - id: {rid}", f"    name: {name}", "    duties: [按规范录入与核对数据]"]
            lines.append("    data_rights:")
            lines += [f"      {m}: [enter, query]" for m in modules]
        self._write("records/roles.yml", "\n".join(lines) + "\n")
        lines = ["modules:"]
        for mid, (name, data) in MODULES.items():
            lines += [
                f"  - id: {mid}",
                f"    name: {name}",
                f"    owner: {rng.choice(self.people)}",
                f"    description: {name}模块的日常业务与共享主数据。",
                f"    master_data: [{', '.join(data[:2])}]",
            ]
        self._write("records/modules.yml", "\n".join(lines) + "\n")
        self.written += len(self.people) + len(ROLES) + len(MODULES)

    def _issues_and_solutions(self) -> None:
        group: list[Issue] = []
        group_size = self.rng.randint(1, 4)
        number = solution_number = 0
        issues_written: list[str] = []
        # What a new duplicate may point at: never another duplicate (kb check rejects chains).
        originals: list[str] = []
        while self.issue_budget > 0:
            if self.issue_budget == 1 and group:  # the last record closes the open group
                solution_number += 1
                self._solution(f"SOL-{solution_number:04d}", group)
                self.issue_budget -= 1
                break
            number += 1
            # The very last record cannot be a resolved issue: its solution would not fit.
            issue = self._issue(number, originals, may_resolve=self.issue_budget > 1)
            self.issue_budget -= 1
            issues_written.append(issue.id)
            if "status: duplicate" not in issue.lines:
                originals.append(issue.id)
            if issue.resolved_on is None:
                self._write(f"records/issues/{issue.id}.md", "\n".join(issue.lines))
                continue
            group.append(issue)
            if len(group) >= group_size or self.issue_budget == 1:
                solution_number += 1
                self._solution(f"SOL-{solution_number:04d}", group)
                self.issue_budget -= 1
                group, group_size = [], self.rng.randint(1, 4)
        self.written += len(issues_written) + solution_number

    def _issue(self, number: int, earlier: list[str], may_resolve: bool) -> Issue:
        rng = self.rng
        iid = f"ISS-{number:04d}"
        module = rng.choice(list(MODULES))
        span = (self.today - dt.date(2025, 1, 1)).days - 30
        reported = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(span))
        roll = rng.random() if may_resolve else 0.95
        if roll < 0.80:
            path = rng.choice(
                [
                    ["investigating", "resolved"],
                    ["investigating", "verifying", "resolved"],
                    ["investigating", "escalated", "proposed", "verifying", "resolved"],
                ]
            )
        elif roll < 0.85 and earlier:
            path = ["investigating", "duplicate"]
        elif roll < 0.90:
            path = ["investigating", "declined"]
        else:
            path = rng.choice([["investigating"], ["investigating", "escalated"]])
            reported = self.today - dt.timedelta(days=rng.randrange(0, 20))
        dates: list[tuple[str, dt.date]] = []
        when = reported
        for step in path:
            when = min(when + dt.timedelta(days=rng.randrange(0, 4)), self.today)
            dates.append((step, when))
        status = path[-1]
        fill = self._fill(module)
        title = rng.choice(SYMPTOMS).format(**fill).strip("“”")[:28]
        lines = [
            "---",
            f"id: {iid}",
            f'title: "{title}"',
            f"reporter: {fill['reporter_id']}",
            f"reported: {reported.isoformat()}",
            f"module: {module}",
            f"severity: {rng.choice(SEVERITIES)}",
        ]
        issue = Issue(iid, module)
        if status in ("resolved", "declined", "duplicate") or rng.random() < 0.5:
            lines.append(f"cause: {rng.choice(CAUSE_CODES)}")
        lines.append(f"status: {status}")
        if "escalated" in path:
            lines.append("handled_by: consultant")
        lines.append("dates:")
        lines += [f"  {step}: {day.isoformat()}" for step, day in dates]
        if status == "resolved":
            issue.resolved_on = dates[-1][1]
            issue.solution = "SOL-????"  # filled in when the solution's number is known
            lines.append("solution: SOL-????")
        elif status == "duplicate":
            lines.append(f"duplicate_of: {rng.choice(earlier)}")
        elif status == "declined":
            lines.append("decline_reason: 属于新需求，已转入变更需求评估")
        tags = rng.sample(MODULES[module][1], k=2)
        lines += [f"tags: [{', '.join(tags)}]", "---", "", *self._body(fill)]
        issue.lines = lines
        return issue

    def _fill(self, module: str) -> dict[str, str]:
        rng = self.rng
        return {
            "customer": rng.choice(CUSTOMERS),
            "amount": str(rng.randint(2, 95)),
            "month": str(rng.randint(1, 12)),
            "screen": rng.choice(SCREENS),
            "reporter": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "reporter_id": rng.choice(self.people),
            "module": MODULES[module][0],
        }

    def _body(self, fill: dict[str, str]) -> list[str]:
        rng = self.rng
        steps = [f"{i}. {s.format(**fill)}" for i, s in enumerate(rng.sample(STEPS, k=3), 1)]
        return [
            "## 现象",
            "",
            rng.choice(SYMPTOMS).format(**fill),
            "",
            "## 情景与复现",
            "",
            rng.choice(CONTEXTS).format(**fill),
            "",
            *steps,
            "",
            "## 原因分析",
            "",
            rng.choice(CAUSES),
            "",
        ]

    def _solution(self, sid: str, issues: list[Issue]) -> None:
        rng = self.rng
        for issue in issues:
            text = "\n".join(issue.lines).replace("solution: SOL-????", f"solution: {sid}")
            self._write(f"records/issues/{issue.id}.md", text)
        modules = sorted({i.module for i in issues})
        published = max(i.resolved_on for i in issues if i.resolved_on)
        cause = rng.choice(CAUSES)
        lines = [
            "---",
            f"id: {sid}",
            f'title: "{MODULES[modules[0]][0]}：{cause[:20]}"',
            f"modules: [{', '.join(modules)}]",
            f"issues: [{', '.join(i.id for i in issues)}]",
            f"confidence: {rng.choice(['draft', 'validated', 'validated', 'archived'])}",
            f"published: {published.isoformat()}",
            f"tags: [{', '.join(rng.sample(MODULES[modules[0]][1], k=2))}]",
            "---",
            "",
            "## 现象",
            "",
            f"{MODULES[modules[0]][0]}中出现的同类问题，共{len(issues)}起。",
            "",
            "## 原因",
            "",
            cause,
            "",
            "## 解决步骤",
            "",
            *[f"{n}. {s}" for n, s in enumerate(rng.sample(SOLUTION_STEPS, k=2), 1)],
            "",
            "## 预防与宣导",
            "",
            "在月度业务讨论会上通报，并把要点加入培训题库。",
            "",
        ]
        self._write(f"records/solutions/{sid}.md", "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to (re)create as a crmkb repository")
    parser.add_argument("--records", type=int, default=10_000, help="number of records")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY)
    args = parser.parse_args()
    written = Generator(args.out, args.records, args.seed, args.today).run()
    print(f"{written} records written to {args.out}")


if __name__ == "__main__":
    main()
