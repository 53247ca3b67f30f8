"""Where a query looks: article documents or sections, and the filters and periods on
article data.

An article's data (its infobox, its dates) is on its article document, its text on its
section documents (schema.py). A query only about data matches article documents; any other
matches sections, and each of its parts about data matches the sections of the articles that
part matches, through Whoosh's nested documents (`query.NestedChildren`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from whoosh import query

from .errors import quoted
from .schema import (
    ARTICLE,
    ARTICLE_KIND,
    DATE_FIELD,
    END_PREFIX,
    FACET_PREFIX,
    INFOBOX_PREFIX,
    INFOBOX_WORDS,
    KIND,
    NUMBER_PREFIX,
    START_PREFIX,
    TITLE,
    FieldKinds,
    article_key,
    is_article_data,
)
from .values import DateInterval, numbers_with_spans, parse_date_interval, parse_period, written_as_period

# The article documents: the parents of their section documents.
ARTICLES = query.Term(KIND, ARTICLE_KIND)


def filter_query(
    name: str, values: list[str], kinds: FieldKinds, whole: Mapping[str, list[str]]
) -> query.Query:
    """Article documents whose facet `name` has any of `values`.

    `article` matches a title exactly, `year` an article whose dates overlap that year; a
    period on a field whose values are dates (`kinds`) the articles whose date overlaps it
    (`--filter birth_date=1968-07`), as the query `birth_date:1968-07` finds them; any other
    value that is one number on a field of numbers the articles that state it (`-4` is not
    `+4:30`); on a field with values of both kinds, a year matches both; any other value
    that is a value of the field, whole (`whole`: the field's values by `article_key`), that
    value (`Prisoners` is not `Prison Guards`), as the facet counts it; any other the values
    that have all its words (`--result suppressed`). `ValueError` for a value written as a
    period that names none (`1968-13`), or with no word (`-`).
    """
    if name == "article":
        return query.Or([query.Term(ARTICLE, value) for value in values])
    if name == "year":
        years = [DateInterval(date(int(year), 1, 1), date(int(year), 12, 31)) for year in values]
        return query.Or([during_query(year) for year in years])
    return query.Or([_value_query(name, value, kinds, whole) for value in values])


def _value_query(name: str, value: str, kinds: FieldKinds, whole: Mapping[str, list[str]]) -> query.Query:
    """The article documents one value of a filter on the infobox field `name` matches."""
    period, number = _typed(name, value, kinds)
    found = []
    if period is not None:
        found.append(period_query(kinds.dated(name), period))
    if number is not None:
        found.append(query.NumericRange(NUMBER_PREFIX + name, number, number))
    if not found:
        found = [query.Term(FACET_PREFIX + name, same) for same in whole.get(article_key(value), ())]
    if found:
        return found[0] if len(found) == 1 else query.Or(found)
    return query.And([query.Term(INFOBOX_PREFIX + name, word) for word in _words(value)])


def chooses(name: str, chosen: str, value: str, kinds: FieldKinds, whole: Mapping[str, list[str]]) -> bool:
    """Whether a filter's value chooses a value of facet `name`, as `filter_query` matches:
    the same title (any case, diacritics or not) of `article`; a date that overlaps a period,
    the same number, on a field of them; the same value where it is one of the field (`whole`)
    or the same text; else all the filter's words (`suppressed` chooses `Uprising suppressed`)."""
    if name == "article":  # (`Toronto` is not `Toronto Star`)
        return article_key(chosen) == article_key(value)
    period, number = _typed(name, chosen, kinds)
    if period is not None or number is not None:
        interval = parse_date_interval(value) if period is not None else None
        return (interval is not None and period is not None and interval.overlaps(period)) or (
            number is not None and number in [stated for stated, _ in numbers_with_spans(value)]
        )
    if article_key(chosen) in whole or chosen.casefold() == value.casefold():
        return article_key(chosen) == article_key(value)
    words = {token.text for token in INFOBOX_WORDS(value)}
    return bool(words) and {token.text for token in INFOBOX_WORDS(chosen)} <= words


def _typed(name: str, value: str, kinds: FieldKinds) -> tuple[DateInterval | None, int | float | None]:
    """A filter value as the infobox field `name` reads it (`kinds`): a period on a field with
    dates, and a number that is the whole value on a field of numbers; on a field with values
    of both kinds, a year is both. (None, None) for text; ValueError for a period that names
    no day of the calendar (`1968-13`)."""
    kind = kinds(name)
    dated = written_as_period(value) and (kind == "date" or kinds.has("date", name))
    period = parse_period(value) if dated else None
    numbered = kind == "number" or (dated and kinds.has("number", name))
    return period, _one_number(value) if numbered else None


def values_by_key(values: Iterable[str]) -> dict[str, list[str]]:
    """`values` by the form a filter (or `show`) naming one in any case, diacritics or not,
    matches (`article_key`): two may share it (`Norilsk uprising`, `NORILSK Uprising`)."""
    found: dict[str, list[str]] = {}
    for value in values:
        found.setdefault(article_key(value), []).append(value)
    return found


def _one_number(value: str) -> int | float | None:
    """The number a value is, when it is one and nothing more (`-4`, `16,378`, `4.5`)."""
    stated = list(numbers_with_spans(value.strip()))
    if len(stated) == 1 and stated[0][1] == (0, len(value.strip())):
        return stated[0][0]
    return None


def _words(value: str) -> list[str]:
    """The words of a filter's value; ValueError when it has none (`--filter place=-`)."""
    words = [token.text for token in INFOBOX_WORDS(value)]
    if not words:
        raise ValueError(f"{quoted(value)} has no words to match")
    return words


def scoped_query(parsed: query.Query) -> tuple[query.Query, bool]:
    """The query as run on the index, and whether it matches articles rather than sections.

    A query only about article data matches article documents. Any other matches sections:
    each part of it about article data matches the sections of the articles it matches
    (`strike commander:Sirotkin`: sections with `strike` in articles of Sirotkin).
    """
    if about_articles(parsed):
        return query.And([ARTICLES, parsed]), True

    def lifted(node: query.Query) -> query.Query:
        if about_articles(node):
            return article_sections(node)
        return node if node.is_leaf() else node.apply(lifted)

    # (Most queries have no article data: nothing to lift, no subtree to look through.)
    has_data = any(is_article_data(leaf.field()) for leaf in parsed.leaves())
    sections = lifted(parsed) if has_data else parsed
    # Words of the text never match an article document; `*` and a NOT would.
    if any(isinstance(node, (query.Every, query.Not)) for node in _walk(sections)):
        sections = query.AndNot(sections, ARTICLES)
    return sections, False


def article_sections(node: query.Query) -> query.Query:
    """The sections of the articles a query only about article data matches."""
    return query.NestedChildren(ARTICLES, query.And([ARTICLES, node]))  # (it wants parents only)


def about_articles(node: query.Query) -> bool:
    """Whether a query is only about article data (so matches article documents)."""
    leaves = [node] if node.is_leaf() else list(node.leaves())
    return bool(leaves) and all(is_article_data(leaf.field()) for leaf in leaves)


def title_words(parsed: query.Query) -> list[list[query.Term]]:
    """The words the query asks for in the title (not under a NOT), each as its terms there:
    the alternatives of one `Or` count as one word, whether they are a word's spellings (`I`:
    `title:i OR title:1`) or words the query joins with OR (`amnesty OR vorkuta`: a title with
    either has what was asked). `Or` of every term finds the sections (first of their
    article) whose title has a word, `And` of each word's `Or` those whose title has all."""
    words: dict[int, list[query.Term]] = {}
    for leaf, parent in _asked_leaves(parsed, None):
        if isinstance(leaf, query.Term) and leaf.field() == TITLE:
            words.setdefault(id(parent) if isinstance(parent, query.Or) else id(leaf), []).append(leaf)
    return list(words.values())


def _asked_leaves(
    node: query.Query, parent: query.Query | None
) -> Iterator[tuple[query.Query, query.Query | None]]:
    """The leaves of `node` that stand under no NOT, each with its parent: one walk of the
    tree, where a look for a NOT above each leaf walked it again for every leaf."""
    if isinstance(node, query.Not):
        return
    if node.is_leaf():
        yield node, parent
        return
    for child in node.children():
        yield from _asked_leaves(child, node)


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
