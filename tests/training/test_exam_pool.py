"""The exam pool outside records/ (crmkb.yml `exam_pool`): kb check and kb exam read it,
the site build never does, and without it kb check says which checks it skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from exam_kit import key_of
from test_exam_cli import kb, take
from test_integrity import rewrite

from site_kit import copy_site_inputs, mkdocs_build

BROKEN = "id: QB-OP-09\nmodule: TM-OP-09\npool: exam\nquestions: nope\n"


def move_pool(root: Path, folder: str = "private-pool") -> Path:
    pool = root / folder
    pool.mkdir()
    for path in sorted((root / "records" / "questions").glob("QB-*.yml")):
        if "pool: exam" in path.read_text("utf-8"):
            shutil.move(path, pool / path.name)
    config = root / "crmkb.yml"
    config.write_text(config.read_text("utf-8") + f"exam_pool: {folder}\n", "utf-8")
    return pool


def test_kb_exam_and_kb_check_read_the_pool_where_crmkb_yml_says(kb_root: Path) -> None:
    pool = move_pool(kb_root)
    assert take(kb_root, key_of(kb_root)).exit_code == 0
    assert kb(kb_root, "check").exit_code == 0
    rewrite(kb_root, "EXR-0001", reseal=True, score=50)  # graded from the pool: caught
    assert "score 50 does not follow from the answers" in kb(kb_root, "check").stdout
    (pool / "QB-OP-09.yml").write_text(BROKEN, "utf-8")
    assert "private-pool/QB-OP-09.yml:4:12: error:" in kb(kb_root, "check").stdout


def test_without_the_pool_kb_check_names_the_checks_it_skipped(kb_root: Path) -> None:
    pool = move_pool(kb_root)
    take(kb_root, key_of(kb_root))
    shutil.rmtree(pool)
    run = kb(kb_root, "check")
    assert run.exit_code == 0, run.output
    assert run.stderr.splitlines()[-1] == (
        "已跳过：question, spread and grading checks of 1 exam result: the exam pool is not "
        "here (private-pool not found)"
    )
    no_pool = take(kb_root, {}, person="P011")
    assert no_pool.stderr == (
        "error: CERT-T cannot be drawn: the exam pool is not here (private-pool not found)\n"
    )
    as_json = json.loads(kb(kb_root, "check", "--format", "json").stdout)
    assert as_json["skipped"] == [
        "exam pool size and spread checks of 1 certification: the exam pool is not here "
        "(private-pool not found)",
        "question, spread and grading checks of 1 exam result: the exam pool is not here "
        "(private-pool not found)",
    ]
    (kb_root / "crmkb.yml").write_text("language: zh\ncalendar: weekends\n", "utf-8")
    assert (
        kb(kb_root, "check")
        .stderr.splitlines()[-1]
        .endswith(
            "the exam pool is not here (set exam_pool in crmkb.yml to the folder that holds it)"
        )
    )


def test_the_site_build_never_reads_the_pool(tmp_path: Path) -> None:
    repo = copy_site_inputs(tmp_path / "repo")
    (move_pool(repo) / "QB-OP-09.yml").write_text(BROKEN, "utf-8")
    built = mkdocs_build(repo, tmp_path / "site")
    assert built.returncode == 0, built.stderr  # a broken pool file would fail a strict build
    assert "private-pool/QB-OP-09.yml" in kb(repo, "check", today="2026-11-23").stdout
