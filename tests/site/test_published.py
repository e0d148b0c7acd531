"""The built site holds only the site's own sources, generated pages and accepted attachments."""

from __future__ import annotations

import os
from pathlib import Path

from site_kit import copy_site_inputs, mkdocs_build

STRAY_HOOK = """\
from pathlib import Path


def on_env(env, config, files):
    # Stands for any way a file could reach the site beside the checked ones.
    Path(config.site_dir).mkdir(parents=True, exist_ok=True)
    (Path(config.site_dir) / "leak.txt").write_text("answer key", encoding="utf-8")
    return env
"""


def test_a_symlink_in_the_site_sources_fails_the_build(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    os.symlink(root / "records" / "questions" / "QB-OP-01.yml", root / "kb" / "assets" / "k.txt")
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "assets/k.txt is a link to a file outside the site's sources" in result.stderr


def test_a_file_no_check_produced_fails_the_build(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    (root / "stray_hook.py").write_text(STRAY_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nhooks:\n  - stray_hook.py\n", encoding="utf-8"
    )
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "the site holds files that passed no check:\nleak.txt comes from no source" in (
        result.stderr
    )
