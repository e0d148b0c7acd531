"""The problem-report link's target and the result labels, in both content languages."""

from __future__ import annotations

import pytest

from crmkb.search.assets import report_url
from crmkb.search.documents import symptom_of
from crmkb.search.labels import issue_state, kind_label


def test_report_url_from_site_config() -> None:
    assert report_url("https://git.example.com/crm/crmkb/") == (
        "https://git.example.com/crm/crmkb/issues/new?template=problem-report.yml"
    )


def test_report_url_from_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/crmkb")
    assert report_url("") == "https://github.com/acme/crmkb/issues/new?template=problem-report.yml"


@pytest.mark.parametrize("value", ["", "javascript:alert(1)", "/relative/path", "ftp://x/y"])
def test_no_report_url_without_a_web_address(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    assert report_url(value) == ""


def test_labels_follow_the_content_language() -> None:
    assert [kind_label("issue", "zh"), issue_state("resolved", "zh")] == ["问题", "已解决"]
    assert issue_state("investigating", "zh") == "未解决（调查中）"
    assert issue_state("duplicate", "zh") == "重复问题"
    assert [kind_label("solution", "en"), issue_state("resolved", "en")] == ["Solution", "Solved"]
    assert issue_state("escalated", "en") == "Open (escalated)"


def test_symptom_is_the_body_section_in_either_language() -> None:
    assert symptom_of("## 现象\n\n点保存没反应。\n\n## 原因分析\n\n缓存。\n") == "点保存没反应。"
    assert symptom_of("## Symptom\n\nSave hangs.\n\n## Cause\n\nCache.\n") == "Save hangs."
    assert symptom_of("## 原因分析\n\n缓存。\n") == ""
