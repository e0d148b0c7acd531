"""What a build may publish: the site's own sources, generated pages and accepted attachments.

Checked after the build against what MkDocs was asked to write, so a file that reached the
site by any other way (a symlink in the docs, a plugin writing extra files) fails the build.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mkdocs.structure.files import File

# Written by MkDocs and Material themselves, outside the Files collection.
BUILD_OUTPUTS = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"})


def source_problems(files: Iterable[File], source_dirs: Iterable[str]) -> list[str]:
    """Files MkDocs would copy from outside the docs and theme folders, or through a link."""
    roots = [Path(d).resolve() for d in source_dirs]
    found = []
    for file in files:
        if file.generated_by is not None or not file.abs_src_path:
            continue  # made by a plugin from checked content
        path = Path(file.abs_src_path)
        real = path.resolve()
        if path.is_symlink() or not any(real.is_relative_to(root) for root in roots):
            found.append(f"{file.src_uri} is a link to a file outside the site's sources")
    return found


def unexpected_outputs(site_dir: Path, expected: set[str], own_dirs: Iterable[str]) -> list[str]:
    """Site files (or links) that no expected source produced."""
    allowed = expected | BUILD_OUTPUTS
    prefixes = tuple(d.strip("/") + "/" for d in own_dirs)
    found = []
    for rel, is_link in _site_entries(str(site_dir)):
        if is_link:
            found.append(f"{rel} is a link")
        elif rel not in allowed and not rel.startswith(prefixes):
            found.append(f"{rel} comes from no source of the site")
    return sorted(found)


def _site_entries(site_dir: str) -> Iterable[tuple[str, bool]]:
    """Every file and link under the site as (relative path, is a link); folders are walked
    with scandir, whose entries know their type, since this runs after every rebuild."""
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(os.path.join(site_dir, folder)) as entries:
            for entry in entries:
                rel = folder + entry.name
                if entry.is_symlink():
                    yield rel, True
                elif entry.is_dir():
                    folders.append(rel + "/")
                else:
                    yield rel, False
