"""Passages: each hit of a page with the best fragment of its text, the matched words as
offsets (`hits`).

Built on Whoosh's highlighting pipeline: the marks (a quoted phrase is one mark spanning all
its words) come from the index's stored offsets, or, for text without them (infobox lines),
from analyzing it (`best_passage`); Whoosh's `PinpointFragmenter` cuts fragments around them,
its fragment scorer picks the best one, and `SpanFormatter` returns the fragment's text with
character spans instead of markup.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from whoosh import query
from whoosh.analysis import Analyzer, Token
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    Formatter,
    Fragment,
    PinpointFragmenter,
    top_fragments,
)
from whoosh.reading import IndexReader

from .collect import Match
from .infobox import normalise_key
from .marks import Mark, Occurrence, marks, occurrences
from .results import Hit
from .rewrite import wanted_terms
from .schema import (
    ARTICLE,
    ARTICLE_KIND,
    BODY,
    END_PREFIX,
    INFOBOX_LINES,
    INFOBOX_WORDS,
    KIND,
    NUMBER_PREFIX,
    PATH,
    POSITION,
    SECTION,
    START_PREFIX,
    field_names,
    infobox_source,
    is_line_of,
    text_analyzer,
)
from .values import numbers_with_spans, parse_date_interval

WIDTH = 200
ANALYZER = text_analyzer()
# In choosing the passage of a relaxed question's hit, the words of its title (which every hit
# shows) weigh this much of their weight: the passage shows what the title does not say.
TITLE_WORD_WEIGHT = 0.1
# The syntax of a query that is not its words.
_QUERY_SYNTAX = re.compile(r"\b\w+:|\b(?:AND|OR|NOT|TO)\b")
_SPACE = re.compile(r"\s")
# The text up to its last white space (`match` reads it in one backward step from the end).
_TO_LAST_SPACE = re.compile(r".*\s", re.DOTALL)


class Passage(NamedTuple):
    """A fragment of text and the `[start, end)` offsets of its marked words within it."""

    text: str
    spans: tuple[tuple[int, int], ...]


class SpanFormatter(Formatter):
    """A Whoosh formatter that returns a `Passage` rather than marked-up text."""

    # Not markup, unlike the base class's `str`: this is called directly, never by a Highlighter.
    def format(  # type: ignore[override]
        self, fragments: Iterable[Fragment], replace: bool = False
    ) -> Passage | None:
        fragment = next(iter(fragments), None)
        if fragment is None:
            return None
        start = fragment.startchar
        spans = tuple(
            (token.startchar - start, token.endchar - start)
            for token in sorted(fragment.matches, key=lambda token: token.startchar)
        )
        return Passage(_one_line(fragment.text[start : fragment.endchar]), spans)


def hits(
    page: list[tuple[Match, int]],
    parsed: query.Query,
    text: str,
    reader: IndexReader,
    offset: int = 0,
    relaxed: bool = False,
) -> list[Hit]:
    """The page of hits, ranked after the `offset` hits before it, each with its passage: the
    section's marked words (found in the index), else (for an article) the infobox line of a
    matched field, else the opening. For a `relaxed` question, the passage shows the words its
    title does not say where it can: the answer is there, the title is shown anyway."""
    if not page:
        return []
    wanted = wanted_terms(parsed, reader)
    docnums = [match.docnum for match, _ in page]
    found = occurrences(reader, BODY, wanted.get(BODY, ()), docnums)
    words, phrases = _words_and_phrases(parsed, BODY, wanted)
    asked = asked_words(text, parsed)
    page_hits = []
    for rank, (match, more) in enumerate(page, offset + 1):
        stored = reader.stored_fields(match.docnum)
        lines = stored.get(INFOBOX_LINES, "")
        own_text = stored.get(BODY) or lines or _opening_section(reader, match.docnum, stored)
        title = stored[ARTICLE] if relaxed else ""
        passage = (
            pinpoint_passage(own_text, marks(found[match.docnum], words, phrases), title)
            or infobox_passage(lines, wanted, parsed)
            or opening(own_text)
        )
        page_hits.append(Hit(
            rank=rank,
            score=round(match.score, 6),
            article=stored[ARTICLE],
            section=stored[SECTION],
            snippet=passage.text,
            highlights=passage.spans,
            path=stored[PATH],
            position=stored.get(POSITION, 0),  # (an article document: its infobox, the first)
            variants=variants(passage, asked),
            more_in_article=more,
        ))
    return page_hits


def _opening_section(reader: IndexReader, docnum: int, stored: dict[str, Any]) -> str:
    """The text of the section an article document without an infobox stands for (its
    first with text, `schema.documents`): the next document, as Whoosh keeps a group's
    documents in order in one segment."""
    if stored.get(KIND) != ARTICLE_KIND or docnum + 1 >= reader.doc_count_all():
        return ""
    following = reader.stored_fields(docnum + 1)
    return str(following.get(BODY, "")) if following.get(PATH) == stored[PATH] else ""


class Asked:
    """The words a query asks for as the index holds them, and its patterns (`emper*`,
    `?orkuta`) as one expression of the indexed words they match (None: no pattern); what it
    says of each word it is asked about is kept, as a page's passages mark the same words."""

    def __init__(self, words: set[str], patterns: re.Pattern[str] | None) -> None:
        self.words = words
        self.patterns = patterns
        self._held: dict[str, bool] = {}

    def holds(self, word: str) -> bool:
        """Whether a word as written is the query's own: one of its words, or matched by one
        of its patterns."""
        held = self._held.get(word)
        if held is None:
            analysed = _words(word)
            held = self._held[word] = bool(analysed & self.words) or (
                self.patterns is not None and any(map(self.patterns.fullmatch, analysed))
            )
        return held


