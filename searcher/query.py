"""Parse a query: the text a user types, checked and turned into the Whoosh query the index
is searched with.

Whoosh's `MultifieldParser` reads the query language over the default fields, with plugins
for field names as users type them (infobox fields: `commander:`), `>`/`<`, `word~`,
`-word`/`+word` (relax.py), numbers grouped by thousands (numerals.py) and periods on date
fields (`date:1953-07`). Before parsing, field names are checked (any case; an unknown one is
an error naming the closest); after, ranges on number and date fields become numeric ranges,
costly patterns are bounded (rewrite.py), and each word's spelling-variant key becomes the
indexed words that share it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from functools import cached_property, partial

from whoosh import qparser, query
from whoosh.qparser import syntax
from whoosh.qparser.plugins import Plugin
from whoosh.qparser.taggers import RegexTagger
from whoosh.searching import Searcher as WhooshSearcher

from .compounds import CompoundsPlugin
from .errors import Advice, QueryError, closest, quoted
from .infobox import normalise_key
from .live import unheld
from .numerals import GROUPED_NUMBER
from .relax import OPERATORS, signed_operators
from .rewrite import MAX_QUERY_LENGTH, SPELLED_FIELDS, PeriodPlugin, bounded, numeric_ranges, with_spellings
from .schema import (
    ARTICLE_TITLE,
    BODY,
    DEFAULT_FIELDS,
    FACET_ALIASES,
    INFOBOX_NAMES,
    INFOBOX_PREFIX,
    USER_FIELDS,
    WORDS,
    FieldKinds,
    build_schema,
    query_schema,
    user_field_aliases,
)
from .tagging import multifield_parser
from .values import parse_period
from .vocabulary import Spellings

# A field's name as a query writes it, before its colon (`commander:`).
_NAME = r"(?<![\w.])(?P<name>[A-Za-z_]\w*)"
FIELD_NAME = re.compile(_NAME + ":")
# A field name, a comparison after its colon, and the character after them (none for a field
# without a value: `commander:`, `strength:>=`).
_FIELD_PREFIX = re.compile(_NAME + r":([<>]=?)?([^\s)]?)")
_FIELD_OR_QUOTED = re.compile(r'(?P<quoted>"[^"]*")|' + _NAME + r":(?=[^\s)])")
_QUOTED = re.compile(r'"[^"]*"')
# A quoted phrase, or a field name and a number with a minus sign (`utc_offset:-6`) or with
# minutes (`utc_offset_dst:4:30`, `>+4:15`), which Whoosh's parser would split.
_SIGNED_NUMBER = re.compile(
    r'(?P<quoted>"[^"]*")|' + _NAME + r":(?P<comparison>[<>]=?)?"
    r"(?P<number>[-−][0-9][0-9,.]*|[-−+]?[0-9]+(?P<minutes>:[0-5][0-9](?::[0-5][0-9])?))(?=[\s)]|$)"
)
# A comparison with a number as a range (`{N TO]`), the bounds apart.
_COMPARED = {"": ("[", "]"), ">": ("{", "]"), ">=": ("[", "]"), "<": ("[", "}"), "<=": ("[", "]")}
# A quoted phrase, or a field name and its value (a quoted phrase, or up to a space).
_FIELD_VALUE = re.compile(r'(?P<quoted>"[^"]*")|' + _NAME + r':(?P<value>"[^"]*"|[^\s()"]+)')
# `or`, `not` written small between words: common words to Whoosh, an operator to the user.
_LOWER_OPERATOR = re.compile(r"(?:^|(?<=\s))(or|not)(?=\s+\S)")
_OPERATOR_MEANINGS = {
    "or": "OR in capitals means either word",
    "not": "NOT in capitals, or -word, leaves a word out",
}
# Whoosh's operators between two parts of a query (`a OR b`), and the one before a part
# (`TO` is no operator of parts: it stands inside a range).
_PREFIX_OPERATOR = "NOT"
_INFIX_OPERATORS = OPERATORS - {_PREFIX_OPERATOR, "TO"}
_AN_OPERATOR = re.compile(r"\b(?:" + "|".join(sorted(OPERATORS)) + r")\b")
# A query's parts in order: quoted phrases, parentheses, and what spaces and them delimit.
_PART = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
# A quoted phrase or a word, and what follows its `~` (`"a b"~3`, `Frenkel~2/3`), if it has one.
_TILDE = re.compile(r'(?P<phrase>"[^"]*")(?P<slop>~[^\s)]*)?|(?P<word>[^\s"()~]+)(?P<fuzzy>~[^\s)]*)')
# What Whoosh's parser reads after a `~`: the words between a phrase's words (any number),
# a word's edits (one digit) and the letters at its start that must match.
_SLOP = re.compile(r"~[0-9]*")
# A range that is not closed: an opening bracket after a field with no closing one after it.
_OPEN_RANGE = re.compile(r"\w+:[\[{][^\]}]*$")  # (either closes either: `{5 TO]`)
# A decade as a bound of a range or a comparison, which the field's stemming would read as its
# first year (`date:[1940s TO 1950s]` ended in 1950).
_RANGED_DECADE = re.compile(r"\w+:(?:[\[{][^\]}]*\b[0-9]{3}0s\b[^\]}]*[\]}]|[<>]=?[0-9]{3}0s\b)")
_DECADE_BOUND = re.compile(r"\b[0-9]{3}0s\b")
_PARENTHESES = re.compile(r"[()]")
MAX_NESTING = 50
_FUZZINESS = re.compile(r"~[0-9]?(?:/[1-9][0-9]*)?")
_TILDE_FORMS = (
    'after ~ put nothing or a whole number: of letters that may differ after a word (word~2, at most 2; '
    'word~2/3 keeps its first 3 letters), of words apart after a phrase ("a phrase"~3)'
)
# What makes a word a pattern, which cannot also be fuzzy: a pattern stands for every word it
# matches, a fuzzy word for the words spelled close to one.
_PATTERN_MARKS = frozenset("*?")
_FUZZY_PATTERN = (
    "a pattern (* or ?) cannot be fuzzy (~): write the pattern alone for the words it stands for, "
    "or a whole word with ~ for its close spellings"
)
# Whoosh reads a weight after a fuzzy word or a loose phrase as a word of its own.
_UNWEIGHED = (
    'a fuzzy word (word~) or a loose phrase ("a phrase"~3) takes no weight (^): write it without one'
)
# A weight as Whoosh's `BoostPlugin` reads one after `^`: anything else it reads as words.
_WEIGHT = re.compile(r"[0-9]*(?:\.[0-9]+)?")
_WEIGHT_FORM = (
    "after ^ put a number, the weight of the word, phrase or group right before it "
    '(amnesty^2, "general amnesty"^0.5, (amnesty OR strike)^2)'
)
_WEIGHT_ATTACHED = (
    "^ weighs the word, phrase or group right before it: write them with no space between (amnesty^2)"
)
# A value of a date field that may mean a year before 1000, which a query writes with four
# digits (`0965`): as it stands, it is searched as text.
_SHORT_YEAR = re.compile(r"[1-9][0-9]{2}")
# What a field's value is like, by the field's kind, for a message that shows one.
_EXAMPLE_VALUES = {"number": "1000", "date": "1953-07"}
# The characters of range syntax (`[1 TO 2]`, `{a TO}`, `>5`).
_RANGE_MARKS = frozenset("[{<>")
# `>`, `>=`, `<`, `<=` not right after a field's colon.
_BARE_COMPARISON = re.compile(r"(?<![\w:<>=])[<>]")


def _ranges_are(advice: Advice) -> str:
    """Where ranges and comparisons may be, with examples."""
    return (
        "ranges and comparisons are on the numbers and dates of infobox fields, e.g. strength:[10000 TO "
        f"20000], strength:>10000, date:[1953 TO 1954] ({advice.fields} lists them)"
    )


def _by_title(advice: Advice) -> str:
    """What to write instead of `article:` or `uprising:` in a query."""
    return f"use {advice.title_filter} or `title:WORD` in the query"


# Names that filter a search but are no fields of its query, and what to write instead.
_FILTERS: dict[str, Callable[[Advice], str]] = {
    "year": lambda advice: f"use {advice.year_filter} or `date:YEAR` in the query",
    "article": _by_title,
    "uprising": _by_title,
}


class QueryParser:
    """The query language of one index: its field names, their kinds and spellings.

    `searcher` (a Whoosh index's) bounds costly patterns and finds the other form of joined
    and hyphenated words, and `spellings` turns spelling-variant keys into the indexed words
    that share them; without them (another engine) patterns stay as typed, words as they are
    written, and each word keeps its `VARIANTS` key.
    """

    def __init__(
        self,
        infobox_names: Iterable[str],
        kinds: FieldKinds,
        searcher: WhooshSearcher | None = None,
        spellings: Spellings | None = None,
    ) -> None:
        self._reader = None if searcher is None else searcher.reader()
        self._spellings = spellings
        self._aliases = user_field_aliases(list(infobox_names))
        # The names a query may use, and the infobox fields (as indexed) among them.
        self._known = {name for names in self._aliases.values() for name in names}
        self._infobox_names = {
            field[len(INFOBOX_PREFIX) :] for field in self._aliases if field.startswith(INFOBOX_PREFIX)
        }
        self.kinds = kinds  # which infobox fields are numbers, which dates
        self._parser = multifield_parser(list(DEFAULT_FIELDS), query_schema(build_schema()))
        self._parser.add_plugin(qparser.FieldAliasPlugin(self._aliases))
        self._parser.add_plugin(qparser.GtLtPlugin())
        self._parser.add_plugin(qparser.FuzzyTermPlugin())
        self._parser.replace_plugin(signed_operators())  # `-word`, `+word` (relax.py)
        self._parser.add_plugin(NumberPlugin())  # `18 000` is one word (numerals.py)
        self._parser.add_plugin(PeriodPlugin(self.kinds))  # `date:1953-07` is a period
        if searcher is not None:  # `nonfiction` finds `non-fiction` and back (compounds.py)
            # Most words: in the text; the title's, as `title:` names it, last (the sections'
            # title holds the same words).
            fields = [*sorted(SPELLED_FIELDS, key=lambda field: field != BODY), ARTICLE_TITLE]
            self._parser.add_plugin(CompoundsPlugin(searcher, fields))
        # Whoosh gathers and sorts its plugins' taggers and filters on every parse, making new
        # taggers each time; the plugins are fixed from here on, so that is done once.
        taggers, filters = self._parser.taggers(), self._parser.filters()
        self._parser.taggers = lambda: taggers  # type: ignore[method-assign]
        self._parser.filters = lambda: filters  # type: ignore[method-assign]

    @classmethod
    def of(
        cls, searcher: WhooshSearcher, spellings: Spellings, unheld_names: Collection[str] | None = None
    ) -> QueryParser:
        """The query language of an open Whoosh index. `unheld_names`: the infobox names its
        word list still has that only deleted documents have, if known (else found here: a
        read of each name's postings)."""
        reader = searcher.reader()
        gone = set(unheld(reader, INFOBOX_NAMES) if unheld_names is None else unheld_names)
        names = [name for term in reader.lexicon(INFOBOX_NAMES) if (name := term.decode()) not in gone]
        return cls(names, FieldKinds.of(reader), searcher, spellings)

    @cached_property
    def infobox_fields(self) -> frozenset[str]:
        """The names users type for the index's infobox fields."""
        return frozenset(
            name
            for field, names in self._aliases.items()
            if field.startswith(INFOBOX_PREFIX)
            for name in names
        )

    def parsed(self, text: str) -> query.Query:
        """The query as Whoosh runs it."""
        return self.parse(text)[0]

    def parse(self, text: str) -> tuple[query.Query, list[str]]:
        """The query as Whoosh runs it, and warnings on what was changed to bound its cost."""
        if not text.strip():
            raise QueryError("empty query: give at least one word to search for")
        if len(text) > MAX_QUERY_LENGTH:
            raise QueryError(
                f"query {quoted(text)} is too long: {len(text):,} characters, at most {MAX_QUERY_LENGTH:,}"
            )
        known, unquoted = self._known, _QUOTED.sub('""', text)
        notes = [
            f"{quoted(word)} in query {quoted(text)} is read as a common word (left out): "
            + _OPERATOR_MEANINGS[word] for word in dict.fromkeys(_LOWER_OPERATOR.findall(unquoted))
        ]
        notes += [
            f"{quoted(clause)} in query {quoted(text)} has only common words (left out)"
            for clause in _common_word_clauses(text) if clause != text.strip()
        ]
        if text.count('"') % 2:
            notes.append(_unclosed_quote(text))
        parsed_text, stray = _without_stray_operators(self._signed_numbers(text))
        notes += [
            f"{quoted(word)} in query {quoted(text)} has "
            + ("no word after it" if word == _PREFIX_OPERATOR else "no word on one side")
            + ": left out"
            for word in dict.fromkeys(stray)
        ]
        if "~" in text:
            _check_tildes(text)
        if "^" in unquoted:
            _check_weights(text)
        if "(" in unquoted or "[" in unquoted or "{" in unquoted:
            _check_brackets(unquoted, text)
        if decade := _RANGED_DECADE.search(unquoted):
            raise QueryError(
                f"{quoted(decade[0])} in query {quoted(text)}: a decade is a period alone (date:1950s), "
                f"not a bound of a range or a comparison: give its years, {_in_years(decade[0])}"
            )
        if _BARE_COMPARISON.search(unquoted):
            raise QueryError(
                lambda advice: f"a comparison in query {quoted(text)} has no field: {_ranges_are(advice)}"
            )
        for name, comparison, after in _FIELD_PREFIX.findall(unquoted):
            if field_name(name, known) not in known:
                if name.casefold() in _FILTERS:
                    raise QueryError(partial(_is_a_filter, name, text))
                raise unknown_field(f"field {quoted(name)} in query {quoted(text)}", name, known)
            if not after:
                example = _EXAMPLE_VALUES.get(self.kinds(field_name(name, known)), "WORD")
                raise QueryError(
                    f"no value after {quoted(f'{name}:{comparison}')} in query {quoted(text)}; "
                    f"put the value right after the colon, e.g. {name}:{comparison}{example}"
                )
        if ":" in unquoted:
            notes += self._short_years(unquoted, text)
        try:
            # Normalized once infobox ranges are read as values: Whoosh's normalizing makes
            # `date:[1953-07 TO 1953-07]` a word, and merges two ranges as text.
            parsed = self._parser.parse(_known_field_names(parsed_text, known), normalize=False)
            typed, empty = numeric_ranges(parsed, self._infobox_names, self.kinds)
            typed = typed.normalize()
        except QueryError:
            raise
        except Exception as error:  # Whoosh's parser raises assorted errors on odd input
            raise QueryError(f"cannot parse query {quoted(text)}: {error}") from None
        # What is left of a range is one of words (`[1 TO 2]` on the text, `place:[a TO m]`); only
        # range syntax makes a range, so most queries need no walk of their leaves.
        words_ranged = _RANGE_MARKS.intersection(text) and any(
            isinstance(leaf, query.TermRange) for leaf in typed.leaves()
        )
        if words_ranged:
            raise QueryError(lambda advice: (
                f"a range in query {quoted(text)} is not one of numbers or dates: {_ranges_are(advice)}"
            ))
        if self._reader is None or self._spellings is None:
            return typed, [*notes, *empty]
        bounded_query, warnings = bounded(typed, self._reader)
        return with_spellings(bounded_query, self._spellings), [*notes, *empty, *warnings]

    def _short_years(self, unquoted: str, text: str) -> list[str]:
        """A note for each value of a date field that may be a year before 1000 (`965`): it
        is searched as the field's text, as a year has four digits (`0965`)."""
        return [
            f"{quoted(match[0])} in query {quoted(text)} is read as text, not as the year {match['value']}: "
            f"a year of a date field has four digits ({match['name']}:0{match['value']})"
            for match in _FIELD_VALUE.finditer(unquoted)
            if match["name"] and _SHORT_YEAR.fullmatch(match["value"])
            and self.kinds(field_name(match["name"], self._known)) == "date"
        ]

    def _signed_numbers(self, text: str) -> str:
        """The query with a negative number of a number field, or one with minutes, as a
        range of it (`-6` is a word `6` to Whoosh's parser, which matched `+6:30`; `4:30` two
        numbers, `>4:15` none): `[-6 TO -6]`, `[4:30 TO 4:30]`, `{4:15 TO]`."""

        def ranged(match: re.Match[str]) -> str:
            if match["quoted"] or self.kinds(field_name(match["name"], self._known)) != "number":
                return match[0]
            comparison, number = match["comparison"] or "", match["number"].lstrip("+")
            if comparison and not match["minutes"]:  # (Whoosh reads `<-6`)
                return match[0]
            opening, closing = _COMPARED[comparison]
            low = "" if comparison.startswith("<") else number
            high = "" if comparison.startswith(">") else number
            return f"{match['name']}:{opening}{low} TO {high}{closing}"

        return _SIGNED_NUMBER.sub(ranged, text)


def field_name(name: str, known: Collection[str]) -> str:
    """The known field a name typed in any case stands for (`Commander1` -> `commander1`),
    else the name as typed."""
    if name in known:
        return name
    normalised = normalise_key(name)
    return normalised if normalised in known else name


def facet_name(name: str, known: Collection[str]) -> str:
    """The known facet or filter a name stands for: a field in any case (`field_name`), else
    the one an alias names (`Uprising` -> `article`), else the name as typed."""
    named = field_name(name, known)
    return named if named in known else FACET_ALIASES.get(normalise_key(name), named)


def _in_years(bounded: str) -> str:
    """A range or comparison with decades for bounds (`_RANGED_DECADE`) written in years: a
    low bound the decade's first year, a high bound its last (`date:[1940s TO 1950s]` ->
    `date:[1940 TO 1959]`, `date:>1950s` -> `date:>1959`, `date:>=1950s` -> `date:>=1950`)."""
    bounds = bounded.partition(":")[2]
    if bounds[:1] in "[{":
        high_from = bounded.find("TO") if "TO" in bounded else len(bounded)
    else:
        after = bounds.startswith((">", "<=")) and not bounds.startswith(">=")  # (its end the bound)
        high_from = 0 if after else len(bounded)

    def year(decade: re.Match[str]) -> str:
        try:
            years = parse_period(decade[0])  # (a decade's years are worked out in one place)
        except ValueError:  # (`0000s`: no year 0)
            return decade[0]
        return str((years.end if decade.start() > high_from else years.start).year)

    return _DECADE_BOUND.sub(year, bounded)


def _common_word_clauses(text: str) -> list[str]:
    """The parts of a query naming `title`, `section` or `text` whose value is only common
    words (`title:the`), which the index leaves out, and so does Whoosh's parser."""
    return [
        match[0] for match in _FIELD_VALUE.finditer(text)
        if match["name"] and match["name"].casefold() in USER_FIELDS
        and any(map(str.isalnum, match["value"])) and not any(True for _ in WORDS(match["value"]))
    ]


def _unclosed_quote(text: str) -> str:
    """The note on a query's last quote, which closes none (Whoosh's parser reads the words
    after it as words, and leaves the quote out)."""
    after = text.rsplit('"', 1)[1].strip()
    if not after:
        return f"the quote at the end of query {quoted(text)} is not closed: left out"
    return (f"the quote before {quoted(after)} in query {quoted(text)} is not closed: "
            "its words are read as words, not as a phrase")


def _is_a_filter(name: str, text: str, advice: Advice) -> str:
    """The error for a filter named as a field in the query `text`, saying what to write."""
    return f"{quoted(name)} in query {quoted(text)} is a filter: {_FILTERS[name.casefold()](advice)}"


def _check_brackets(unquoted: str, text: str) -> None:
    """`QueryError` for a range left open (`population:[1 TO 2`, which Whoosh reads as words)
    or parentheses nested past `MAX_NESTING` (which Whoosh's parser cannot follow)."""
    if left_open := _OPEN_RANGE.search(unquoted):
        raise QueryError(f"{quoted(left_open[0].strip())} in query {quoted(text)} has no closing bracket")
    depth = deepest = 0
    for bracket in _PARENTHESES.findall(unquoted):
        depth = max(depth + (1 if bracket == "(" else -1), 0)
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise QueryError(f"query {quoted(text)} nests parentheses {deepest} deep: at most {MAX_NESTING}")


def _check_tildes(text: str) -> None:
    """`QueryError` for a fuzzy word or a loose phrase whose `~` Whoosh would read otherwise
    than written (`Frenkel~1.5` is `Frenkel~` and a word `5` to it), and for a fuzzy pattern
    (`Vork*~`, a pattern ending in `~` to it, which matches nothing)."""
    for match in _TILDE.finditer(text):
        after, form = (match["fuzzy"], _FUZZINESS) if match["word"] else (match["slop"], _SLOP)
        if after and not form.fullmatch(after):
            weighed = "^" in after and form.fullmatch(after.partition("^")[0])
            raise QueryError(f"{quoted(match[0])} in query {quoted(text)}: "
                             + (_UNWEIGHED if weighed else _TILDE_FORMS))
        if after and _PATTERN_MARKS.intersection(match["word"] or ""):
            raise QueryError(f"{quoted(match[0])} in query {quoted(text)}: {_FUZZY_PATTERN}")


def _check_weights(text: str) -> None:
    """`QueryError` for a weight (`^`) Whoosh would read as words: one that is not a number
    (`amnesty^-1` searched for the words `amnesty` and `1` next to each other, `amnesty^2^3`
    for `amnesty 2`), or one with nothing right before it to weigh (`amnesty ^2` searched for
    the word `2` too)."""
    parts = list(_PART.finditer(text))
    for at, part in enumerate(parts):
        weighed, caret, weight = part[0].partition("^")
        if not caret or weighed.startswith('"'):  # (a `^` in a phrase is no weight)
            continue
        before = parts[at - 1] if at and not weighed else None
        attached = bool(weighed) or (before is not None and before.end() == part.start() and before[0] != "(")
        shown = text[_weighed_start(parts, at - 1) if attached and before else part.start() : part.end()]
        if not weight or not _WEIGHT.fullmatch(weight):
            raise QueryError(f"{quoted(shown)} in query {quoted(text)}: {_WEIGHT_FORM}")
        if not attached:
            raise QueryError(f"{quoted(shown)} in query {quoted(text)}: {_WEIGHT_ATTACHED}")


def _weighed_start(parts: list[re.Match[str]], at: int) -> int:
    """Where the part at `at` starts, or the group it closes (a `)`)."""
    depth = 0
    for part in reversed(parts[: at + 1]):
        depth += {")": 1, "(": -1}.get(part[0], 0)
        if depth <= 0:
            return part.start()
    return parts[at].start()


def _without_stray_operators(text: str) -> tuple[str, list[str]]:
    """The query without the operators that have nothing to join (`a OR`, `(AND a)`, the
    second of `a OR OR b` or `a AND OR b`) or to leave out (`a NOT`), and those operators.
    Whoosh's parser reads them as words, common words it leaves out, and reads `a OR OR b`
    as `a AND b`. A query of operators alone is left as it is (there is no word to keep)."""
    if not _AN_OPERATOR.search(text):  # (most queries)
        return text, []
    parts = list(_PART.finditer(text))
    stray: list[re.Match[str]] = []
    before: str | None = None  # the last part kept
    for at, part in enumerate(parts):
        word, after = part[0], parts[at + 1][0] if at + 1 < len(parts) else None
        if word in _INFIX_OPERATORS:
            alone = before in (None, "(", _PREFIX_OPERATOR, *_INFIX_OPERATORS) or after in (None, ")")
        else:
            alone = word == _PREFIX_OPERATOR and after in (None, ")", *_INFIX_OPERATORS)
        if alone:
            stray.append(part)
        else:
            before = word
    if not stray or len(stray) == len(parts):
        return text, []
    for part in reversed(stray):
        text = text[: part.start()] + text[part.end() :]
    return text, [part[0] for part in stray]


def _known_field_names(text: str, known: Collection[str]) -> str:
    """The query with each field name written as the index knows it, quoted text untouched."""

    def rename(match: re.Match[str]) -> str:
        if match["quoted"]:
            return match["quoted"]
        return f"{field_name(match['name'], known)}:"

    return _FIELD_OR_QUOTED.sub(rename, text)


def unknown_field(what: str, name: str, known: Iterable[str]) -> QueryError:
    """The error for a field name the index does not know, naming the closest known ones."""
    return QueryError(
        lambda advice: f"unknown {what}; closest known fields: {closest(name, known, advice.fields)}"
    )


def has_terms(parsed: query.Query) -> bool:
    """Whether a parsed query looks for anything (stop words alone leave nothing)."""
    return parsed is not query.NullQuery and any(True for _ in parsed.leaves())


class NumberTagger(RegexTagger):
    """A query parser tagger keeping a number grouped with spaces (`18 000`) one word."""

    def __init__(self) -> None:  # (RegexTagger's own takes the expression)
        self.expr = re.compile(GROUPED_NUMBER)

    def create(self, parser: object, match: re.Match[str]) -> syntax.SyntaxNode:
        return syntax.WordNode(match.group(0))


class NumberPlugin(Plugin):
    """Adds `NumberTagger` to a Whoosh query parser."""

    def taggers(self, parser: object) -> list[tuple[RegexTagger, int]]:
        return [(NumberTagger(), 0)]
