"""Peak memory of the site build: the sample, and the sample plus records at the schema's limits.

    .venv/bin/python benchmarks/build_memory.py
    .venv/bin/python benchmarks/build_memory.py --records 10 --python OTHER/.venv/bin/python \\
        --repo OTHER   # the same corpus built by another checkout (e.g. before the bounds)

Prints each build's peak RSS (the build runs as the only child of a measuring process) and
the size of the tags page, which used to repeat every issue's row once per tag.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile_kit import peak_rss_kib, write_at_limits
from site_kit import REPO, copy_site_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10, help="issues at the limits")
    parser.add_argument("--python", default=sys.executable, help="interpreter that builds")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout to take inputs from")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sample = copy_site_inputs(Path(tmp) / "sample", args.repo)
        large = write_at_limits(Path(tmp) / "large", args.records, args.repo)
        rows = [
            ("sample", peak_rss_kib(sample, args.python), sample),
            (f"sample + {args.records} at the limits", peak_rss_kib(large, args.python), large),
        ]
        print(f"build with {args.python}, inputs from {args.repo}")
        for name, kib, root in rows:
            tags = (root / "site" / "catalog" / "tags" / "index.html").stat().st_size
            print(f"{name:32} peak RSS {kib / 1024:7.1f} MiB   tags page {tags / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
