"""Ids across branches, with real git: three branches from one main each take "the next free
id"; merged in any order, each later one is told by `kb check --base` to run
`kb renumber --onto main`, after which it merges with no conflict, every id distinct and every
reference intact."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from crmkb.cli import main

from .conftest import REPO_ROOT, TODAY
from .test_intake import PNG, mail

BRANCHES = ("intake-a", "intake-b", "lead")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "lead",
    "GIT_AUTHOR_EMAIL": "lead@corp.example.cn",
    "GIT_COMMITTER_NAME": "lead",
    "GIT_COMMITTER_EMAIL": "lead@corp.example.cn",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env)


def ok(root: Path, *args: str) -> str:
    done = git(root, *args)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def kb(root: Path, *args: str) -> Result:
    env = {"CRMKB_TODAY": TODAY, "CRMKB_ROOT": str(root)}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main with the sample, and three branches from it that each add ISS-0050."""
    root = tmp_path_factory.mktemp("origin") / "kb"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    shutil.copy(REPO_ROOT / ".gitignore", root / ".gitignore")
    with (root / "crmkb.yml").open("a", encoding="utf-8") as config:
        config.write("me: P001\n")
    ok(root, "init", "-q", "-b", "main")
    ok(root, "add", "-A")
    ok(root, "commit", "-q", "-m", "sample")
    mails = root.parent / "mails"
    mails.mkdir()
    for branch, text in (
        ("intake-a", "问题1：报价单税率错误\n模块：order\n报价单税率显示13%。\n"),
        ("intake-b", "问题1：回款无法核销\n模块：receivable\n核销按钮灰色。\n"),
    ):
        ok(root, "checkout", "-q", "-b", branch, "main")
        folder = mails / branch
        folder.mkdir()
        result = kb(root, "intake", str(mail(folder, text, **{"shot.png": PNG})))
        assert result.exit_code == 0, result.output
        assert "ISS-0050" in result.output
        ok(root, "add", "-A")
        ok(root, "commit", "-q", "-m", f"{branch}: intake")
    ok(root, "checkout", "-q", "-b", "lead", "main")
    new = kb(
        root, "new", "issue", "--title", "合同审批流卡在财务", "--set", "reporter=P012",
        "--set", "module=receivable", "--set", "severity=medium",
    )  # fmt: skip
    assert new.exit_code == 0, new.output
    assert "ISS-0050" in new.output
    for args in (
        ("note", "ISS-0050", "与ISS-0050的审批节点有关"),
        ("investigate", "ISS-0050"),
        ("resolve", "ISS-0050", "--new-solution", "--title", "审批流重新指派", "--cause",
         "configuration"),
    ):  # fmt: skip
        result = kb(root, *args)
        assert result.exit_code == 0, result.output
    ok(root, "add", "-A")
    ok(root, "commit", "-q", "-m", "lead: new issue, resolved with a new solution")
    ok(root, "checkout", "-q", "main")
    return root


def new_issues(root: Path) -> dict[str, dict[str, object]]:
    """The issues the three branches added, by title."""
    found = {}
    for path in sorted((root / "records/issues").glob("ISS-*.md")):
        data = front(path)
        assert data["id"] == path.stem
        if int(path.stem.split("-")[1]) >= 50:
            found[str(data["title"])] = data
    return found


