"""Rewrites of parsed queries: bounds on costly patterns, tolerance of typos, matched terms.

Wildcards, fuzzy terms and ranges expand to every term of a field they match; left
unbounded, `?*` or `Frenkel~9` can keep a search busy for minutes. `bounded` makes each
such pattern cheap or refuses it with a message naming it.
"""

from __future__ import annotations

import heapq
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from functools import partial
from itertools import groupby, islice, product

from whoosh import query
from whoosh.qparser import syntax
from whoosh.qparser.plugins import Plugin
from whoosh.reading import IndexReader

from . import live
from .errors import MAX_NAMES, QueryError, quoted
from .schema import (
    ARTICLE_TITLE,
    BODY,
    DEFAULT_FIELDS,
    FIELD_BOOSTS,
    HEADING,
    NUMBER_PREFIX,
    TITLE,
    VARIANTS,
    FieldKinds,
    infobox_source,
    text_analyzer,
)
from .scope import period_query
from .typos import CloseWords
from .values import LARGEST_NUMBER, DateInterval, parse_number, parse_period, written_as_period
from .variants import spelling_key, transpositions
from .vocabulary import Spellings
from .words import HYPHENS, index_term

# Whoosh's query parser takes time growing with the square of a word's length.
MAX_QUERY_LENGTH = 1_000
# A fuzzy term allows at most this many edits; `word~9` is read as `word~2`.
MAX_EDITS = 2
# Words longer than this are matched exactly: an edit automaton for them is slow, and no
# real word is that long.
MAX_FUZZY_LENGTH = 40
# Fields whose words a query that finds nothing retries with close spellings.
SPELLED_FIELDS = tuple(field for field in DEFAULT_FIELDS if field != VARIANTS)
# The fields retried so, each with the close spellings of a field of `SPELLED_FIELDS`: a
# query's `title:` (on article documents) those of the title, the same words.
SPELLED_AS = {**{field: field for field in SPELLED_FIELDS}, ARTICLE_TITLE: TITLE}
# A phrase retried with close spellings becomes at most this many phrases.
MAX_PHRASE_SPELLINGS = 50
# The patterns of a query may stand for at most this many terms, over all their fields.
MAX_EXPANSION = 5_000
# A query may hold at most this many fuzzy words (`word~`): each takes about 0.13 s on the
# 112 articles, an edit automaton walked over every word of the index.
MAX_FUZZY_WORDS = 5
# How much a word spelled another way (`Gritsyak` for `Hrytsyak`) weighs beside the word.
VARIANT_BOOST = FIELD_BOOSTS[VARIANTS]
STEMMER = text_analyzer()


def bounded(parsed: query.Query, reader: IndexReader) -> tuple[query.Query, list[str]]:
    """The query with every pattern made cheap, and warnings on what was changed.

    `*` (or any pattern of only `*` and `?` with a `*`) over the default fields matches every section;
    patterns never search spelling-variant keys; fuzzy terms get at most `MAX_EDITS` edits
    and none for long words. Raises `QueryError` when the patterns would still expand to more
    than `MAX_EXPANSION` terms, over all their fields: a search's time grows with them (ten
    `ab~2` took 7 s on the 112 articles). Not normalized: `with_spellings` normalizes after.
    """
    warnings: list[str] = []
    expanded: dict[str, int] = {}  # each pattern as typed: the terms it stands for, in all
    fuzzy: dict[str, None] = {}  # the fuzzy words as typed

    def bound(node: query.Query) -> query.Query:
        if isinstance(node, query.Every) and node.fieldname in DEFAULT_FIELDS:
            return query.Every()
        if isinstance(node, query.And):
            return _one_exclusion(_without_every(node))
        if not isinstance(node, query.MultiTerm):
            return node
        if node.field() == VARIANTS:
            return query.NullQuery
        if isinstance(node, query.Wildcard) and not node.text.strip("*?") and "*" in node.text:
            return query.Every(None if node.fieldname in DEFAULT_FIELDS else node.fieldname)
        if isinstance(node, query.Prefix) and (parts := _hyphenated(node.text)):
            return _parts_then_prefix(node, parts).accept(bound)
        if isinstance(node, query.FuzzyTerm):
            node = _bounded_fuzzy(node, warnings)
            if isinstance(node, query.FuzzyTerm):  # (not one too long to be fuzzy)
                fuzzy[_as_typed(node)] = None
                if len(fuzzy) > MAX_FUZZY_WORDS:
                    named = ", ".join(map(quoted, fuzzy))
                    raise QueryError(
                        f"more than {MAX_FUZZY_WORDS} fuzzy words in one query ({named}): each costs a "
                        "walk of every word of the index; use fewer"
                    )
        if isinstance(node, query.MultiTerm):
            typed, left = _as_typed(node), MAX_EXPANSION - sum(expanded.values())
            expanded[typed] = expanded.get(typed, 0) + _expansion(node, reader, left)
            if sum(expanded.values()) > MAX_EXPANSION:
                raise _too_many_terms(list(expanded))
        return node

    return parsed.accept(bound), list(dict.fromkeys(warnings))


