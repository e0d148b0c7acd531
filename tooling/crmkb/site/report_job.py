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


class ReportJob:
    """The report pages, rendered into DOCS by a child process started now."""

    def __init__(self, root: Path, docs: Path, today: dt.date | None) -> None:
        argv = [sys.executable, "-m", "crmkb.site.report_job", str(root), str(docs)]
        argv += [today.isoformat()] if today else []
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def wait(self) -> list[str]:
        """Every report page, once the child has written the changed ones."""
        return self.result()[0]

    def result(self) -> tuple[list[str], list[str]]:
        """(every report page, the pages the child wrote)."""
        out, err = self.process.communicate()
        if self.process.returncode:
            raise KbError("the reports were not rendered:\n" + err.decode()[-2000:])
        found = json.loads(out)
        return list(found["pages"]), list(found["written"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def render_elsewhere(root: Path, docs: Path, today: dt.date | None) -> tuple[list[str], list[str]]:
    """Run the report job in a child process: (every report page, the pages it wrote)."""
    return ReportJob(root, docs, today).result()


def main() -> None:
    os.nice(10)  # the edit being rebuilt meanwhile comes first
    from crmkb.i18n import speak_for
    from crmkb.knowledge_base import load
    from crmkb.site.pages import report_pages
    from crmkb.site.render import PENDING, write_files
    from crmkb.store import atomic_write

    root, docs = Path(sys.argv[1]), Path(sys.argv[2])
    speak_for(root)  # the reports' words speak the records' language
    today = dt.date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else None
    pages = report_pages(load(root, today=today))
    # Named before they are written: a kb serve killed meanwhile knows them on its restart.
    atomic_write(docs / PENDING, json.dumps(sorted(pages)))
    done = write_files(docs, dict(pages))
    print(json.dumps({"pages": sorted(pages), "written": done.written}))


if __name__ == "__main__":
    main()
