"""Questions in plain words: `+word` and `-word`, and relaxing a query that (nearly) nothing
matches in full.

Signs, as in Elasticsearch's simple query string: `-word`, `-"a phrase"`, `-field:value`
excludes the sections that match it (`NOT`); `+word` requires it, which every word already is
(the query is an AND) except when a query is relaxed: a `+word` is never left out. A sign is an
operator only at the start of a word (`anti-Soviet`, `1953-07`, `casualties:-5` stay as they
are). A query of only exclusions (`-Norilsk`) is `NOT Norilsk`: every section without the word.

Relaxing. Every word must match, so a question such as `how many people were killed in
Norilsk` finds nothing when no section has all of its words. When fewer than `FEW_HITS`
sections match, a query of plain words (words, phrases, signed words, `field:value`; no
AND/OR/NOT, parentheses or ranges; at most `MAX_WORDS` words) is retried without some of its
words, the way Elasticsearch's `minimum_should_match` or Meilisearch's word dropping do:

- Question words (`QUESTION_WORDS`: how, many, were, ...), which the stop list keeps but
  which carry no meaning a section could match, are left out of every relaxed query, like
  stop words. A question (a query that opens with `QUESTION_OPENERS`: who, how, ...) leaves
  them out even when `FEW_HITS` sections or more have every word, and only them: `who
  commanded the french at durenstein` found three sections that say `who`, none of them the
  lead that says who commanded the French. When fewer than `FEW_HITS` sections have its
  other words, one more of them goes too, if that finds more (one only: `how many people
  were killed and wounded in Norilsk` keeps its answer, the infobox): `how deep is
  the shackleton crater` showed the two sections with `deep`, `shackleton` and `crater`, the
  one about the basin around the crater first; now every section of the crater, those with
  `deep` first.
- `+words`, `field:value` and patterns (`x*`, `x~`) always stay, and `-words` stay excluded.
  Of the other words at least half (rounded up) stay, and never fewer than two: `Frenkel
  Vorkuta` is never answered by `Frenkel` alone.
- Which words stay: the sets of the query's words that sections have together are candidates,
  best first: most words, then (of a question) most words that name articles, then the rarest
  (the greatest sum of idf: a rare word says more), then the set most sections have. Rarity is
  not enough on its own: on the real articles `how` is rarer than `killed` (49 sections, 60),
  and keeping it answers `how many were killed` with a drum's history; hence question words go
  whatever their rarity. Nor is it, in a question, for a word that names some articles (it is
  in their titles, not in all): `Norilsk` is in half the bundled corpus's sections, `died` in
  one of Vorkuta's, and keeping `died` answered `how many prisoners died in Norilsk` about
  Vorkuta. (Of words alone, such a word may be the one remembered wrong: `ranked_sets`.)
- A word that names articles is held by each of their sections (`title:` asks the same): the
  section that answers `how many prisoners died in Vorkuta` (42 killed, more who died later)
  never says `Vorkuta`.
- Ranking: the relaxed query requires the words kept; the other words left out still score
  where a section has them (Whoosh's AndMaybe), so sections with more of the words, such as
  the few exact matches, rank high; question words do not score.
- The result names the words left out, as typed (`SearchResult.relaxed`), and warns:
  `no section has all of '...'; showing sections without: how, many, were`.

A query with `FEW_HITS` or more exact matches is never relaxed but for its question words,
nor is an exact match ever left out of a relaxed result (it has the kept words too).

Order with the typo retry (close spellings, `rewrite.tolerant`), which runs only when nothing
matches: when a word or phrase that carries meaning matches nothing on its own (or the query
is not plain words), the typo retry comes first, as a misspelling is the likelier reason for
no match, and relaxing would only drop the word; if the corrected query still matches
nothing, it is relaxed with each such word matching its close spellings (`corrected` is then
true as well). When every word matches somewhere, relaxing comes first: retrying known words
with close spellings (`were` ~ `wore`, `how` ~ `hot`) finds look-alikes rather than what was
asked; the typo retry then runs last, when relaxing found nothing (`Frenkel Vorkuta`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import NamedTuple, TypeVar

from whoosh import qparser, query
from whoosh.qparser import syntax
from whoosh.qparser.plugins import OperatorsPlugin
from whoosh.searching import Searcher as WhooshSearcher

from .collect import Collected, documents
from .errors import SearcherError, quoted
from .numerals import GROUPED_NUMBER
from .rewrite import CloseSpellings, tolerant
from .schema import ARTICLE_TITLE, TITLE, WORDS
from .scope import ARTICLES, article_sections, scoped_query

# A query with fewer exact matches than this is relaxed.
FEW_HITS = 3
# At most this many relaxed queries are tried (each a full search) before giving up; more than
# one is needed only when filters leave out the sections the first ones were chosen for.
# How much more than its words alone all the left-out words together weigh in a section.
EXACT_BOOST = 10.0
MAX_TRIES = 8
# A query of more words than this is not relaxed (each word is parsed and matched on its own).
MAX_WORDS = 32
# Words of questions that the stop list keeps but that carry no meaning a section could match:
# left out first when a query is relaxed, and never counted among the words that must stay.
QUESTION_WORDS = frozenset(
    "how what which who whom whose why where many much was were been being did do does done "
    "had has there their they them he she his her its our me my some any".split()
)

# A sign is an operator at the start of a word (after a space, a parenthesis or nothing),
# followed by what it applies to.
_SIGN_BEFORE = r"(?<![^\s(])"
_SIGN_AFTER = r"(?=[^\s+\-)])"
# A query of plain words: words and phrases, each perhaps signed, with spaces between.
# A word: a quoted phrase, a number grouped by thousands (`18 000` is one word), or else.
_TOKEN = re.compile(rf'\s*([+-]?)("[^"]*"|(?:{GROUPED_NUMBER})|[^\s"()+\-][^\s"()]*)\s*')
# The words that open a question (`when` is a stop word): a query that opens with one leaves
# out its question words even when sections have them all.
QUESTION_OPENERS = frozenset("how what which who whom whose why where when".split())
# The words Whoosh's parser reads as operators (in capitals).
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"})
_RANGE = re.compile(r"[\[\]{}]")
# A word with query syntax: a field name, a pattern, a fuzzy term, a boost.
_SYNTAX = re.compile(r"[:*?~^]")
# A part of a word cut in parts: letters and digits.
_PART = re.compile(r"[^\W_]+")

T = TypeVar("T")


class _Required(syntax.Wrapper):
    """`+word`: the word as it is (every word is required unless a query is relaxed, which
    reads the sign from the query's text)."""

    def query(self, parser: qparser.QueryParser) -> query.Query | None:
        return self.nodes[0].query(parser) if self.nodes else None


def signed_operators() -> OperatorsPlugin:
    """Whoosh's operators (AND, OR, NOT, ...) with `-` (NOT) and `+` (required) before a word,
    phrase, field or group; for `QueryParser.replace_plugin`. The signs are applied first, so
    `a OR -b` is `a OR (NOT b)`."""
    minus = OperatorsPlugin.OpTagger(
        _SIGN_BEFORE + "-" + _SIGN_AFTER, syntax.NotGroup, syntax.PrefixOperator, memo="minus"
    )
    plus = OperatorsPlugin.OpTagger(
        _SIGN_BEFORE + r"\+" + _SIGN_AFTER, _Required, syntax.PrefixOperator, memo="plus"
    )
    return OperatorsPlugin([(minus, 0), (plus, 0)])


def no_exact_matches(text: str, shown: str | None = None) -> str:
    """The warning on a search that shows close spellings of its words, or the query `shown`
    (a suggestion), for want of exact matches."""
    return f"no exact matches for {quoted(text)}: showing " + (quoted(shown) if shown else "close spellings")


class Retry(NamedTuple):
    """A retried search: the query run, its result, whether close spellings were used, the
    words of the query left out (as typed), and the warning saying so."""

    query: query.Query
    result: Collected
    corrected: bool
    relaxed: list[str]
    warning: str


class _Word:
    """A word or phrase of a plain-words query: as typed, its sign, whether it is a question
    word or has query syntax, and the query and the sections it matches on its own (counted
    only when the query can be relaxed)."""

    __slots__ = ("corrected", "docs", "question", "sign", "syntax", "typed", "unit", "unknown")

    def __init__(self, typed: str, sign: str, question: bool, syntax: bool, unit: query.Query) -> None:
        self.typed, self.sign, self.question, self.syntax, self.unit = typed, sign, question, syntax, unit
        self.docs: frozenset[int] | None = None  # None: not counted (query syntax, or not yet)
        self.unknown = False  # matches nothing as typed
        self.corrected = False  # matches close spellings (`unit` and `docs` are theirs)

    @property
    def droppable(self) -> bool:
        return not self.sign and not self.syntax

    @property
    def meaningful(self) -> bool:
        return self.sign != "-" and not self.question


def retried(
    text: str,
    parsed: query.Query,
    exact: Collected,
    words: PlainWords,
    searcher: WhooshSearcher,
    written: Callable[[str], Mapping[str, int]],
    run: Callable[[query.Query], Collected],
    kept: Callable[[Collection[int]], int],
) -> Retry | None:
    """A better answer than `exact` (the result of `parsed`, the query `text` of `words`,
    which has fewer than `FEW_HITS` matches), or None: the query with close spellings and/or
    without some of its words, in the order the module's docstring explains. `written` gives
    the words as written that a word may be a typo of, with their edits
    (`rewrite.CloseSpellings`); `run` runs a query as `exact` was found (filters and all);
    `kept` counts the documents of a set that the filters keep (a relaxed query that would
    find too few is passed over without being run, when its words' sections tell). Asked
    only when `relaxable`: with `FEW_HITS` or more matches (a question), it is retried
    without its question words only.
    """
    found = exact.total
    if found and not _may_relax(words.typed):
        return None
    spellings = CloseSpellings(searcher.reader(), written, WORDS.words(text))
    unknown = words.parsed is None or any(w.unknown for w in words.parsed)
    if found == 0 and unknown and (typo := _typo_retry(text, parsed, spellings, run)):
        return typo
    if words.parsed is not None:
        # (a question whose other words fewer than `FEW_HITS` sections have: one more may go)
        questions_only: Retry | None = None
        least = found
        for relaxed in _relaxations(words.parsed, searcher, spellings, every_word=found >= FEW_HITS):
            if questions_only and len(relaxed.dropped) > len(questions_only.relaxed) + 1:
                break  # (the candidates come with the most words first)
            if relaxed.sections is not None and kept(relaxed.sections) <= least:
                continue
            result = run(relaxed.query)
            if (finds := result.total) <= least:
                continue
            warning = relaxed_warning(text, found, relaxed.dropped, relaxed.corrected)
            retry = Retry(relaxed.query, result, relaxed.corrected, relaxed.dropped, warning)
            if questions_only or answers_enough(finds, _only_questions(relaxed, words.parsed)):
                return retry
            questions_only, least = retry, finds
        if questions_only is not None:
            return questions_only
    if found == 0 and not unknown:
        return _typo_retry(text, parsed, spellings, run)
    return None


def answers_enough(found: int, questions_only: bool) -> bool:
    """Whether a relaxed query that finds `found` sections (more than the query did) is the
    answer: unless it leaves out a question's question words only and fewer than `FEW_HITS`
    sections have its other words, when one more word may go if that finds more (`retried`,
    and the Typesense engine's `retry.relaxed`)."""
    return found >= FEW_HITS or not questions_only


def _only_questions(relaxed: _Relaxed, words: list[_Word]) -> bool:
    """Whether the relaxed query leaves out question words only."""
    return all(word.question for word in words if word.typed in relaxed.dropped)


def _typo_retry(
    text: str,
    parsed: query.Query,
    spellings: CloseSpellings,
    run: Callable[[query.Query], Collected],
) -> Retry | None:
    widened = tolerant(parsed, spellings)
    if widened is parsed:  # no word has a close spelling: the query that found nothing
        return None
    result = run(widened)
    if not result.total:
        return None
    return Retry(widened, result, True, [], no_exact_matches(text))


def relaxed_warning(text: str, found: int, dropped: list[str], corrected: bool) -> str:
    """The warning of a relaxed search: how many sections had every word, which were left out."""
    left_out = ", ".join(dropped) + (", with close spellings" if corrected else "")
    if not found:
        return f"no section has all of {quoted(text)}; showing sections without: {left_out}"
    if found >= FEW_HITS:  # (a question's question words, left out)
        sections = f"{found:,} sections have"
    else:
        sections = "only 1 section has" if found == 1 else f"only {found} sections have"
    return f"{sections} all of {quoted(text)}; also showing sections without: {left_out}"


def unmatched_warning(
    words: Sequence[str], missing: Collection[str], apart: Collection[str] = ()
) -> str | None:
    """Why a query of plain words matches nothing, from its `words` that carry meaning (as
    typed; no `-word`, no question word): those of them that no section has (`missing`), or,
    when each is in some section, that no section has them all (but for a quoted phrase: no
    `a OR "b c"` to offer). None for fewer than two such words: alone, a word says it
    already; but a word cut in parts or a quoted phrase that some section has apart (of
    `missing`, those of `apart`: `Lesnar-Hunt`, a phrase of its parts) says where they are."""
    hints = [f"; {quoted(parts_apart(word))} finds {_parts(word, alone=len(missing) == 1)} apart"
             for word in words if word in apart]
    if len(words) < 2 and not hints:
        return None
    if missing:
        listed = [word for word in words if word in missing]
        return _listed(listed) + (" is" if len(listed) == 1 else " are") + " in no section" + "".join(hints)
    if any(word.startswith('"') for word in words):
        return None  # (no `a OR "b c"` to offer: the Typesense engine cannot run it)
    every, finds = ("both", "either") if len(words) == 2 else ("all of", "any of them")
    either = quoted(" OR ".join(words))
    return f"no section has {every} {_listed(words)}, though each is in some: {either} finds {finds}"


def _listed(words: Sequence[str]) -> str:
    """Words quoted, `'a', 'b' and 'c'`."""
    *others, last = map(quoted, words)
    return f"{', '.join(others)} and {last}" if others else last


def parts_apart(word: str) -> str:
    """A word cut in parts (`Lesnar-Hunt`, `O'Brien`) or a quoted phrase as its parts apart, a
    query of them: without the operators' words, common words (`strike or amnesty` would say
    so, `strike OR amnesty` find either)."""
    return " ".join(part for part in _PART.findall(word) if part.upper() not in OPERATORS)


def _parts(word: str, alone: bool) -> str:
    """What `parts_apart` finds of a word or phrase: `its parts`, `the words of '"a b"'`."""
    parts = "words" if word.startswith('"') else "parts"
    return f"its {parts}" if alone else f"the {parts} of {quoted(word)}"


def why_unmatched(words: PlainWords) -> str | None:
    """`unmatched_warning` for a query of plain words and quoted phrases (no syntax) that
    matches nothing; None for any other query."""
    if words.parsed is None or any(word.syntax for word in words.parsed):
        return None
    meaningful = [word for word in words.parsed if word.meaningful]
    unknown = {word.typed for word in meaningful if word.unknown}
    apart = {word.typed for word in meaningful if word.unknown and words.found_apart(word)}
    return unmatched_warning([word.typed for word in meaningful], unknown, apart)


class PlainWords:
    """The words of a query, as typed (`words_as_typed`) and, when first asked for, each
    parsed and known to match or not (`_plain_words`): worked out once for a search, which
    may retry it and then say why it matches nothing."""

    def __init__(self, text: str, parse: Callable[[str], query.Query], searcher: WhooshSearcher) -> None:
        self._text, self._parse, self._searcher = text, parse, searcher

    @cached_property
    def typed(self) -> list[tuple[str, str]] | None:
        return words_as_typed(self._text)

    @cached_property
    def parsed(self) -> list[_Word] | None:
        return _plain_words(self.typed, self._parse, self._searcher)

    def found_apart(self, word: _Word) -> bool:
        """Whether a word cut in parts (a phrase of them, `unit`) has its parts in some section
        apart."""
        if not any(type(leaf) is query.Phrase for leaf in word.unit.leaves()):
            return False
        try:
            parts = self._parse(parts_apart(word.typed))
        except SearcherError:
            return False
        return next(documents(self._searcher, parts), None) is not None


def words_as_typed(text: str) -> list[tuple[str, str]] | None:
    """The words of a query of plain words, each with its sign (`+`, `-` or none), as typed:
    a quoted phrase and a number grouped by thousands (`18 000`) are one word each. None for a
    query with operators or ranges."""
    if _RANGE.search(text):
        return None
    found = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            return None
        position = match.end()
        sign, typed = match.group(1, 2)
        if typed in OPERATORS:
            return None
        found.append((sign, typed))
    return found


def relaxable(found: int, typed_words: list[tuple[str, str]] | None) -> bool:
    """Whether a search of these words (`words_as_typed`) that found `found` sections is
    retried (`retried`; the Typesense engine's `cluster.retry.relaxed`): with fewer than
    `FEW_HITS`, or when it is a question (`asks`), which leaves out its question words
    however many sections have them."""
    return found < FEW_HITS or asks(typed_words)


def asks(typed_words: list[tuple[str, str]] | None) -> bool:
    """Whether a query of these words (`words_as_typed`) is a question: it opens with an
    unsigned word of `QUESTION_OPENERS`."""
    if not typed_words:
        return False
    sign, first = typed_words[0]
    return not sign and first.casefold() in QUESTION_OPENERS


def _may_relax(typed_words: list[tuple[str, str]] | None) -> bool:
    """Whether a query of these words (`words_as_typed`) that has exact matches could be
    relaxed: a relaxed query keeps at least two words, so it takes three, or a question
    word to leave out (`_relaxations`). Saves parsing each word when it could not."""
    return typed_words is not None and (
        len(typed_words) > 2 or any(typed.casefold() in QUESTION_WORDS for _, typed in typed_words)
    )


def _plain_words(
    typed_words: list[tuple[str, str]] | None, parse: Callable[[str], query.Query], searcher: WhooshSearcher
) -> list[_Word] | None:
    """The words of a plain-words query (`words_as_typed`), each meaningful one knowing whether
    it matches anything on its own, or None for any other query. Words that analysis drops
    (stop words) are left out."""
    if typed_words is None:
        return None
    words: list[_Word] = []
    for sign, typed in typed_words:
        try:
            unit = parse(typed)
        except SearcherError:
            return None
        if unit is query.NullQuery or not any(True for _ in unit.leaves()):
            continue
        has_syntax = not typed.startswith('"') and bool(_SYNTAX.search(typed))
        word = _Word(typed, sign, typed.casefold() in QUESTION_WORDS, has_syntax, unit)
        if not has_syntax and word.meaningful:
            word.unknown = next(documents(searcher, unit), None) is None
        words.append(word)
        if len(words) > MAX_WORDS:
            return None
    return words


class _Relaxed(NamedTuple):
    """A relaxed query, the words it leaves out (as typed), whether it uses close spellings,
    and the sections it matches, as its words' own tell (None when a word has query syntax)."""

    query: query.Query
    dropped: list[str]
    corrected: bool
    sections: set[int] | None


def _relaxations(
    words: list[_Word], searcher: WhooshSearcher, spellings: CloseSpellings, every_word: bool = False
) -> Iterator[_Relaxed]:
    """Relaxed queries, best first (at most `MAX_TRIES`): a word unknown to the index matches
    its close spellings; with `every_word`, only the one that leaves out the question words
    alone. The words' sections are counted only once a query can be relaxed."""
    droppable = [w for w in words if w.droppable and not w.question]
    questions = [w for w in words if w.droppable and w.question]
    kept_always = [w for w in words if not w.droppable and w.sign != "-"]
    excluded = [w for w in words if w.sign == "-"]
    least = len(droppable) if every_word else least_kept(len(droppable), len(kept_always))
    if len(droppable) <= least and not questions:
        return
    for word in words:
        if not word.syntax:
            _count(word, searcher, spellings)
    titled = {w: terms for w in droppable if not w.corrected and (terms := _title_words(w))}
    articles = sum(1 for _ in documents(searcher, ARTICLES)) if titled else 0
    topics = [w for w, terms in titled.items() if names_some(_count_titled(terms, searcher), articles)]
    for word in topics:
        _about(word, titled[word], searcher)
    together = word_sets([w.docs or () for w in droppable],
                         [w.docs for w in kept_always if w.docs is not None],
                         [w.docs for w in excluded if w.docs is not None])
    counted = [Counted(w.typed, len(w.docs or ()), w in topics) for w in droppable]
    candidates = ranked_sets(together, counted, searcher.doc_count(), least, bool(kept_always),
                             bool(questions))
    for have in candidates[:MAX_TRIES]:
        kept = [droppable[i] for i in _bits(have)] + kept_always
        dropped = [w for w in words if (w in questions) or (w in droppable and w not in kept)]
        core = query.And(
            [w.unit for w in words if w in kept] + [query.Not(w.unit) for w in excluded]
        )
        # Left-out words still score where a section has them (question words do not), and
        # a section with all of them (an exact match) far more: exact matches come first.
        scoring = [w.unit for w in dropped if w.docs and not w.question]
        bonus = query.Or([query.And(scoring, boost=EXACT_BOOST), *scoring]) if scoring else None
        relaxed: query.Query = query.AndMaybe(core, bonus) if bonus else core
        corrected = any(w.corrected for w in kept)
        yield _Relaxed(relaxed.normalize(), [w.typed for w in dropped], corrected, _sections(kept, excluded))


def least_kept(droppable: int, required: int) -> int:
    """How many of its `droppable` words a relaxed query keeps at least, beside its `required`
    ones: half of all (rounded up), and never fewer than two (or the one there is)."""
    must = droppable + required
    return max(0, max(min(must, 2), math.ceil(must / 2)) - required)


def _sections(kept: list[_Word], excluded: list[_Word]) -> set[int] | None:
    """The sections with every kept word and no excluded one (what the relaxed query finds:
    words of the text never match article documents), or None when a word's are not known."""
    known = [w.docs for w in kept if w.docs is not None]
    left_out = [w.docs for w in excluded if w.docs is not None]
    if len(known) < len(kept) or len(left_out) < len(excluded):
        return None
    return set(known[0]).intersection(*known[1:]).difference(*left_out)


def _title_words(word: _Word) -> list[query.Term]:
    """The words of the article titles the word matches (of `title:`: every section of the
    articles so titled); none for a phrase, or a word cut in parts."""
    in_title = [leaf for leaf in word.unit.leaves() if leaf.field() == TITLE]
    terms = [leaf for leaf in in_title if type(leaf) is query.Term]
    return [query.Term(ARTICLE_TITLE, term.text) for term in terms] if len(terms) == len(in_title) else []


def _count_titled(terms: list[query.Term], searcher: WhooshSearcher) -> int:
    """How many articles have one of these words (`_title_words`) in their title."""
    return sum(1 for _ in documents(searcher, scoped_query(query.Or(terms))[0]))


def _about(word: _Word, terms: list[query.Term], searcher: WhooshSearcher) -> None:
    """A word of some articles' titles (`terms`: `_title_words`) also matches every section
    of those articles (what `title:` asks): a question that names its subject is about it, as
    the sections that answer it need not say its name."""
    word.unit = query.Or([word.unit, *terms])
    word.docs = (word.docs or frozenset()) | frozenset(documents(searcher, article_sections(query.Or(terms))))


def _count(word: _Word, searcher: WhooshSearcher, spellings: CloseSpellings) -> None:
    """The sections a word matches on its own; a word unknown to the index then matches its
    close spellings, if the index has any."""
    if not word.unknown:
        word.docs = frozenset(documents(searcher, word.unit))
        return
    widened = tolerant(word.unit, spellings)
    word.docs = frozenset() if widened is word.unit else frozenset(documents(searcher, widened))
    if word.docs:
        word.unit, word.corrected = widened, True


def word_sets(
    droppable: Sequence[Collection[T]], required: Sequence[Collection[T]], excluded: Sequence[Collection[T]]
) -> Counter[int]:
    """How many sections have each set of the droppable words (a bit per word) together with
    every required word and no excluded one, from the sections each word matches on its own
    (those known)."""
    allowed = set(required[0]).intersection(*required[1:]) if required else None
    banned = set().union(*excluded)
    have: dict[T, int] = {}
    for bit, found in enumerate(droppable):
        for section in found:
            have[section] = have.get(section, 0) | 1 << bit
    if allowed is not None:
        have.update(dict.fromkeys(allowed - have.keys(), 0))
    return Counter(
        bits for section, bits in have.items()
        if section not in banned and (allowed is None or section in allowed)
    )


class Counted(NamedTuple):
    """A word a relaxed query may leave out: as typed, how many sections it matches on its
    own, and whether it names what the question is about (`names_some`)."""

    typed: str
    sections: int
    topic: bool


def names_some(titled: int, articles: int) -> bool:
    """Whether a word in the title of `titled` of the `articles` names some of them, not all
    (`uprising` of a corpus of uprisings names none)."""
    return 0 < titled < articles


def ranked_sets(
    together: Counter[int], words: Sequence[Counted], documents: int, least: int, required: bool,
    questions: bool,
) -> list[int]:
    """The sets of the droppable `words` (of the `documents` sections) that sections have
    `together` (`word_sets`) and a relaxed query may keep, best first: most words, then, of a
    question (with `questions`, question words to leave out), most words that name articles
    (`how many prisoners died in Norilsk` is about Norilsk, however many of a small corpus's
    sections say so), then the rarest (the greatest sum of idf), then the set most sections
    have. A set keeps at least `least` words, not all of them unless there are `questions` to
    leave out, and some word unless there are `required` ones. Of words alone, a word that
    names articles may be the one remembered wrong: `stitches goad uniting confronting` kept
    the `unit` of United Kingdom (bench/knownitem.py)."""
    idf = [math.log(max(documents, 1) / max(word.sections, 1)) for word in words]
    topics = [word.topic and questions for word in words]
    everything = (1 << len(words)) - 1
    return sorted(
        (bits for bits in together
         if _ones(bits) >= least and (bits != everything or questions) and (bits or required)),
        # (last, the words kept as written: which of two as common goes is not the query's order)
        key=lambda bits: (-_ones(bits), -sum(topics[i] for i in _bits(bits)),
                          -sum(idf[i] for i in _bits(bits)), -together[bits],
                          sorted(words[i].typed.casefold() for i in _bits(bits))),
    )


def _bits(number: int) -> Iterable[int]:
    return (i for i in range(number.bit_length()) if number >> i & 1)


def _ones(number: int) -> int:
    return bin(number).count("1")
