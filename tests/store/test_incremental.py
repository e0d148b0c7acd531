"""The write path's after-change check reruns the rules only where a change can alter them, and
finds exactly the errors of `cross_check` run on the whole knowledge base after the change."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crmkb.cli import main
from crmkb.errors import RecordError
from crmkb.knowledge_base import KnowledgeBase, cross_check, load_records
from crmkb.store import remembered, validate
from crmkb.store.change import errors_only
from crmkb.store.incremental import PER_RECORD, scope

from .conftest import REPO_ROOT, TODAY, changed, copy_sample, git

DAY = dt.date.fromisoformat(TODAY)
PER_RECORD_ID = re.compile(r"^(ISS|SOL|CR|FB)-\d{4}$")
# The examples share module-scoped loaded repositories; a full check per example is slow.
QUIET: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@dataclass(repr=False)
class State:
    """A repository loaded as a write loads it (the second load: records come from the cache)."""

    root: Path
    kb: KnowledgeBase
    load_errors: list[RecordError]
    cross_errors: list[RecordError]
    texts: dict[str, str]  # every record file's text, by repository path

    @classmethod
    def of(cls, root: Path) -> State:
        load_records(root, today=DAY)  # fills the record cache
        kb, load_errors = load_records(root, today=DAY)
        cross = errors_only(cross_check, kb)
        files = sorted(p for p in (root / "records").rglob("*") if p.suffix in (".md", ".yml"))
        texts = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in files}
        return cls(root, kb, load_errors, cross, texts)

    def ids(self, prefix: str) -> list[str]:
        return sorted(Path(p).stem for p in self.texts if Path(p).stem.startswith(prefix))


def _broken_sample(root: Path) -> Path:
    """The sample with errors already in it, which a change must neither hide nor be blamed for."""
    copy_sample(root)
    issue = root / "records/issues/ISS-0010.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("reporter: P", "reporter: P9"))
    solution = root / "records/solutions/SOL-0003.md"
    text = solution.read_text(encoding="utf-8")
    solution.write_text(re.sub(r"^issues: \[", "issues: [ISS-0039, ", text, flags=re.M))
    (root / "records/issues/ISS-0043.md").write_text("---\nid: ISS-0043\ntitle: [broken\n---\n")
    misnamed = root / "records/issues/ISS-0042.md"  # loads as ISS-0142, with an error
    misnamed.write_text(
        misnamed.read_text(encoding="utf-8").replace("id: ISS-0042", "id: ISS-0142")
    )
    return root


def _generated(root: Path) -> Path:
    script = REPO_ROOT / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, script, root, "--records", "300", "--seed", "3"], check=True)
    return root


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> list[State]:
    made = tmp_path_factory.mktemp("incremental")
    roots = [
        copy_sample(made / "sample"),
        _broken_sample(made / "broken"),
        _generated(made / "generated"),
    ]
    return [State.of(root) for root in roots]


# -- random edits ------------------------------------------------------------------------

KEYS = ("solution", "duplicate_of", "status", "reporter", "module", "owner", "issues", "id")


@st.composite
def edits(draw: st.DrawFn, state: State) -> dict[str, str]:
    """One to three record files rewritten, sometimes one created, by edits a person or a
    command would make: a field set to another (or an unknown, or an invalid) id, a line
    dropped, a list grown, a file garbled."""
    issues, solutions = state.ids("ISS-"), state.ids("SOL-")
    people = ["P001", "P002", "P005", "P010", "P999"]
    values = [*draw(st.permutations(issues))[:3], *draw(st.permutations(solutions))[:2]]
    values += [*people, "ISS-9999", "SOL-9999", "receivable", "nosuchmodule", "resolved"]
    values += ["duplicate", "investigating", "[ISS-0001, ISS-0002]", "[]", "'[oops"]
    paths = sorted(state.texts)
    per_record = [p for p in paths if p.split("/")[1] in ("issues", "solutions", "changes")]
    texts: dict[str, str] = {}
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(per_record if draw(st.integers(0, 5)) else paths))
        texts[path] = _edit(draw, texts.get(path, state.texts[path]), values)
    if draw(st.booleans()):
        source = draw(st.sampled_from(per_record))
        folder, name = source.rsplit("/", 1)
        new_id = draw(st.sampled_from([f"{name[:3].rstrip('-')}-0999", "ISS-9999", "SOL-9999"]))
        text = state.texts[source].replace(name.rsplit(".", 1)[0], new_id, 1)
        texts[f"{folder}/{new_id}.{name.rsplit('.', 1)[1]}"] = _edit(draw, text, values)
    return texts


def _edit(draw: st.DrawFn, text: str, values: list[str]) -> str:
    lines = text.split("\n")
    fields = [i for i, line in enumerate(lines) if re.match(r"^[a-z_]+: ", line)]
    how = draw(st.sampled_from(["set", "set", "set", "add", "drop", "garble"]))
    if how == "garble":
        return text[: draw(st.integers(0, len(text)))]
    if how == "add" or not fields:
        line = f"{draw(st.sampled_from(KEYS))}: {draw(st.sampled_from(values))}"
        at = fields[-1] + 1 if fields else 0
        return "\n".join([*lines[:at], line, *lines[at:]])
    at = draw(st.sampled_from(fields))
    if how == "drop":
        return "\n".join(lines[:at] + lines[at + 1 :])
    key = lines[at].split(":", 1)[0]
    lines[at] = f"{key}: {draw(st.sampled_from(values))}"
    return "\n".join(lines)


def _full(after: validate.After) -> list[RecordError]:
    return sorted({e for e in errors_only(cross_check, after.kb) if e.severity == "error"})


@settings(max_examples=120, **QUIET)
@given(data=st.data())
def test_random_edits_find_what_a_full_check_finds(
    states: list[State], data: st.DataObject
) -> None:
    state = data.draw(st.sampled_from(states))
    texts = data.draw(edits(state))
    after = validate.after_change(state.kb, state.load_errors, texts)
    ids = scope(state.kb, after)
    if after.kinds <= PER_RECORD and all(PER_RECORD_ID.match(i) for i in after.ids):
        assert ids is not None  # the incremental check is what ran
    found = validate.cross_errors_after(state.kb, state.cross_errors, after, inputs_same=True)
    assert sorted(set(found)) == _full(after)


@pytest.fixture(scope="module")
def scratch(states: list[State], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the broken sample (without its cache) to write changes into and load afresh."""
    root = tmp_path_factory.mktemp("scratch") / "kb"
    shutil.copytree(states[1].root, root, ignore=shutil.ignore_patterns(".kb-cache"))
    return root