def asked_words(text: str, parsed: query.Query) -> Asked:
    """The words of a query's text as the index holds them, its syntax (`field:`, `OR`) left
    out, and the patterns of the query as parsed (`parsed`)."""
    patterns = [
        re.escape(leaf.text) + ".*" if isinstance(leaf, query.Prefix) else fnmatch.translate(leaf.text)
        for leaf in parsed.leaves() if isinstance(leaf, (query.Prefix, query.Wildcard))
    ]
    return Asked(_words(_QUERY_SYNTAX.sub(" ", text)), re.compile("|".join(patterns)) if patterns else None)


def variants(passage: Passage, asked: Asked) -> tuple[str, ...]:
    """The words a passage marks that the query did not ask for (`Asked.holds`: close
    spellings, spelling variants), each once; nothing with a digit: a number or a date, which
    a range or a date query matches (`strength:>10000` marks `16,378`, `date:1953` `26 May – 4
    August 1953`, `population:1500000` `1.5 million`), is spelled one way."""
    marked = (passage.text[start:end] for start, end in passage.spans)
    return tuple(dict.fromkeys(
        word for word in marked
        if any(map(str.isalpha, word)) and not any(map(str.isdigit, word)) and not asked.holds(word)
    ))


def infobox_passage(infobox: str, matched: dict[str, set[str]], parsed: query.Query) -> Passage | None:
    """The infobox line holding a matched infobox field, for hits matched only there.

    Words are marked as in any passage; for a number range the number, for a date query the
    date.
    """
    for fieldname in sorted(matched):
        source = infobox_source(fieldname)
        if source is None:
            continue
        name, _ = source
        for line in filter(lambda line: is_line_of(line, name), infobox.splitlines()):
            if span := value_span(fieldname, line, parsed):
                return Passage(line, (span,))
            words, phrases = _words_and_phrases(parsed, fieldname, matched)
            passage = best_passage(line, INFOBOX_WORDS, words, phrases)
            if passage is not None:
                return passage
    return None


def _words_and_phrases(
    parsed: query.Query, fieldname: str, wanted: dict[str, set[str]]
) -> tuple[set[str], list[Sequence[str]]]:
    """The wanted terms of a field to mark wherever they stand, and the field's phrases
    (whose words, unless also asked for alone, are marked only where the whole phrase is).
    The words of a loose phrase (`"film war"~50`) are marked as words: they need not stand
    together."""
    leaves = list(parsed.leaves())
    phrases: list[Sequence[str]] = [
        leaf.words for leaf in leaves
        if isinstance(leaf, query.Phrase) and leaf.fieldname == fieldname and leaf.slop <= 1
    ]
    single = {leaf.text for leaf in leaves if isinstance(leaf, query.Term)}
    phrase_only = {word for words in phrases for word in words} - single
    return wanted.get(fieldname, set()) - phrase_only, phrases


