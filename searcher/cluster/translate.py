"""A parsed query (query.py, the same language as on the Whoosh index) as a Typesense search.

The words of the text become Typesense's `q`: each word or phrase as the index holds it
(stemmed; documents.py), `-word` and `-"a phrase"` for exclusions, matched in the title,
headings and text with the Whoosh index's field weights; every word must match, as there.
Spelling variants are the collection's synonyms (sync.py). A word in one field (`section:`,
`text:`) is a filter on that field. Article data (`title:Norilsk`, `commander:Sirotkin`,
`strength:>=10000`, `date:1953-07`) is a condition on article documents: the articles it
holds for (any AND/OR/NOT of such conditions) are found first, and the sections searched
are theirs (in an OR with words, a filter: those words, or a section of those articles).

Typesense 0.24 matches one phrase a query: with two, it matched sections without the words of
either (`"eat pray" "north northwest"` found a section that has no `north`; typesense#2050).
The first phrase of the text (quoted, or a word cut in parts: `state-owned`) is a phrase, the
others their words, each anywhere, as Typesense asks for words.

What `q` cannot say is refused, naming the construct: OR between phrases or groups of words
(Typesense matches every word; an OR of single words is a filter), patterns (`x*`, `x?`), fuzzy
words (`x~`) and boosts (`x^2`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import NamedTuple, NoReturn

from whoosh import query

from ..errors import QueryError, quoted
from ..rewrite import SPELLED_AS, Spelling
from ..schema import (
    ARTICLE,
    BODY,
    END_PREFIX,
    FACET_PREFIX,
    FIELD_BOOSTS,
    NUMBER_PREFIX,
    PATH,
    START_PREFIX,
    USER_FIELDS,
    VARIANTS,
    is_article_data,
    is_article_words,
)
from ..values import LARGEST_NUMBER
from .documents import TEXT_FIELDS, facet_value, filter_value, held_number

QUERY_BY = ",".join(TEXT_FIELDS)
QUERY_BY_WEIGHTS = ",".join(str(round(FIELD_BOOSTS[name])) for name in TEXT_FIELDS)



class InOrder(NamedTuple):
    """A phrase of an infobox field: its words (each as any of its spellings), in order, at
    most `slop` positions apart (1: next to each other), as the Whoosh engine matches it."""

    words: list[list[str]]
    slop: int

    def found_in(self, tokens: list[str]) -> bool:
        """Whether a field's words (in order: documents.py) hold the phrase."""
        ends = {at for at, token in enumerate(tokens) if token in self.words[0]}
        for spellings in self.words[1:]:
            ends = {at for at, token in enumerate(tokens) if token in spellings
                    and any(0 < at - end <= self.slop for end in ends)}
        return bool(ends)


# A condition on article documents (the field it is on, the Typesense filter, and a phrase its
# words must also hold), as the files of the articles it holds for.
Articles = Callable[[str, str, InOrder | None], set[str]]


@dataclass
class Translated:
    """A query as Typesense runs it: `q`, filters on sections, and the articles (files) its
    article data holds for (None: any article). `about_articles`: a query only about article
    data, answered by article documents. `words` and `phrases`: what passages mark;
    `spelled`: the close spellings a filter matches for a word of the typo retry, which no
    highlight names (`retry.beyond_typos`; a `title:` word's)."""

    q: str
    filters: list[str] = field(default_factory=list)
    articles: set[str] | None = None
    about_articles: bool = False
    typos: int = 0
    prefix: bool = False
    completed: str = ""  # the word `q` completes as a prefix (`amnest` of `amnest*`)
    optional: set[str] = field(default_factory=set)  # words left out by relaxing, still ranked
    left_out: set[str] = field(default_factory=set)  # of those, the words of the query itself
    words: set[str] = field(default_factory=set)
    phrases: list[list[str]] = field(default_factory=list)
    alone: set[str] = field(default_factory=set)  # the words asked for alone (not in a phrase)
    spelled: set[str] = field(default_factory=set)


