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

position = st.floats(min_value=0, max_value=1)
mutation = st.one_of(
    st.tuples(st.just("value"), position, st.sampled_from(HOSTILE)),
    st.tuples(st.just("insert"), position, st.sampled_from(RAW) | st.binary(max_size=6)),
    st.tuples(st.just("delete"), position, st.integers(1, 40)),
    st.tuples(st.just("nest"), position, st.sampled_from([40, 600, 40_000]), st.booleans()),
    st.tuples(st.just("truncate"), position),
    st.tuples(st.just("duplicate"), position),
    st.tuples(st.just("rename"), st.sampled_from([".", "full", "nl", "ext"])),
)
case = st.lists(st.tuples(st.sampled_from(FILES), mutation), min_size=1, max_size=4)


def _at(data: bytes, where: float) -> int:
    return min(len(data), int(where * len(data)))


def _mutate(data: bytes, change: tuple[object, ...]) -> bytes:
    kind, where = change[0], float(change[1])  # type: ignore[arg-type]
    cut = _at(data, where)
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