@contextmanager
def _written(scratch: Path, state: State, texts: dict[str, str]) -> Iterator[None]:
    """The edited files written into the scratch copy, put back afterwards."""
    try:
        for shown, text in texts.items():
            (scratch / shown).write_text(text, encoding="utf-8")
        yield
    finally:
        for shown in texts:
            if shown in state.texts:
                (scratch / shown).write_text(state.texts[shown], encoding="utf-8")
            else:
                (scratch / shown).unlink()


@settings(max_examples=40, **QUIET)
@given(data=st.data())
def test_the_check_equals_kb_check_after_the_files_are_written(
    states: list[State], scratch: Path, data: st.DataObject
) -> None:
    """What the write check finds (load and cross-record errors) is what `kb check` finds
    once the files are written, on a repository that already has errors."""
    state = states[1]
    texts = data.draw(edits(state))
    after = validate.after_change(state.kb, state.load_errors, texts)
    # A file given another file's id: the write check names the duplicate in the written
    # file, kb check in whichever file sorts later; both refuse the change.
    mine = [e.message for e in after.errors if e.path in texts]
    assume(not any("duplicate id" in m or "does not match the file name" in m for m in mine))
    cross = validate.cross_errors_after(state.kb, state.cross_errors, after, inputs_same=True)
    found = sorted({e for e in after.errors + cross if e.severity == "error"})
    with _written(scratch, state, texts):
        kb, load_errors = load_records(scratch, today=DAY)
        fresh = load_errors + errors_only(cross_check, kb)
    assert found == sorted({e for e in fresh if e.severity == "error"})


@settings(max_examples=30, **QUIET)
@given(data=st.data())
def test_hand_edits_since_the_last_write_are_checked_incrementally(
    states: list[State], scratch: Path, data: st.DataObject
) -> None:
    """Files edited by hand (or by a git pull) since the last state a write knew: the next
    write's starting errors come from that state and the changed files, and equal a full check."""
    state = states[1]
    kb, load_errors = load_records(scratch, today=DAY)
    remembered.before_errors(kb, load_errors)  # a write starts here: the state is kept
    texts = data.draw(edits(state))
    with _written(scratch, state, texts):
        kb, load_errors = load_records(scratch, today=DAY)
        incremental_errors = remembered._from_base(kb, load_errors)
        full = sorted({e for e in errors_only(cross_check, kb) if e.severity == "error"})
        assert remembered.before_errors(kb, load_errors) == full
    if incremental_errors is not None:
        assert incremental_errors == full


