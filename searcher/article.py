"""Parse one article text into its title, infobox, lead and sections.

The format (see FORMAT.md in the shared folder): a `= Title =` line, an optional infobox (a
free-text header line followed by `- Key: Value` lines up to the first blank line), the lead,
then `==Heading==` sections (deeper levels `===Heading===`) of paragraph and `- item` lines.
Parsing knows nothing of the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import arguments
from .errors import ArticleError
from .infobox import INFOBOX, clean_value, normalise_key, split_values

LEAD = "Lead"

_TITLE = re.compile(r"^=(?!=)\s*(?P<title>.*?)\s*=$")
_FIELD = re.compile(r"^-\s*(?P<key>[^\W\d_][\w .'/()-]{0,59}?)\s*:\s*(?P<value>.*)$")
_ITEM = re.compile(r"^-\s+(?P<text>.*)$")
# An infobox header is a caption (`Infobox`, `RSFSR`, `Washington, D.C.`), not a sentence: a
# point may end it only after an abbreviation's point (`U.S.`, not `in May 1954.`).
_HEADER = re.compile(r"^(?!-\s)(?:.{1,120}(?<![.:;!?,])|.{0,117}\.[^\W\d_]{1,3}\.)$")


@dataclass(frozen=True)
class InfoboxField:
    """One `- Key: Value` line: the key as written and normalised, the cleaned value."""

    key: str
    name: str
    value: str
    values: tuple[str, ...]

    @property
    def line(self) -> str:
        """The field as a line of text, as the infobox section shows it."""
        return f"{self.key}: {self.value}"


@dataclass(frozen=True)
class Block:
    """A paragraph, or an item of a list (`- text`)."""

    text: str
    is_item: bool = False


@dataclass(frozen=True)
class Section:
    """The lead, the infobox, or a headed section, in article order."""

    name: str
    level: int
    kind: str  # "lead", "infobox" or "section"
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        """The section's text: one line per paragraph or list item."""
        return "\n".join(block.text for block in self.blocks)


@dataclass(frozen=True)
class Article:
    """A parsed article."""

    title: str
    infobox_header: str | None
    infobox: tuple[InfoboxField, ...]
    sections: tuple[Section, ...]

    def field(self, name: str) -> InfoboxField | None:
        """The infobox field with this normalised name, if the article has it."""
        return next((f for f in self.infobox if f.name == name), None)


def read_article(path: Path | str) -> Article:
    """Read and parse one article file; `ArticleError` names the file and the reason."""
    try:
        data = arguments.file(path, "path").read_bytes()
    except OSError as error:
        raise ArticleError(f"{path}: cannot read ({error.strerror or error})") from None
    return parse_article(decode(data, path), path)


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 text (a byte-order mark is dropped), or `ArticleError` saying where it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def parse_article(text: str, path: Path | str = "<text>") -> Article:
    """Parse an article's text; `ArticleError` if it is empty or has no title line."""
    text = arguments.string(text, "the article's text")
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    nonblank = [i for i, line in enumerate(lines) if line]
    if not nonblank:
        raise ArticleError(f"{path}: empty file")
    title_match = _TITLE.match(lines[nonblank[0]])
    if not title_match or not title_match["title"]:
        raise ArticleError(f"{path}: no title line ('= Title =') at the top")
    rest = lines[nonblank[0] + 1 :]
    header, infobox_lines, rest = _split_infobox(rest)
    sections = _split_sections(rest)
    fields, blocks = _infobox(infobox_lines)
    if fields:
        sections.insert(0, Section(INFOBOX, 1, "infobox", tuple(blocks)))  # before the lead, as in the file
    return Article(title_match["title"], header, tuple(fields), tuple(sections))


def _split_infobox(lines: list[str]) -> tuple[str | None, list[str], list[str]]:
    """Take the infobox off the top of `lines`: (header, its lines, remaining lines); it ends
    at a blank line or a heading. Under a header, an infobox starts with a field and is mostly
    fields; a line of another shape in it is text of the infobox. Without one, every line is
    a field (else it is a lead's list)."""
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    block_end = next(
        (i for i in range(start, len(lines)) if not lines[i] or (i > start and _heading(lines[i]))),
        len(lines),
    )
    block = lines[start:block_end]
    header: str | None = None
    if block and not _FIELD.match(block[0]) and not _heading(block[0]):
        if not _HEADER.match(block[0]):
            return None, [], lines  # a lead paragraph, perhaps followed by a list
        header, block = block[0], block[1:]
    fields = sum(1 for line in block if _FIELD.match(line))
    mostly = header is not None and bool(block) and bool(_FIELD.match(block[0])) and 2 * fields >= len(block)
    if not block or (fields < len(block) and not mostly):
        return None, [], lines  # not an infobox: a lead paragraph or a list
    return header, block, lines[block_end:]


def _infobox(lines: list[str]) -> tuple[list[InfoboxField], list[Block]]:
    """The fields of the infobox's lines, and its text: each line in order, a field as
    `Key: Value`, any other line as a list item or a paragraph."""
    fields, blocks = [], []
    for line in lines:
        if field := _FIELD.match(line):
            fields.append(_field(field))
            blocks.append(Block(fields[-1].line))
        else:
            item = _ITEM.match(line)
            blocks.append(Block(item["text"], is_item=True) if item else Block(line))
    return fields, blocks


def _field(match: re.Match[str]) -> InfoboxField:
    key = match["key"].strip()
    value = clean_value(match["value"])
    return InfoboxField(key, normalise_key(key), value, split_values(value))


def _split_sections(lines: list[str]) -> list[Section]:
    """The lead and each headed section, with their paragraphs and list items."""
    name, level, kind = LEAD, 1, "lead"
    blocks: list[Block] = []
    sections: list[Section] = []
    for line in lines:
        if heading := _heading(line):
            sections.append(Section(name, level, kind, tuple(blocks)))
            name, level = heading
            kind, blocks = "section", []
        elif line:
            item = _ITEM.match(line)
            blocks.append(Block(item["text"], True) if item else Block(line))
    sections.append(Section(name, level, kind, tuple(blocks)))
    return sections


def _heading(line: str) -> tuple[str, int] | None:
    """The name and level of a heading line (`==History==`, `=== Early life ===`): two `=` or
    more, a name with a character other than `=` and spaces, one `=` or more; the level is
    the shorter run of `=`. None for any other line.

    Read in one pass, without a regular expression: the one this replaces read a line that
    starts with `==` and does not end with `=` again from each of its characters (a paragraph
    of 50 kB on the line of an unclosed heading took 20 s).
    """
    inner = line.lstrip("=")
    opening = len(line) - len(inner)
    name = inner.rstrip("=")
    closing = len(inner) - len(name)
    if opening < 2 or not closing or not name.replace("=", "").strip():
        return None
    return name.strip(), min(opening, closing)
