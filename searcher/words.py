"""Words of a text in one pass: what Whoosh's analyzer chain of a tokenizer and five filters
did token by token, done by one compiled expression and a cache.

The chain was `RegexTokenizer(numerals.WORDS) | NumberFilter | LowercaseFilter |
CharsetFilter(accent_map) | StopFilter(minsize=1)`, plus `StemFilter` for the index's text.
Each filter is a generator over the tokens before it; together they were most of the time a
build spends analysing. `Words` yields the same tokens (text, positions, character offsets,
stopped words when they are kept, the original text) from one loop, folding each distinct
written word once (`_folded`, cached) and stemming each distinct folded word once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from .numerals import WORDS, digits

_WORD = re.compile(WORDS)
_WHOLE = re.compile(r".*", re.DOTALL)
_NOT_WORDS = STOP_WORDS | {""}
CACHE_SIZE = 200_000


@lru_cache(maxsize=CACHE_SIZE)
def _folded(text: str) -> str:
    """A written word as the index holds it: a grouped number as its digits, lower case,
    diacritics folded (`Jānis` -> `janis`)."""
    return digits(text).lower().translate(accent_map)  # type: ignore[arg-type]  # (keys are code points)


_stem = lru_cache(maxsize=CACHE_SIZE)(stem)


class Words(Tokenizer):
    """Words, lower-cased, diacritics folded, without English stop words (one-letter words
    are kept), grouped numbers as their digits; with `stemmed`, as Porter stems."""

    def __init__(self, stemmed: bool = False) -> None:
        self.stemmed = stemmed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and other.stemmed == self.stemmed

    def __hash__(self) -> int:
        return hash((type(self), self.stemmed))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(stemmed={self.stemmed})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches = _WORD.finditer(value) if tokenize else [_WHOLE.match(value)]
        kept_pos: int | None = None  # as Whoosh's StopFilter renumbers the words it keeps
        for raw_pos, match in enumerate(matches, start_pos):
            text = match.group()  # type: ignore[union-attr]  # (_WHOLE matches any text)
            folded = _folded(text)
            stopped = folded in STOP_WORDS or not folded
            if stopped and removestops:
                continue
            token.text = _stem(folded) if self.stemmed and not stopped else folded
            token.boost = 1.0
            token.stopped = stopped
            if keeporiginal or not tokenize:
                token.original = text  # type: ignore[attr-defined]  # as Whoosh's tokenizers set it
            if positions:
                if stopped:
                    token.pos = raw_pos
                else:
                    kept_pos = raw_pos if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
            if chars:
                start, end = match.span()  # type: ignore[union-attr]
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token

    def words(self, value: str) -> set[str]:
        """The distinct words of a text, folded, without stop words (never stemmed)."""
        return {_folded(match.group()) for match in _WORD.finditer(value)} - _NOT_WORDS
