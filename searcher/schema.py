"""The index schema: the only module that knows the Whoosh field names.

Each article file is a group of Whoosh documents: first one for the article (its infobox as
data: text, numbers, dates, facet values), then one per section that has text. Article data
is indexed once, on the article document (scope.py says how queries reach it). The title is
text of the article's first section only (its lead, mostly): a title word lifts the lead,
not every section. It is article data too (`ARTICLE_TITLE`), which a query's `title:` asks:
every section of the articles so titled.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Generator, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any
from unicodedata import normalize

from whoosh import fields
from whoosh.analysis import Analyzer, RegexTokenizer
from whoosh.reading import IndexReader

from . import live
from .codec import values_column
from .infobox import INFOBOX, normalise_key, shared_name
from .values import DateInterval, parse_date_interval, parse_numbers
from .variants import VariantFilter
from .words import FOLDING, WordPostings, Words

if TYPE_CHECKING:
    from .article import Article, Section

# Bump when the schema, the analyzer or the document layout changes: older indexes are rebuilt.
SCHEMA_VERSION = 56

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
INFOBOX_NAMES = "infobox_names"  # on article documents: the names of the infobox's fields
BODY = "body"
PATH = "path"
KIND = "kind"
TITLE = "title"
ARTICLE = "article"  # the title, as a filter term and a stored field of every document
# On article documents: the title's words, as `title` holds them on the section with the
# title; what a query's `title:` asks (`title:Norilsk strike`: `strike` in every section of the
# articles titled so), where words without a field search `title` (the section with the title).
ARTICLE_TITLE = "article_title"
SECTION = "section"  # stored: the section's name
HEADING = "heading"
POSITION = "position"  # stored: the section's place in the article
DIGEST = "digest"  # stored on article documents: the file's content hash
INFOBOX_LINES = "infobox"  # stored on article documents: the infobox as `Key: Value` lines
FACET_VALUES = "facets"  # stored on article documents: facet name -> values
# On article documents: each facet value whole (`Prisoners`, not the word `prison` that
# `Prison Guards` has too), for a filter that names one; `FACET_SEPARATOR` between them.
FACET_PREFIX = "fv_"
FACET_SEPARATOR = "\x1f"
# The kind of the document that holds an article's data.
ARTICLE_KIND = "article"
# The words of a query as spelling-variant keys (Hrytsyak = Gritsyak): a field of queries
# only, rewritten into the indexed words that share the key (see `vocabulary`).
VARIANTS = "variants"
DATE_FIELD = "date"
# Facets every search counts; any infobox field can be asked for too.
DEFAULT_FACETS = ("article", "result", "year", "place")
# Other names of facets and filters, in any case: `uprising` is `article`, as `--uprising` is
# `--article` (an infobox field of the name keeps it).
FACET_ALIASES = {"uprising": ARTICLE}
# Query field names a user types, and the Whoosh field each stands for.
USER_FIELDS = {"title": ARTICLE_TITLE, "section": "heading", "text": BODY}
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


def infobox_analyzer() -> Analyzer:
    """Words as Porter stems (see `text_analyzer`), stop words kept: a value of a field may be
    one (`Unit pref: US`), and a query or filter naming the field asks for it."""
    return Words(stemmed=True, keep_stop_words=True)  # type: ignore[return-value]  # as above


def variant_analyzer() -> Analyzer:
    """Words as spelling-variant keys: transliterations of one name share a key."""
    return Words() | VariantFilter()


WORDS = Words()
INFOBOX_WORDS = infobox_analyzer()


# A word the analyzer cuts in parts (`non-violence`, `O'Brien`, `1953–1954`) is searched for as
# the phrase of its parts, as quoted, not as each part anywhere in the field (Whoosh's default).
WORD_IN_PARTS = "phrase"


class IndexSchema(fields.Schema):
    """Whoosh's schema, a field named in it found with one look in its dict: Whoosh's readers
    and queries ask the schema for a field, or whether it has one, several times for each term
    of a query, and Whoosh's own answers with a call of `__getitem__` inside a `try`."""

    def __getitem__(self, name: str) -> fields.FieldType:
        field = self._fields.get(name)
        return field if field is not None else super().__getitem__(name)

    def __contains__(self, name: str) -> bool:
        return name in self._fields or super().__contains__(name)


