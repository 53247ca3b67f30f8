"""Passages: the best fragment of a section's text, with the matched words as offsets.

Built on Whoosh's highlighting pipeline: the marks (a quoted phrase is one mark spanning all
its words) come from the index's stored offsets, or, for text without them (infobox lines),
from analyzing it (`best_passage`); Whoosh's `PinpointFragmenter` cuts fragments around them,
its fragment scorer picks the best one, and `SpanFormatter` returns the fragment's text with
character spans instead of markup.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from whoosh.analysis import Analyzer, Token
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    Formatter,
    Fragment,
    PinpointFragmenter,
    top_fragments,
)

from .marks import Mark, Occurrence, marks

WIDTH = 200


@dataclass(frozen=True)
class Passage:
    """A fragment of text and the `[start, end)` offsets of its marked words within it."""

    text: str
    spans: tuple[tuple[int, int], ...]


class SpanFormatter(Formatter):
    """A Whoosh formatter that returns a `Passage` rather than marked-up text."""

    # Not markup, unlike the base class's `str`: this is called directly, never by a Highlighter.
    def format(  # type: ignore[override]
        self, fragments: Iterable[Fragment], replace: bool = False
    ) -> Passage | None:
        fragment = next(iter(fragments), None)
        if fragment is None:
            return None
        start = fragment.startchar
        spans = tuple(
            (token.startchar - start, token.endchar - start)
            for token in sorted(fragment.matches, key=lambda token: token.startchar)
        )
        return Passage(_one_line(fragment.text[start : fragment.endchar]), spans)


def pinpoint_passage(text: str, marks: Sequence[Mark], width: int = WIDTH) -> Passage | None:
    """The best fragment of `text` (about `width` characters) around `marks`, or None when
    there are none: the one with the most different words, then the most weight."""
    tokens = [
        Token(text=mark.text, startchar=mark.startchar, endchar=mark.endchar, matched=True, boost=mark.weight)
        for mark in marks
    ]
    # No limit on where in the text a match may be: Whoosh documents `charlimit=None` for that,
    # though it types the parameter as int.
    fragmenter = PinpointFragmenter(
        maxchars=width, surround=width // 2 - 20, charlimit=None  # type: ignore[arg-type]
    )
    return _best(map(_whole_words, fragmenter.fragment_matches(text, tokens)), width)


def best_passage(
    text: str,
    analyzer: Analyzer,
    terms: Collection[str],
    phrases: Sequence[Sequence[str]] = (),
    width: int = WIDTH,
) -> Passage | None:
    """The best fragment of text the index holds no offsets for (an infobox line), marking
    `terms` and `phrases`, in analyzed form; None when nothing in `text` matches.

    The text is analyzed as it was for the index, and its matching words go the same way
    as the index's occurrences of them.
    """
    wanted = set(terms).union(*phrases)
    found = [
        Occurrence(token.pos, token.startchar, token.endchar, token.text, 1.0)
        for token in analyzer(text, positions=True, chars=True, mode="index")
        if token.text in wanted
    ]
    return pinpoint_passage(text, marks(found, terms, phrases), width)


def _best(fragments: Iterable[Fragment], width: int) -> Passage | None:
    best = top_fragments(fragments, 1, BasicFragmentScorer(), FIRST, minscore=0)
    return SpanFormatter().format([_trimmed(fragment, width) for fragment in best])


def _whole_words(fragment: Fragment) -> Fragment:
    """The fragment without the cut words at its ends (the fragmenter counts characters)."""
    text, start, end = fragment.text, fragment.startchar, fragment.endchar
    if start > 0 and not text[start - 1].isspace():
        start = min(text.find(" ", start, end) + 1 or start, fragment.matches[0].startchar)
    if end < len(text) and not text[end].isspace():
        end = max(text.rfind(" ", start, end), fragment.matches[-1].endchar)
    return Fragment(text, fragment.matches, start, end)


def _trimmed(fragment: Fragment, width: int) -> Fragment:
    """The fragment cut to about `width` characters at word boundaries, keeping its first
    match with a little context before it (Whoosh counts only token characters)."""
    if fragment.endchar - fragment.startchar <= width:
        return fragment
    text, first = fragment.text, fragment.matches[0]
    start = max(fragment.startchar, first.startchar - width // 5)
    if start > fragment.startchar:
        start = min(text.find(" ", start) + 1 or first.startchar, first.startchar)
    end = max(text.rfind(" ", start, start + width), first.endchar)
    matches = [token for token in fragment.matches if token.endchar <= end]
    return Fragment(text, matches, start, end)


def opening(text: str, width: int = WIDTH) -> Passage:
    """The start of `text`, cut after a whole word near `width` characters, nothing marked."""
    if len(text) <= width:
        return Passage(_one_line(text), ())
    cut = text.rfind(" ", 0, width + 1)
    return Passage(_one_line(text[: cut if cut > 0 else width]), ())


def _one_line(text: str) -> str:
    """Paragraph breaks become spaces, so offsets stay the same and the snippet is one line."""
    return text.replace("\n", " ")
