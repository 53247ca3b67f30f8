"""Rewrites of parsed queries: bounds on costly patterns, tolerance of typos, matched terms.

Wildcards, fuzzy terms and ranges expand to every term of a field they match; left
unbounded, `?*` or `Frenkel~9` can keep a search busy for minutes. `bounded` makes each
such pattern cheap or refuses it with a message naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from whoosh import query
from whoosh.reading import IndexReader

from .errors import QueryError, quoted
from .schema import DEFAULT_FIELDS, VARIANTS
from .variants import transpositions

# Whoosh's query parser takes time growing with the square of a word's length.
MAX_QUERY_LENGTH = 1_000
# A fuzzy term allows at most this many edits; `word~9` is read as `word~2`.
MAX_EDITS = 2
# Words longer than this are matched exactly: an edit automaton for them is slow, and no
# real word is that long.
MAX_FUZZY_LENGTH = 40
# A pattern may stand for at most this many different terms of one field.
MAX_EXPANSION = 5_000


def bounded(parsed: query.Query, reader: IndexReader) -> tuple[query.Query, list[str]]:
    """The query with every pattern made cheap, and warnings on what was changed.

    `*` (or any pattern of only `*` and `?`) over the default fields matches every section;
    patterns never search spelling-variant keys; fuzzy terms get at most `MAX_EDITS` edits
    and none for long words. Raises `QueryError` when a pattern would still expand to more
    than `MAX_EXPANSION` terms of a field.
    """
    warnings: list[str] = []

    def bound(node: query.Query) -> query.Query:
        if isinstance(node, query.Every) and node.fieldname in DEFAULT_FIELDS:
            return query.Every()
        if not isinstance(node, query.MultiTerm):
            return node
        if node.fieldname == VARIANTS:
            return query.NullQuery
        if isinstance(node, query.Wildcard) and not node.text.strip("*?") and "*" in node.text:
            return query.Every(None if node.fieldname in DEFAULT_FIELDS else node.fieldname)
        if isinstance(node, query.FuzzyTerm):
            node = _bounded_fuzzy(node, warnings)
        if isinstance(node, query.MultiTerm):
            _check_expansion(node, reader)
        return node

    return parsed.accept(bound).normalize(), list(dict.fromkeys(warnings))


def _bounded_fuzzy(node: query.FuzzyTerm, warnings: list[str]) -> query.Query:
    if len(node.text) > MAX_FUZZY_LENGTH:
        warnings.append(f"{quoted(node.text)} is too long to match with spelling mistakes: matched exactly")
        return query.Term(node.fieldname, node.text, boost=node.boost)
    if node.maxdist > MAX_EDITS:
        warnings.append(f"{quoted(node.text)}~{node.maxdist}: at most {MAX_EDITS} edits are allowed; using {MAX_EDITS}")
        return query.FuzzyTerm(node.fieldname, node.text, node.boost, MAX_EDITS, node.prefixlength)
    return node


def _check_expansion(node: query.MultiTerm, reader: IndexReader) -> None:
    terms = sum(1 for _ in islice(node._btexts(reader), MAX_EXPANSION + 1))
    if terms > MAX_EXPANSION:
        raise QueryError(
            f"{quoted(_as_typed(node))} matches more than {MAX_EXPANSION:,} different words; "
            "make the pattern longer"
        )


def _as_typed(node: query.MultiTerm) -> str:
    if isinstance(node, query.Prefix):
        return f"{node.text}*"
    if isinstance(node, query.FuzzyTerm):
        return f"{node.text}~{node.maxdist}"
    return getattr(node, "text", None) or str(node)


def tolerant(parsed: query.Query) -> query.Query:
    """The query with each plain term also matching close spellings: up to one edit (two for
    long words), a swap of neighbouring letters counting as one."""

    def widen(node: query.Query) -> query.Query:
        if (
            type(node) is query.Term
            and node.fieldname in DEFAULT_FIELDS
            and node.fieldname != VARIANTS
            and len(node.text) <= MAX_FUZZY_LENGTH
        ):
            text = node.text
            edits = MAX_EDITS if len(text) >= 8 else 1
            close = [query.Term(node.fieldname, swapped) for swapped in sorted(transpositions(text))]
            return query.Or([node, query.FuzzyTerm(node.fieldname, text, maxdist=edits, prefixlength=1), *close])
        return node

    return parsed.accept(widen)


def wanted_terms(parsed: query.Query, reader: IndexReader) -> dict[str, set[str]]:
    """The terms of the index, by field, that the query looks for (not those it excludes):
    what a hit's passage marks."""
    terms: dict[str, set[str]] = {}
    for leaf in _wanted_leaves(parsed):
        if isinstance(leaf, query.NumericRange):
            terms.setdefault(leaf.fieldname, set())
            continue
        for fieldname, text in leaf.existing_terms(reader, phrases=True, expand=True):
            terms.setdefault(fieldname, set()).add(text.decode("utf-8", "replace"))
    return terms


def _wanted_leaves(node: query.Query) -> Iterator[query.Query]:
    if isinstance(node, query.Not):
        return
    if isinstance(node, query.AndNot):
        yield from _wanted_leaves(node.a)
    elif isinstance(node, query.NumericRange) or node.is_leaf():
        yield node
    else:
        for child in node.children():
            yield from _wanted_leaves(child)
