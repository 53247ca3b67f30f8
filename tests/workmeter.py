"""What a search makes Whoosh do, counted: a measure of work that is the same on any machine.

Tests of costly queries assert these counts against the bounds of `searcher.rewrite` instead of
timing the search (a time budget fails on a slow machine and proves little on a fast one).
Importable without pytest: a child process uses it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser, reading


@dataclass
class Work:
    """What Whoosh was asked to do while a `measure()` block ran."""

    # Per field, the distinct terms whose posting lists were read (in any segment).
    postings: dict[str, set[bytes]] = field(default_factory=dict)
    # (field, letters, edits) of each edit-distance automaton run over a field's words.
    fuzzy: list[tuple[str, int, int]] = field(default_factory=list)
    # The length of each text the query parser read.
    parsed: list[int] = field(default_factory=list)

    def terms_read(self) -> dict[str, int]:
        """Per field, how many distinct terms' posting lists were read."""
        return {name: len(terms) for name, terms in sorted(self.postings.items())}

    def to_dict(self) -> dict[str, Any]:
        return {"terms_read": self.terms_read(), "fuzzy": self.fuzzy, "parsed": self.parsed}


@contextmanager
def measure() -> Iterator[Work]:
    """Count, until the block ends, the posting lists, fuzzy expansions and parses of Whoosh
    (its classes are patched for the duration; not thread-safe)."""
    work = Work()
    originals: dict[tuple[type, str], Callable[..., Any]] = {
        (reading.SegmentReader, "postings"): reading.SegmentReader.postings,
        (reading.SegmentReader, "terms_within"): reading.SegmentReader.terms_within,
        (reading.IndexReader, "terms_within"): reading.IndexReader.terms_within,
        (qparser.QueryParser, "parse"): qparser.QueryParser.parse,
    }

    def postings(self: Any, fieldname: str, text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        btext = text if isinstance(text, bytes) else text.encode("utf-8")
        work.postings.setdefault(fieldname, set()).add(btext)
        return originals[reading.SegmentReader, "postings"](self, fieldname, text, *args, **kwargs)

    def within(cls: type) -> Any:
        def terms_within(self: Any, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> Any:
            work.fuzzy.append((fieldname, len(text), maxdist))
            return originals[cls, "terms_within"](self, fieldname, text, maxdist, prefix)

        return terms_within

    def parse(self: Any, text: str, *args: Any, **kwargs: Any) -> Any:
        work.parsed.append(len(text))
        return originals[qparser.QueryParser, "parse"](self, text, *args, **kwargs)

    reading.SegmentReader.postings = postings  # type: ignore[method-assign]
    reading.SegmentReader.terms_within = within(reading.SegmentReader)  # type: ignore[method-assign]
    reading.IndexReader.terms_within = within(reading.IndexReader)  # type: ignore[method-assign]
    qparser.QueryParser.parse = parse  # type: ignore[method-assign]
    try:
        yield work
    finally:
        for (cls, name), original in originals.items():
            setattr(cls, name, original)