def _hyphenated(text: str) -> list[str]:
    """The parts of a hyphenated prefix (`de-stalin`), none empty; else no parts."""
    parts = re.split(f"[{HYPHENS}]", text)
    return parts if len(parts) > 1 and all(parts) else []


def _parts_then_prefix(node: query.Prefix, parts: list[str]) -> query.Query:
    """`de-Stalin*` as `de` and `stalin*`: a hyphenated word is indexed as its parts, which
    it matches (`de-Stalinization` is `de AND stalinization`); the prefix text held whole
    matched nothing. Common words among the parts are left out, as in any query."""
    words = [term for part in parts[:-1] if (term := index_term(part)) is not None]
    return query.And([*(query.Term(node.fieldname, word) for word in words),
                      query.Prefix(node.fieldname, parts[-1])], boost=node.boost)


def _without_every(node: query.And) -> query.And:
    """`* strike` as `strike`: every section is what an AND asks of its other parts, where
    Whoosh's normalizing makes the AND of `*` and anything match every section."""
    parts = [part for part in node.subqueries if not _is_every(part)]
    if not parts or len(parts) == len(node.subqueries):
        return node
    return node.__class__(parts, boost=node.boost)


def _is_every(node: query.Query) -> bool:
    """Whether a query matches every section: `*`, as `bound` makes it (an OR of it in each
    default field, as the parser writes a word)."""
    if isinstance(node, query.Or):
        return any(map(_is_every, node.subqueries))
    return isinstance(node, query.Every) and node.fieldname is None


def _one_exclusion(node: query.And) -> query.Query:
    """`a -b -c` as `a AND NOT (b OR c)`: Whoosh nests a matcher for each excluded part, and
    their time grows with the square of their number (200 took 20 s on the 112 articles)."""
    excluded = [part for part in node.subqueries if isinstance(part, query.Not)]
    if len(excluded) < 2:
        return node
    kept = [part for part in node.subqueries if not isinstance(part, query.Not)]
    return node.__class__([*kept, query.Not(query.Or([part.query for part in excluded]))], boost=node.boost)


def _bounded_fuzzy(node: query.FuzzyTerm, warnings: list[str]) -> query.Query:
    if len(node.text) > MAX_FUZZY_LENGTH:
        warnings.append(f"{quoted(node.text)} is too long to match with spelling mistakes: matched exactly")
        return query.Term(node.fieldname, node.text, boost=node.boost)
    if node.maxdist > MAX_EDITS:
        warnings.append(
            f"{quoted(node.text)}~{node.maxdist}: at most {MAX_EDITS} edits are allowed; using {MAX_EDITS}"
        )
    # A prefix longer than the word (`x~1/9`) makes Whoosh's automaton fail.
    maxdist, prefix = min(node.maxdist, MAX_EDITS), min(node.prefixlength, len(node.text))
    if (maxdist, prefix) == (node.maxdist, node.prefixlength):
        return node
    return query.FuzzyTerm(node.fieldname, node.text, node.boost, maxdist, prefix)


def _expansion(node: query.MultiTerm, reader: IndexReader, limit: int) -> int:
    """How many terms a pattern stands for in an index, counted up to `limit` + 1. Each segment
    is asked apart: Whoosh's multi-segment reader finds a fuzzy term's words by measuring the
    distance of every word with its first letter. A word only deleted documents hold is none."""
    terms: set[bytes] = set()
    for segment, _ in reader.leaf_readers():
        texts = node._btexts(segment)
        if segment.has_deletions():
            texts = (text for text in texts if live.holds(segment, node.field() or "", text))
        terms.update(islice(texts, limit + 1))
        if len(terms) > limit:
            break
    return len(terms)


