"""What `kb serve` hands the MkDocs plugin when both run in one process: the knowledge base it
has just loaded and checked (a rebuild need not load it again) and the search index writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase
    from crmkb.search import SearchDoc
    from crmkb.search.synonyms import Synonyms

# The records as of this build; None outside `kb serve` (the plugin loads them itself).
KB: KnowledgeBase | None = None
# Writes the index in a second process, so a rebuilt page is served before the index is done.
WRITER: Callable[[list[SearchDoc], Path, Synonyms, Path, str], None] | None = None