def build_schema() -> fields.Schema:
    """The schema of a new index."""
    analyzer = text_analyzer()
    schema = IndexSchema(
        # The article file: a column, so each match's article is read without its stored fields.
        path=_stored_id_with_column(),
        kind=fields.ID(stored=True),
        article=fields.ID(stored=True),
        # Article documents: the infobox as lines, as facet values and as fields (below).
        digest=fields.STORED(),
        infobox=fields.STORED(),
        facets=fields.STORED(),
        infobox_names=fields.KEYWORD(stored=True),  # (stored: an update reads a replaced article's)
        value_kinds=fields.KEYWORD(scorable=True),
        article_title=_text(analyzer),
        # Section documents.
        title=_text(analyzer, field_boost=FIELD_BOOSTS["title"]),
        section=fields.STORED(),
        heading=_text(analyzer, field_boost=FIELD_BOOSTS["heading"]),
        position=fields.STORED(),  # only read from hits, never searched
        # Character offsets of every word, so passages are cut without analysing text again.
        body=_text_with_offsets(analyzer),
    )
    schema.add(INFOBOX_PREFIX + "*", _text(infobox_analyzer()), glob=True)
    schema.add(FACET_PREFIX + "*", _whole_values(), glob=True)
    schema.add(NUMBER_PREFIX + "*", _number(float), glob=True)
    schema.add(START_PREFIX + "*", _number(int), glob=True)
    schema.add(END_PREFIX + "*", _number(int), glob=True)
    return schema


def _stored_id_with_column() -> fields.ID:
    """A stored ID field with a column that says where each value starts (`values_column`)."""
    field = fields.ID(stored=True)
    field.set_sortable(values_column())
    return field


def _text(analyzer: Analyzer, **options: Any) -> fields.TEXT:
    """A text field of words: a word cut in parts is searched for as a phrase (`WORD_IN_PARTS`)."""
    return fields.TEXT(analyzer=analyzer, multitoken_query=WORD_IN_PARTS, **options)


def _text_with_offsets(analyzer: Analyzer) -> fields.TEXT:
    """A stored text field with the character offsets of every word, its postings made by
    `WordPostings` (what Whoosh's `Characters` holds, made faster and packed smaller)."""
    field = _text(analyzer, stored=True, chars=True)
    field.format = WordPostings()
    return field


def _whole_values() -> fields.KEYWORD:
    """A field of values, each one term as written (apart by `FACET_SEPARATOR`)."""
    tokenizer = RegexTokenizer(f"[^{FACET_SEPARATOR}]+")
    return fields.KEYWORD(analyzer=tokenizer)  # type: ignore[arg-type]  # (a tokenizer is an analyzer)


def _number(kind: type[int | float]) -> fields.NUMERIC:
    """A field for range queries: of the numbers values state (`float`, 64 bits: a fraction
    is kept, an integer is exact up to `values.LARGEST_NUMBER`; an excluded bound is the next
    float), or of days (`int`, 32 bits: ordinals). Like Whoosh's DATETIME it is indexed at
    every 8 bits of precision (default 4): half the terms per value, a few more per range query."""
    return Numbers(kind, bits=64 if kind is float else 32, shift_step=8)


class Numbers(fields.NUMERIC):
    """Whoosh's NUMERIC field, each term once a document. Of a list of numbers, Whoosh's
    yields the terms of each number, and close numbers share their coarser terms (`1953 and
    1956 people`): a posting list with a document twice, which breaks Whoosh's intersection
    of it with another (an AssertionError of `strength:>5` once an update wrote a segment)."""

    # (Whoosh's NUMERIC and FieldType name the value differently: no signature fits both)
    def index(  # type: ignore[override]
        self, num: Any, **kwargs: Any
    ) -> Generator[tuple[bytes, int, float, bytes], Any, None]:
        yield from dict.fromkeys(super().index(num, **kwargs))


def article_key(title: str) -> str:
    """The form of a title that filters and `show` match: case and diacritics do not matter
    (`battle of durenstein` is `Battle of Dürenstein`), as in a search."""
    if title.isascii():  # (lower case, folding changes no letter: a twelfth of the time)
        return title.lower()
    return normalize("NFC", normalize("NFD", title.casefold()).translate(FOLDING))


