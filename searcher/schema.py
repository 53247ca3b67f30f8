"""The index schema: the only module that knows the Whoosh field names.

One Whoosh document per section. Each carries its article's title and infobox fields, so a
query can combine words of a section with facts about its article (`strike commander:Sirotkin`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import fields, formats, query, sorting
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.support.charset import accent_map

from .article import Article
from .infobox import normalise_key, shared_name
from .values import DateInterval, parse_date_interval, parse_number
from .variants import VariantFilter

# Bump when the schema, the analyzer or the document layout changes: older indexes are rebuilt.
SCHEMA_VERSION = 7

INFOBOX_PREFIX = "ib_"
NUMBER_PREFIX = "num_"
FACET_PREFIX = "fv_"
BODY = "body"
# The section's words as spelling-variant keys (Hrytsyak = Gritsyak), and as plain words
# (the vocabulary suggestions come from).
VARIANTS = "variants"
WORDS = "words"
DATE_FIELD = "date"
# Facets every search counts; any infobox field can be asked for too.
DEFAULT_FACETS = ("article", "result", "year", "place")
# Query field names a user types, and the Whoosh field each stands for.
USER_FIELDS = {"title": "title", "section": "heading", "text": BODY}
# Fields searched by a query term without a field name, and their BM25F weights.
DEFAULT_FIELDS = ("title", "heading", BODY, VARIANTS)
FIELD_BOOSTS = {"title": 3.0, "heading": 2.0, BODY: 1.0, VARIANTS: 0.3}


class WordTokenizer(Tokenizer):
    """Words, lower-cased, diacritics folded (`Jānis` -> `janis`), without English stop words.

    One-character words are kept: `Special Camp No. 6` must not match camp No. 7.
    The fields given a section's text (stemmed, as variant keys) share one of these: it keeps
    the tokens of the last text and options it was called with, so Whoosh's analyzing the
    same text for each field tokenizes it once.
    """

    def __init__(self) -> None:
        self._analyzer = (
            RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(minsize=1)
        )
        self._last: tuple[str, dict[str, Any], list[dict[str, Any]]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_last": None}  # the index stores the schema, not the last text

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __call__(self, value: str, **options: Any) -> Iterator[Token]:
        last = self._last
        if last is None or last[0] != value or last[1] != options:
            tokens = [dict(token.__dict__) for token in self._analyzer(value, **options)]
            last = self._last = (value, options, tokens)
        # One Token yielded over and over, as Whoosh's tokenizers do; filters may change it.
        token = Token()
        for attributes in last[2]:
            token.__dict__.update(attributes)
            yield token


def text_analyzer(tokenizer: WordTokenizer | None = None) -> Analyzer:
    """Words (see `WordTokenizer`) as Porter stems."""
    return (tokenizer or WordTokenizer()) | StemFilter(cachesize=100_000)


def word_analyzer() -> Analyzer:
    """Words as written, lower-cased and accent-folded, without stop words or stemming."""
    return WordTokenizer()  # type: ignore[return-value]  # a tokenizer is an analyzer in Whoosh


def variant_analyzer(tokenizer: WordTokenizer | None = None) -> Analyzer:
    """Words as spelling-variant keys: transliterations of one name share a key."""
    return (tokenizer or WordTokenizer()) | VariantFilter()


def build_schema() -> fields.Schema:
    """The schema of a new index."""
    analyzer = text_analyzer()
    # The fields given a section's text, one after another, share the tokens of that text.
    tokenizer = WordTokenizer()
    schema = fields.Schema(
        doc_id=fields.ID(unique=True, stored=True),
        path=fields.ID(stored=True),
        digest=fields.STORED(),
        article=fields.ID(stored=True, sortable=True),
        article_key=fields.ID(),
        title=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["title"]),
        section=fields.STORED(),
        heading=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["heading"]),
        kind=fields.ID(stored=True),
        position=fields.STORED(),  # only read from hits, never searched
        date_start=_number(32),
        date_end=_number(32),
        # Character offsets of every word, so passages are cut without analysing text again.
        body=fields.TEXT(analyzer=text_analyzer(tokenizer), stored=True, chars=True),
        variants=fields.TEXT(
            analyzer=variant_analyzer(tokenizer), field_boost=FIELD_BOOSTS[VARIANTS], chars=True
        ),
        # Counts only (for ranking suggestions): no positions, no lengths, never scored.
        words=fields.FieldType(formats.Frequency(), tokenizer),  # type: ignore[arg-type]  # as above
        infobox=fields.STORED(),
        infobox_names=fields.KEYWORD(),
    )
    schema.add(INFOBOX_PREFIX + "*", fields.TEXT(analyzer=analyzer), glob=True)
    schema.add(NUMBER_PREFIX + "*", _number(64), glob=True)
    # Facet values, one per line, kept exactly as written.
    values = RegexTokenizer(r"[^\n]+")
    facet_values = fields.TEXT(analyzer=values, phrase=False)  # type: ignore[arg-type]  # as above
    schema.add(FACET_PREFIX + "*", facet_values, glob=True)
    return schema


def _number(bits: int) -> fields.NUMERIC:
    """An integer field for range queries. Like Whoosh's DATETIME it is indexed at every 8
    bits of precision (default 4): half the terms per value, a few more per range query."""
    return fields.NUMERIC(int, bits=bits, shift_step=8)


def article_key(title: str) -> str:
    """The form of a title that filters match: case does not matter."""
    return title.casefold()


def documents(article: Article, path: str, digest: str) -> Iterator[dict[str, Any]]:
    """The Whoosh documents of an article: one per section that has text."""
    fields_by_name = infobox_fields(article)
    names = [name[len(INFOBOX_PREFIX) :] for name in fields_by_name if name.startswith(INFOBOX_PREFIX)]
    common: dict[str, Any] = {
        "path": path,
        "digest": digest,
        "article": article.title,
        "article_key": article_key(article.title),
        "title": article.title,
        "infobox": "\n".join(field.line for field in article.infobox),
        "infobox_names": " ".join(names),
        **fields_by_name,
    }
    for position, section in enumerate(article.sections):
        if not section.blocks:
            continue
        yield {
            **common,
            "doc_id": f"{path}#{position}",
            "section": section.name,
            "heading": section.name if section.kind == "section" else "",
            "kind": section.kind,
            "position": position,
            "body": section.text,
            VARIANTS: section.text,
            WORDS: f"{article.title}\n{section.text}",
        }


def infobox_fields(article: Article) -> dict[str, Any]:
    """The infobox as fields: text (`ib_`), facet values (`fv_`), numbers (`num_`), dates.

    A numbered pair (`Commander1`, `Commander2`) also answers under its shared name.
    """
    texts: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    numbers: dict[str, list[int]] = {}
    for field in article.infobox:
        if not field.name:
            continue
        number = parse_number(field.value) if field.name != DATE_FIELD else None
        for name in {field.name, shared_name(field.name) or field.name}:
            texts.setdefault(name, []).append(field.value)
            values.setdefault(name, []).extend(field.values)
            if number is not None:
                numbers.setdefault(name, []).append(number)
    result: dict[str, Any] = {INFOBOX_PREFIX + name: "\n".join(t) for name, t in texts.items()}
    result.update({FACET_PREFIX + name: "\n".join(v) for name, v in values.items()})
    result.update({NUMBER_PREFIX + name: n for name, n in numbers.items()})
    interval = article_dates(article)
    if interval is not None:
        result["date_start"] = interval.start.toordinal()
        result["date_end"] = interval.end.toordinal()
        years = range(interval.start.year, interval.end.year + 1)
        result[FACET_PREFIX + "year"] = "\n".join(map(str, years))
    return result


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


def facet(name: str) -> sorting.FieldFacet:
    """The Whoosh facet counting matches per value of a facet (`article`, or a field name)."""
    if name == "article":
        return sorting.FieldFacet("article", maptype=sorting.Count)
    return sorting.FieldFacet(FACET_PREFIX + name, allow_overlap=True, maptype=sorting.Count)


def filter_query(name: str, values: list[str], analyzer: Analyzer) -> query.Query:
    """Sections whose facet `name` has any of `values`.

    `article` and `year` match a value exactly (titles without regard to case); any other
    field matches when its text has all the words of a value (`--result suppressed`).
    """
    if name == "article":
        return query.Or([query.Term("article", value) for value in values])
    if name == "year":
        return query.Or([query.Term(FACET_PREFIX + "year", value) for value in values])
    field = INFOBOX_PREFIX + name
    return query.Or(
        [query.And([query.Term(field, token.text) for token in analyzer(value)]) for value in values]
    )


def during_query(period: DateInterval) -> query.Query:
    """Sections of articles whose date interval overlaps `period`."""
    return query.And(
        [
            query.NumericRange("date_start", None, period.end.toordinal()),
            query.NumericRange("date_end", period.start.toordinal(), None),
        ]
    )


def numeric_ranges(parsed: query.Query, infobox_names: set[str]) -> query.Query:
    """Turn ranges on infobox fields (`strength:[10000 TO]`) into ranges on their numbers."""

    def to_number(node: query.Query) -> query.Query:
        if isinstance(node, query.TermRange) and node.fieldname.startswith(INFOBOX_PREFIX):
            name = node.fieldname[len(INFOBOX_PREFIX) :]
            start, end = _number_or_none(node.start), _number_or_none(node.end)
            if name in infobox_names and (start, end) != (None, None):
                return query.NumericRange(
                    NUMBER_PREFIX + name, start, end, node.startexcl, node.endexcl
                )
        return node

    return parsed.accept(to_number)


def _number_or_none(text: str | None) -> int | None:
    return parse_number(text) if text else None


def user_field_aliases(infobox_names: list[str]) -> dict[str, list[str]]:
    """Whoosh field -> the names a user types for it, given the index's infobox field names."""
    aliases = {field: [name] for name, field in USER_FIELDS.items()}
    for name in infobox_names:
        aliases.setdefault(INFOBOX_PREFIX + name, []).append(name)
    return aliases


def infobox_source(field: str) -> tuple[str, bool] | None:
    """For a Whoosh field holding an infobox value: (the infobox field name, is it a number)."""
    for prefix in (INFOBOX_PREFIX, NUMBER_PREFIX):
        if field.startswith(prefix):
            return field[len(prefix) :], prefix == NUMBER_PREFIX
    return None


def is_line_of(line: str, name: str) -> bool:
    """Whether an infobox line (`Commander2: ...`) holds a value of field `name` (`commander`)."""
    key = normalise_key(line.partition(":")[0])
    return name in (key, shared_name(key))