@pytest.mark.parametrize("order", list(itertools.permutations(BRANCHES)), ids="-".join)
def test_every_merge_order_ends_with_distinct_ids(
    origin: Path, tmp_path: Path, order: tuple[str, ...]
) -> None:
    root = tmp_path / "clone"
    ok(tmp_path, "clone", "-q", str(origin), str(root))
    for branch in BRANCHES:
        ok(root, "branch", "-q", branch, f"origin/{branch}")
    for position, branch in enumerate(order):
        ok(root, "checkout", "-q", branch)
        check = kb(root, "--lang", "en", "check", "--base", "main")
        if position == 0:
            assert check.exit_code == 0, check.output
        else:
            # main took ISS-0050 (and maybe 0051) since this branch left it
            assert check.exit_code == 1
            assert re.search(
                r"^records/issues/ISS-0050\.md:2:5: error: ISS-0050 was also added on main "
                r"since this branch left it; run: kb renumber --onto main$",
                check.output,
                re.M,
            ), check.output
            fixed = kb(root, "renumber", "--onto", "main")
            assert fixed.exit_code == 0, fixed.output
            assert f"ISS-0050 → ISS-{50 + position:04d}" in fixed.output
            ok(root, "add", "-A")
            ok(root, "commit", "-q", "-m", "renumber onto main")
            again = kb(root, "check", "--base", "main")
            assert again.exit_code == 0, again.output
        ok(root, "checkout", "-q", "main")
        merged = git(root, "merge", "--no-ff", "-q", "-m", f"merge {branch}", branch)
        assert merged.returncode == 0, merged.stdout + merged.stderr  # no conflict
    assert git(root, "status", "--porcelain").stdout == ""
    final = kb(root, "check")
    assert final.exit_code == 0, final.output
    assert " 0 errors" in final.output or "0 个错误" in final.output

    issues = new_issues(root)
    assert sorted(str(i["id"]) for i in issues.values()) == ["ISS-0050", "ISS-0051", "ISS-0052"]
    for title in ("报价单税率错误", "回款无法核销"):
        issue = issues[title]
        assert issue["evidence"] == [f"records/evidence/{issue['id']}/shot.png"]
        assert (root / f"records/evidence/{issue['id']}/shot.png").read_bytes() == PNG
    lead = issues["合同审批流卡在财务"]
    solution = front(root / f"records/solutions/{lead['solution']}.md")
    assert solution["issues"] == [lead["id"]]
    lead_text = (root / f"records/issues/{lead['id']}.md").read_text(encoding="utf-8")
    assert f"与{lead['id']}的审批节点有关" in lead_text
    assert sorted(p.name for p in (root / "records/evidence").iterdir()) == sorted(
        {"ISS-0001", "ISS-0003", "ISS-0012", "ISS-0021", "ISS-0041"}
        | {str(issues[t]["id"]) for t in ("报价单税率错误", "回款无法核销")}
    )


def _ids_step() -> str:
    workflow = yaml.safe_load((REPO_ROOT / ".github/workflows/ids.yml").read_text("utf-8"))
    on = workflow[True]  # PyYAML reads the key `on` as YAML 1.1's true
    assert on == {"pull_request_target": {"types": ["opened", "synchronize", "reopened"]}}
    assert workflow["permissions"] == {"contents": "read"}
    (step,) = [s for s in workflow["jobs"]["ids"]["steps"] if s.get("name", "").startswith("Ids")]
    script = step["run"]
    assert isinstance(script, str)
    return script


@pytest.mark.parametrize(("head", "taken"), [("intake-b", True), ("lead", True), ("main", False)])
def test_the_ids_workflow_fails_a_pull_request_whose_id_main_took(
    origin: Path, tmp_path: Path, head: str, taken: bool
) -> None:
    """The workflow's own step, run on a checkout of main (pull_request_target) after
    intake-a merged, with the pull request's head published as refs/pull/7/head."""
    remote = tmp_path / "remote.git"
    ok(tmp_path, "clone", "-q", "--bare", str(origin), str(remote))
    ok(remote, "merge-base", "main", "intake-a")
    work = tmp_path / "work"
    ok(tmp_path, "clone", "-q", str(remote), str(work))
    ok(work, "merge", "-q", "--no-ff", "-m", "merge intake-a", "origin/intake-a")
    ok(work, "push", "-q", "origin", "main")
    ok(remote, "update-ref", "refs/pull/7/head", f"refs/heads/{head}")
    checkout = tmp_path / "checkout"
    ok(tmp_path, "clone", "-q", str(remote), str(checkout))
    (checkout / ".venv").symlink_to(Path(sys.executable).parents[1])
    env = {**os.environ, **GIT_ENV, "PR": "7", "BASE": "main", "KB_LANG": "en"}
    done = subprocess.run(
        ["bash", "-e", "-c", _ids_step()], cwd=checkout, env=env, capture_output=True, text=True
    )
    if taken:
        assert done.returncode == 1, done.stdout + done.stderr
        assert done.stderr.endswith(
            "records/issues/ISS-0050.md:2:5: error: ISS-0050 was also added on origin/main "
            "since this branch left it; run: kb renumber --onto origin/main\n"
        )
    else:
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == "no id of this branch was taken on origin/main\n"
    assert git(checkout, "status", "--porcelain", "--", "records").stdout == ""