def _too_many_terms(patterns: list[str]) -> QueryError:
    if len(patterns) == 1:
        return QueryError(
            f"{quoted(patterns[0])} matches more than {MAX_EXPANSION:,} different words; "
            "make the pattern longer"
        )
    named = ", ".join(map(quoted, patterns[:MAX_NAMES]))
    more = f" … and {len(patterns) - MAX_NAMES:,} more" if len(patterns) > MAX_NAMES else ""
    return QueryError(
        f"the patterns {named}{more} match more than {MAX_EXPANSION:,} different words together; "
        "use fewer or longer patterns"
    )


def _as_typed(node: query.MultiTerm) -> str:
    if isinstance(node, query.Prefix):
        return f"{node.text}*"
    if isinstance(node, query.FuzzyTerm):
        return f"{node.text}~{node.maxdist}"
    return getattr(node, "text", None) or str(node)


# A shorter word is spelled no other way: `b` is one edit from the stem of `being`, `bn` from
# `b`, `bc`, `bg`, `ben` and `bus` alike.
MIN_RETRIED_LENGTH = 3
# A word this short is spelled otherwise only as the longer words it misses a letter of (`rul`:
# `rule`) or as its letters swapped (`wra`: `war`): too many words as short are one other edit
# from it (`PhD`: `pH`, `PHP`).
SHORT_WORD_LENGTH = 3
# A word the index holds is retried as a close word only if that many times as many sections
# hold the close word as hold the word. At 2, `prisoners died` became `did` (53 sections against
# several hundred), `war` became `was`: a word written that often is no typo.
REAL_WORD_SHARE = 20


class CloseSpellings:
    """The close spellings of words in an open index, each word's looked up once: a search
    that retries with them asks for the same words more than once (the whole query, then
    each word on its own when it is relaxed). `written` gives the words as written (the
    vocabulary kept beside the index) that a word may be a typo of, with their edits
    (`suggest.typos_of`); `typed`, the query's words as typed (folded, not stemmed)."""

    def __init__(
        self, reader: IndexReader, written: Callable[[str], Mapping[str, int]], typed: Iterable[str] = ()
    ) -> None:
        self.reader = reader
        self._written = written
        self._found: dict[tuple[str, bool], dict[str, list[str]]] = {}
        self._typed = list(typed)

    def of(self, fieldname: str, word: str, in_phrase: bool = False) -> list[str]:
        """`word` and the words of a field of `SPELLED_FIELDS` one or two edits (or a swap)
        away, the word first; for a word the index does not hold, the stems of the written
        words nearest it as typed instead (`typed_stems`: `imagizm`, the `imag` of `imagism`,
        whose stem is too far from it), and where there are none, none: stems can be close
        where the words are not (`deity`, stem `deiti`, is two edits from the Latin `editi`,
        one swap from its stem). A number has none
        (`1955` is not `1953`). A word the index holds has only those it is more likely a typo
        of, words `REAL_WORD_SHARE` times as common (`Lituania` may be `Lithuania`; `army` is
        not `Amy`, nor `France` `Frank`); `in_phrase`, only rarer ones, as a text's misspelling
        is (`"Norilsk Gulag"` finds `Norlisk Gulag`; `"film war"` does not become `"film
        was"`); and typed as one of the query's words, only stems of the written words close to
        it as typed (`stems_close_as_typed`). A word of one or two letters has none, one of three
        only longer words and its letters swapped (`may_mean`)."""
        found = self._found.get((word, in_phrase))
        if found is None:
            found = self._found[word, in_phrase] = self._close(word, in_phrase)
        return found[fieldname]

    def _close(self, word: str, in_phrase: bool) -> dict[str, list[str]]:
        if not spelled_otherwise(word):
            return {field: [word] for field in SPELLED_FIELDS}
        if not (sections := self._sections(word)):
            meant = {stem for stem in typed_stems(word, self._typed, self._written) if may_mean(word, stem)}
            return {field: [word, *sorted(stem for stem in meant if live.holds(self.reader, field, stem))]
                    for field in SPELLED_FIELDS}
        close = _close_words(self.reader, word)
        likelier = {other for words in close.values() for other in words[1:]
                    if may_mean(word, other) and more_likely(sections, self._sections(other), in_phrase)}
        if likelier and (as_typed := stems_close_as_typed(word, self._typed, self._written)) is not None:
            likelier &= as_typed
        return {field: [word, *(other for other in words[1:] if other in likelier)]
                for field, words in close.items()}

    def _sections(self, word: str) -> int:
        """How many sections hold the word, counted in each field of `SPELLED_FIELDS`."""
        return sum(live.doc_frequency(self.reader, field, word) for field in SPELLED_FIELDS)


