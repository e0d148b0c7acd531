"""The intake workflow's shell steps, run with bash against event fixtures (issue 19.2).

Each `run:` script of .github/workflows/intake.yml runs as GitHub runs it (`bash -eo pipefail`)
in a real git clone of the sample records whose `origin` is a local bare repository. `gh` is
tests/workflow/fake_gh/gh, which answers as GitHub does (a refused pull request, a missing
label); github.com is a local HTTPS server on loopback (curl reaches it through a .curlrc
`connect-to`) that serves one attachment and answers 404 for the rest, as a private
repository's attachments do. `uses:` steps are played by the test: checkout is the clone,
the artifact is one folder, the App token is a fixed string; the install steps are skipped
(the test's own environment has kb).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from .conftest import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github/workflows/intake.yml"
FAKE_GH = Path(__file__).parent / "fake_gh"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
SERVED = "/user-attachments/assets/6f1c2a90-1b2c-4d5e-9f00-aa11bb22cc33"
PRIVATE = "/user-attachments/assets/0a0b0c0d-1111-2222-3333-444455556666"
BUILT_IN, WRITE_TOKEN = "ghs_built_in_github_token", "ghs_app_installation"
_EXPR = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
SKIPPED = {"Install kb", "Install kb and gh"}


def load() -> dict[str, object]:
    doc = yaml.load(WORKFLOW.read_text("utf-8"), Loader=yaml.CSafeLoader)
    assert isinstance(doc, dict)
    return doc


@dataclass
class Run:
    """One workflow run: the jobs' results, outputs and what the fake gh was asked."""

    root: Path
    temp: Path
    state: Path
    event: Path
    env: dict[str, str]
    results: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)
    checkouts: dict[str, Path] = field(default_factory=dict)

    def calls(self) -> list[dict[str, object]]:
        path = self.state / "calls.jsonl"
        lines = path.read_text("utf-8").splitlines() if path.exists() else []
        return [json.loads(line) for line in lines]

    def comments(self) -> list[str]:
        return [str(c["body"]) for c in self.calls() if c["args"][:2] == ["issue", "comment"]]


def value(expr: str, run: Run, steps: dict[str, dict[str, str]]) -> str:
    """The few expressions intake.yml uses, as GitHub evaluates them in this run."""
    known = {
        "github.event.issue.number": "57",
        "github.token": BUILT_IN,
        "steps.app.outputs.token || secrets.INTAKE_TOKEN": WRITE_TOKEN,
        "runner.temp": str(run.temp),
    }
    if expr in known:
        return known[expr]
    if m := re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+)", expr):
        return steps.get(m.group(1), {}).get(m.group(2), "")
    if m := re.fullmatch(r"needs\.(\w+)\.result", expr):
        return run.results.get(m.group(1), "skipped")
    if m := re.fullmatch(r"needs\.(\w+)\.outputs\.(\w+)", expr):
        return run.outputs.get(m.group(1), {}).get(m.group(2), "")
    raise AssertionError(f"intake.yml uses an expression the test does not know: {expr}")


def substitute(text: object, run: Run, steps: dict[str, dict[str, str]]) -> str:
    return _EXPR.sub(lambda m: value(m.group(1), run, steps), str(text))


def read_outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT's `name=value` and `name<<DELIM` … `DELIM` forms."""
    found: dict[str, str] = {}
    lines = iter(path.read_text("utf-8").splitlines() if path.exists() else [])
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for part in lines:
                if part == delimiter:
                    break
                body.append(part)
            found[name] = "\n".join(body)
        elif "=" in line:
            name, text = line.split("=", 1)
            found[name] = text
    return found


