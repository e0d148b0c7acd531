"""Twenty mixed `kb` commands at once: each exit-0 command's change is in the files, in order."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from crmkb.yamlfile import load_markdown

from .conftest import KB, TODAY, InProcess, kb_env

STEPS = [
    ("investigate", "ISS-0040"),
    ("decline", "ISS-0040", "--reason", "按设计如此"),
    ("investigate", "ISS-0043"),
    ("duplicate", "ISS-0043", "--of", "ISS-0003"),
    ("resolve", "ISS-0021", "--solution", "SOL-0001"),
    ("resolve", "ISS-0037", "--solution", "SOL-0001", "--cause", "process"),
    ("resolve", "ISS-0022", "--solution", "SOL-0001"),
    ("escalate", "ISS-0038"),
    ("propose", "ISS-0038"),
    ("verify", "ISS-0030"),
    ("propose", "ISS-0031"),
    ("resolve", "ISS-0023", "--new-solution", "--title", "并发新方案甲"),
    ("resolve", "ISS-0024", "--new-solution", "--title", "并发新方案乙"),
]
NEW = ("--set", "reporter=P010", "--set", "module=receivable", "--set", "severity=low")
OTHERS = [
    *[("new", "issue", "--title", f"并发登记 #{n}: [测试]", *NEW) for n in range(5)],
    ("cr", "option", "CR-0008", "--key", "Z", "--summary", "并发方案 # 注释"),
    ("cr", "pilot-end", "CR-0003", "--outcome", "试点顺利: 可推广 #1"),
]
TARGET = {
    "investigate": "investigating",
    "decline": "declined",
    "duplicate": "duplicate",
    "resolve": "resolved",
    "escalate": "escalated",
    "propose": "proposed",
    "verify": "verifying",
}


def _front(root: Path, rel: str) -> dict[str, object]:
    data = load_markdown(root / rel, rel).data
    assert isinstance(data, dict)
    return data


def test_twenty_commands_at_once_lose_nothing(sample: Path, kb: InProcess) -> None:
    commands = [*STEPS, *OTHERS]
    assert len(commands) == 20
    procs = [
        subprocess.Popen(
            [str(KB), *args],
            env=kb_env(sample),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    results = [
        (args, p.wait(timeout=300), *p.communicate())
        for args, p in zip(commands, procs, strict=True)
    ]
    for args, code, _, err in results:
        assert "Traceback" not in err, (args, err)
        assert code in (0, 1), (args, code, err)
        if code == 1:  # the step was illegal by the time it ran, and it said why
            assert "cannot move to" in err, (args, err)
    today = yaml.safe_load(TODAY)
    for args, code, out, _ in results:
        if code != 0:
            continue
        if args[0] in TARGET:
            issue = _front(sample, f"records/issues/{args[1]}.md")
            dates = issue["dates"]
            assert isinstance(dates, dict) and dates.get(TARGET[args[0]]) == today, args
            if args[0] == "resolve":
                solution_id = str(issue["solution"])
                solution = _front(sample, f"records/solutions/{solution_id}.md")
                assert args[1] in solution["issues"], (args, solution_id)  # type: ignore[operator]
        elif args[0] == "new":
            created = _front(sample, out.strip())
            assert created["title"] == args[3]
        elif args[1] == "option":
            assert "并发方案 # 注释" in (sample / "records/changes/CR-0008.md").read_text()
        else:
            cr = _front(sample, "records/changes/CR-0003.md")
            assert cr["pilot"]["outcome"] == "试点顺利: 可推广 #1"  # type: ignore[index]
    succeeded = [args for args, code, _, _ in results if code == 0]
    assert len(succeeded) >= 16  # at most one of each racing pair (same issue) can be refused
    created = [out.strip() for args, code, out, _ in results if code == 0 and args[0] == "new"]
    assert len(set(created)) == 5
    check = kb("check")
    assert check.exit_code == 0, check.stdout
    assert not (sample / ".kb-journal.json").exists()
    assert not list(sample.rglob("*.kb-tmp"))