def typed_stems(stem: str, typed: Iterable[str], typos: Callable[[str], Mapping[str, int]]) -> set[str]:
    """The stems, but `stem`, of the written words that a word of `typed` (folded, not
    stemmed) whose stem is `stem` is nearest a typo of (`nearest` of its `typos`): a typo is
    measured as typed, not as stemmed (`poliical` is one edit from `political`; its stem
    `poliic` is one from `polic`, the stem of `police`). Both engines' retries take these."""
    return (_stems_of_written(stem, typed, lambda word: nearest(typos(word))) or set()) - {stem}


def stems_close_as_typed(stem: str, typed: Iterable[str], typos: Callable[[str], Mapping[str, int]]
                         ) -> set[str] | None:
    """The stems of the written words close to (`typos`) a word of `typed` (folded, not
    stemmed) whose stem is `stem`, or None when no word was typed with that stem: what a word
    the index holds is retried as, of its close stems. Stems can be close where the words are
    not: `"state of emergency"`, its `emerg` one edit from the `emeri` of `Emery`, found
    `United States, Emery`."""
    return _stems_of_written(stem, typed, typos)


def _stems_of_written(
    stem: str, typed: Iterable[str], written: Callable[[str], Iterable[str]]
) -> set[str] | None:
    """The stems of the `written` words of each word of `typed` whose stem is `stem`; None when
    no word was typed with that stem."""
    mine = [word for word in typed if index_term(word) == stem]
    if not mine:
        return None
    return {held for word in mine for other in written(word) if (held := index_term(other)) is not None}


def nearest(typos: Mapping[str, int]) -> list[str]:
    """The words fewest edits away of some words with their edits (`suggest.typos_of`): a
    typo retried as the words close to it as typed is retried as those alone, as the
    suggestion ranks them first; all of them, two edits from a long word, found the words of
    other families (`statters`: `state`, `status`, `statutes` beside `stutters`)."""
    fewest = min(typos.values(), default=0)
    return [word for word, edits in typos.items() if edits == fewest]


def spelled_otherwise(word: str) -> bool:
    """Whether a word may be retried as close spellings: no number (`1955` is not `1953`),
    and `MIN_RETRIED_LENGTH` letters or more."""
    return len(word) >= MIN_RETRIED_LENGTH and not any(character.isdigit() for character in word)


def may_mean(word: str, other: str) -> bool:
    """Whether a word (`spelled_otherwise`) may be a typo of a close word `other`: a short one
    (`SHORT_WORD_LENGTH`) only of a longer word, or of its own letters swapped."""
    return len(word) > SHORT_WORD_LENGTH or len(other) > len(word) or sorted(other) == sorted(word)


def more_likely(sections: int, other: int, in_phrase: bool) -> bool:
    """Whether a close word that `other` sections hold is more likely what was meant than a
    word that `sections` (some) hold: `REAL_WORD_SHARE` times as common, or in a phrase rarer
    (`CloseSpellings.of`)."""
    return other < sections if in_phrase else other >= REAL_WORD_SHARE * sections


def tolerant(parsed: query.Query, spellings: CloseSpellings) -> query.Query:
    """The query with each plain word also matching close spellings, at the word's weight: up
    to one edit (two for long words), a swap of neighbouring letters counting as one. Words of
    a phrase may each be spelled another way the index knows; words of an infobox field, alone
    or in a phrase, may be spelling variants (`commander:Hrytsyak` finds Gritsyak). `parsed`
    itself when no word has another spelling."""

    def spelling(field: str, in_phrase: bool) -> Callable[[str], list[str]] | None:
        """A word of the field and its other spellings, or None for a field of neither kind."""
        if field in SPELLED_AS:
            return partial(spellings.of, SPELLED_AS[field], in_phrase=in_phrase)
        if infobox_source(field):
            return partial(_variants, spellings.reader, field)
        return None

    return respelled(parsed, spelling)


# A field's spellings of its words (the word first), in a phrase or not; None for a field
# whose words are not spelled another way.
Spelling = Callable[[str, bool], Callable[[str], list[str]] | None]