def run_job(run: Run, name: str) -> str:
    """Run job `name`'s shell steps in order; its result (success/failure)."""
    job = load()["jobs"][name]  # type: ignore[index]
    checkout = run.root.parent / f"job-{name}"  # each job checks out main afresh
    subprocess.run(
        ["git", "clone", "-q", str(run.root.parent / "origin.git"), str(checkout)], check=True
    )
    (checkout / ".venv").symlink_to(REPO_ROOT / ".venv")
    run.checkouts[name] = checkout
    steps: dict[str, dict[str, str]] = {}
    job_env = {k: substitute(v, run, steps) for k, v in (job.get("env") or {}).items()}
    log: list[str] = []
    result = "success"
    for number, step in enumerate(job["steps"]):
        if "run" not in step or step.get("name") in SKIPPED:
            continue
        step_env = {k: substitute(v, run, steps) for k, v in (step.get("env") or {}).items()}
        output = run.temp / f"output-{name}-{number}"
        output.write_text("")
        env = {**run.env, **job_env, **step_env, "GITHUB_OUTPUT": str(output)}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        log.append(f"## {step.get('name')}\n{done.stdout}{done.stderr}")
        if "id" in step:
            steps[step["id"]] = read_outputs(output)
        if done.returncode != 0:
            result = "failure"
            break
    run.outputs[name] = {
        k: substitute(v, run, steps) for k, v in (job.get("outputs") or {}).items()
    }
    run.results[name] = result
    run.logs[name] = "\n".join(log)
    return result


def run_workflow(run: Run) -> None:
    """The three jobs as GitHub orders them: publish after a good record, answer always."""
    if run_job(run, "record") == "success":
        run_job(run, "publish")
    else:
        run.results["publish"] = "skipped"
    run_job(run, "answer")


