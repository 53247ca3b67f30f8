"""What a Typesense search tries when few sections match, as relax.py does on Whoosh.

Relaxing a question in plain words follows relax.py's rules (and its `MAX_WORDS`), with
Typesense finding each word's sections: question words go; at least half the other words (and
two, or the one there is) stay; the candidates are the sets of the words that sections hold
together (a word naming articles, as relax.py's, held by their every section: a filter),
ranked by most words, then most naming articles, then the rarest (idf, as relax.py weighs
them), then the most sections; the first that Typesense finds in more sections than the query
wins, and the words it leaves out (and those naming articles: filters) still rank the
sections that have them (`optional`) and are marked there; question words are not.
A phrase's close spellings (`best_phrasing`, by the Whoosh engine's rules for a phrase:
`field_spellings`) stand in for Typesense's typos, which it allows in no phrase; a word's
close spellings its typos do not reach, for them (`beyond_typos`); and a word of a field of
article data, which Typesense's typos do not reach, has the close spellings the field holds
(`field_spellings`: the title's). Typesense's typos would widen any word to any close word:
a word the collection holds keeps to those it is more likely a typo of, and a word with no
close spelling by the Whoosh engine's rules to itself (`held_to_likelier`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import replace
from itertools import chain, islice, product
from typing import NamedTuple

from whoosh.support.levenshtein import damerau_levenshtein

from ..passages import ANALYZER
from ..relax import (
    FEW_HITS,
    MAX_WORDS,
    QUESTION_WORDS,
    Counted,
    answers_enough,
    least_kept,
    names_some,
    ranked_sets,
    relaxed_warning,
    unmatched_warning,
    word_sets,
    words_as_typed,
)
from ..rewrite import (
    MAX_FUZZY_LENGTH,
    MAX_PHRASE_SPELLINGS,
    may_mean,
    more_likely,
    spelled_otherwise,
    typo_edits,
)
from ..variants import spelling_key
from .documents import TEXT_FIELDS
from .translate import Translated, any_of

# Queries counted together: the number of sections each matches (with the search's filters).
Counts = Callable[[list[Translated]], list[int]]
# Queries whose sections are found together: the ids of the sections each matches (in any
# article, as relax.py counts a word's sections).
Sections = Callable[[list[Translated]], list[set[str]]]
# The articles (files) whose title has a stem, and the number of articles.
Titled = Callable[[str], tuple[set[str], int]]
# A word's close spellings, as stems (`Lexicon.close_stems`: the stem first).
Close = Callable[[str], list[str]]
# How many sections hold each stem, counted in each text field (`Lexicon.sections`).
Frequencies = Callable[[list[str]], list[int]]
# Relaxed queries counted in one request (Typesense's `limit_multi_searches`: 50).
COUNTED_TOGETHER = 50
# The filters a retry's query may have with those `held_to_likelier` adds: Typesense 0.24
# refuses ("Filter expression is not valid") an AND of 13 filters of a word in three fields.
MAX_FILTERS = 12
# What makes a word query syntax rather than a plain word.
_SYNTAX = re.compile(r"[:*?~^()\[\]{}\"]")
# A token of `q`: a phrase (perhaps excluded) or a word.
_TOKEN = re.compile(r'-?"[^"]*"|\S+')


class _Word(NamedTuple):
    """A word of a plain-words query: its sign (`+`, `-` or none), as typed, its stems
    (space-separated), and as `q` asks for it, without the sign (a word cut in parts,
    `al-Haytham`: the phrase of its stems, or its stems, `translate`'s second phrase)."""

    sign: str
    typed: str
    stems: str
    q: str

    @property
    def alone(self) -> str:
        """The word asked for alone: a word cut in parts, the phrase of its stems."""
        return _quoted(self.stems.split()) if " " in self.stems else self.stems

    @property
    def tokens(self) -> list[str]:
        """The word's tokens of `q`, signed."""
        return [_signed(self.sign, token) for token in _TOKEN.findall(self.q)]

    @property
    def question(self) -> bool:
        return self.typed.casefold() in QUESTION_WORDS


def unknown(text: str, translated: Translated, sections: Sections) -> bool:
    """Whether a word of the query `text` that carries meaning (no `-word`, no question word)
    matches nothing on its own, or the query is no plain words: when nothing matches, the
    close spellings are then tried before relaxing, which would only leave the word out
    (relax.py)."""
    words = _plain_words(text, translated)
    if words is None or len(words) < 2:
        return True
    meaningful = [word for word in words if word.sign != "-" and not word.question]
    return not all(sections([_with_q(translated, word.alone) for word in meaningful]))


def why_unmatched(text: str, translated: Translated, sections: Sections) -> str | None:
    """Why the query `text` (`translated`) matches nothing, as `relax.why_unmatched` says it:
    for plain words (`relax.unmatched_warning`); else None."""
    words = _plain_words(text, translated)
    meaningful = [word for word in words or () if word.sign != "-" and not word.question]
    held = sections([_with_q(translated, word.alone) for word in meaningful])
    missing = [word for word, ids in zip(meaningful, held, strict=True) if not ids]
    cut = [word for word in missing if " " in word.stems]  # (a phrase of its parts)
    found_apart = sections([_with_q(translated, word.stems) for word in cut]) if cut else []
    apart = [word.typed for word, ids in zip(cut, found_apart, strict=True) if ids]
    return unmatched_warning([word.typed for word in meaningful], {word.typed for word in missing}, apart)


def relaxed(
    text: str,
    translated: Translated,
    found: int,
    counts: Counts,
    sections: Sections,
    documents: int,
    titled: Titled,
    spelled_as: Close,
    close: Close | None = None,
) -> tuple[Translated, list[str], str, bool] | None:
    """The query `text` (`translated`, which `found` sections match) without some of its
    words, the words left out as typed, the warning, and whether a word kept is matched by its
    close spellings; None when it is no plain words or no candidate finds more. `documents` is
    the collection's number of documents (for rarity); `titled` gives the articles whose title
    has a stem, of how many: a word that names some of them also matches their every section,
    as relax.py's does, in any of the stems `spelled_as` gives (a filter takes no synonym). A
    `+word` always stays and a `-word` stays excluded; with `close` (a stem's close stems: the
    typo retry found nothing), a word that matches nothing matches its close spellings, as
    relax.py does. Asked only when `relax.relaxable`: with `FEW_HITS` or more matches (a
    question), only the question words are left out."""
    words = _plain_words(text, translated)
    if words is None or not 1 < len(words) <= MAX_WORDS:
        return None
    droppable = [word for word in words if not word.sign and not word.question]
    questions = [word for word in words if not word.sign and word.question]
    required = [word for word in words if word.sign == "+"]
    excluded = [word for word in words if word.sign == "-"]
    must = len(droppable) + len(required)
    keep_at_least = len(droppable) if found >= FEW_HITS else least_kept(len(droppable), len(required))
    if len(droppable) <= keep_at_least and not questions:
        return None
    # The candidates are the sets of words sections hold (a bit a word), as relax.py's: a set
    # no section holds finds nothing, and 2^N sets are too many to count. A section counts
    # with every required word and no excluded one.
    correctable = must if close else 0
    held, corrected = _held(translated, droppable + required + excluded, correctable, close, sections)
    about = _about(droppable, corrected, titled, spelled_as)
    if about:
        scoped = sections([Translated("*", filters=[held_so]) for held_so in about.values()])
        for word, ids in zip(about, scoped, strict=True):
            held[droppable.index(word)] = held[droppable.index(word)] | ids
    together = word_sets(held[: len(droppable)], held[len(droppable) : must], held[must:])
    counted = [Counted(word.typed, len(ids), word in about)
               for word, ids in zip(droppable, held[: len(droppable)], strict=True)]
    candidates = ranked_sets(together, counted, documents, keep_at_least, bool(required), bool(questions))
    # Those whose words no more sections hold than the query's are not counted; the others are,
    # a request at a time, until one finds more with the search's filters.
    subsets = [[word for word in words if word in required or word in excluded
                or any(bits >> bit & 1 for bit, kept in enumerate(droppable) if kept == word)]
               for bits in candidates
               if sum(n for held_bits, n in together.items() if held_bits & bits == bits) > found]
    subset = _first_finding_more(translated, subsets, corrected, about, found, counts, droppable)
    if subset is None:
        return None
    dropped = [word.typed for word in words if word not in subset]
    # (a word kept that names articles is a filter: it still ranks the sections that have it)
    optional = {stem for word in droppable if word not in subset or word in about
                for stem in word.stems.split()}
    # Passages mark the words kept and those left out (where a hit has them), in any of their
    # spellings, as the Whoosh engine's relaxed query still looks for them (Typesense marks
    # only what `q` matched: no word left out); question words, which it leaves out, never.
    marked = {spelling for word in droppable + required
              for spelling in corrected.get(word) or chain.from_iterable(map(spelled_as, word.stems.split()))}
    # The close spellings of its corrected words, kept (a filter) or left out, are the retry's
    # words, as the Whoosh engine's suggestion counts them: no highlight names them.
    spellings = {stem for stems in corrected.values() for stem in stems}
    left_out = {stem for word in droppable if word not in subset for stem in word.stems.split()}
    query = replace(_query(translated, subset, corrected, about), optional=optional, left_out=left_out,
                    words=marked, spelled=spellings)
    spelled = bool(corrected.keys() & set(subset))
    return query, dropped, relaxed_warning(text, found, dropped, corrected=spelled), spelled


def _held(
    translated: Translated, words: list[_Word], correctable: int, close: Close | None, sections: Sections
) -> tuple[list[set[str]], dict[_Word, list[str]]]:
    """The sections each word matches on its own, and the words matched by their close
    spellings (those of the first `correctable` that match nothing as written, a stem of their
    own), with those spellings."""
    held = sections([_with_q(translated, word.alone) for word in words])
    corrected = {}
    for number, word in enumerate(words[:correctable]):
        stems = [] if held[number] or " " in word.stems or close is None else _close_stems(word.stems, close)
        if stems:
            held[number] = set().union(*sections([_with_q(translated, stem) for stem in stems]))
            corrected[word] = stems
    return held, corrected


def _close_stems(stem: str, close: Close) -> list[str]:
    """The stems a stem no section holds is retried as (rewrite.CloseSpellings: none for a
    short word, a number, a long one)."""
    if not spelled_otherwise(stem) or len(stem) > MAX_FUZZY_LENGTH:
        return []
    return [other for other in close(stem) if other != stem and may_mean(stem, other)]


def field_spellings(
    stem: str, in_phrase: bool, held: Collection[str] | None, close: Close, sections: Frequencies
) -> list[str]:
    """A stem of a field whose stems are `held` (the title's; None: the text's, any) and its
    close spellings the field holds, the stem first, as the Whoosh engine's retry widens it
    (`rewrite.CloseSpellings.of`): none for a number or a short word; for a stem some section
    holds, only those it is more likely a typo of (`rewrite.more_likely`)."""
    others = [other for other in _close_stems(stem, close) if held is None or other in held]
    return _likelier(stem, others, in_phrase, sections)


def _likelier(stem: str, others: list[str], in_phrase: bool, sections: Frequencies) -> list[str]:
    """The stem and those of its close spellings `others` that the Whoosh engine's retry widens
    it to: for a stem some section holds, only those it is more likely a typo of."""
    if not others:
        return [stem]
    own, *found = sections([stem, *others])
    if own:
        others = [other for other, count in zip(others, found, strict=True)
                  if more_likely(own, count, in_phrase)]
    return [stem, *others]


def _first_finding_more(
    translated: Translated, subsets: list[list[_Word]], corrected: dict[_Word, list[str]],
    about: dict[_Word, str], found: int, counts: Counts, droppable: list[_Word],
) -> list[_Word] | None:
    """The first of the `subsets` of the query's words that matches more than `found`
    sections, counted `COUNTED_TOGETHER` at a time; when it keeps every `droppable` word (it
    leaves out question words only) and matches fewer than `FEW_HITS`, the first after it
    that matches more and keeps one word fewer, if one does, as `relax.retried` chooses."""
    best: list[_Word] | None = None
    least = found
    for start in range(0, len(subsets), COUNTED_TOGETHER):
        chunk = subsets[start : start + COUNTED_TOGETHER]
        found_each = counts([_query(translated, words, corrected, about) for words in chunk])
        for subset, count in zip(chunk, found_each, strict=True):
            if best is not None and len(subset) < len(best) - 1:
                return best  # (the subsets come with the most words first)
            if count <= least:
                continue
            if best is not None or answers_enough(count, set(droppable) <= set(subset)):
                return subset
            best, least = subset, count
    return best


def _query(
    translated: Translated, words: list[_Word], corrected: dict[_Word, list[str]],
    about: dict[_Word, str],
) -> Translated:
    """`translated` as the `words`, those `corrected` as any of their close spellings and those
    `about` articles as their filters (`_about`): `q` holds one spelling of a word, and no
    article."""
    spelled = [any_of(dict.fromkeys(TEXT_FIELDS, corrected[word])) for word in words if word in corrected]
    scoped = [about[word] for word in words if word in about]
    q = _q([word for word in words if word not in corrected and word not in about]) or "*"
    return replace(translated, q=q, filters=[*translated.filters, *spelled, *scoped])


def _about(
    droppable: list[_Word], corrected: dict[_Word, list[str]], titled: Titled, spelled_as: Close
) -> dict[_Word, str]:
    """The words, as typed (not corrected; one word, not cut in parts), that name some of the
    articles (`relax.names_some`), each with the filter that holds it: the word in any of its
    spellings in a text field, or a section of those articles."""
    about = {}
    for word in droppable:
        if word not in corrected and " " not in word.stems:
            files, articles = titled(word.stems)
            if names_some(len(files), articles):
                about[word] = any_of({name: spelled_as(word.stems) for name in TEXT_FIELDS}, files)
    return about


def beyond_typos(translated: Translated, close: Close, lacks: Callable[[str], bool]) -> Translated:
    """`translated` (the typo retry's, with Typesense's typos) with each word asked alone that
    has close spellings its typos do not reach (the stems of the written words close to it:
    `imagizm` is one edit from `imagism`, three from its stem `imag`), or that others would
    (`lacks`: a word the collection lacks, retried only as the words close to it as typed), as
    a filter, any of its close spellings, as `_query` matches a corrected word: Typesense has
    no OR of words in `q`. Its close spellings score nothing there: the suggestion's hits come
    first, as on the Whoosh engine (`search.SUGGESTED_BOOST`)."""
    tokens = _TOKEN.findall(translated.q)
    far = {}  # each such word: it and its close spellings
    for word in translated.alone & set(tokens):
        stems = _close_stems(word, close)
        beyond = any(damerau_levenshtein(word, stem) > typo_edits(word) for stem in stems)
        if beyond or (stems and lacks(word)):
            far[word] = [word, *stems]
    if not far:
        return translated
    spelled = {stem for stems in far.values() for stem in stems}
    return replace(
        translated,
        q=" ".join(token for token in tokens if token not in far) or "*",
        filters=[*translated.filters, *(any_of(dict.fromkeys(TEXT_FIELDS, stems)) for stems in far.values())],
        words=translated.words | spelled,
        spelled=translated.spelled | spelled,
    )


def held_to_likelier(translated: Translated, close: Close, frequencies: Frequencies,
                     spellings: Close) -> Translated:
    """`translated` (the typo retry's, with Typesense's typos) with each word asked alone kept
    by a filter to the close spellings the Whoosh engine's retry widens it to (`field_spellings`
    of every text field), unless the collection lacks it and it has close spellings (what the
    typos are for): a word the collection holds only to those it is more likely a typo of
    (`army` is not `Amy`); a number, a short word, or one with no close spelling (which keeps its
    first letter: `zoologist` is no `biologist`) to none (`1955` is not `1953`). Typesense's typos
    widen every word of `q`: `duped sole` matched 109 sections of the 112 articles, 6 on the
    Whoosh engine. `spellings`: the stems Typesense's synonyms match for a word, which the
    filter keeps. A question of more words than `MAX_FILTERS` allows keeps Typesense's typos."""
    kept = []
    for word in sorted(translated.alone & set(_TOKEN.findall(translated.q))):
        others = _close_stems(word, close)
        if others and not frequencies([word])[0]:
            continue
        stems = list(dict.fromkeys([*spellings(word), *_likelier(word, others, False, frequencies)]))
        kept.append(any_of(dict.fromkeys(TEXT_FIELDS, stems)))
    if not kept or len(translated.filters) + len(kept) > MAX_FILTERS:
        return translated
    return replace(translated, filters=[*translated.filters, *kept])


def best_phrasing(translated: Translated, close: Callable[[str], list[str]], counts: Counts) -> Translated:
    """`translated` with each phrase spelled the way (each word one of its `close`
    spellings, up to `MAX_PHRASE_SPELLINGS` ways) that matches most sections: its passages
    mark the phrase so spelled, as the Whoosh engine marks the spellings it matched."""
    spellings = [list(islice(product(*map(close, phrase)), MAX_PHRASE_SPELLINGS))
                 for phrase in translated.phrases]
    candidates = [_phrased(translated, [list(words) for words in spelled]) for spelled in product(*spellings)]
    if len(candidates) < 2:
        return translated
    found = counts(candidates)
    return max(zip(candidates, found, strict=True), key=lambda pair: pair[1])[0]


def _phrased(translated: Translated, phrases: list[list[str]]) -> Translated:
    """`translated` with its phrases spelled as `phrases` (one for each, in order)."""
    q = translated.q
    for written, spelled in zip(translated.phrases, phrases, strict=True):
        q = q.replace(_quoted(written), _quoted(spelled))
    only_in_phrases = {word for phrase in translated.phrases for word in phrase} - translated.alone
    words = translated.words - only_in_phrases | {word for phrase in phrases for word in phrase}
    return replace(translated, q=q, phrases=phrases, words=words)


def _quoted(phrase: list[str]) -> str:
    return '"' + " ".join(phrase) + '"'


def _plain_words(text: str, translated: Translated) -> list[_Word] | None:
    """The words of a query of plain words (`relax.words_as_typed`), perhaps signed, as typed
    and as `q` holds them (a quoted phrase or a word cut in parts: the phrase of them); None
    when the query has syntax, or a word of `q` that none of them stands for."""
    typed = words_as_typed(text)
    if typed is None or translated.filters or translated.articles is not None:
        return None
    if any(_SYNTAX.search(_unquoted(word)) for _, word in typed):
        return None
    tokens = _TOKEN.findall(translated.q)
    words = []
    for sign, word in typed:
        stems = _respelled(sign, " ".join(token.text for token in ANALYZER(_unquoted(word))), tokens)
        if stems and (asked := _as_asked(sign, stems, tokens)) is not None:
            words.append(_Word(sign, word, stems, asked))
        elif word.casefold() in QUESTION_WORDS and not sign:
            words.append(_Word(sign, word, word.casefold(), word.casefold()))
    unmatched = set(tokens) - {token for word in words for token in word.tokens}
    # (an excluded word's other spellings, which `q` excludes too: they stay excluded)
    if any(not token.startswith("-") for token in unmatched):
        return None
    words += [_Word("-", token, token[1:].strip('"'), token[1:]) for token in tokens if token in unmatched]
    return words or None


def _respelled(sign: str, stems: str, tokens: list[str]) -> str:
    """A word's stems, or for a word the collection has in other spellings only (`1`, where
    it says `I`), the spelling of its key that `q` asks for instead (`Lexicon.respelled`)."""
    if not stems or " " in stems or _signed(sign, stems) in tokens:
        return stems
    key = spelling_key(stems)
    others = (token.removeprefix("-") for token in tokens)
    asked = (other for other in others if _signed(sign, other) in tokens and spelling_key(other) == key)
    return next(asked, stems)


def _unquoted(word: str) -> str:
    """A word as typed, or the words of a quoted phrase."""
    return word[1:-1] if len(word) > 1 and word[0] == word[-1] == '"' else word


def _as_asked(sign: str, stems: str, tokens: list[str]) -> str | None:
    """How `q` (its `tokens`) asks for a word of these stems (space-separated), without its
    sign: its stem; the phrase of them, for a word cut in parts, or each of them (a phrase
    after `q`'s first: `translate`); None when `q` does not ask for it."""
    if " " not in stems:
        return stems if _signed(sign, stems) in tokens else None
    if _signed(sign, phrase := _quoted(stems.split())) in tokens:
        return phrase
    return stems if all(_signed(sign, stem) in tokens for stem in stems.split()) else None


def _signed(sign: str, stem: str) -> str:
    """A stem as `q` writes it: excluded with `-`, else as it is (every word is required)."""
    return "-" + stem if sign == "-" else stem


def _q(words: list[_Word]) -> str:
    return " ".join(token for word in words for token in word.tokens)


def _with_q(translated: Translated, q: str) -> Translated:
    return replace(translated, q=q)