def respelled(parsed: query.Query, spelling: Spelling) -> query.Query:
    """The query with each word (of at most `MAX_FUZZY_LENGTH` letters) of a field that
    `spelling` spells also matching its other spellings, and each phrase any of its spellings
    (up to `MAX_PHRASE_SPELLINGS`); `parsed` itself when no word has another spelling."""
    widened = False

    def widen(node: query.Query) -> query.Query:
        nonlocal widened
        if type(node) is query.Phrase and (spelled := spelling(node.fieldname, True)) is not None:
            phrases = list(islice(product(*map(spelled, node.words)), MAX_PHRASE_SPELLINGS))
            widened |= len(phrases) > 1  # (the first is the phrase as it is)
            return query.Or([query.Phrase(node.fieldname, list(w), node.slop, node.boost) for w in phrases])
        if (
            type(node) is query.Term
            and len(node.text) <= MAX_FUZZY_LENGTH
            and (spelled := spelling(node.fieldname, False)) is not None
        ):
            words = spelled(node.text)
            widened |= len(words) > 1  # (the first is the word itself)
            return query.Or([query.Term(node.fieldname, word, node.boost) for word in words])
        return node

    respelled_query = parsed.accept(widen)
    return respelled_query if widened else parsed


def _variants(reader: IndexReader, fieldname: str, word: str) -> list[str]:
    """`word` and the terms of an infobox field that share its spelling-variant key (a
    number or a short word shares none: `5777` is not `57`)."""
    key = spelling_key(word)
    same = (term for term in _lexicon(reader, fieldname) if term != word and spelling_key(term) == key)
    return [word, *same]


def typo_edits(word: str) -> int:
    """How many edits a typo of `word` may have: one, two for long words."""
    return MAX_EDITS if len(word) >= 8 else 1


def _close_words(reader: IndexReader, word: str) -> dict[str, list[str]]:
    """For each of `SPELLED_FIELDS`: `word` and the field's words one or two edits (or a swap)
    away, the word first, at most `MAX_EXPANSION` of the nearest. The words near it are found
    once among the terms of every field, then kept by field."""
    near = _terms(reader).scored(word, maxdist=typo_edits(word), prefix=1)
    found = {}
    for fieldname in SPELLED_FIELDS:
        held = (scored for scored in near if live.holds(reader, fieldname, scored[1]))
        close = {known for _, known in heapq.nlargest(MAX_EXPANSION, held)}  # (as `suggest` keeps them)
        close |= {swapped for swapped in transpositions(word) if live.holds(reader, fieldname, swapped)}
        found[fieldname] = [word, *sorted(close - {word})]
    return found


# Each open index's terms of the spelled fields, read once and searched in memory: walking the
# index's term files for every close spelling reads them piece by piece (50 ms a word on 20k
# sections against 4 ms in memory, after 60 ms to read them once). Kept once, not by field:
# each field's words that are near a word are the terms it holds (1 MB less on the 112 real
# articles).
_TERMS: weakref.WeakKeyDictionary[IndexReader, CloseWords] = weakref.WeakKeyDictionary()


def _terms(reader: IndexReader) -> CloseWords:
    if reader not in _TERMS:
        # (each term once, in order, into one buffer: the 18,700 terms of the 112 real articles
        # as strings, in a set and a sorted list, took 1.8 MB, which the process kept)
        lines = bytearray()
        for term, _ in groupby(heapq.merge(*map(reader.lexicon, SPELLED_FIELDS))):
            lines += term
            lines += b"\n"
        _TERMS[reader] = CloseWords(lines[:-1].decode("utf-8"))
    return _TERMS[reader]


def _lexicon(reader: IndexReader, fieldname: str) -> Iterator[str]:
    return (term.decode("utf-8") for term in islice(reader.lexicon(fieldname), MAX_EXPANSION))


