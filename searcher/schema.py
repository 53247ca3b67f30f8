"""The index schema: the only module that knows the Whoosh field names.

Each article file is a group of Whoosh documents: first one for the article (its infobox as
data: text, numbers, dates, facet values), then one per section that has text. Article data
is indexed once, on the article document; a query on it answers once per article, and a
query that mixes words and data finds sections whose article matches the data, through
Whoosh's nested documents (`query.NestedChildren`). The title is text of the article's first
section only (its lead, mostly): a title word lifts the lead, not every section.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from whoosh import fields, query
from whoosh.analysis import (
    Analyzer,
)
from whoosh.reading import IndexReader

from .article import INFOBOX, Article
from .errors import quoted
from .infobox import normalise_key, shared_name
from .numerals import GROUPED_NUMBER
from .values import DateInterval, parse_date_interval, parse_number, parse_period, written_as_period
from .variants import VariantFilter
from .words import WordPostings, Words

# Bump when the schema, the analyzer or the document layout changes: older indexes are rebuilt.
SCHEMA_VERSION = 15

INFOBOX_PREFIX = "ib_"
NUMBER_PREFIX = "num_"
# The first and the last day (as ordinals) of each infobox value that reads as a date, under
# the name of the value's own key (`start_date`, `end_birth_date`); a shared name (`years`
# for `Years1`, `Years2`) asks each of its keys' intervals, so gaps between them stay gaps.
START_PREFIX = "start_"
END_PREFIX = "end_"
# On article documents: what each value of each field reads as, one `date:NAME`,
# `number:NAME` (a number, not a date) or `text:NAME` (neither) per value; counted over all
# articles, they say each field's kind (`FieldKinds`).
VALUE_KINDS = "value_kinds"
BODY = "body"
PATH = "path"
KIND = "kind"
TITLE = "title"
ARTICLE = "article"  # the title, as a filter term and a stored field of every document
SECTION = "section"  # stored: the section's name
HEADING = "heading"
POSITION = "position"  # stored: the section's place in the article
DIGEST = "digest"  # stored on article documents: the file's content hash
INFOBOX_LINES = "infobox"  # stored on article documents: the infobox as `Key: Value` lines
FACET_VALUES = "facets"  # stored on article documents: facet name -> values
# The kind of the document that holds an article's data.
ARTICLE_KIND = "article"
# The article documents: the parents of their section documents.
ARTICLES = query.Term(KIND, ARTICLE_KIND)
# The words of a query as spelling-variant keys (Hrytsyak = Gritsyak): a field of queries
# only, rewritten into the indexed words that share the key (see `vocabulary`).
VARIANTS = "variants"
DATE_FIELD = "date"
# Facets every search counts; any infobox field can be asked for too.
DEFAULT_FACETS = ("article", "result", "year", "place")
# Query field names a user types, and the Whoosh field each stands for.
USER_FIELDS = {"title": "title", "section": "heading", "text": BODY}
# Names the tool itself gives a meaning (query fields, the `article` and `year` filters): an
# infobox key normalised to one of them answers as `infobox_<name>` (`Year` -> `infobox_year`).
TOOL_NAMES = frozenset({ARTICLE, "year", *USER_FIELDS})
RENAMED_PREFIX = "infobox_"
# Fields searched by a query term without a field name, and their BM25F weights.
DEFAULT_FIELDS = ("title", "heading", BODY, VARIANTS)
FIELD_BOOSTS = {"title": 3.0, "heading": 2.0, BODY: 1.0, VARIANTS: 0.3}
# A section whose article's title has a word of the query scores this much more; when the
# title has every word, the article's first section (which holds it) ranks first of them.
TITLE_LIFT = 1.5


def word_analyzer() -> Analyzer:
    """Words, lower-cased, diacritics folded (`Jānis` -> `janis`), without English stop words.

    One-character words are kept: `Special Camp No. 6` must not match camp No. 7. A number
    grouped by thousands is one word of its digits (`18,000`, `18 000` -> `18000`; numerals.py).
    One pass over the text (words.py).
    """
    return Words()  # type: ignore[return-value]  # a tokenizer is an analyzer in Whoosh


def text_analyzer() -> Analyzer:
    """Words (see `word_analyzer`) as Porter stems: what the index holds."""
    return Words(stemmed=True)  # type: ignore[return-value]  # as above


def variant_analyzer() -> Analyzer:
    """Words as spelling-variant keys: transliterations of one name share a key."""
    return Words() | VariantFilter()


WORDS = Words()


def build_schema() -> fields.Schema:
    """The schema of a new index."""
    analyzer = text_analyzer()
    schema = fields.Schema(
        # The article file: a column, so each match's article is read without its stored fields.
        path=fields.ID(stored=True, sortable=True),
        kind=fields.ID(stored=True),
        article=fields.ID(stored=True),
        # Article documents: the infobox as lines, as facet values and as fields (below).
        digest=fields.STORED(),
        infobox=fields.STORED(),
        facets=fields.STORED(),
        infobox_names=fields.KEYWORD(),
        value_kinds=fields.KEYWORD(scorable=True),
        # Section documents.
        title=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["title"]),
        section=fields.STORED(),
        heading=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["heading"]),
        position=fields.STORED(),  # only read from hits, never searched
        # Character offsets of every word, so passages are cut without analysing text again.
        body=_text_with_offsets(analyzer),
    )
    schema.add(INFOBOX_PREFIX + "*", fields.TEXT(analyzer=analyzer), glob=True)
    schema.add(NUMBER_PREFIX + "*", _number(64), glob=True)
    schema.add(START_PREFIX + "*", _number(32), glob=True)
    schema.add(END_PREFIX + "*", _number(32), glob=True)
    return schema


def _text_with_offsets(analyzer: Analyzer) -> fields.TEXT:
    """A stored text field with the character offsets of every word, its postings made by
    `WordPostings` (as Whoosh's own format makes them, faster)."""
    field = fields.TEXT(analyzer=analyzer, stored=True, chars=True)
    field.format = WordPostings()
    return field


def _number(bits: int) -> fields.NUMERIC:
    """An integer field for range queries. Like Whoosh's DATETIME it is indexed at every 8
    bits of precision (default 4): half the terms per value, a few more per range query."""
    return fields.NUMERIC(int, bits=bits, shift_step=8)


def article_key(title: str) -> str:
    """The form of a title that filters match: case does not matter."""
    return title.casefold()


def documents(article: Article, path: str, digest: str) -> list[dict[str, Any]]:
    """The Whoosh documents of an article, to be added as one group: the article document
    (its data), then one per section that has text. The title is text of the first section
    after the infobox (the infobox itself when nothing else has text)."""
    data, facet_values = article_data(article)
    names = [name[len(INFOBOX_PREFIX) :] for name in data if name.startswith(INFOBOX_PREFIX)]
    found: list[dict[str, Any]] = [{
        PATH: path,
        KIND: ARTICLE_KIND,
        ARTICLE: article.title,
        DIGEST: digest,
        SECTION: INFOBOX,
        INFOBOX_LINES: "\n".join(field.line for field in article.infobox),
        "infobox_names": " ".join(names),
        FACET_VALUES: facet_values,
        **data,
    }]
    with_text = [(position, s) for position, s in enumerate(article.sections) if s.blocks]
    titled = next((p for p, s in with_text if s.kind != "infobox"), with_text[0][0] if with_text else -1)
    for position, section in with_text:
        found.append({
            PATH: path,
            KIND: section.kind,
            ARTICLE: article.title,
            TITLE: article.title if position == titled else "",
            SECTION: section.name,
            HEADING: section.name if section.kind == "section" else "",
            POSITION: position,
            BODY: section.text,
        })
    return found


def words_of(document: dict[str, Any]) -> set[str]:
    """What the vocabulary counts of a document: the words as written (folded, not stemmed)
    of a section and of its article's title; none of an article document."""
    if BODY not in document:
        return set()
    return WORDS.words(document[ARTICLE]) | WORDS.words(document[BODY])


def query_schema(index_schema: fields.Schema) -> fields.Schema:
    """The schema queries are parsed with: the index's, and the spelling-variant keys of the
    words (`VARIANTS`), which the query rewrites into the indexed words that share them."""
    schema = copy.deepcopy(index_schema)  # (Schema.copy() leaves out the glob fields)
    schema.add(VARIANTS, fields.TEXT(analyzer=variant_analyzer(), field_boost=FIELD_BOOSTS[VARIANTS]))
    return schema


def field_names(key: str) -> list[str]:
    """The names an infobox field answers to, given its normalised key: its own and, for a
    numbered pair (`commander1`), the shared one (`commander`). A name the tool uses is
    renamed (`year` -> `infobox_year`, `title1` -> `title1` and `infobox_title`)."""
    names = [key, shared_name(key) or key]
    return list(dict.fromkeys(RENAMED_PREFIX + name if name in TOOL_NAMES else name for name in names))


def article_data(article: Article) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The infobox as fields (text `ib_`, numbers `num_`, date intervals `start_`/`end_`,
    what each value reads as: `value_kinds`) and as facet values by field name (each item of
    a list value apart; `year` from the `Date` field).

    A numbered pair (`Commander1`, `Commander2`) also answers under its shared name. A value
    may read as both a date and a number (`1953`): both are kept, and the field's kind over
    all articles (`FieldKinds`) decides which a query uses.
    """
    texts: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    numbers: dict[str, list[int]] = {}
    intervals: dict[str, DateInterval] = {}
    kinds: list[str] = []
    for field in article.infobox:
        if not field.name:
            continue
        number, interval = (None, None) if is_code(field.name) else (
            parse_number(field.value), parse_date_interval(field.value)
        )
        names = field_names(field.name)
        if interval is not None:  # a key twice in one infobox: the span of both
            seen = intervals.get(names[0], interval)
            intervals[names[0]] = DateInterval(min(seen.start, interval.start), max(seen.end, interval.end))
        for name in names:
            texts.setdefault(name, []).append(field.value)
            values.setdefault(name, []).extend(field.values)
            if number is not None:
                numbers.setdefault(name, []).append(number)
            kind = "date" if interval is not None else "number" if number is not None else "text"
            kinds.append(f"{kind}:{name}")
    data: dict[str, Any] = {INFOBOX_PREFIX + name: "\n".join(t) for name, t in texts.items()}
    data.update({NUMBER_PREFIX + name: n for name, n in numbers.items()})
    for name, interval in intervals.items():
        data[START_PREFIX + name] = interval.start.toordinal()
        data[END_PREFIX + name] = interval.end.toordinal()
    data[VALUE_KINDS] = " ".join(kinds)
    interval = article_dates(article)
    if interval is not None:
        values["year"] = [str(year) for year in range(interval.start.year, interval.end.year + 1)]
    return data, {name: list(dict.fromkeys(v)) for name, v in values.items()}


# Infobox fields whose values are identifiers (`ISSN: 0319-0781`): text, never dates or numbers.
CODE_FIELDS = frozenset({"issn", "eissn", "isbn", "oclc", "lccn", "doi", "coden", "jstor", "ismn"})


def is_code(name: str) -> bool:
    """Whether an infobox field (a normalised key: `oclc_number`) holds identifiers."""
    return name in CODE_FIELDS or name.split("_")[0] in CODE_FIELDS


def article_dates(article: Article) -> DateInterval | None:
    """The interval the article's `Date` field states, if it can be read."""
    field = article.field(DATE_FIELD)
    return parse_date_interval(field.value) if field else None


def unreadable_values(article: Article) -> list[str]:
    """Notes on infobox values that stay text only because they could not be read."""
    field = article.field(DATE_FIELD)
    if field and article_dates(article) is None:
        return [f"date '{field.value}' not understood: searchable as text, not by --during"]
    return []


def filter_query(name: str, values: list[str], analyzer: Analyzer) -> query.Query:
    """Article documents whose facet `name` has any of `values`.

    `article` matches a title exactly, `year` an article whose dates overlap that year; any
    other field matches when its text has all the words of a value (`--result suppressed`).
    """
    if name == "article":
        return query.Or([query.Term(ARTICLE, value) for value in values])
    if name == "year":
        years = [DateInterval(date(int(year), 1, 1), date(int(year), 12, 31)) for year in values]
        return query.Or([during_query(year) for year in years])
    field = INFOBOX_PREFIX + name
    return query.Or(
        [query.And([query.Term(field, token.text) for token in analyzer(value)]) for value in values]
    )


def is_article_data(fieldname: str | None) -> bool:
    """Whether a field is indexed on article documents only (infobox data and dates)."""
    return fieldname is not None and fieldname.startswith(
        (INFOBOX_PREFIX, NUMBER_PREFIX, START_PREFIX, END_PREFIX)
    )


def scoped_query(parsed: query.Query) -> tuple[query.Query, bool]:
    """The query as run on the index, and whether it matches articles rather than sections.

    A query only about article data matches article documents. Any other matches sections:
    each part of it about article data matches the sections of the articles it matches
    (`strike commander:Sirotkin`: sections with `strike` in articles of Sirotkin).
    """
    if about_articles(parsed):
        return query.And([ARTICLES, parsed]), True

    def lifted(node: query.Query) -> query.Query:
        if about_articles(node):  # (NestedChildren wants a query matching parents only)
            return query.NestedChildren(ARTICLES, query.And([ARTICLES, node]))
        return node if node.is_leaf() else node.apply(lifted)

    # (Most queries have no article data: nothing to lift, no subtree to look through.)
    has_data = any(is_article_data(leaf.field()) for leaf in parsed.leaves())
    sections = lifted(parsed) if has_data else parsed
    # Words of the text never match an article document; `*` and a NOT would.
    if any(isinstance(node, (query.Every, query.Not)) for node in _walk(sections)):
        sections = query.AndNot(sections, ARTICLES)
    return sections, False


def about_articles(node: query.Query) -> bool:
    """Whether a query is only about article data (so matches article documents)."""
    leaves = [node] if node.is_leaf() else list(node.leaves())
    return bool(leaves) and all(is_article_data(leaf.field()) for leaf in leaves)


def title_query(parsed: query.Query, every: bool = False) -> query.Query | None:
    """The sections (first of their article) whose title has a word the query asks for
    (`every`: all its words), or None when it asks for none in the title."""
    terms = [
        leaf for leaf in parsed.leaves()
        if isinstance(leaf, query.Term) and leaf.field() == TITLE and not _excluded(parsed, leaf)
    ]
    if not terms:
        return None
    return query.And(terms) if every else query.Or(terms)


def _excluded(parsed: query.Query, leaf: query.Query) -> bool:
    """Whether `leaf` stands under a NOT of `parsed`."""
    return any(
        isinstance(node, query.Not) and any(inner is leaf for inner in node.leaves())
        for node in _walk(parsed)
    )


def _walk(node: query.Query) -> Iterator[query.Query]:
    yield node
    if not node.is_leaf():
        for child in node.children():
            yield from _walk(child)


def during_query(period: DateInterval) -> query.Query:
    """Article documents whose `Date` interval overlaps `period` (`--during`)."""
    return period_query([DATE_FIELD], period)


def period_query(names: list[str], period: DateInterval | None) -> query.Query:
    """Article documents with an interval of one of the fields `names` (own names, as
    `FieldKinds.dated` gives them) that overlaps `period`; None is an empty period."""
    if period is None:  # no day is before the first day: nothing matches
        return query.NumericRange(START_PREFIX + names[0], None, 0)
    overlaps = [
        query.And([
            query.NumericRange(START_PREFIX + name, None, period.end.toordinal()),
            query.NumericRange(END_PREFIX + name, period.start.toordinal(), None),
        ])
        for name in names
    ]
    return overlaps[0] if len(overlaps) == 1 else query.Or(overlaps)


class FieldKinds:
    """What each infobox field's values read as, over every article of an index: `date`
    when more of them read as dates than read only as numbers (`1953` reads as both, `16
    May 1997 in Mexico City` as neither), and no fewer than read as neither; else `number`
    when some value reads as a number; else `text`."""

    def __init__(self, counts: Callable[[str], int], fields: Callable[[], Iterable[str]]) -> None:
        """`counts` gives the number of values of a kind (`date:name`), `fields` the names of
        the index's fields (for those with date intervals)."""
        self._counts = counts
        self._fields = fields
        self._kinds: dict[str, str] = {}
        self._dated_fields: list[str] | None = None

    @classmethod
    def of(cls, reader: IndexReader) -> FieldKinds:
        """The kinds of a Whoosh index's fields."""
        return cls(lambda kind: int(reader.frequency(VALUE_KINDS, kind)), reader.indexed_field_names)

    def __call__(self, name: str) -> str:
        """The kind of the infobox field `name`: `date`, `number` or `text`."""
        if name not in self._kinds:
            dates, numbers, texts = (self._counts(f"{kind}:{name}") for kind in ("date", "number", "text"))
            self._kinds[name] = (
                "date" if dates > numbers and dates >= texts else "number" if numbers else "text"
            )
        return self._kinds[name]

    def is_date_field(self, fieldname: str) -> bool:
        """Whether a Whoosh field is the text of an infobox field whose values are dates."""
        return fieldname.startswith(INFOBOX_PREFIX) and self(fieldname[len(INFOBOX_PREFIX) :]) == "date"

    def dated(self, name: str) -> list[str]:
        """The own names of the fields with date intervals that `name` answers for: itself,
        and for a shared name its numbered fields (`years`: `years1`, `years2`, ...)."""
        if self._dated_fields is None:
            self._dated_fields = sorted(
                field[len(START_PREFIX) :] for field in self._fields()
                if field.startswith(START_PREFIX)
            )
        return [own for own in self._dated_fields if name in field_names(own)] or [name]


def numeric_ranges(
    parsed: query.Query, infobox_names: set[str], kinds: FieldKinds
) -> tuple[query.Query, list[str]]:
    """Ranges and numbers on infobox fields as ranges of the values they state, and a warning
    for each range that holds no value (`[2000 TO 1000]`, `{1953 TO 1954}` of dates).

    On a field whose values are dates (`kinds`), a range of periods (`date:[1953 TO 1954]`,
    `date:>=1953-07`; a period as `--during` reads it) finds the articles whose interval
    overlaps it, as `--during` does. On any other, a range of numbers (`strength:[10000 TO]`)
    is a range of the numbers the values state; on a field whose values are numbers, a
    number (`strength:16378`) also finds the values that state it (`1.5 million`).
    """

    empty: list[str] = []

    def to_value(node: query.Query) -> query.Query:
        source = infobox_source(node.field() or "") if node.is_leaf() else None
        if source is None or source[1] or source[0] not in infobox_names:
            return node
        name = source[0]
        if isinstance(node, query.TermRange):
            if kinds(name) == "date" and (bounds := _period_bounds(node)) is not None:
                if bounds[0] > bounds[1]:
                    empty.append(_empty_range(name, node, "day"))
                return period_query(kinds.dated(name), _interval(*bounds))
            start, end = _number_or_none(node.start), _number_or_none(node.end)
            if (start, end) != (None, None):
                if start is not None and end is not None and (
                    start > end or (start == end and (node.startexcl or node.endexcl))
                ):
                    empty.append(_empty_range(name, node, "number"))
                return query.NumericRange(NUMBER_PREFIX + name, start, end, node.startexcl, node.endexcl)
        elif type(node) is query.Term and kinds(name) == "number" and _NUMBER_WORD.fullmatch(node.text):
            number = parse_number(node.text)
            if number is not None:
                return query.Or([node, query.NumericRange(NUMBER_PREFIX + name, number, number)])
        return node

    return parsed.accept(to_value), empty


def _empty_range(name: str, node: query.TermRange, what: str) -> str:
    """The warning on a range of field `name` that no `what` (day, number) lies inside."""
    opening, closing = "{" if node.startexcl else "[", "}" if node.endexcl else "]"
    typed = f"{name}:{opening}{node.start} TO {node.end}{closing}"
    return f"{quoted(typed)} matches nothing: no {what} lies inside the range"


_NUMBER_WORD = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _number_or_none(text: str | None) -> int | None:
    return parse_number(text) if text else None


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


def value_span(fieldname: str, line: str, parsed: query.Query) -> tuple[int, int] | None:
    """What to mark in an infobox line for a field that the ranges of `parsed` matched: the
    number of a number field (`16,378`), the date of a date field (`March 6, 1834`, without
    remarks) when it is in the ranges; None when it is not, and for a field of text."""
    key, _, value = line.partition(":")
    ranges = [
        leaf for leaf in parsed.leaves()
        if isinstance(leaf, query.NumericRange) and leaf.fieldname == fieldname
    ]
    start = len(key) + 1
    if fieldname.startswith(NUMBER_PREFIX):
        number = parse_number(value)
        if number is None or not all(_within(number, leaf) for leaf in ranges):
            return None
        found = _LINE_NUMBER.search(line, start)
        return found.span() if found else None
    for prefix in (START_PREFIX, END_PREFIX):
        if fieldname.startswith(prefix) and field_names(normalise_key(key))[0] == fieldname[len(prefix) :]:
            interval = parse_date_interval(value)
            day = None if interval is None else interval.start if prefix == START_PREFIX else interval.end
            if day is None or not all(_within(day.toordinal(), leaf) for leaf in ranges):
                return None
            remark = _REMARK.search(line, start)
            found = _VALUE.search(line, start, remark.start() if remark else len(line))
            return found.span() if found else None
    return None


def _within(number: int, numbers: query.NumericRange) -> bool:
    low, high = numbers.start, numbers.end
    return (low is None or number > low or (number == low and not numbers.startexcl)) and (
        high is None or number < high or (number == high and not numbers.endexcl)
    )


# A number of an infobox line; a value from its first to its last letter or digit; where a
# remark begins (`(as York)`).
_LINE_NUMBER = re.compile(GROUPED_NUMBER + r"|[0-9](?:[0-9,.]*[0-9])?")
_VALUE = re.compile(r"\w(?:.*\w)?")
_REMARK = re.compile(r"[(\[]")


def user_field_aliases(infobox_names: list[str]) -> dict[str, list[str]]:
    """Whoosh field -> the names a user types for it, given the index's infobox field names."""
    aliases = {field: [name] for name, field in USER_FIELDS.items()}
    for name in infobox_names:
        aliases.setdefault(INFOBOX_PREFIX + name, []).append(name)
    return aliases


def infobox_source(field: str) -> tuple[str, bool] | None:
    """For a Whoosh field holding an infobox value: (the infobox field name, is it typed:
    a number, or a date interval)."""
    for prefix in (INFOBOX_PREFIX, NUMBER_PREFIX, START_PREFIX, END_PREFIX):
        if field.startswith(prefix):
            return field[len(prefix) :], prefix != INFOBOX_PREFIX
    return None


def is_line_of(line: str, name: str) -> bool:
    """Whether an infobox line (`Commander2: ...`) holds a value of field `name` (`commander`)."""
    return name in field_names(normalise_key(line.partition(":")[0]))
