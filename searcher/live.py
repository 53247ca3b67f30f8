"""What the documents an index still holds say of a term.

Whoosh's term statistics and word lists (`frequency`, `doc_frequency`, `lexicon`,
`(field, term) in reader`) also count the documents an update deleted, until their segment
is merged away; its postings leave them out. After an incremental update these read the
postings, so what a search decides from them (a field's kind, a value named whole, a word
the index holds, the rarer word a passage shows) is what a rebuild of the corpus would decide.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.reading import IndexReader


def holds(reader: IndexReader, fieldname: str, text: str | bytes) -> bool:
    """Whether a document not deleted has the term."""
    if (fieldname, text) not in reader:  # type: ignore[operator]  # (Whoosh's readers support `in`)
        return False
    return not reader.has_deletions() or reader.postings(fieldname, text).is_active()


def held(reader: IndexReader, fieldname: str, texts: Iterable[str]) -> list[str]:
    """The terms of `texts` that a document not deleted has (all, when none is deleted)."""
    if not reader.has_deletions():
        return list(texts)
    return [text for text in texts if holds(reader, fieldname, text)]


def unheld(reader: IndexReader, fieldname: str) -> list[str]:
    """The terms of the field's word list that only deleted documents have (none, when none
    is deleted)."""
    if not reader.has_deletions():
        return []
    return [term.decode() for term in reader.lexicon(fieldname) if not holds(reader, fieldname, term)]


def frequency(reader: IndexReader, fieldname: str, text: str) -> float:
    """The term's total weight (how often it stands) in the documents not deleted."""
    if not reader.has_deletions():
        return reader.frequency(fieldname, text)
    if (fieldname, text) not in reader:  # type: ignore[operator]
        return 0.0
    matcher, total = reader.postings(fieldname, text), 0.0
    while matcher.is_active():
        total += matcher.weight()
        matcher.next()
    return total


def doc_frequency(reader: IndexReader, fieldname: str, text: str) -> int:
    """How many documents not deleted have the term."""
    if not reader.has_deletions():
        return reader.doc_frequency(fieldname, text)
    if (fieldname, text) not in reader:  # type: ignore[operator]
        return 0
    return sum(1 for _ in reader.postings(fieldname, text).all_ids())