def _words(text: str) -> set[str]:
    return {token.text for token in ANALYZER(text)}


def pinpoint_passage(text: str, marks: Sequence[Mark], title: str = "", width: int = WIDTH) -> Passage | None:
    """The best fragment of `text` (about `width` characters) around `marks`, or None when
    there are none: the one with the most different words, then the most weight, the words of
    `title` (the hit's, which it shows anyway) counting only where nothing else is (`_Scorer`)."""
    tokens = [
        Token(text=mark.text, startchar=mark.startchar, endchar=mark.endchar, matched=True, boost=mark.weight)
        for mark in marks
    ]
    # No limit on where in the text a match may be: Whoosh documents `charlimit=None` for that,
    # though it types the parameter as int.
    fragmenter = _Fragmenter(maxchars=width, surround=width // 2 - 20, charlimit=None)  # type: ignore[arg-type]
    return _best(map(_whole_words, fragmenter.fragment_matches(text, tokens)), width, title)


class _Fragmenter(PinpointFragmenter):
    """Whoosh's fragments around matches, its matches grouped whenever they fit in `maxchars`
    together: Whoosh's also ends a group at a gap wider than `surround`, so two words 100
    characters apart (`Vorkuta ... coal`) made two fragments, and the passage showed one."""

    def fragment_matches(self, text: str, tokens: Sequence[Any]) -> Iterator[Fragment]:
        first = 0
        while first < len(tokens):
            last = first
            start = tokens[first].startchar
            while last + 1 < len(tokens) and tokens[last + 1].endchar - start <= self.maxchars:
                last += 1
            left = max(0, start - self.surround)
            right = min(len(text), tokens[last].endchar + self.surround)
            yield Fragment(text, tokens[first : last + 1], left, right)
            first = last + 1


def best_passage(
    text: str,
    analyzer: Analyzer,
    terms: Collection[str],
    phrases: Sequence[Sequence[str]] = (),
    title: str = "",
    width: int = WIDTH,
) -> Passage | None:
    """The best fragment of text the index holds no offsets for (an infobox line), marking
    `terms` and `phrases`, in analyzed form, as `pinpoint_passage` chooses it; None when
    nothing in `text` matches.

    The text is analyzed as it was for the index, and its matching words go the same way
    as the index's occurrences of them.
    """
    found = analysed(text, analyzer, set(terms).union(*phrases))
    return pinpoint_passage(text, marks(found, terms, phrases), title, width)


def analysed(text: str, analyzer: Analyzer, wanted: Collection[str]) -> list[Occurrence]:
    """The occurrences of the `wanted` terms in text the index holds no offsets for, as the
    index's analysis makes them, each of weight 1 (give them their `rarity` to weigh them as
    the index's occurrences weigh)."""
    return [
        Occurrence(token.pos, token.startchar, token.endchar, token.text, 1.0)
        for token in analyzer(text, positions=True, chars=True, mode="index")
        if token.text in wanted
    ]


class _Scorer(BasicFragmentScorer):
    """Whoosh's score of a fragment (the weight of its matches, times 100 a distinct word), the
    words of the hit's title, which every hit shows, left to decide only between fragments of
    nothing else: they add `TITLE_WORD_WEIGHT` of their weight and count as no distinct word,
    and a fragment of title words alone scores under 100, below any other (a word weighs 1
    or more)."""

    def __init__(self, title: str) -> None:
        self.title_words = _words(title) if title else set()

    def __call__(self, fragment: Fragment) -> float:
        title = self.title_words
        if not title:
            return float(super().__call__(fragment))
        others = {token.text for token in fragment.matches if token.text not in title}
        if not others:
            whooshs = super().__call__(fragment)
            return 100 * whooshs / (whooshs + 1)
        weight = sum(t.boost * (TITLE_WORD_WEIGHT if t.text in title else 1) for t in fragment.matches)
        return float(weight * len(others) * 100)


def _best(fragments: Iterable[Fragment], width: int, title: str) -> Passage | None:
    best = top_fragments(fragments, 1, _Scorer(title), FIRST, minscore=0)
    return SpanFormatter().format([_trimmed(fragment, width) for fragment in best])


def _whole_words(fragment: Fragment) -> Fragment:
    """The fragment without the cut words at its ends (the fragmenter counts characters)."""
    text, start, end = fragment.text, fragment.startchar, fragment.endchar
    if start > 0 and not text[start - 1].isspace():
        start = min(_space_after(text, start, end) + 1 or start, fragment.matches[0].startchar)
    if end < len(text) and not text[end].isspace():
        end = max(_space_before(text, start, end), fragment.matches[-1].endchar)
    return Fragment(text, fragment.matches, start, end)


def _trimmed(fragment: Fragment, width: int) -> Fragment:
    """The fragment cut to about `width` characters at word boundaries, keeping its first
    match with a little context before it (Whoosh counts only token characters)."""
    if fragment.endchar - fragment.startchar <= width:
        return fragment
    text, first = fragment.text, fragment.matches[0]
    start = max(fragment.startchar, first.startchar - width // 5)
    if start > fragment.startchar:
        start = min(_space_after(text, start, len(text)) + 1 or first.startchar, first.startchar)
    end = max(_space_before(text, start, start + width), first.endchar)
    matches = [token for token in fragment.matches if token.endchar <= end]
    return Fragment(text, matches, start, end)


def opening(text: str, width: int = WIDTH) -> Passage:
    """The start of `text`, cut after a whole word near `width` characters, nothing marked."""
    if len(text) <= width:
        return Passage(_one_line(text), ())
    cut = _space_before(text, 0, width + 1)
    return Passage(_one_line(text[: cut if cut > 0 else width]), ())


def _space_after(text: str, start: int, end: int) -> int:
    """The first white space (a space, a tab, a line break) in `text[start:end]`, or -1."""
    found = _SPACE.search(text, start, end)
    return found.start() if found else -1


def _space_before(text: str, start: int, end: int) -> int:
    """The last white space in `text[start:end]`, or -1."""
    found = _TO_LAST_SPACE.match(text, start, end)
    return found.end() - 1 if found else -1


def _one_line(text: str) -> str:
    """Paragraph breaks become spaces, so offsets stay the same and the snippet is one line."""
    return text.replace("\n", " ")


def value_span(fieldname: str, line: str, parsed: query.Query) -> tuple[int, int] | None:
    """What to mark in an infobox line for a field that the ranges of `parsed` matched: the
    first number of a number field's value within them (`16,378`; `700` of `37–700` for
    `>500`), the date of a date field (`March 6, 1834`, without
    remarks) when it is in the ranges; None when it is not, and for a field of text."""
    key, _, value = line.partition(":")
    start = len(key) + 1
    if fieldname.startswith(NUMBER_PREFIX):  # the first number of the value in the ranges
        return next((
            (start + first, start + last) for number, (first, last) in numbers_with_spans(value)
            if _in_ranges(number, fieldname, parsed)
        ), None)
    for prefix in (START_PREFIX, END_PREFIX):
        own = fieldname[len(prefix) :]
        if fieldname.startswith(prefix) and field_names(normalise_key(key))[0] == own:
            # (the whole overlap: the first day within the ranges of starts, the last within
            # those of ends; one half alone marked `Term End: 1967` for `term_end:1965`)
            interval = parse_date_interval(value)
            if interval is None or not (
                _in_ranges(interval.start.toordinal(), START_PREFIX + own, parsed)
                and _in_ranges(interval.end.toordinal(), END_PREFIX + own, parsed)
            ):
                return None
            remark = _REMARK.search(line, start)
            found = _VALUE.search(line, start, remark.start() if remark else len(line))
            return found.span() if found else None
    return None


def _in_ranges(number: float, fieldname: str, parsed: query.Query) -> bool:
    """Whether `number` is within every range of `parsed` on the Whoosh field `fieldname`."""
    return all(
        _within(number, leaf) for leaf in parsed.leaves()
        if isinstance(leaf, query.NumericRange) and leaf.fieldname == fieldname
    )


def _within(number: float, numbers: query.NumericRange) -> bool:
    low, high = numbers.start, numbers.end
    return (low is None or number > low or (number == low and not numbers.startexcl)) and (
        high is None or number < high or (number == high and not numbers.endexcl)
    )


# A value from its first to its last letter or digit; where a remark begins (`(as York)`).
_VALUE = re.compile(r"\w(?:.*\w)?")
_REMARK = re.compile(r"[(\[]")
