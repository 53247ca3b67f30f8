"""Typesense's documents: the article and section documents of schema.py, with the text as
the words the Whoosh index holds.

Typesense does not stem, so each text field holds the words as `text_analyzer` makes them
(Porter stems, folded, no stop words), and a query's words are sent the same way: both
engines match the same words. The text as written is kept beside them (`WRITTEN`, not
indexed) for passages. Each section also carries its article's facet values (`fv_` fields)
for filtering and counting; article data for queries (`ib_`, `num_`, `start_`/`end_`, the
title's words that `title:` asks) stays on the article document. A number (`num_`) is held
in thousandths, as an int64: Typesense's float has 24 bits (`16,777,217` would be
`16,777,216`), and its ranges of integers are exact.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..schema import (
    ARTICLE,
    ARTICLE_KIND,
    ARTICLE_TITLE,
    BODY,
    DIGEST,
    END_PREFIX,
    FACET_PREFIX,
    FACET_VALUES,
    HEADING,
    INFOBOX_LINES,
    INFOBOX_PREFIX,
    INFOBOX_WORDS,
    KIND,
    NUMBER_PREFIX,
    PATH,
    POSITION,
    SECTION,
    START_PREFIX,
    TITLE,
    VALUE_KINDS,
    text_analyzer,
)
from ..values import THOUSANDTHS

# Typesense-only fields: the text as written, its number of words (shorter sections rank
# first among equal matches, as BM25's length normalisation ranks them), and facet values
# copied onto sections.
WRITTEN = "written"
LENGTH = "length"
# The search fields, with the weights of the Whoosh index's field boosts.
TEXT_FIELDS = (TITLE, HEADING, BODY)
# The characters other than letters and digits that a word the index holds may have (words.WORDS).
WORD_SYMBOLS = [".", "_"]

_ANALYZER = text_analyzer()


def collection_schema(name: str) -> dict[str, Any]:
    """The fields of a collection of articles and sections. A word as the Whoosh index holds it
    keeps its points and underscores (`1.8`, `u.s.s.r`): Typesense's tokenizer would drop them,
    making `1.8` the number `18`."""
    return {
        "name": name,
        "symbols_to_index": WORD_SYMBOLS,
        "fields": [
            {"name": PATH, "type": "string", "facet": True},
            {"name": KIND, "type": "string"},
            {"name": ARTICLE, "type": "string", "facet": True},
            {"name": TITLE, "type": "string", "optional": True},
            {"name": HEADING, "type": "string", "optional": True},
            {"name": BODY, "type": "string", "optional": True},
            {"name": POSITION, "type": "int32", "optional": True},
            {"name": LENGTH, "type": "int32", "optional": True},
            {"name": SECTION, "type": "string", "index": False, "optional": True},
            {"name": WRITTEN, "type": "string", "index": False, "optional": True},
            {"name": DIGEST, "type": "string", "index": False, "optional": True},
            {"name": INFOBOX_LINES, "type": "string", "index": False, "optional": True},
            {"name": VALUE_KINDS, "type": "string[]", "facet": True, "optional": True},
            {"name": ARTICLE_TITLE, "type": "string[]", "optional": True},
            {"name": INFOBOX_PREFIX + ".*", "type": "string[]", "optional": True},
            {"name": NUMBER_PREFIX + ".*", "type": "int64[]", "optional": True},
            {"name": START_PREFIX + ".*", "type": "int64", "optional": True},
            {"name": END_PREFIX + ".*", "type": "int64", "optional": True},
            {"name": FACET_PREFIX + ".*", "type": "string[]", "facet": True, "optional": True},
        ],
    }


def words(text: str) -> list[str]:
    """The words of `text` as the index holds them."""
    return [token.text for token in _ANALYZER(text)]


def typesense_documents(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An article's Whoosh documents (`schema.documents`: the article document, then its
    sections) as Typesense documents."""
    article, sections = found[0], found[1:]
    facets = {FACET_PREFIX + name: [facet_value(value) for value in values]
              for name, values in article[FACET_VALUES].items()}
    converted = [{
        "id": document_id(article[PATH]),
        PATH: article[PATH],
        KIND: ARTICLE_KIND,
        ARTICLE: article[ARTICLE],
        DIGEST: article[DIGEST],
        SECTION: article[SECTION],
        POSITION: article[POSITION],
        INFOBOX_LINES: article[INFOBOX_LINES],
        VALUE_KINDS: article[VALUE_KINDS].split(),
        ARTICLE_TITLE: words(article[ARTICLE_TITLE]),  # (in order, as infobox text: `translate.InOrder`)
        **{name: _infobox_value(name, value) for name, value in article.items() if _is_data(name)},
        **facets,
    }]
    for section in sections:
        body = words(section[BODY])
        converted.append({
            "id": document_id(f"{section[PATH]}#{section[POSITION]}"),
            PATH: section[PATH],
            KIND: section[KIND],
            ARTICLE: section[ARTICLE],
            TITLE: " ".join(words(section[TITLE])),
            HEADING: " ".join(words(section[HEADING])),
            BODY: " ".join(body),
            POSITION: section[POSITION],
            LENGTH: len(body),
            SECTION: section[SECTION],
            WRITTEN: section[BODY],
            **facets,
        })
    return converted


def document_id(name: str) -> str:
    """A document's id: Typesense takes ids in URLs, so a digest of the path, not the path."""
    return hashlib.blake2b(name.encode("utf-8"), digest_size=16).hexdigest()


def facet_value(value: str) -> str:
    """A facet value (`fv_` fields) as the collection holds it: its UTF-8 bytes in hex, one
    word that Typesense keeps as it is. Typesense counts, and filters as one, the values whose
    words differ only in case or in points (`St. Louis`, `St Louis`, `st louis`), which the
    Whoosh engine counts apart."""
    return value.encode("utf-8").hex()


def facet_text(held: str) -> str:
    """A facet value as the collection holds it (`facet_value`) as written."""
    return bytes.fromhex(held).decode("utf-8")


def filter_value(text: str) -> str:
    """A value in a Typesense filter, quoted so that commas, brackets and spaces are its own."""
    return "`" + text.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _is_data(name: str) -> bool:
    return name.startswith((INFOBOX_PREFIX, NUMBER_PREFIX, START_PREFIX, END_PREFIX))


def held_number(number: float) -> int:
    """A number of a `num_` field as the collection holds it: in thousandths."""
    return round(number * THOUSANDTHS)


def _infobox_value(name: str, value: Any) -> Any:
    """A field of article data as Typesense holds it: text as its words, in order (stop words
    kept, as in the Whoosh index; a phrase is looked for in them: `translate.InOrder`),
    numbers in thousandths."""
    if name.startswith(INFOBOX_PREFIX):
        return [token.text for token in INFOBOX_WORDS(value)]
    if name.startswith(NUMBER_PREFIX):
        return [held_number(number) for number in value]
    return value
