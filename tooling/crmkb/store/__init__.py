"""Every write of the knowledge base: the repository lock, the checked change and its journal.

`writing(root)` is the one write path: see `crmkb.store.change`. `atomic_write` and
`create_numbered` remain for files outside the records and for older callers.
"""

from crmkb.store.change import Change, finish_interrupted, writing
from crmkb.store.files import atomic_write, create_numbered, used_numbers
from crmkb.store.journal import JOURNAL, StoreError, journal_problem, pending_journal, recover

__all__ = [
    "JOURNAL",
    "Change",
    "StoreError",
    "atomic_write",
    "create_numbered",
    "finish_interrupted",
    "journal_problem",
    "pending_journal",
    "recover",
    "used_numbers",
    "writing",
]
