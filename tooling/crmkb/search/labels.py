"""The words a search result shows beside its title: the page kind and an issue's state.

Kept small and local so it can merge into the site's labels module; every label follows the
content language (`language` in crmkb.yml).
"""

from __future__ import annotations

KIND = {
    "zh": {
        "issue": "问题",
        "solution": "解决方案",
        "change": "变更需求",
        "training": "培训",
        "index": "列表",
        "listing": "报告",
        "page": "页面",
    },
    "en": {
        "issue": "Issue",
        "solution": "Solution",
        "change": "Change request",
        "training": "Training",
        "index": "List",
        "listing": "Report",
        "page": "Page",
    },
}
RESOLVED = {"zh": "已解决", "en": "Solved"}
OPEN = {"zh": "未解决", "en": "Open"}
STATE = {
    "zh": {
        "reported": "已登记",
        "investigating": "调查中",
        "escalated": "已升级顾问",
        "proposed": "顾问已给方案",
        "verifying": "用户验证中",
        "duplicate": "重复问题",
        "declined": "不予处理",
    },
    "en": {
        "reported": "reported",
        "investigating": "investigating",
        "escalated": "escalated",
        "proposed": "fix proposed",
        "verifying": "user verifying",
        "duplicate": "Duplicate",
        "declined": "Declined",
    },
}
CLOSED_OTHERWISE = ("duplicate", "declined")


def kind_label(kind: str, language: str) -> str:
    return KIND.get(language, KIND["zh"]).get(kind, KIND["zh"]["page"])


def issue_state(status: str, language: str) -> str:
    """已解决, 未解决（调查中）, or the closing state for duplicates and declines."""
    states = STATE.get(language, STATE["zh"])
    if status == "resolved":
        return RESOLVED.get(language, RESOLVED["zh"])
    if status in CLOSED_OTHERWISE:
        return states[status]
    open_label = OPEN.get(language, OPEN["zh"])
    detail = states.get(status, status)
    return f"{open_label}（{detail}）" if language == "zh" else f"{open_label} ({detail})"
