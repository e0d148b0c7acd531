"""Mutation fuzz over the real sample records: `kb check` never prints a traceback or crashes.

Hypothesis mutates a few files of the sample per case (hostile values, inserted bytes, deep
nesting, renames). Cases run in batches through one `kb check` process each (fuzz_worker.py),
so a crash is caught as the process dying, and the batch resumes after the case that killed it.
CRMKB_FUZZ_BATCHES raises the number of batches for a longer run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import REPO_ROOT

BATCH = 25
BATCHES = int(os.environ.get("CRMKB_FUZZ_BATCHES", "12"))
WORKER = Path(__file__).with_name("fuzz_worker.py")
RECORDS = [*(REPO_ROOT / "records").rglob("*.md"), *(REPO_ROOT / "records").rglob("*.yml")]
FILES = [*sorted(p.relative_to(REPO_ROOT).as_posix() for p in RECORDS), "crmkb.yml"]
HOSTILE = [
    "99999999", "-1", "1e309", ".inf", ".nan", "9999-12-31", "0001-01-01", "2026-02-30",
    "2026-13-01", "2026-11-23T10:00:00", "!!python/object/apply:os.system ['true']",
    "&a x", "*a", "<<: *a", "{}", "[]", "~", "'unterminated", '"\\e]0;title\\a"', '"a\\0b"',
    "ＩＳＳ-００３９", "P９９９", "x" * 5000, "|", ">-", "? x", "!!binary aGVsbG8=", "0x1F",
    "yes", "null", "\t", "\u202e", "[a, [b, [c]]]", "{a: {b: {c: d}}}", "- - - x",
    "CERT-OP", "SOL-9999", "ISS-0001", "receivable", "P001", "true", "2026-11-23", "100",
    "0", "'#'", "#", ":", "@", "`", "%", "!", "&", "*", "[", "{", "]", "}", "\"", "'",
]  # fmt: skip
RAW = [b"\xe9", b"\xff\xfe", b"\x00", b"\r", b"\t", b"\x1b[2J", b"\xef\xbb\xbf", b"---\n", b"\n"]
KEY_VALUE = re.compile(rb"^([ \t]*(?:- )?[A-Za-z_][\w-]*:)[ \t]+(.*)$", re.MULTILINE)
# A line of a mapping (`key: value`, `key:`, `- key: value`): at any depth, in a YAML file or
# a Markdown record's front matter. Deleting one (a forgotten `escalated:` date) or writing it
# twice is the slip that once stopped every command.
MAPPING_LINE = re.compile(rb"^[ \t]*(?:- )?[A-Za-z_][\w-]*:.*(?:\n|$)", re.MULTILINE)

position = st.floats(min_value=0, max_value=1)
mutation = st.one_of(
    st.tuples(st.just("value"), position, st.sampled_from(HOSTILE)),
    st.tuples(st.just("insert"), position, st.sampled_from(RAW) | st.binary(max_size=6)),
    st.tuples(st.just("delete"), position, st.integers(1, 40)),
    st.tuples(st.just("nest"), position, st.sampled_from([40, 600, 40_000]), st.booleans()),
    st.tuples(st.just("truncate"), position),
    st.tuples(st.just("duplicate"), position),
    st.tuples(st.just("rename"), st.sampled_from([".", "full", "nl", "ext"])),
    st.tuples(st.just("line"), position, st.sampled_from(["delete", "duplicate"])),
)
case = st.lists(st.tuples(st.sampled_from(FILES), mutation), min_size=1, max_size=4)


def _at(data: bytes, where: float) -> int:
    return min(len(data), int(where * len(data)))


def mapping_lines(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each mapping line; in a Markdown record, of its front matter only."""
    end = len(data)
    if data.startswith(b"---"):
        closing = data.find(b"\n---", 3)
        end = closing if closing >= 0 else end
    return [m.span() for m in MAPPING_LINE.finditer(data, 0, end) if m.start() < end]