def test_a_hand_edit_then_a_step_reruns_only_what_the_edit_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _broken_sample(tmp_path / "kb")
    monkeypatch.setenv("CRMKB_ROOT", str(root))  # as the kb commands below see it
    monkeypatch.setenv("CRMKB_TODAY", TODAY)
    assert _kb(root, "investigate", "ISS-0040")[0] == 0  # a write: its state is kept
    issue = root / "records/issues/ISS-0044.md"  # the lead points the duplicate elsewhere
    issue.write_text(issue.read_text(encoding="utf-8").replace("ISS-0003", "ISS-0040"))
    kb, load_errors = load_records(root, today=DAY)
    found = remembered._from_base(kb, load_errors)
    assert found is not None
    assert found == sorted({e for e in errors_only(cross_check, kb) if e.severity == "error"})
    assert _kb(root, "escalate", "ISS-0040")[0] == 0


def test_a_step_reruns_the_rules_of_the_records_it_touches_only(states: list[State]) -> None:
    """An edit of ISS-0003 reruns it and the records naming it: ISS-0044 (its duplicate),
    SOL-0002 (lists it), CR-0004 and FB-0002 (link it); no other record, no other kind."""
    sample = states[0]
    path = "records/issues/ISS-0003.md"
    after = validate.after_change(sample.kb, sample.load_errors, {path: sample.texts[path]})
    ids = scope(sample.kb, after)
    assert ids is not None
    assert {k: v for k, v in ids.items() if v} == {
        "issue": {"ISS-0003", "ISS-0044"},
        "solution": {"SOL-0002"},
        "change": {"CR-0004"},
        "feedback": {"FB-0002"},
    }


def test_a_new_issue_is_checked_against_the_records_that_already_named_it(
    states: list[State],
) -> None:
    """Feedback linking a missing ISS-0999 has an error; creating ISS-0999 removes it."""
    sample = states[0]
    feedback = "records/feedback/FB-0001.md"
    linking = sample.texts[feedback].replace("links: [ISS-0047", "links: [ISS-0999", 1)
    first = validate.after_change(sample.kb, sample.load_errors, {feedback: linking})
    before = validate.cross_errors_after(sample.kb, sample.cross_errors, first, inputs_same=True)
    assert any(e.path == feedback and "ISS-0999" in e.message for e in before)
    new = sample.texts["records/issues/ISS-0041.md"].replace("ISS-0041", "ISS-0999", 1)
    both = {feedback: linking, "records/issues/ISS-0999.md": new}
    after = validate.after_change(sample.kb, sample.load_errors, both)
    found = validate.cross_errors_after(sample.kb, sample.cross_errors, after, inputs_same=True)
    assert found == _full(after)
    assert not any(e.path == feedback for e in found)


