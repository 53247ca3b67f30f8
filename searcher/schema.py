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
from collections.abc import Iterator
from datetime import date
from typing import Any

from whoosh import fields, query
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

from .article import INFOBOX, Article
from .infobox import normalise_key, shared_name
from .values import DateInterval, parse_date_interval, parse_number
from .variants import VariantFilter

# Bump when the schema, the analyzer or the document layout changes: older indexes are rebuilt.
SCHEMA_VERSION = 9

INFOBOX_PREFIX = "ib_"
NUMBER_PREFIX = "num_"
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
DATE_FIELDS = ("date_start", "date_end")
# The words of a query as spelling-variant keys (Hrytsyak = Gritsyak): a field of queries
# only, rewritten into the indexed words that share the key (see `vocabulary`).
VARIANTS = "variants"
DATE_FIELD = "date"
# Facets every search counts; any infobox field can be asked for too.
DEFAULT_FACETS = ("article", "result", "year", "place")
# Query field names a user types, and the Whoosh field each stands for.
USER_FIELDS = {"title": "title", "section": "heading", "text": BODY}
# Fields searched by a query term without a field name, and their BM25F weights.
DEFAULT_FIELDS = ("title", "heading", BODY, VARIANTS)
FIELD_BOOSTS = {"title": 3.0, "heading": 2.0, BODY: 1.0, VARIANTS: 0.3}
# A section whose article's title has a word of the query scores this much more; when the
# title has every word, the article's first section (which holds it) ranks first of them.
TITLE_LIFT = 1.5


def word_analyzer() -> Analyzer:
    """Words, lower-cased, diacritics folded (`Jānis` -> `janis`), without English stop words.

    One-character words are kept: `Special Camp No. 6` must not match camp No. 7.
    """
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(minsize=1)


def text_analyzer() -> Analyzer:
    """Words (see `word_analyzer`) as Porter stems: what the index holds."""
    return word_analyzer() | StemFilter(cachesize=100_000)


def variant_analyzer() -> Analyzer:
    """Words as spelling-variant keys: transliterations of one name share a key."""
    return word_analyzer() | VariantFilter()


WORD_ANALYZER = word_analyzer()


def build_schema() -> fields.Schema:
    """The schema of a new index."""
    analyzer = text_analyzer()
    schema = fields.Schema(
        doc_id=fields.ID(unique=True, stored=True),
        # The article file: a column, so each match's article is read without its stored fields.
        path=fields.ID(stored=True, sortable=True),
        kind=fields.ID(stored=True),
        article=fields.ID(stored=True),
        # Article documents: the infobox as lines, as facet values and as fields (below).
        digest=fields.STORED(),
        infobox=fields.STORED(),
        facets=fields.STORED(),
        infobox_names=fields.KEYWORD(),
        date_start=_number(32),
        date_end=_number(32),
        # Section documents.
        title=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["title"]),
        section=fields.STORED(),
        heading=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["heading"]),
        position=fields.STORED(),  # only read from hits, never searched
        # Character offsets of every word, so passages are cut without analysing text again.
        body=fields.TEXT(analyzer=analyzer, stored=True, chars=True),
    )
    schema.add(INFOBOX_PREFIX + "*", fields.TEXT(analyzer=analyzer), glob=True)
    schema.add(NUMBER_PREFIX + "*", _number(64), glob=True)
    return schema


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
        "doc_id": path,
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
            "doc_id": f"{path}#{position}",
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
    """The words as written (folded, not stemmed) of a section document and of its
    article's title: what the vocabulary counts."""
    return {token.text for token in WORD_ANALYZER(f"{document[ARTICLE]}\n{document[BODY]}")}


def query_schema(index_schema: fields.Schema) -> fields.Schema:
    """The schema queries are parsed with: the index's, and the spelling-variant keys of the
    words (`VARIANTS`), which the query rewrites into the indexed words that share them."""
    schema = copy.deepcopy(index_schema)  # (Schema.copy() leaves out the glob fields)
    schema.add(VARIANTS, fields.TEXT(analyzer=variant_analyzer(), field_boost=FIELD_BOOSTS[VARIANTS]))
    return schema


def article_data(article: Article) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The infobox as fields (text `ib_`, numbers `num_`, dates) and as facet values by field
    name (each item of a list value apart; `year` from the dates).

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
    data: dict[str, Any] = {INFOBOX_PREFIX + name: "\n".join(t) for name, t in texts.items()}
    data.update({NUMBER_PREFIX + name: n for name, n in numbers.items()})
    interval = article_dates(article)
    if interval is not None:
        data["date_start"] = interval.start.toordinal()
        data["date_end"] = interval.end.toordinal()
        values["year"] = [str(year) for year in range(interval.start.year, interval.end.year + 1)]
    return data, {name: list(dict.fromkeys(v)) for name, v in values.items()}


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
    return fieldname is not None and (
        fieldname.startswith((INFOBOX_PREFIX, NUMBER_PREFIX)) or fieldname in DATE_FIELDS
    )


def scoped_query(parsed: query.Query) -> tuple[query.Query, bool]:
    """The query as run on the index, and whether it matches articles rather than sections.

    A query only about article data matches article documents. Any other matches sections:
    each part of it about article data matches the sections of the articles it matches
    (`strike commander:Sirotkin`: sections with `strike` in articles of Sirotkin).
    """
    if _about_articles(parsed):
        return query.And([ARTICLES, parsed]), True

    def lifted(node: query.Query) -> query.Query:
        if _about_articles(node):  # (NestedChildren wants a query matching parents only)
            return query.NestedChildren(ARTICLES, query.And([ARTICLES, node]))
        return node if node.is_leaf() else node.apply(lifted)

    return query.AndNot(lifted(parsed), ARTICLES), False


def _about_articles(node: query.Query) -> bool:
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
    """Article documents whose date interval overlaps `period`."""
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