def documents(article: Article, path: str, digest: str) -> list[dict[str, Any]]:
    """The Whoosh documents of an article, to be added as one group: the article document
    (its data), then one per section that has text. The title is text of the first section
    after the infobox (the infobox itself when nothing else has text)."""
    data, facet_values = article_data(article)
    names = [name[len(INFOBOX_PREFIX) :] for name in data if name.startswith(INFOBOX_PREFIX)]
    with_text = [(position, s) for position, s in enumerate(article.sections) if s.blocks]
    titled = next((p for p, s in with_text if s.kind != "infobox"), with_text[0][0] if with_text else -1)
    # A hit on the article document is on its infobox, or, for an article without one
    # (matched by a NOT alone: `-genre:rock`), on the section that holds the title.
    shown = next((p for p, s in with_text if s.kind == "infobox"), titled)
    found: list[dict[str, Any]] = [{
        PATH: path,
        KIND: ARTICLE_KIND,
        ARTICLE: article.title,
        DIGEST: digest,
        SECTION: article.sections[shown].name if shown >= 0 else INFOBOX,
        POSITION: max(shown, 0),
        INFOBOX_LINES: "\n".join(field.line for field in article.infobox),
        INFOBOX_NAMES: " ".join(names),
        ARTICLE_TITLE: article.title,
        FACET_VALUES: facet_values,
        **{FACET_PREFIX + name: FACET_SEPARATOR.join(values) for name, values in facet_values.items()},
        **data,
    }]
    headings = _headings(article.sections)
    for position, section in with_text:
        found.append({
            PATH: path,
            KIND: section.kind,
            ARTICLE: article.title,
            TITLE: article.title if position == titled else "",
            SECTION: section.name,
            HEADING: headings[position],
            POSITION: position,
            BODY: section.text,
        })
    return found


def _headings(sections: Iterable[Section]) -> list[str]:
    """Each section's heading as indexed: its name after those of the headings above it that
    have no text of their own, whose words no document would hold otherwise (`section:churches`
    finds `===Other churches===` under a bare `==Churches==`). Empty for the lead and infobox."""
    above: list[Section] = []
    headings = []
    for section in sections:
        if section.kind != "section":
            headings.append("")
            continue
        above = [parent for parent in above if parent.level < section.level]
        headings.append(" › ".join([*(parent.name for parent in above if not parent.blocks), section.name]))
        above.append(section)
    return headings


def words_of(document: dict[str, Any]) -> tuple[set[str], set[str]]:
    """What the vocabulary counts of a document: the words as written (folded, not stemmed)
    of a section and of its article's title, and those of them written with a capital; none
    of an article document."""
    if BODY not in document:
        return set(), set()
    title, title_names = WORDS.words_and_names(document[ARTICLE])
    body, body_names = WORDS.words_and_names(document[BODY])
    return title | body, title_names | body_names


def query_schema(index_schema: fields.Schema) -> fields.Schema:
    """The schema queries are parsed with: the index's, and the spelling-variant keys of the
    words (`VARIANTS`), which the query rewrites into the indexed words that share them."""
    schema = copy.deepcopy(index_schema)  # (Schema.copy() leaves out the glob fields)
    schema.add(VARIANTS, _text(variant_analyzer(), field_boost=FIELD_BOOSTS[VARIANTS]))
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
    numbers: dict[str, list[int | float]] = {}
    intervals: dict[str, DateInterval] = {}
    kinds: list[str] = []
    for field in article.infobox:
        if not field.name:
            continue
        stated, interval = ([], None) if is_code(field.name) else (
            parse_numbers(field.value), parse_date_interval(field.value)
        )
        names = field_names(field.name)
        if interval is not None:  # a key twice in one infobox: the span of both
            seen = intervals.get(names[0], interval)
            intervals[names[0]] = DateInterval(min(seen.start, interval.start), max(seen.end, interval.end))
        for name in names:
            texts.setdefault(name, []).append(field.value)
            values.setdefault(name, []).extend(field.values)
            if stated:
                numbers.setdefault(name, []).extend(stated)
            kind = "date" if interval is not None else "number" if stated else "text"
            kinds.append(f"{kind}:{name}")
    data: dict[str, Any] = {INFOBOX_PREFIX + name: "\n".join(t) for name, t in texts.items()}
    data.update({NUMBER_PREFIX + name: n for name, n in numbers.items()})
    for name, interval in intervals.items():
        data[START_PREFIX + name] = interval.start.toordinal()
        data[END_PREFIX + name] = interval.end.toordinal()
    data[VALUE_KINDS] = " ".join(kinds)
    interval = intervals.get(DATE_FIELD)  # (of every `Date` key: what `--during` matches)
    if interval is not None:  # an open end (`2011–present`): up to this year
        last = interval.end.year if interval.end < date.max else max(interval.start.year, date.today().year)
        values["year"] = [str(year) for year in range(interval.start.year, last + 1)]
    return data, {name: list(dict.fromkeys(v)) for name, v in values.items()}