def edit_line(data: bytes, span: tuple[int, int], how: str) -> bytes:
    start, end = span
    if how == "delete":
        return data[:start] + data[end:]
    line = data[start:end]
    if not line.endswith(b"\n"):  # the file's last line: end it before writing it again
        return data[:end] + b"\n" + line + data[end:]
    return data[:end] + line + data[end:]


def _mutate(data: bytes, change: tuple[object, ...]) -> bytes:
    kind, where = change[0], float(change[1])  # type: ignore[arg-type]
    cut = _at(data, where)
    if kind == "line":
        spans = mapping_lines(data)
        if not spans:
            return data
        return edit_line(data, spans[min(len(spans) - 1, int(where * len(spans)))], str(change[2]))
    if kind == "value":
        pairs = list(KEY_VALUE.finditer(data))
        if not pairs:
            return data
        found = pairs[min(len(pairs) - 1, int(where * len(pairs)))]
        new = found.group(1) + b" " + str(change[2]).encode("utf-8")
        return data[: found.start()] + new + data[found.end() :]
    if kind == "insert":
        return data[:cut] + change[2] + data[cut:]  # type: ignore[operator]
    if kind == "delete":
        return data[:cut] + data[cut + int(change[2]) :]  # type: ignore[call-overload]
    if kind == "nest":
        depth = int(change[2])  # type: ignore[call-overload]
        if change[3]:
            deep = b"deep: " + b"[" * depth + b"]" * depth + b"\n"
        else:
            deep = b"deep:\n" + b"".join(b" " * (i % 200 + 1) + b"- \n" for i in range(depth))
        line = data.rfind(b"\n", 0, cut) + 1
        return data[:line] + deep + data[line:]
    if kind == "truncate":
        return data[:cut]
    line_start = data.rfind(b"\n", 0, cut) + 1
    line_end = data.find(b"\n", cut)
    line_end = len(data) if line_end < 0 else line_end + 1
    return data[:line_end] + data[line_start:line_end] + data[line_end:]


def _renamed(path: Path, style: str) -> Path:
    name = path.name
    new = {
        ".": "." + name,
        "full": name.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        "nl": name.replace("-", "-\n::error::", 1),
        "ext": name + ".bak",
    }[style]
    return path.with_name(new)


def _build(base: Path, target: Path, changes: list[tuple[str, tuple[object, ...]]]) -> None:
    # Hard links: a case costs a directory of links; a mutated file is unlinked, then written.
    subprocess.run(["cp", "-al", str(base), str(target)], check=True)
    for rel, change in changes:
        path = target / rel
        if not path.exists():
            continue
        if change[0] == "rename":
            data = path.read_bytes()
            path.unlink()
            _renamed(path, str(change[1])).write_bytes(data)
            continue
        data = _mutate(path.read_bytes(), change)
        path.unlink()
        path.write_bytes(data)


def _run_batch(roots: list[Path], python: str = sys.executable) -> tuple[int, list[str], list[str]]:
    """(cases run, tracebacks, crashes), resuming after a case that kills the process."""
    done, tracebacks, crashes = 0, [], []
    start = 0
    while start < len(roots):
        proc = subprocess.run(
            [python, str(WORKER), *map(str, roots[start:])],
            capture_output=True,
            text=True,
            timeout=600,
        )
        seen = -1
        for line in proc.stdout.splitlines():
            word, number, *rest = line.split(" ", 2)
            seen = int(number)
            done += 1
            if word == "TRACEBACK":
                tracebacks.append(f"{roots[start + seen]}: {rest[0]}")
            elif int(rest[0]) not in (0, 1, 2):
                crashes.append(f"{roots[start + seen]}: exit {rest[0]}")
        if proc.returncode == 0:
            break
        crashes.append(f"{roots[start + seen + 1]}: process died ({proc.returncode})")
        done += 1
        start += seen + 2
    return done, tracebacks, crashes


@settings(
    max_examples=BATCHES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases=st.lists(case, min_size=BATCH, max_size=BATCH))