def with_spellings(parsed: query.Query, spellings: Spellings) -> query.Query:
    """The query with its spelling-variant keys (what the parser made of each word for the
    `VARIANTS` field) replaced by the stems of the indexed words that share them, searched
    with the variants' low weight in the text, and (but for the word's own, which the parser
    searches there already) in the headings and titles: `Hrytsyak` also finds `Gritsyak`,
    `Shamayev` finds `Shamaev`. In a phrase each word may be spelled another way: up to
    `MAX_PHRASE_SPELLINGS` phrases, in the text."""

    def spelled(key: str, own: str | None) -> list[query.Query]:
        stems = _spelled(own, key, spellings)
        return [
            *(query.Term(BODY, stem, boost=VARIANT_BOOST) for stem in stems),
            *(query.Term(field, stem, boost=FIELD_BOOSTS[field] * VARIANT_BOOST)
              for field in (TITLE, HEADING) for stem in stems if stem != own),
        ]

    def spell(node: query.Query, own: str | None = None) -> query.Query:
        if type(node) is query.Term and node.fieldname == VARIANTS:
            stems = spelled(node.text, own)
            if not stems:  # a key no indexed word has
                return query.NullQuery
            return query.Or(stems)
        if type(node) is query.Phrase and node.fieldname == VARIANTS:
            return query.NullQuery  # without the words as written, see `Or` below
        if isinstance(node, query.Or):
            phrases = _variant_phrases(node, spellings)
            # A word's key comes just after its own stem in the text (one of its spellings), as
            # the parser writes a word's fields; `a OR b` may be one `Or` of both words' fields.
            # A key's stems go in this `Or` itself, not in an `Or` of their own that normalizing
            # would copy into this one term by term.
            before = [None, *node.subqueries[:-1]]
            alternatives: list[query.Query] = []
            for previous, child in zip(before, node.subqueries, strict=True):
                own = previous.text if type(previous) is query.Term and previous.fieldname == BODY else None
                if type(child) is query.Term and child.fieldname == VARIANTS:
                    alternatives += spelled(child.text, own)
                else:
                    alternatives.append(spell(child, own))
            return query.Or([*alternatives, *phrases], boost=node.boost)
        if type(node) is query.And:
            # A part that matches nothing leaves the `And` nothing, where Whoosh's normalizing
            # would drop the part (`O'Brien`: `variants:o AND variants:brien` is not `o`).
            parts = [spell(child) for child in node.subqueries]
            if any(part is query.NullQuery for part in parts):
                return query.NullQuery
            return query.And(parts, boost=node.boost)
        return node if node.is_leaf() else node.apply(spell)

    return spell(parsed).normalize().accept(_each_term_once)


def _each_term_once(node: query.Query) -> query.Query:
    """An `Or` whose alternatives repeat a term (a word's own stem is among the stems that share
    its spelling-variant key: `body:concentr OR body:concentr^0.3`) with that term once, its
    boosts added: the same scores, with the term's postings read once, not twice."""
    if type(node) is not query.Or:
        return node
    terms = [child for child in node.subqueries if type(child) is query.Term]
    boosts: dict[tuple[str, str], float] = {}
    for term in terms:
        key = (term.fieldname, term.text)
        boosts[key] = boosts.get(key, 0.0) + term.boost
    if len(boosts) == len(terms):  # no term twice
        return node
    alternatives: list[query.Query] = []
    for child in node.subqueries:
        if type(child) is not query.Term:
            alternatives.append(child)
        elif (key := (child.fieldname, child.text)) in boosts:
            alternatives.append(query.Term(*key, boost=boosts.pop(key)))
    merged = query.Or(alternatives, boost=node.boost)
    # An `Or` of one query is that query with the boosts multiplied (Whoosh would run it
    # without the `Or`'s boost). One of more is normal already: its alternatives were, and
    # are distinct.
    return merged if len(alternatives) > 1 else merged.normalize()


def _variant_phrases(node: query.Or, spellings: Spellings) -> list[query.Query]:
    """For a phrase of the text among the alternatives the parser made of a quoted phrase,
    the phrases whose words share each word's spelling-variant key."""
    texts = [q for q in node.subqueries if type(q) is query.Phrase and q.fieldname == BODY]
    keys = [q for q in node.subqueries if type(q) is query.Phrase and q.fieldname == VARIANTS]
    if not texts or not keys or len(texts[0].words) != len(keys[0].words):
        return []
    text, key = texts[0], keys[0]
    words = [_spelled(stem, k, spellings) for stem, k in zip(text.words, key.words, strict=True)]
    phrases = [list(p) for p in islice(product(*words), MAX_PHRASE_SPELLINGS + 1) if list(p) != text.words]
    return [query.Phrase(BODY, p, text.slop, boost=VARIANT_BOOST) for p in phrases[:MAX_PHRASE_SPELLINGS]]


