"""Files records refer to (training images, issue evidence) and where they go in the site."""

from __future__ import annotations

from pathlib import Path

# records/<folder>/ -> site folder; Markdown records themselves become pages, not assets.
ASSET_FOLDERS = {"records/training": "training", "records/evidence": "evidence"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def record_assets(root: Path) -> dict[str, Path]:
    """Site path -> file for every non-Markdown file under the asset folders."""
    found: dict[str, Path] = {}
    for folder, target in ASSET_FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix != ".md" and not path.name.startswith("."):
                found[f"{target}/{path.relative_to(base).as_posix()}"] = path
    return found


def evidence_uri(evidence: str) -> str | None:
    """Site path of an evidence file given as a repository path, if it is a published asset."""
    for folder, target in ASSET_FOLDERS.items():
        if evidence.startswith(folder + "/"):
            return target + evidence[len(folder) :]
    return None
