"""The operation reports, rendered by a second process for `kb serve`: every week's and month's
figures are counted over all issues, which would hold up the rebuild of an edited page.

    python -m crmkb.site.report_job ROOT DOCS [TODAY]

writes the report pages whose content changed into DOCS and prints, as JSON, every report
page and the ones it wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from crmkb.errors import KbError


def render_elsewhere(root: Path, docs: Path, today: dt.date | None) -> tuple[list[str], list[str]]:
    """Run the report job in a child process: (every report page, the pages it wrote)."""
    argv = [sys.executable, "-m", "crmkb.site.report_job", str(root), str(docs)]
    argv += [today.isoformat()] if today else []
    done = subprocess.run(argv, capture_output=True, check=False)
    if done.returncode:
        raise KbError("the reports were not rendered:\n" + done.stderr.decode()[-2000:])
    found = json.loads(done.stdout)
    return list(found["pages"]), list(found["written"])


def main() -> None:
    os.nice(10)  # the edit being rebuilt meanwhile comes first
    from crmkb.knowledge_base import load
    from crmkb.site.pages import report_pages
    from crmkb.site.render import write_files

    root, docs = Path(sys.argv[1]), Path(sys.argv[2])
    today = dt.date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else None
    pages = report_pages(load(root, today=today))
    done = write_files(docs, dict(pages))
    print(json.dumps({"pages": sorted(pages), "written": done.written}))


if __name__ == "__main__":
    main()