def _spelled(own: str | None, key: str, spellings: Spellings) -> list[str]:
    """The stems a word (its own stem, its spelling-variant key) is searched as in the text:
    its own, and those of the names that share its key, unless it is itself one of the other
    words with that key: `being` is not `Beijing`, nor `married` `Mary`."""
    stems = {own} if own is not None else set()
    names, common = spellings.group(key)
    if names and (own is None or own not in _stems(common)):
        stems.update(_stems(names))
    return sorted(stems)


def _stems(words: list[str]) -> list[str]:
    return sorted({token.text for word in words for token in STEMMER(word)})


def wanted_terms(parsed: query.Query, reader: IndexReader) -> dict[str, set[str]]:
    """The terms of the index, by field, that the query looks for (not those it excludes):
    what a hit's passage marks."""
    terms: dict[str, set[str]] = {}
    for leaf in _wanted_leaves(parsed):
        if isinstance(leaf, query.NumericRange):
            terms.setdefault(leaf.fieldname, set())
            continue
        # A pattern's words, each segment's apart (`_expansion` says why).
        patterned = isinstance(leaf, query.MultiTerm)
        readers = [segment for segment, _ in reader.leaf_readers()] if patterned else [reader]
        for fieldname, text in (term for one in readers for term in leaf.existing_terms(one, expand=True)):
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


class PeriodPlugin(Plugin):
    """A Whoosh query parser plugin reading a word on an infobox field whose values are dates
    as a period, the way `--during` reads one (`date:1953-07`, `date:1953-06..1953-07`): it
    finds the articles whose dates overlap the period (`scope.period_query`), as the range
    `date:[1953-07 TO 1953-07]` does. A word written as a period that names none (`date:1953-13`)
    is an error, as it is for `--during`. Any other word (`date:June`), and a quoted one
    (`date:"1953"`), stays words of the field's text."""

    def __init__(self, kinds: FieldKinds) -> None:
        self._kinds = kinds

    def filters(self, parser: object) -> list[tuple[object, int]]:
        return [(self._periods, 105)]  # after the fields filter (100) gave each word its field

    def _periods(self, parser: object, group: syntax.GroupNode) -> syntax.GroupNode:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self._periods(parser, node)
            elif (
                type(node) is syntax.WordNode
                and node.fieldname
                and written_as_period(node.text)
                and self._reads_periods(node.fieldname)
            ):
                group[i] = _PeriodNode(node, self._kinds)
        return group

    def _reads_periods(self, fieldname: str) -> bool:
        """Whether a word on this field is read as a period: on a field of dates, and on
        one of numbers with some dates (`_PeriodNode` reads a year there as both)."""
        source = infobox_source(fieldname)
        return self._kinds.is_date_field(fieldname) or (
            source is not None and self._kinds.has("date", source[0])
        )


class _PeriodNode(syntax.SyntaxNode):
    """A word on a date field read as a period: its query is the articles whose dates of
    that field overlap it."""

    has_fieldname = True
    # `date:1953^2`: the boost is this node's (and has no effect: a date does not score).
    has_boost = True

    def __init__(self, word: syntax.WordNode, kinds: FieldKinds) -> None:
        self.text, self.fieldname, self.boost, self._kinds = word.text, word.fieldname, word.boost, kinds
        self.startchar, self.endchar = word.startchar, word.endchar

    def r(self) -> str:
        return f"period {self.text!r}"

    def query(self, parser: object) -> query.Query:
        name, _ = infobox_source(self.fieldname) or (self.fieldname, False)
        periods = period_query(self._kinds.dated(name), parse_period(self.text))
        # (a year on a field with values of both kinds is also a number: `1535 and 1542`)
        if self.text.isdigit() and self._kinds.has("number", name):
            year = int(self.text)
            return query.Or([periods, query.NumericRange(NUMBER_PREFIX + name, year, year)])
        return periods


