"""Chinese-aware search for the crmkb site and `kb similar`: tokenizer, static index, ranking."""

from crmkb.search.index import IndexStats, SearchDoc, write_index
from crmkb.search.similar import Match, rank
from crmkb.search.tokenize import normalize, tokens

__all__ = ["IndexStats", "Match", "SearchDoc", "normalize", "rank", "tokens", "write_index"]
