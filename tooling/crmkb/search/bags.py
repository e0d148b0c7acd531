"""A document's weighted terms as `rank` reads them: counted in memory, or a part read back.

`kb similar` keeps every record's terms in the record cache as an index by term, so a query
reads back only the terms it asks for: a `PartialBag` holds those, and the document's total
weight, which BM25 normalises by.
"""

from __future__ import annotations

from collections import Counter


class Bag(Counter[str]):
    """All of a document's terms, counted."""

    @property
    def length(self) -> int:
        return sum(self.values())


class PartialBag(dict[str, int]):
    """Some of a document's terms (those a query asked for) and its total weight."""

    def __init__(self, terms: dict[str, int], length: int) -> None:
        super().__init__(terms)
        self.length = length