def translate(
    parsed: query.Query,
    text: str,
    every_article: set[str],
    articles: Articles,
    articles_only: bool = False,
    spelling: Spelling | None = None,
    respelled: Callable[[str], str] | None = None,
    spellings: Callable[[str], list[str]] | None = None,
) -> Translated:
    """`parsed` (the query `text`) as a Typesense search. `articles` gives the files of the
    articles an article-document filter holds for; `every_article` is all of them.
    `articles_only`: `parsed` is a filter on article documents (`scope.filter_query`).
    `spelling` (the typo retry's): a field's spellings of a word, as `rewrite.respelled` takes
    them (an infobox field's spelling variants, the title's close spellings).
    `respelled`: a word of the text as the collection spells it (`Lexicon.respelled`);
    `spellings`: its spellings, where Typesense's synonyms do not apply (`Lexicon.spellings`)."""
    translator = _Translator(text, every_article, articles, spelling, respelled, spellings)
    if parsed is query.NullQuery:  # only stop words: nothing to match, as on the Whoosh engine
        return Translated("*", articles=set())
    if articles_only or _about_articles(parsed):
        found = translator.article_set(parsed)
        return Translated("*", articles=found, about_articles=True, words=translator.words,
                          spelled=translator.spelled)
    parts = parsed.subqueries if isinstance(parsed, query.And) else [parsed]
    tokens: list[str] = []
    for part in parts:
        tokens.extend(translator.part(part))
    if translator.prefix is not None:
        tokens.append(translator.prefix)
    return Translated(
        " ".join(token for token in tokens if token) or "*",
        translator.filters,
        translator.chosen,
        prefix=translator.prefix is not None,
        completed=translator.prefix or "",
        words=translator.words,
        phrases=translator.phrases,
        alone=translator.alone,
        spelled=translator.spelled,
    )