def numeric_ranges(
    parsed: query.Query, infobox_names: set[str], kinds: FieldKinds
) -> tuple[query.Query, list[str]]:
    """Ranges and numbers on infobox fields as ranges of the values they state, and a warning
    for each range that holds no value (`[2000 TO 1000]`, `{1953 TO 1954}` of dates).

    On a field whose values are dates (`kinds`), a range of periods (`date:[1953 TO 1954]`,
    `date:>=1953-07`; a period as `--during` reads it) finds the articles whose interval
    overlaps it, as `--during` does. On any other, a range of numbers (`strength:[10000 TO]`)
    is a range of the numbers the values state; on a field whose values are numbers, a
    number (`strength:16378`) finds the values that state it (`1.5 million`), with its sign
    (`utc_offset:5` is not the `5` of `-5`).
    """

    empty: list[str] = []

    def to_value(node: query.Query) -> query.Query:
        source = infobox_source(node.field() or "") if node.is_leaf() else None
        if source is None or source[1] or source[0] not in infobox_names:
            return node
        name = source[0]
        kind = kinds(name)
        # A field with values of both kinds answers a year with both (`1535 and 1542` are
        # numbers beside `March 6, 1834`): `[1500 TO 1900]` is numbers or dates.
        mixed = kinds.has("date", name) and kinds.has("number", name)
        if isinstance(node, query.TermRange):
            # (Whoosh keeps the spaces inside the brackets: `date:[ 1953 TO 1954 ]`)
            low, high = ((bound or "").strip() or None for bound in (node.start, node.end))
            node = query.TermRange(node.fieldname, low, high, node.startexcl, node.endexcl, boost=node.boost)
            if kind == "date" and not mixed:
                _check_years(name, node)
            found = []
            if (kind == "date" or mixed) and (bounds := _period_bounds(node)) is not None:
                if bounds[0] > bounds[1]:
                    empty.append(_empty_range(name, node, "day"))
                found.append(period_query(kinds.dated(name), _interval(*bounds)))
            start, end = _number_or_none(node.start), _number_or_none(node.end)
            if (kind != "date" or mixed) and (start, end) != (None, None):
                if start is not None and end is not None and (
                    start > end or (start == end and (node.startexcl or node.endexcl))
                ) and not found:
                    empty.append(_empty_range(name, node, "number"))
                numbers = query.NumericRange(NUMBER_PREFIX + name, start, end, node.startexcl, node.endexcl)
                found.append(numbers)
            if found:
                return found[0] if len(found) == 1 else query.Or(found)
        elif type(node) is query.Term and kind == "number" and _NUMBER_WORD.fullmatch(node.text):
            number = parse_number(node.text)
            if number is not None:
                return query.NumericRange(NUMBER_PREFIX + name, number, number)
        return node

    return parsed.accept(to_value), empty


def _check_years(name: str, node: query.TermRange) -> None:
    """`QueryError` for a bound of a range of dates that is a number but no year written as
    one (`date:>=1`, `[1900 TO 10000]`), which matched nothing, silently."""
    for bound in (node.start, node.end):
        if bound and bound.isdigit() and not written_as_period(bound):
            raise QueryError(
                f"{quoted(bound)} in a range of the dates of {quoted(name)} is no year: write a year "
                "with four digits (0999 for 999), up to 9999"
            )


def _empty_range(name: str, node: query.TermRange, what: str) -> str:
    """The warning on a range of field `name` that no `what` (day, number) lies inside."""
    opening, closing = "{" if node.startexcl else "[", "}" if node.endexcl else "]"
    typed = f"{name}:{opening}{node.start} TO {node.end}{closing}"
    return f"{quoted(typed)} matches nothing: no {what} lies inside the range"


_NUMBER_WORD = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _number_or_none(text: str | None) -> int | float | None:
    """A range's bound as a number; one over the largest the index holds is that one."""
    if not text:
        return None
    number = parse_number(text)
    return LARGEST_NUMBER if number is None and _NUMBER_WORD.fullmatch(text.replace(",", "")) else number


def _period_bounds(node: query.TermRange) -> tuple[date, date] | None:
    """The first and last day a range of periods (`[1953 TO 1954-06]`, `{1953 TO}`) covers,
    or None when a bound is not written as a period (`[June TO July]`); ValueError says why a
    bound written as one names none (`1953-13`). An excluded bound excludes its whole period."""
    if not all(written_as_period(bound) for bound in (node.start, node.end) if bound):
        return None
    first = date.min if not node.start else _one_period(node.start, node.startexcl, after=True)
    last = date.max if not node.end else _one_period(node.end, node.endexcl, after=False)
    return first, last


def _one_period(text: str, excluded: bool, *, after: bool) -> date:
    if ".." in text:
        raise ValueError(f"{text!r} is a range, not a bound")
    period = parse_period(text)
    try:
        if after:
            return period.end + timedelta(days=1) if excluded else period.start
        return period.start - timedelta(days=1) if excluded else period.end
    except OverflowError:
        return date.max if after else date.min


def _interval(first: date, last: date) -> DateInterval | None:
    return DateInterval(first, last) if first <= last else None