class _Attachments(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("Authorization", "")))
        if self.path == SERVED:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)
            return
        self.send_error(404)  # what a private repository's attachment answers a token

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A loopback HTTPS server standing in for github.com; yields a folder with its .curlrc."""
    home = tmp_path_factory.mktemp("curl")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=github.com",
            "-addext",
            "subjectAltName=DNS:github.com",
            "-keyout",
            str(home / "key.pem"),
            "-out",
            str(home / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Attachments)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(home / "cert.pem", home / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    (home / ".curlrc").write_text(
        f"connect-to = github.com:443:127.0.0.1:{port}\ncacert = {home / 'cert.pem'}\n"
    )
    yield home
    server.shutdown()
    server.server_close()


def form_event(folder: Path, symptom: str = "保存后到账日期变成了今天。") -> Path:
    body = (
        "### 上报人（姓名或工号）\n\n_No response_\n\n### 相关知识库页面\n\n_No response_\n\n"
        "### CRM 模块\n\n应收与回款\n\n"
        f"### 现象（用你自己的话描述）\n\n{symptom}\n\n### 情景与复现步骤\n\n_No response_\n\n"
        f"### 证据（截图等）\n\n![回款单.png](https://github.com{SERVED})\n"
        f'<img alt="x" src="https://github.com{PRIVATE}" />\n\n### 影响程度\n\n高'
    )
    issue = {
        "number": 57,
        "title": "[问题] 回款单保存后到账日期变成了今天",
        "created_at": "2026-11-23T08:12:40Z",
        "user": {"login": "zhouyaqin"},
        "labels": [{"name": "problem-report"}],
        "body": body,
    }
    path = folder / "event.json"
    path.write_text(json.dumps({"action": "opened", "issue": issue}, ensure_ascii=False))
    return path


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def run(tmp_path: Path, github: Path) -> Run:
    origin, root, temp, state = (tmp_path / n for n in ("origin.git", "repo", "temp", "gh"))
    for folder in (temp, state):
        folder.mkdir()
    (state / "labels.json").write_text('["problem-report"]')
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    root.mkdir()
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    (root / ".venv").symlink_to(REPO_ROOT / ".venv")
    (root / ".gitignore").write_text(".venv\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "sample")
    git(root, "remote", "add", "origin", str(origin))
    git(root, "push", "-q", "origin", "main")
    env = {
        "PATH": f"{FAKE_GH}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),  # git config --global writes here, not to the tester's home
        "CURL_HOME": str(github),
        "FAKE_GH_DIR": str(state),
        "RUNNER_TEMP": str(temp),
        "GITHUB_EVENT_PATH": str(form_event(tmp_path)),
        "GITHUB_REPOSITORY": "example-co/crm-kb",
        "CRMKB_TODAY": "2026-11-23",
        "LANG": "C.UTF-8",
    }
    return Run(root, temp, state, Path(env["GITHUB_EVENT_PATH"]), env)


def pushed(run: Run) -> list[str]:
    origin = run.root.parent / "origin.git"
    listing = git(origin, "ls-tree", "-r", "-z", "--name-only", "intake/issue-57", "records")
    return listing.rstrip("\0").split("\0")


def test_a_private_attachment_that_answers_404_is_left_out_and_the_reporter_told(
    run: Run,
) -> None:
    _Attachments.requests.clear()
    run_workflow(run)
    assert run.results == {"record": "success", "publish": "success", "answer": "success"}, (
        run.logs["publish"]
    )
    files = pushed(run)
    assert "records/issues/ISS-0050.md" in files
    assert [f for f in files if f.startswith("records/evidence/ISS-0050/")] == [
        "records/evidence/ISS-0050/回款单.png"
    ]
    assert _Attachments.requests == [
        (SERVED, f"Bearer {BUILT_IN}"),
        (PRIVATE, f"Bearer {BUILT_IN}"),
    ]
    (comment,) = run.comments()
    assert comment.startswith("已登记为 ISS-0050（https://github.com/example-co/crm-kb/pull/58）")
    assert f"    https://github.com{PRIVATE} (HTTP 404)" in comment
    record = (run.checkouts["publish"] / "records/issues/ISS-0050.md").read_text("utf-8")
    assert "reporter: P005\n" in record and "reporter_confirmed" not in record


def test_a_refused_pull_request_tells_the_reporter_githubs_reason(run: Run) -> None:
    (run.state / "refuse-pr").touch()
    run_workflow(run)
    assert (run.results["record"], run.results["publish"]) == ("success", "failure")
    (comment,) = run.comments()
    assert comment.startswith("问题已核对无误，但没能自动打开拉取请求")
    assert "GitHub Actions is not permitted to create or approve pull requests" in comment


def test_a_missing_label_still_opens_the_pull_request(run: Run) -> None:
    (run.state / "labels.json").write_text("[]")
    run_workflow(run)
    assert run.results["publish"] == "success", run.logs["publish"]
    opened = [c for c in run.calls() if c["args"][:2] == ["pr", "create"]]
    assert [("--label" in c["args"], c.get("refused", False)) for c in opened] == [
        (True, True),
        (False, False),
    ]
    assert run.comments()[0].startswith("已登记为 ISS-0050")


def test_a_bad_form_gets_kbs_own_error_in_chinese(run: Run) -> None:
    form_event(run.event.parent, symptom="_No response_")
    run_workflow(run)
    assert (run.results["record"], run.results["publish"]) == ("failure", "skipped")
    (comment,) = run.comments()
    assert comment.startswith("这份问题上报没能自动登记。kb 的说明：\n\n")
    assert "    error: 问题单 #57：表单缺少现象（用你自己的话描述），请补上后重新提交" in comment
    assert git(run.root.parent / "origin.git", "branch", "--list", "intake/*") == ""


def test_hostile_text_reaches_no_shell_and_no_mention(run: Run) -> None:
    evil = "$(touch pwned) `touch pwned2` @everyone\n```\n### CRM 模块\n\n火星"
    form_event(run.event.parent, symptom=evil)
    run_workflow(run)
    assert run.results["publish"] == "success", run.logs
    assert not list(run.root.parent.rglob("pwned*"))
    record = (run.checkouts["publish"] / "records/issues/ISS-0050.md").read_text("utf-8")
    assert "module: receivable" in record


def test_only_the_pull_request_step_holds_the_write_token() -> None:
    doc = load()
    assert doc["permissions"] == {}
    assert "group" in doc["concurrency"]  # type: ignore[operator]
    holders = []
    for name, job in doc["jobs"].items():  # type: ignore[union-attr]
        assert set(job["permissions"].values()) <= {"read", "write"}
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        assert writes <= ({"issues"} if name == "answer" else set()), name
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), uses
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            if "steps.app.outputs.token" in json.dumps(step.get("env", {})):
                holders.append((name, step["name"]))
    assert holders == [("publish", "Open the pull request (the only step with a write token)")]


def test_the_setup_script_creates_the_label(run: Run) -> None:
    (run.state / "labels.json").write_text("[]")
    env = {**run.env, "GH_TOKEN": "admin"}
    script = REPO_ROOT / ".github/setup-intake.sh"
    done = subprocess.run(
        ["bash", str(script)], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads((run.state / "labels.json").read_text()) == ["problem-report"]
    assert "Allow GitHub Actions to create and approve pull requests" in done.stdout
    again = subprocess.run(
        ["bash", str(script)], env=env, capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr  # --force: running it twice is fine