# Infobox fields whose values are identifiers (`ISSN: 0319-0781`): text, never dates or numbers.
CODE_FIELDS = frozenset({"issn", "eissn", "isbn", "oclc", "lccn", "doi", "coden", "jstor", "ismn"})


def is_code(name: str) -> bool:
    """Whether an infobox field (a normalised key: `oclc_number`) holds identifiers."""
    return name in CODE_FIELDS or name.split("_")[0] in CODE_FIELDS


def unreadable_values(article: Article) -> list[str]:
    """Notes on infobox values that stay text only because they could not be read."""
    field = article.field(DATE_FIELD)
    if field and parse_date_interval(field.value) is None:
        return [f"date '{field.value}' not understood: searchable as text, not by --during"]
    return []


def is_article_data(fieldname: str | None) -> bool:
    """Whether a field is indexed on article documents only (infobox data and dates, the
    title as a query's `title:` asks it)."""
    return fieldname is not None and (fieldname == ARTICLE_TITLE or fieldname.startswith(
        (INFOBOX_PREFIX, NUMBER_PREFIX, START_PREFIX, END_PREFIX, FACET_PREFIX)
    ))


def is_article_words(fieldname: str) -> bool:
    """Whether a field of article data holds words, in order: an infobox field's text, the
    title."""
    return fieldname == ARTICLE_TITLE or fieldname.startswith(INFOBOX_PREFIX)


class FieldKinds:
    """What each infobox field's values read as, over every article of an index: `date`
    when more of them read as dates than read only as numbers (`1953` reads as both, `16
    May 1997 in Mexico City` as neither), and no fewer than read as neither; else `number`
    when some value reads as a number; else `text`."""

    def __init__(self, counts: Callable[[str], int], fields: Callable[[], Iterable[str]]) -> None:
        """`counts` gives the number of values of a kind (`date:name`), `fields` the names of
        the index's fields (for those with date intervals)."""
        self._counted = counts
        self._counts_of: dict[str, int] = {}
        self._fields = fields
        self._kinds: dict[str, str] = {}
        self._dated_fields: list[str] | None = None

    @classmethod
    def of(cls, reader: IndexReader) -> FieldKinds:
        """The kinds of a Whoosh index's fields."""
        return cls(lambda kind: int(live.frequency(reader, VALUE_KINDS, kind)), reader.indexed_field_names)

    def __call__(self, name: str) -> str:
        """The kind of the infobox field `name`: `date`, `number` or `text`."""
        if name not in self._kinds:
            dates, numbers, texts = (self._counts(f"{kind}:{name}") for kind in ("date", "number", "text"))
            self._kinds[name] = (
                "date" if dates > numbers and dates >= texts else "number" if numbers else "text"
            )
        return self._kinds[name]

    def _counts(self, kind: str) -> int:
        """How many values read as `kind` (`date:name`), asked of the index once."""
        if kind not in self._counts_of:
            self._counts_of[kind] = self._counted(kind)
        return self._counts_of[kind]

    def has(self, kind: str, name: str) -> bool:
        """Whether some value of the infobox field `name` reads as `kind` (`date`; `number`:
        as a number, not a date), whatever the kind of the field: `Established Date1` is
        `1535 and 1542` in one article, `March 6, 1834` in another."""
        return self._counts(f"{kind}:{name}") > 0

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