def test_mutated_records_never_crash_kb_check(
    cases: list[list[tuple[str, tuple[object, ...]]]],
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kb-fuzz-") as scratch:
        work = Path(scratch)
        base = work / "base"
        base.mkdir()
        shutil.copytree(REPO_ROOT / "records", base / "records")
        shutil.copy(REPO_ROOT / "crmkb.yml", base / "crmkb.yml")
        roots = []
        for i, changes in enumerate(cases):
            root = work / f"case-{i}"
            _build(base, root, changes)
            roots.append(root)
        done, tracebacks, crashes = _run_batch(roots)
    assert done == len(cases)
    assert tracebacks == []
    assert crashes == []


COMMANDS_WORKER = Path(__file__).with_name("commands_worker.py")
OPEN_STEP = re.compile(rb"^status: (escalated|proposed|verifying)$", re.MULTILINE)


def _command_base(work: Path) -> Path:
    """The sample with what `kb render` also reads (mkdocs.yml, kb/)."""
    base = work / "base"
    base.mkdir()
    for folder in ("records", "kb"):
        shutil.copytree(REPO_ROOT / folder, base / folder)
    for name in ("crmkb.yml", "mkdocs.yml"):
        shutil.copy(REPO_ROOT / name, base / name)
    return base


def _edited_copy(base: Path, root: Path, rel: str, data: bytes) -> Path:
    """A hard-linked copy of `base` with `rel` holding `data`; ISS-0002 (which kb note
    writes) is a file of its own, so no write reaches `base`."""
    subprocess.run(["cp", "-al", str(base), str(root)], check=True)
    note = root / "records/issues/ISS-0002.md"
    kept = note.read_bytes()
    note.unlink()
    note.write_bytes(kept)
    (root / rel).unlink()
    (root / rel).write_bytes(data)
    return root


def _every_command(roots: list[Path]) -> tuple[int, list[str]]:
    """(commands run, problems): each command that printed a traceback, gave no JSON for
    `kb check --format json`, or killed the process."""
    proc = subprocess.run(
        [sys.executable, str(COMMANDS_WORKER), *map(str, roots)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = proc.stdout.splitlines()
    problems = [
        f"{roots[int(line.split()[1])].name}: {line}"
        for line in lines
        if not line.startswith("DONE")
    ]
    if proc.returncode != 0:
        problems.append(f"worker died ({proc.returncode}): {proc.stderr[-500:]}")
    return len(lines), problems


def test_an_open_issue_missing_its_step_date_stops_no_command(tmp_path: Path) -> None:
    """Issue 18 item 1: every open issue with the date of its current step deleted."""
    base = _command_base(tmp_path)
    roots = []
    for path in sorted((base / "records/issues").glob("*.md")):
        data = path.read_bytes()
        found = OPEN_STEP.search(data)
        if found is None or path.name == "ISS-0002.md":
            continue
        line = re.compile(rb"^  " + found.group(1) + rb": .*\n", re.MULTILINE)
        rel = path.relative_to(base).as_posix()
        roots.append(_edited_copy(base, tmp_path / path.stem, rel, line.sub(b"", data, 1)))
    assert len(roots) >= 10
    done, problems = _every_command(roots)
    assert problems == []
    assert done == len(roots) * 12


@settings(
    max_examples=max(1, BATCHES // 6),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(FILES), position, st.sampled_from(["delete", "duplicate"])),
        min_size=8,
        max_size=8,
    )
)
def test_a_deleted_or_doubled_mapping_line_stops_no_command(
    edits: list[tuple[str, float, str]],
) -> None:
    """One line of one record's mappings deleted or written twice: every command still runs
    (the broken record is named and skipped, or the write refused), none prints a traceback."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kb-lines-") as scratch:
        work = Path(scratch)
        base = _command_base(work)
        roots = []
        for i, (rel, where, how) in enumerate(edits):
            data = (base / rel).read_bytes()
            spans = mapping_lines(data)
            if spans:
                data = edit_line(data, spans[min(len(spans) - 1, int(where * len(spans)))], how)
            roots.append(_edited_copy(base, work / f"case-{i}", rel, data))
        done, problems = _every_command(roots)
    assert problems == []
    assert done == len(roots) * 12
