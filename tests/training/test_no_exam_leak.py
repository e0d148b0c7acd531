"""No exam-pool question reaches the published site: not its text, options, key or explanation.

Two nets. (1) Build the real site with `mkdocs build --strict` and search every file (HTML,
JS, JSON, search-index shards, sitemaps, decoded and normalised) for each exam-pool question
text, option and explanation. (2) Build it again with every exam-pool text and key changed:
the two sites must be byte-identical, which proves the exam pool has no influence on the site
at all, including through tokenised search-index entries that no grep could recognise.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
import yaml

from site_kit import REPO, copy_site_inputs, mkdocs_build

TEXT_SUFFIXES = {".html", ".js", ".json", ".xml", ".css", ".txt", ".svg", ".gz", ".map", ""}
_TAG = re.compile(r"<[^>]+>")
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def fingerprint(text: str) -> str:
    """Letters and digits only: immune to tags, escapes, spacing and punctuation changes."""
    return re.sub(r"[\W_]+", "", text).lower()


def build(root: Path) -> Path:
    site = root / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    return site


def exam_banks(root: Path) -> list[tuple[Path, dict]]:  # type: ignore[type-arg]
    banks = []
    for path in sorted((root / "records" / "questions").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("pool") == "exam":
            banks.append((path, data))
    return banks


def site_text(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", "replace")
    if path.suffix == ".json":
        text += " " + json.dumps(json.loads(text), ensure_ascii=False)
    text = _JS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(_TAG.sub(" ", html.unescape(text)))


def public_corpus(root: Path) -> str:
    """What the site may legitimately show: records (and evidence) but exam pools and results."""
    parts = []
    for path in sorted((root / "records").rglob("*")):
        if not path.is_file() or path.suffix not in {".md", ".yml", ".svg", ".txt"}:
            continue
        if "exam-results" in path.parts:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.suffix == ".yml" else None
        if isinstance(data, dict) and data.get("pool") == "exam":
            continue
        parts.append(path.read_text(encoding="utf-8"))
    parts += [p.read_text(encoding="utf-8") for p in (root / "kb").rglob("*.md")]
    return fingerprint(" ".join(parts))


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(copy_site_inputs(tmp_path_factory.mktemp("leak") / "repo"))


def test_no_exam_question_text_option_or_explanation_in_the_built_site(real_site: Path) -> None:
    files = [p for p in real_site.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    assert any("crmkb-search" in p.as_posix() for p in files), "search index not built"
    haystack = {p.relative_to(real_site).as_posix(): fingerprint(site_text(p)) for p in files}
    public = public_corpus(REPO)
    needles: dict[str, str] = {}
    exempt: list[str] = []
    for _, bank in exam_banks(REPO):
        for q in bank["questions"]:
            needles[f"{q['id']} text"] = q["text"]
            for key, option in (q.get("options") or {}).items():
                # An option that is also ordinary public wording (a term the guide teaches)
                # cannot be told apart by search; net 2 covers it.
                if fingerprint(option) in public:
                    exempt.append(option)
                else:
                    needles[f"{q['id']} option {key}"] = option
            if fingerprint(q["explanation"]) not in public:
                needles[f"{q['id']} explanation"] = q["explanation"]
    assert len(needles) > 100, f"too few exam-pool strings to search for: {len(needles)}"
    assert len(exempt) < len(needles) / 2, exempt
    leaks = [
        f"{what} ({text!r}) in {name}"
        for what, text in needles.items()
        for name, content in haystack.items()
        if fingerprint(text) in content
    ]
    assert leaks == []


def test_the_practice_quiz_is_published(real_site: Path) -> None:
    page = (real_site / "training" / "TM-OP-01" / "index.html").read_text(encoding="utf-8")
    assert 'class="crmkb-quiz"' in page and "crmkb-quiz-correct" in page
    assert (real_site / "assets" / "crmkb-quiz" / "quiz.js").is_file()
    assert "assets/crmkb-quiz/quiz.js" in page


def test_changing_the_exam_pool_changes_nothing_in_the_site(
    real_site: Path, tmp_path: Path
) -> None:
    mutated = copy_site_inputs(tmp_path / "mutated")
    for path, bank in exam_banks(mutated):
        for q in bank["questions"]:
            q["text"] = f"改写后的题干 {q['id']}"
            q["explanation"] = f"改写后的解析 {q['id']}"
            if q.get("options"):
                q["options"] = {k: f"改写后的选项 {q['id']} {k}" for k in q["options"]}
            q["tags"] = ["改写"]
        path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), "utf-8")
    other = build(mutated)

    def tree(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }

    before, after = tree(real_site), tree(other)
    assert sorted(before) == sorted(after)
    assert [name for name in before if before[name] != after[name]] == []