class _Translator:
    def __init__(
        self,
        text: str,
        every_article: set[str],
        articles: Articles,
        spelling: Spelling | None,
        respelled: Callable[[str], str] | None = None,
        spellings: Callable[[str], list[str]] | None = None,
    ) -> None:
        self._text = text
        self._spelling = spelling
        self._respelled = respelled
        self._spellings = spellings
        self._every = every_article
        self._articles = articles
        self.filters: list[str] = []
        self.chosen: set[str] | None = None
        self.words: set[str] = set()
        self.alone: set[str] = set()  # words of the text asked for alone, not in a phrase
        self.phrases: list[list[str]] = []
        self.spelled: set[str] = set()  # (`Translated.spelled`)
        self.prefix: str | None = None  # the one word completed as a prefix (Typesense's last)

    def part(self, node: query.Query, excluded: bool = False) -> list[str]:
        """The `q` tokens of one part of a conjunction (filters and articles are kept)."""
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
            self._choose(self._every - found if excluded else found)
            return []
        word = _one_word(node)
        if word is not None:
            return [self._token(*word, excluded)]
        if isinstance(node, query.Or):
            return self._any_of(node, excluded)
        if type(node) is query.Term and node.fieldname in TEXT_FIELDS:
            if excluded:
                self._refuse_excluded_field(node.fieldname)
            self.filters.append(f"{node.fieldname}:[{filter_value(node.text)}]")
            if node.fieldname == BODY:  # (as the Whoosh engine marks: `section:` words are not)
                self.words.add(node.text)
            return []
        return self._refuse(_construct(node))

    def _choose(self, found: set[str]) -> None:
        """Keep only the articles (files) `found` of those chosen so far."""
        self.chosen = found if self.chosen is None else self.chosen & found

    def _any_of(self, node: query.Or, excluded: bool) -> list[str]:
        """The `q` tokens of an OR of words, each in every text field (a word of the text) or
        in some (`section:`, `text:`), and of article data (`title:`, infobox fields): NOT of
        it excludes each word and those articles, and else it is a filter: any of the words,
        each in its fields (not scored), or a section of those articles."""
        data: list[query.Query] = []
        text: list[query.Query] = []
        for child in node.subqueries:
            (data if _about_articles(child) else text).append(child)
        articles = self.article_set(query.Or(data)) if data else set()
        if excluded and data:  # NOT (a OR b): neither a nor b
            self._choose(self._every - articles)
        alternatives = [_alternative(group) for group in _word_groups(text)]
        if any(alternative is None for alternative in alternatives):
            self._refuse(_construct(node))
        found = [alternative for alternative in alternatives if alternative is not None]
        if excluded:
            for _, _, fields in found:
                if fields != set(TEXT_FIELDS):
                    self._refuse_excluded_field(min(fields - {BODY} or fields))
            return [self._token(kind, words, True) for kind, words, _ in found]
        if any(kind != "term" for kind, _, _ in found):
            self._refuse(_construct(node))
        by_field: dict[str, list[str]] = {}
        for _, (word,), fields in found:
            # A word of the text also matches its spellings (a filter applies no synonyms).
            spelled = self._spelled(word) if fields == set(TEXT_FIELDS) else [word]
            for name in TEXT_FIELDS:
                if name in fields:
                    by_field.setdefault(name, []).extend(spelled)
            if BODY in fields:  # (as the Whoosh engine marks: `section:` words are not)
                self.words.update(spelled)
        self.filters.append(any_of(by_field, articles))
        return []

    def _refuse_excluded_field(self, name: str) -> NoReturn:
        typed = next((typed for typed, field in USER_FIELDS.items() if field == name), name)
        self._refuse(f"NOT of a word in one field ('-{typed}:...')")

    def _token(self, kind: str, words: tuple[str, ...], excluded: bool) -> str:
        """One word, phrase or pattern of the text, as `q` writes it."""
        sign = "-" if excluded else ""
        if self._respelled is not None and kind != "prefix":
            words = tuple(map(self._respelled, words))
        if kind == "prefix":
            if excluded or self.prefix is not None:
                self._refuse("more than one pattern, or an excluded one (Typesense completes one word)")
            self.prefix = words[0]
            return ""
        if kind == "phrase" and not excluded and self.phrases:
            kind = "words"  # (a second phrase: its words, as the module's docstring says)
        if not excluded:
            self.words.update(words)
            if kind == "phrase":
                self.phrases.append(list(words))
            else:
                self.alone.update(words)
        if kind == "phrase":
            return f'{sign}"{" ".join(words)}"'
        if kind == "words":
            return " ".join(words)
        if excluded:  # (each of its spellings: Typesense excludes a word without its synonyms)
            return " ".join(sign + word for word in self._spelled(words[0]))
        return sign + words[0]

    def _spelled(self, word: str) -> list[str]:
        """A word of the text and its spellings (`Lexicon.spellings`)."""
        return self._spellings(word) if self._spellings is not None else [word]

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
        name = node.field() or ""
        phrase = None
        if isinstance(node, query.Phrase) and is_article_words(name):
            phrase = InOrder([self._spellings_of(name, word, True) for word in node.words], max(node.slop, 1))
        return self._articles(name, self._article_filter(node), phrase)

    def _article_filter(self, node: query.Query) -> str:
        """A Typesense filter on article documents for one leaf of article data."""
        name = node.field() or ""
        if isinstance(node, query.Term) and name == ARTICLE:
            return f"{name}:=[{filter_value(node.text)}]"  # (a title: whole)
        if isinstance(node, query.Term) and name.startswith(FACET_PREFIX):
            return f"{name}:=[{filter_value(facet_value(node.text))}]"  # (a facet value: whole)
        if isinstance(node, (query.Term, query.Phrase)) and is_article_words(name):
            # A phrase: each of its words (their order is `InOrder`'s); retried, each also
            # spelled another way.
            words = [node.text] if isinstance(node, query.Term) else node.words
            in_phrase = isinstance(node, query.Phrase)
            spelled = [self._spellings_of(name, word, in_phrase) for word in words]
            return " && ".join(
                f"{name}:=[{', '.join(filter_value(word) for word in spellings)}]" for spellings in spelled
            )
        numeric = (NUMBER_PREFIX, START_PREFIX, END_PREFIX)
        if isinstance(node, query.NumericRange) and name.startswith(numeric):
            # Integers as the collection holds them (numbers in thousandths), so an excluded
            # bound is the next one in, and one range of them matches one value of a list.
            held = held_number if name.startswith(NUMBER_PREFIX) else int
            low = None if node.start is None else held(node.start) + bool(node.startexcl)
            high = None if node.end is None else held(node.end) - bool(node.endexcl)
            if low is not None and high is not None:
                return f"{name}:[{low}..{high}]"
            if low is not None:
                return f"{name}:>={low}"
            if high is not None:
                return f"{name}:<={high}"
            return f"{name}:>={held(-LARGEST_NUMBER)}"
        return self._refuse(_construct(node))

    def _spellings_of(self, name: str, word: str, in_phrase: bool) -> list[str]:
        """A word of a field of article data (an infobox field, the title) and, retried, its
        other spellings; the title's are the retry's words (`spelled`), as the Whoosh engine's
        suggestion counts the words its retry looks for in the text fields (`SPELLED_AS`)."""
        spelled = self._spelling(name, in_phrase) if self._spelling is not None else None
        if spelled is None:
            return [word]
        found = spelled(word)
        if name in SPELLED_AS:
            self.spelled.update(found)
        return found

    def _refuse(self, construct: str) -> NoReturn:
        raise QueryError(
            f"the Typesense engine cannot run {construct} (in query {quoted(self._text)}); "
            "the Whoosh engine can"
        )


