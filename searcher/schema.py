"""The index schema: the only module that knows the Whoosh field names.

One Whoosh document per section. Each carries its article's title and infobox fields, so a
query can combine words of a section with facts about its article (`strike commander:Sirotkin`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import fields
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

from .article import Article
from .infobox import normalise_key, shared_name

# Bump when the schema, the analyzer or the document layout changes: older indexes are rebuilt.
SCHEMA_VERSION = 2

INFOBOX_PREFIX = "ib_"
BODY = "body"
# Query field names a user types, and the Whoosh field each stands for.
USER_FIELDS = {"title": "title", "section": "heading", "text": BODY}
# Fields searched by a query term without a field name, and their BM25F weights.
DEFAULT_FIELDS = ("title", "heading", BODY)
FIELD_BOOSTS = {"title": 3.0, "heading": 2.0, BODY: 1.0}


def text_analyzer() -> Analyzer:
    """Words, lower-cased, diacritics folded (`Jānis` -> `janis`), English stop words, Porter stems."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=100_000)
    )


def build_schema() -> fields.Schema:
    """The schema of a new index."""
    analyzer = text_analyzer()
    schema = fields.Schema(
        doc_id=fields.ID(unique=True, stored=True),
        path=fields.ID(stored=True),
        digest=fields.STORED(),
        article=fields.ID(stored=True, sortable=True),
        article_key=fields.ID(),
        title=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["title"]),
        section=fields.STORED(),
        heading=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["heading"]),
        kind=fields.STORED(),
        position=fields.NUMERIC(stored=True, sortable=True),
        body=fields.TEXT(analyzer=analyzer, stored=True),
        infobox=fields.STORED(),
        infobox_names=fields.KEYWORD(),
    )
    schema.add(INFOBOX_PREFIX + "*", fields.TEXT(analyzer=analyzer), glob=True)
    return schema


def article_key(title: str) -> str:
    """The form of a title that filters match: case does not matter."""
    return title.casefold()


def documents(article: Article, path: str, digest: str) -> Iterator[dict[str, Any]]:
    """The Whoosh documents of an article: one per section that has text."""
    fields_by_name = infobox_fields(article)
    names = [name[len(INFOBOX_PREFIX) :] for name in fields_by_name]
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
        }


def infobox_fields(article: Article) -> dict[str, str]:
    """`ib_<name>` for each infobox field, and `ib_<shared>` joining a numbered pair's values."""
    values: dict[str, list[str]] = {}
    for field in article.infobox:
        values.setdefault(field.name, []).append(field.value)
        shared = shared_name(field.name)
        if shared and shared != field.name:
            values.setdefault(shared, []).append(field.value)
    return {INFOBOX_PREFIX + name: "\n".join(texts) for name, texts in values.items() if name}


def user_field_aliases(infobox_names: list[str]) -> dict[str, list[str]]:
    """Whoosh field -> the names a user types for it, given the index's infobox field names."""
    aliases = {field: [name] for name, field in USER_FIELDS.items()}
    for name in infobox_names:
        aliases.setdefault(INFOBOX_PREFIX + name, []).append(name)
    return aliases


def infobox_field_of_line(line: str, field: str) -> bool:
    """Whether an infobox line (`Commander2: ...`) holds the value of Whoosh field `field`."""
    name = normalise_key(line.partition(":")[0])
    wanted = field[len(INFOBOX_PREFIX) :]
    return name == wanted or shared_name(name) == wanted