# -- lifecycle steps, as the lead runs them ----------------------------------------------


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Every write's after-change check also runs in full; they must agree. Yields, per
    write, whether the incremental check ran."""
    incremental_ran: list[bool] = []
    real = validate.cross_errors_after

    def both(
        kb: KnowledgeBase, cross: list[RecordError], after: validate.After, *, inputs_same: bool
    ) -> list[RecordError]:
        found = real(kb, cross, after, inputs_same=inputs_same)
        assert sorted(set(found)) == _full(after)
        incremental_ran.append(inputs_same and scope(kb, after) is not None)
        return found

    monkeypatch.setattr(validate, "cross_errors_after", both)
    yield incremental_ran


def _kb(root: Path, *args: str) -> tuple[int, str]:
    env = {"CRMKB_ROOT": str(root), "CRMKB_TODAY": TODAY}
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def _status(root: Path, issue: str) -> str:
    text = (root / f"records/issues/{issue}.md").read_text(encoding="utf-8")
    found = re.search(r"^status: (\w+)", text, re.M)
    return found.group(1) if found else "reported"


# What the lead may do next in each state: the command, then its arguments after the issue id.
STEPS: dict[str, list[tuple[str, ...]]] = {
    "reported": [("investigate",), ("decline", "--reason", "不是系统问题"), ("note", "已回电")],
    "investigating": [
        ("escalate",),
        ("verify",),
        ("resolve", "--solution", "SOL-0001", "--cause", "process"),
        ("assign", "P005"),
    ],
    "escalated": [("propose",), ("decline", "--reason", "顾问确认不改")],
    "proposed": [("verify",)],
    "verifying": [
        ("reject", "--reason", "用户说还是重复"),
        ("resolve", "--solution", "SOL-0002", "--cause", "process"),
    ],
    "resolved": [("reopen", "--reason", "又出现了")],
}


@pytest.mark.parametrize("broken", [False, True], ids=["sample", "sample-with-errors"])
def test_random_lifecycle_walk_agrees_with_the_full_check(
    tmp_path: Path, compared: list[bool], monkeypatch: pytest.MonkeyPatch, broken: bool
) -> None:
    root = (_broken_sample if broken else copy_sample)(tmp_path / "kb")
    monkeypatch.setenv("CRMKB_ROOT", str(root))  # the rules' remembered results key on these
    monkeypatch.setenv("CRMKB_TODAY", TODAY)
    issues = [f"ISS-{n:04d}" for n in range(30, 44)]
    rng = random.Random(14)
    landed = 0
    for _ in range(24):
        issue = rng.choice(issues)
        command, *rest = rng.choice(STEPS.get(_status(root, issue), [("note", "已回电")]))
        code, output = _kb(root, command, issue, *rest)
        assert code in (0, 1), output
        landed += code == 0
        if code == 0:
            _assert_next_write_starts_from_the_truth(root)
    code, output = _kb(
        root, "new", "issue", "--title", "回款单重复", "--set", "reporter=P010",
        "--set", "module=receivable", "--set", "severity=medium",
    )  # fmt: skip
    assert code == 0, output
    assert landed >= 12 and len(compared) >= landed
    assert all(compared), compared  # every step was checked incrementally
    code, output = _kb(root, "check")
    assert code == (1 if broken else 0), output
    assert output.count(": error: ") == (4 if broken else 0), output


def test_evidence_placed_before_the_commit_makes_a_full_check(
    tmp_path: Path, compared: list[bool]
) -> None:
    """kb attach links its file into records/evidence/ before it commits: the rules read that
    folder, so the state before is not the one to build on, and the whole check runs."""
    root = copy_sample(tmp_path / "kb")
    shot = tmp_path / "report.svg"
    shot.write_bytes((REPO_ROOT / "records/evidence/ISS-0001/ageing-report.svg").read_bytes())
    code, output = _kb(root, "attach", "ISS-0039", str(shot))
    assert code == 0, output
    assert compared == [False]
    code, output = _kb(root, "investigate", "ISS-0039")
    assert code == 0, output
    assert compared == [False, True]


def _assert_next_write_starts_from_the_truth(root: Path) -> None:
    """The errors a write left for the next one to start from are those of a fresh check."""
    kb, load_errors = load_records(root, today=DAY)
    assert kb.cache is not None
    left = kb.cache.derived(remembered.LEFT, remembered.inputs_of(kb, load_errors))
    assert left is not None  # the next write will not rerun every rule
    fresh = sorted({e for e in errors_only(cross_check, kb) if e.severity == "error"})
    assert remembered.before_errors(kb, load_errors) == fresh


# -- refusals stay as issue 8 made them ------------------------------------------------------


def test_a_step_that_breaks_another_record_is_refused_there(tmp_path: Path) -> None:
    """ISS-0044 is made a duplicate of ISS-0039; closing ISS-0039 as a duplicate in turn
    would leave ISS-0044 pointing at a duplicate: refused, located in ISS-0044.md."""
    root = copy_sample(tmp_path / "kb")
    dup = root / "records/issues/ISS-0044.md"
    text = dup.read_text(encoding="utf-8")
    dup.write_text(text.replace("duplicate_of: ISS-0003", "duplicate_of: ISS-0039"))
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "dup")
    code, output = _kb(root, "duplicate", "ISS-0039", "--of", "ISS-0040")
    assert code == 1
    assert "records/issues/ISS-0044.md:14:15: error: ISS-0039 is itself a duplicate" in output
    assert "nothing was written" in output
    assert changed(root) == []


def test_an_error_elsewhere_does_not_block_a_step(tmp_path: Path) -> None:
    root = _broken_sample(tmp_path / "kb")
    code, output = _kb(root, "investigate", "ISS-0040")
    assert code == 0, output
    assert _status(root, "ISS-0040") == "investigating"
