"""Reader-facing labels for every state, severity, cause, stage and role code, per content language.

One table per language; pages, reports, charts and the leaderboard look codes up here so a
Chinese site never shows `verifying` and an English one never shows `用户验证中`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    status: dict[str, str]
    cause: dict[str, str]
    severity: dict[str, str]
    handled_by: dict[str, str]
    confidence: dict[str, str]
    change_status: dict[str, str]
    track: dict[str, str]
    rights: dict[str, str]
    verdict: dict[str, str]
    unknown_cause: str

    def of(self, table: str, code: str | None) -> str:
        """The label of `code` in `table`, or the code itself when it has none."""
        if not code:
            return self.unknown_cause if table == "cause" else "—"
        labels: dict[str, str] = getattr(self, table)
        return labels.get(code, code)


ZH = Labels(
    status={
        "reported": "已登记",
        "investigating": "调查中",
        "escalated": "已升级顾问",
        "proposed": "顾问已给方案",
        "verifying": "用户验证中",
        "resolved": "已解决",
        "duplicate": "重复",
        "declined": "不予处理",
    },
    cause={
        "system_defect": "系统缺陷",
        "configuration": "配置问题",
        "user_error": "操作失误",
        "process": "流程问题",
        "master_data": "主数据问题",
        "training_gap": "培训不足",
        "requirement": "需求问题",
    },
    severity={"low": "低", "medium": "中", "high": "高", "critical": "紧急"},
    handled_by={"internal": "内部解决", "consultant": "顾问支持"},
    # "archived" means kept on record as the settled answer, not withdrawn.
    confidence={"draft": "草稿", "validated": "已验证", "archived": "已定稿存档"},
    change_status={
        "requested": "已提出",
        "options_proposed": "顾问已给方案",
        "evaluated": "用户已评估",
        "decided": "已决策",
        "developing": "开发中",
        "piloting": "试点中",
        "rolled_out": "已推广",
        "rejected": "已否决",
    },
    track={"operation": "系统操作", "process": "业务流程"},
    rights={"enter": "录入", "review": "审核", "query": "查询", "modify": "修改"},
    verdict={"accept": "接受", "reject": "不接受", "revise": "需修改"},
    unknown_cause="待分析",
)

EN = Labels(
    status={
        "reported": "reported",
        "investigating": "investigating",
        "escalated": "escalated to consultant",
        "proposed": "fix proposed",
        "verifying": "user verifying",
        "resolved": "resolved",
        "duplicate": "duplicate",
        "declined": "declined",
    },
    cause={
        "system_defect": "system defect",
        "configuration": "configuration",
        "user_error": "user error",
        "process": "process",
        "master_data": "master data",
        "training_gap": "training gap",
        "requirement": "requirement",
    },
    severity={"low": "low", "medium": "medium", "high": "high", "critical": "critical"},
    handled_by={"internal": "in-house", "consultant": "consultant"},
    confidence={"draft": "draft", "validated": "validated", "archived": "archived (settled)"},
    change_status={
        "requested": "requested",
        "options_proposed": "options proposed",
        "evaluated": "evaluated",
        "decided": "decided",
        "developing": "in development",
        "piloting": "piloting",
        "rolled_out": "rolled out",
        "rejected": "rejected",
    },
    track={"operation": "operation", "process": "process"},
    rights={"enter": "enter", "review": "review", "query": "query", "modify": "modify"},
    verdict={"accept": "accept", "reject": "reject", "revise": "revise"},
    unknown_cause="not yet analysed",
)

_BY_LANGUAGE = {"zh": ZH, "en": EN}


def labels(language: str) -> Labels:
    """The labels for a content language; unknown languages get Chinese, the default."""
    return _BY_LANGUAGE.get(language, ZH)
