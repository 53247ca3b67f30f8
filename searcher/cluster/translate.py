"""A parsed query (query.py, the same language as on the Whoosh index) as a Typesense search.

The words of the text become Typesense's `q`: each word or phrase as the index holds it
(stemmed; documents.py), `-word` and `-"a phrase"` for exclusions, matched in the title,
headings and text with the Whoosh index's field weights; every word must match, as there.
Spelling variants are the collection's synonyms (sync.py). A word in one field (`title:`,
`section:`, `text:`) is a filter on that field. Article data (`commander:Sirotkin`,
`strength:>=10000`, `date:1953-07`) is a condition on article documents: the articles it
holds for (any AND/OR/NOT of such conditions) are found first, and the sections searched
are theirs.

What `q` cannot say is refused, naming the construct: OR between words of the text (Typesense
matches every word), patterns (`x*`, `x?`), fuzzy words (`x~`) and boosts (`x^2`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

from whoosh import query

from ..errors import QueryError, quoted
from ..schema import (
    ARTICLE,
    BODY,
    DEFAULT_FIELDS,
    END_PREFIX,
    FIELD_BOOSTS,
    HEADING,
    INFOBOX_PREFIX,
    NUMBER_PREFIX,
    START_PREFIX,
    TITLE,
    VARIANTS,
    is_article_data,
)
from .documents import TEXT_FIELDS, filter_value

QUERY_BY = ",".join(TEXT_FIELDS)
QUERY_BY_WEIGHTS = ",".join(str(round(FIELD_BOOSTS[name])) for name in TEXT_FIELDS)

# A condition on article documents, as the files of the articles it holds for.
Articles = Callable[[str], set[str]]


@dataclass
class Translated:
    """A query as Typesense runs it: `q`, filters on sections, and the articles (files) its
    article data holds for (None: any article). `about_articles`: a query only about article
    data, answered by article documents. `words` and `phrases`: what passages mark."""

    q: str
    filters: list[str] = field(default_factory=list)
    articles: set[str] | None = None
    about_articles: bool = False
    typos: int = 0
    words: set[str] = field(default_factory=set)
    phrases: list[list[str]] = field(default_factory=list)


def translate(
    parsed: query.Query, text: str, every_article: set[str], articles: Articles, articles_only: bool = False
) -> Translated:
    """`parsed` (the query `text`) as a Typesense search. `articles` gives the files of the
    articles an article-document filter holds for; `every_article` is all of them.
    `articles_only`: `parsed` is a filter on article documents (`schema.filter_query`)."""
    translator = _Translator(text, every_article, articles)
    if articles_only or _about_articles(parsed):
        found = translator.article_set(parsed)
        return Translated("*", articles=found, about_articles=True, words=translator.words)
    parts = parsed.subqueries if isinstance(parsed, query.And) else [parsed]
    tokens: list[str] = []
    for part in parts:
        tokens.extend(translator.part(part))
    return Translated(
        " ".join(tokens) or "*",
        translator.filters,
        translator.chosen,
        words=translator.words,
        phrases=translator.phrases,
    )


class _Translator:
    def __init__(self, text: str, every_article: set[str], articles: Articles) -> None:
        self._text = text
        self._every = every_article
        self._articles = articles
        self.filters: list[str] = []
        self.chosen: set[str] | None = None
        self.words: set[str] = set()
        self.phrases: list[list[str]] = []

    def part(self, node: query.Query, excluded: bool = False) -> list[str]:
        """The `q` tokens of one part of a conjunction (filters and articles are kept)."""
        sign = "-" if excluded else ""
        if node is query.NullQuery:
            return []
        if _is_every(node):
            return [] if not excluded else self._refuse("NOT *")
        if getattr(node, "boost", 1.0) != 1.0:
            self._refuse("a boost (word^N)")
        if isinstance(node, query.Not):
            return self.part(node.query, not excluded)
        if isinstance(node, query.AndNot):
            return self.part(node.a, excluded) + self.part(node.b, not excluded)
        if isinstance(node, query.And) and not excluded:
            return [token for child in node.subqueries for token in self.part(child)]
        if _about_articles(node):
            found = self.article_set(node)
            found = self._every - found if excluded else found
            self.chosen = found if self.chosen is None else self.chosen & found
            return []
        alternatives = _text_alternatives(node)
        if alternatives is not None:
            return [sign + self._text_token(alternatives, excluded)]
        if excluded and isinstance(node, query.Or):  # NOT (a OR b): neither a nor b
            return [token for group in _word_groups(node) for token in self.part(group, excluded)]
        if isinstance(node, (query.Term, query.Phrase)) and node.fieldname in (TITLE, HEADING, BODY):
            if excluded:
                return [sign + self._text_token([node], excluded)]
            words = [node.text] if isinstance(node, query.Term) else list(node.words)
            for word in words:
                self.filters.append(f"{node.fieldname}:{word}")
            self.words.update(words)
            return []
        return self._refuse(_construct(node))

    def _text_token(self, alternatives: list[query.Query], excluded: bool) -> str:
        """One word or phrase of the text, as `q` writes it."""
        body = next((a for a in alternatives if a.field() == BODY), alternatives[0])
        if isinstance(body, query.Phrase):
            if body.slop > 1:
                self._refuse(f"a phrase with words apart (\"...\"~{body.slop})")
            if not excluded:
                self.phrases.append(list(body.words))
                self.words.update(body.words)
            return '"' + " ".join(body.words) + '"'
        assert isinstance(body, query.Term)
        if not excluded:
            self.words.add(body.text)
        return str(body.text)

    def article_set(self, node: query.Query) -> set[str]:
        """The files of the articles a query of article data holds for."""
        if isinstance(node, query.And):
            found = set(self._every)
            for child in node.subqueries:
                found &= self.article_set(child)
            return found
        if isinstance(node, query.Or):
            return set().union(*(self.article_set(child) for child in node.subqueries))
        if isinstance(node, query.Not):
            return self._every - self.article_set(node.query)
        if isinstance(node, query.AndNot):
            return self.article_set(node.a) - self.article_set(node.b)
        return self._articles(self._article_filter(node))

    def _article_filter(self, node: query.Query) -> str:
        """A Typesense filter on article documents for one leaf of article data."""
        name = node.field() or ""
        if isinstance(node, query.Term) and name == ARTICLE:
            return f"{ARTICLE}:=[{filter_value(node.text)}]"
        if isinstance(node, query.Term) and name.startswith(INFOBOX_PREFIX):
            self.words.add(node.text)
            return f"{name}:=[{filter_value(node.text)}]"
        if isinstance(node, query.Phrase) and name.startswith(INFOBOX_PREFIX):
            self.words.update(node.words)
            return " && ".join(f"{name}:=[{filter_value(word)}]" for word in node.words)
        numeric = (NUMBER_PREFIX, START_PREFIX, END_PREFIX)
        if isinstance(node, query.NumericRange) and name.startswith(numeric):
            low = None if node.start is None else int(node.start) + bool(node.startexcl)
            high = None if node.end is None else int(node.end) - bool(node.endexcl)
            if low is not None and high is not None:
                return f"{name}:[{low}..{high}]"
            if low is not None:
                return f"{name}:>={low}"
            if high is not None:
                return f"{name}:<={high}"
            return f"{name}:>={-(2**62)}"
        return self._refuse(_construct(node))

    def _refuse(self, construct: str) -> NoReturn:
        raise QueryError(
            f"the Typesense engine cannot run {construct} (in query {quoted(self._text)}); "
            "the Whoosh engine can"
        )


def _text_alternatives(node: query.Query) -> list[query.Query] | None:
    """The alternatives the parser made of one word or phrase of the text (`title:w OR
    heading:w OR body:w OR variants:key`), or None when `node` is not that."""
    children = node.subqueries if isinstance(node, query.Or) else [node]
    kept = [child for child in children if child.field() != VARIANTS]
    if not kept or not all(
        type(child) in (query.Term, query.Phrase)
        and child.field() in DEFAULT_FIELDS
        and getattr(child, "boost", 1.0) == 1.0
        for child in kept
    ):
        return None
    if not isinstance(node, query.Or) or len({_words(child) for child in kept}) > 1:
        return None  # (Whoosh flattens `a OR b` into one OR of every field's terms)
    return kept


def _word_groups(node: query.Or) -> list[query.Query]:
    """The alternatives of a flattened OR of words, one OR of fields a word."""
    groups: dict[tuple[str, ...], list[query.Query]] = {}
    for child in node.subqueries:
        if child.field() != VARIANTS:
            groups.setdefault(_words(child), []).append(child)
    return [query.Or(children) for children in groups.values()]


def _is_every(node: query.Query) -> bool:
    """Whether `node` is `*`: every document (the parser makes one `Every` a field)."""
    children = node.subqueries if isinstance(node, query.Or) else [node]
    return all(isinstance(child, query.Every) for child in children)


def _words(node: query.Query) -> tuple[str, ...]:
    return tuple(node.words) if isinstance(node, query.Phrase) else (str(getattr(node, "text", node)),)


def _about_articles(node: query.Query) -> bool:
    leaves = [node] if node.is_leaf() else list(node.leaves())
    return bool(leaves) and all(is_article_data(leaf.field()) for leaf in leaves)


def _construct(node: query.Query) -> str:
    """What a user typed that Typesense cannot run, named as they would write it."""
    leaves = [] if node.is_leaf() else list(node.leaves())
    if unusual := next((leaf for leaf in leaves if isinstance(leaf, query.MultiTerm)), None):
        return _construct(unusual)
    if isinstance(node, (query.Wildcard, query.Prefix)):
        return f"the pattern {quoted(str(node.text) + ('*' if isinstance(node, query.Prefix) else ''))}"
    if isinstance(node, query.FuzzyTerm):
        return f"the fuzzy word {quoted(str(node.text) + '~')}"
    if isinstance(node, query.Or):
        return "OR between words (every word must match there)"
    if isinstance(node, query.And):
        return "NOT of several words together (exclude one word or phrase at a time)"
    if getattr(node, "boost", 1.0) != 1.0:
        return "a boost (word^N)"
    return f"this part: {quoted(str(node))}"
