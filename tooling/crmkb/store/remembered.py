"""The cross-record errors of the state a write starts from, remembered in the record cache.

A write needs the errors of the knowledge base as it is (so errors already there do not block
it). Running every rule for them costs as much as `kb check`; instead they are kept, keyed by a
hash of every input the rules read (`record_cache.fingerprint`), in two slots: the state a write
found (so a repeated command on the same state reuses it) and the state a write left (so the
next lifecycle step starts from it). The read commands' remembered results for the same inputs
serve too: their errors are the same, only their warnings differ.
"""

from __future__ import annotations

from crmkb.errors import RecordError
from crmkb.knowledge_base import KnowledgeBase, cross_check, rule_files
from crmkb.record_cache import digest, errors_from_json, fingerprint
from crmkb.store.change import errors_only
from crmkb.store.incremental import After
from crmkb.yamlfile import normalize

FOUND = "write-errors-found"  # the state a write started from
LEFT = "write-errors-left"  # the state a write left behind


def before_errors(kb: KnowledgeBase, load_errors: list[RecordError]) -> list[RecordError]:
    """The errors (not warnings) of `cross_check(kb)`, reused when every input is the same."""
    if kb.cache is None:
        return _errors(errors_only(cross_check, kb))
    inputs = inputs_of(kb, load_errors)
    for key, suffix in ((LEFT, ""), (FOUND, ""), ("rules", ""), ("rules", "-unlocated")):
        stored = kb.cache.derived(key, inputs + suffix)
        if stored is not None:
            return _errors(errors_from_json(stored))
    found = _errors(errors_only(cross_check, kb))
    kb.cache.keep(FOUND, inputs, [e.as_dict() for e in found])
    return found


def keep_after(
    kb: KnowledgeBase, after: After, errors: list[RecordError], texts: dict[str, str]
) -> None:
    """Remember the errors of the state a committed write left, for the next write."""
    stems = {shown.rsplit("/", 1)[-1].rsplit(".", 1)[0] for shown in after.paths}
    if kb.cache is None or stems & kb.invalid:
        # A file that failed to load before may share its name with another broken file, which
        # the swapped-in state cannot tell: let the next write check afresh.
        return
    sources = dict(kb.sources)
    sources.update({shown: digest(normalize(texts[shown])) for shown in after.paths})
    inputs = _fingerprint(kb, sources, after.errors)
    kb.cache.keep(LEFT, inputs, [e.as_dict() for e in _errors(errors)])


def inputs_of(kb: KnowledgeBase, load_errors: list[RecordError]) -> str:
    """The fingerprint of every input the rules read in this loaded state."""
    return _fingerprint(kb, kb.sources, load_errors)


def _fingerprint(kb: KnowledgeBase, sources: dict[str, str], load_errors: list[RecordError]) -> str:
    return fingerprint(kb.root, kb.today, sources, load_errors, rule_files(kb))


def _errors(found: list[RecordError]) -> list[RecordError]:
    return sorted({e for e in found if e.severity == "error"})