def any_of(words: dict[str, list[str]], files: Collection[str] = ()) -> str:
    """A filter on sections that hold any of the words, each in its text fields (by field),
    or are sections of the articles `files`."""
    either = [f"{name}:[{', '.join(filter_value(word) for word in found)}]" for name, found in words.items()]
    return "(" + " || ".join([*either, *([in_articles(files)] if files else [])]) + ")"


def in_articles(files: Collection[str]) -> str:
    """A filter on the documents of the articles `files` (at least one: Typesense refuses
    an empty list)."""
    return f"{PATH}:=[{', '.join(filter_value(path) for path in sorted(files))}]"


def _one_word(node: query.Query) -> tuple[str, tuple[str, ...]] | None:
    """What the parser made of one word of the text (`title:w OR heading:w OR body:w OR
    variants:key`, one alternative a field): its kind (`term`, `phrase` or `prefix`; a word
    cut in parts is a phrase, `schema.WORD_IN_PARTS`) and its words; None when `node` is not
    that."""
    if not isinstance(node, query.Or):
        return None
    found = _alternative(node)
    if found is None or found[2] != set(TEXT_FIELDS):
        return None  # (Whoosh flattens `a OR b` into one OR of every field's terms)
    return found[0], found[1]


def _alternative(node: query.Or) -> tuple[str, tuple[str, ...], set[str]] | None:
    """The kind and words of one alternative of an OR of words (`_word_groups`), and the text
    fields it is searched in; None when it is none of the kinds or not in text fields."""
    kept = [child for child in node.subqueries if child.field() != VARIANTS]
    found = {_shape(child) for child in kept}
    fields = {str(child.field()) for child in kept}
    if len(found) != 1 or not fields <= set(TEXT_FIELDS):
        return None
    kind, words = found.pop()
    return (kind, words, fields) if kind else None


def _shape(node: query.Query) -> tuple[str, tuple[str, ...]]:
    """The kind and words of one field's alternative of a word ("" for none of the kinds)."""
    if getattr(node, "boost", 1.0) != 1.0:
        return "", ()
    if type(node) is query.Term:
        return "term", (str(node.text),)
    if type(node) is query.Phrase:
        return ("phrase" if node.slop <= 1 else ""), tuple(node.words)
    if type(node) is query.Prefix:
        return "prefix", (str(node.text),)
    return "", ()


def _about_articles(node: query.Query) -> bool:
    leaves = [node] if node.is_leaf() else list(node.leaves())
    return bool(leaves) and all(is_article_data(leaf.field()) for leaf in leaves)


def _word_groups(alternatives: list[query.Query]) -> list[query.Or]:
    """The alternatives of a flattened OR of words, one OR of fields a word."""
    groups: dict[tuple[str, tuple[str, ...]], list[query.Query]] = {}
    for child in alternatives:
        if child.field() != VARIANTS:
            groups.setdefault(_shape(child), []).append(child)
    return [query.Or(children) for children in groups.values()]


def _is_every(node: query.Query) -> bool:
    """Whether `node` is `*`: every document (the parser makes one `Every` a field)."""
    children = node.subqueries if isinstance(node, query.Or) else [node]
    return all(isinstance(child, query.Every) for child in children)


def _construct(node: query.Query) -> str:
    """What a user typed that Typesense cannot run, named as they would write it."""
    leaves = [] if node.is_leaf() else list(node.leaves())
    if unusual := next((leaf for leaf in leaves if isinstance(leaf, query.MultiTerm)), None):
        return _construct(unusual)
    if apart := next((leaf for leaf in leaves if isinstance(leaf, query.Phrase) and leaf.slop > 1), None):
        return f'a phrase with words apart ("..."~{apart.slop})'
    if isinstance(node, (query.Wildcard, query.Prefix)):
        return f"the pattern {quoted(str(node.text) + ('*' if isinstance(node, query.Prefix) else ''))}"
    if isinstance(node, query.FuzzyTerm):
        return f"the fuzzy word {quoted(str(node.text) + '~')}"
    if isinstance(node, query.Phrase) and node.fieldname in TEXT_FIELDS:
        typed = next((name for name, field in USER_FIELDS.items() if field == node.fieldname), node.fieldname)
        return f'a phrase in one field ({typed}:"..."; Typesense searches a phrase in every text field)'
    if isinstance(node, query.Or):
        return "OR between phrases or groups of words (OR between single words runs)"
    if isinstance(node, query.And):
        return "NOT of several words together (exclude one word or phrase at a time)"
    if getattr(node, "boost", 1.0) != 1.0:
        return "a boost (word^N)"
    return f"this part: {quoted(str(node))}"
