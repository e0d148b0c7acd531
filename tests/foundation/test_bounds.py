"""The schema bounds what a person would never write, with a located message for each bound."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

ISSUE = "records/issues/ISS-0001.md"


def test_a_huge_title_and_two_thousand_tags_are_refused(repo: Repo, kb: Kb) -> None:
    tags = ", ".join(f"t{i}" for i in range(2000))
    repo.replace(ISSUE, "title: 节后入账的回款显示逾期", "title: " + "长" * 20_000)
    repo.replace(ISSUE, "tags: [节假日, 账龄]", f"tags: [{tags}]")
    result = kb("check")
    assert (result.exit_code, result.stdout.splitlines()) == (
        1,
        [
            f"{ISSUE}:3:8: error: title: 20,000 characters; at most 200 allowed, shorten it",
            f"{ISSUE}:15:7: error: tags: 2,000 items; at most 30 allowed, keep the ones that "
            "matter",
        ],
    )


def test_long_tags_free_text_and_bodies_are_refused(repo: Repo, kb: Kb) -> None:
    repo.replace(ISSUE, "tags: [节假日, 账龄]", f"tags: [节假日, {'x' * 41}]")
    repo.replace("records/roles.yml", "duties: [跟踪问题到结案]", f"duties: [{'责' * 2001}]")
    repo.write(
        "records/feedback/FB-0001.md",
        repo.read("records/feedback/FB-0001.md") + "原话。" * 40_000,
    )
    result = kb("check")
    assert result.stdout.splitlines() == [
        "records/feedback/FB-0001.md:9:1: error: body is 120,005 characters; at most 100,000 "
        "allowed, move long logs or exports into an evidence file",
        f"{ISSUE}:15:13: error: tags.1: 41 characters; at most 40 allowed, shorten it",
        "records/roles.yml:4:14: error: duties.0: 2,001 characters; at most 2,000 allowed, "
        "shorten it",
    ]


def test_the_limits_themselves_pass(repo: Repo, kb: Kb) -> None:
    tags = ", ".join(f"{i:02d}" + "x" * 38 for i in range(30))
    repo.replace(ISSUE, "title: 节后入账的回款显示逾期", "title: " + "长" * 200)
    repo.replace(ISSUE, "tags: [节假日, 账龄]", f"tags: [{tags}]")
    assert kb("check").exit_code == 0
