"""Tests of `searcher.article`: the parsed structure of the bundled articles, the format's
variations on crafted texts, and bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, NORILSK, NORILSK_FILE, VORKUTA, VORKUTA_FILE, corpus_article

from searcher import ArticleError, QueryError, parse_article, read_article
from searcher.article import Article, decode

# --- the two bundled articles ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "header", "sections"),
    [
        (
            NORILSK_FILE,
            NORILSK,
            "RSFSR",
            [("Infobox", "infobox", 1), ("Lead", "lead", 1), ("History", "section", 2),
             ("See also", "section", 2)],
        ),
        (
            VORKUTA_FILE,
            VORKUTA,
            "Infobox",
            [("Infobox", "infobox", 1), ("Lead", "lead", 1), ("Background", "section", 2),
             ("Uprising", "section", 2), ("Notable participants", "section", 2),
             ("Commemoration", "section", 2), ("See also", "section", 2)],
        ),
    ],
)
def test_corpus_structure(name: str, title: str, header: str, sections: list[tuple]) -> None:
    article = corpus_article(name)
    assert article.title == title
    assert article.infobox_header == header
    assert [(s.name, s.kind, s.level) for s in article.sections] == sections
    assert all(section.blocks for section in article.sections), "no section is empty"


@pytest.mark.parametrize("name", [NORILSK_FILE, VORKUTA_FILE])
def test_infobox_header_is_neither_field_nor_lead(name: str) -> None:
    article = corpus_article(name)
    header = article.infobox_header
    assert header is not None
    assert header not in {field.key for field in article.infobox}
    assert all(header not in field.line for field in article.infobox)
    lead = next(s for s in article.sections if s.kind == "lead")
    assert lead.kind == "lead"
    assert header not in lead.text.splitlines()
    assert lead.text.startswith(f"The {article.title} was")


def test_title_line_is_not_text() -> None:
    article = corpus_article(NORILSK_FILE)
    assert all("= Norilsk uprising =" not in section.text for section in article.sections)


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        (
            NORILSK_FILE,
            [("Conflict", "conflict"), ("Partof", "partof"), ("Date", "date"), ("Place", "place"),
             ("Result", "result"), ("Combatant1", "combatant1"), ("Combatant2", "combatant2"),
             ("Commander1", "commander1"), ("Commander2", "commander2"),
             ("Strength1", "strength1"), ("Strength2", "strength2"),
             ("Casualties1", "casualties1"), ("Casualties2", "casualties2")],
        ),
        (
            VORKUTA_FILE,
            [("Conflict", "conflict"), ("Date", "date"), ("Place", "place"),
             ("Map Type", "map_type"), ("Map Relief", "map_relief"), ("Result", "result"),
             ("Combatant1", "combatant1"), ("Combatant2", "combatant2"),
             ("Casualties1", "casualties1"), ("Casualties2", "casualties2")],
        ),
    ],
)
def test_infobox_keys_as_written_and_normalised(name: str, keys: list[tuple[str, str]]) -> None:
    article = corpus_article(name)
    assert [(field.key, field.name) for field in article.infobox] == keys


@pytest.mark.parametrize(
    ("name", "field", "value", "values"),
    [
        # markup debris (`*23px`, a doubled comma) cleaned off
        (VORKUTA_FILE, "combatant1", "Soviet Authorities, Soviet Army, Prison Guards",
         ("Soviet Authorities", "Soviet Army", "Prison Guards")),
        # the trailing comma dropped
        (NORILSK_FILE, "place", "Gorlag, Norillag, Norilsk, Krasnoyarsk Krai",
         ("Gorlag", "Norillag", "Norilsk", "Krasnoyarsk Krai")),
        (NORILSK_FILE, "commander1",
         "Pavel Frenkel, Mikhail Izmailov, Boris Shamaev, Ivan Vorobyov, Evgeny Gritsyak, "
         "Pavel Filnev, Aleksandra Zelenskaya",
         ("Pavel Frenkel", "Mikhail Izmailov", "Boris Shamaev", "Ivan Vorobyov",
          "Evgeny Gritsyak", "Pavel Filnev", "Aleksandra Zelenskaya")),
        (NORILSK_FILE, "commander2", "Mikhail Kuznetsov, Alexander Sirotkin, Ivan Semyonov",
         ("Mikhail Kuznetsov", "Alexander Sirotkin", "Ivan Semyonov")),
        # a comma between digits is a thousands separator, not a list separator
        (NORILSK_FILE, "strength1", "16,378 people", ("16,378 people",)),
        (NORILSK_FILE, "casualties1", "1,000 people killed and wounded",
         ("1,000 people killed and wounded",)),
        # "no value" words are kept as text
        (NORILSK_FILE, "strength2", "No data", ("No data",)),
        (VORKUTA_FILE, "casualties1", "None", ("None",)),
        (VORKUTA_FILE, "map_relief", "1", ("1",)),
        (NORILSK_FILE, "date", "26 May – 4 August 1953", ("26 May – 4 August 1953",)),
        (NORILSK_FILE, "partof", "the Gulag uprisings during de-Stalinization",
         ("the Gulag uprisings during de-Stalinization",)),
    ],
)
def test_infobox_values(name: str, field: str, value: str, values: tuple[str, ...]) -> None:
    found = corpus_article(name).field(field)
    assert found is not None
    assert found.value == value
    assert found.values == values


@pytest.mark.parametrize(("value", "values"), [
    ("January 4, 1985", ("January 4, 1985",)),
    ("July 19 – August 1, 1953", ("July 19 – August 1, 1953",)),
    ("Jan. 4th, 1985 (aged 38), Toronto", ("Jan. 4th, 1985 (aged 38)", "Toronto")),
    ("March 5, 1953; Moscow", ("March 5, 1953", "Moscow")),
    ("1953, 1954", ("1953", "1954")),
    ("Camp 6, 1953", ("Camp 6", "1953")),
])
def test_a_date_written_month_first_is_one_value(value: str, values: tuple[str, ...]) -> None:
    """Its comma is no list separator: `January 4, 1985` was two facet values."""
    article = parse_article(f"= A =\n\nInfobox\n- Born: {value}\n\nText.\n")
    assert article.infobox[0].values == values


def test_a_line_of_another_shape_in_an_infobox_is_its_text() -> None:
    """It threw the whole infobox away: header, fields and all became lead text."""
    text = "= A =\n\nInfobox\n- Place: Norilsk\n- No colon here\nA caption\n- Date: 1953\n\nLead.\n"
    article = parse_article(text)
    assert article.infobox_header == "Infobox"
    assert [(f.name, f.value) for f in article.infobox] == [("place", "Norilsk"), ("date", "1953")]
    infobox, lead = article.sections
    assert [(b.text, b.is_item) for b in infobox.blocks] == [
        ("Place: Norilsk", False), ("No colon here", True), ("A caption", False), ("Date: 1953", False),
    ]
    assert lead.text == "Lead."


@pytest.mark.parametrize("text", [
    "= A =\n\nInfobox\n- No colon\n- Place: Norilsk\n\nLead.\n",  # not a field first
    "= A =\n\nInfobox\n- Place: Norilsk\n- one\n- two\n\nLead.\n",  # mostly not fields
    "= A =\n\n- Place: Norilsk\n- No colon\n\nLead.\n",  # no header: a list of the lead
])
def test_a_block_mostly_of_other_lines_is_no_infobox(text: str) -> None:
    assert parse_article(text).infobox == ()


def test_commander1_has_seven_names() -> None:
    commander = corpus_article(NORILSK_FILE).field("commander1")
    assert commander is not None and len(commander.values) == 7


def test_infobox_section_holds_the_field_lines() -> None:
    article = corpus_article(VORKUTA_FILE)
    infobox = next(section for section in article.sections if section.kind == "infobox")
    assert infobox.text.splitlines()[0] == "Conflict: Vorkuta uprising"
    assert "Combatant1: Soviet Authorities, Soviet Army, Prison Guards" in infobox.text.splitlines()
    assert "*23px" not in infobox.text


def test_list_items() -> None:
    article = corpus_article(VORKUTA_FILE)
    participants = next(s for s in article.sections if s.name == "Notable participants")
    assert [(block.text, block.is_item) for block in participants.blocks] == [
        ("The Latvian Catholic priest Jānis Mendriks was shot.", True),
        ("John H. Noble", True),
    ]
    see_also = next(s for s in article.sections if s.name == "See also")
    assert [block.text for block in see_also.blocks if block.is_item] == [
        "List of uprisings in the Gulag",
        "Novocherkassk massacre",
    ]


def test_paragraphs_are_one_block_per_line() -> None:
    article = corpus_article(NORILSK_FILE)
    history = next(s for s in article.sections if s.name == "History")
    assert len(history.blocks) == 2
    assert not any(block.is_item for block in history.blocks)
    assert history.blocks[0].text.startswith("Between May 26 and August 4, 1953")
    assert history.blocks[1].text.endswith("the memoirs of inmate Danylo Shumuk.")


def test_read_article_equals_parse_of_the_text() -> None:
    path = CORPUS / VORKUTA_FILE
    assert read_article(path) == parse_article(path.read_text(encoding="utf-8"))
    assert read_article(str(path)) == read_article(path)  # a path as text, as `open` takes one


# --- crafted texts -----------------------------------------------------------------------------


def shape(text: str) -> list[tuple[str, str, int, list[str]]]:
    """Each section's name, kind, level and block texts."""
    return shape_of(parse_article(text))


def shape_of(article: Article) -> list[tuple[str, str, int, list[str]]]:
    """Each section's name, kind, level and block texts."""
    return [
        (section.name, section.kind, section.level, [block.text for block in section.blocks])
        for section in article.sections
    ]


def test_deeper_heading_levels() -> None:
    text = "= T =\n\nLead.\n==A==\na\n===Deeper===\nb\n====Deepest====\nc\n== B ==\nd\n"
    assert shape(text) == [
        ("Lead", "lead", 1, ["Lead."]),
        ("A", "section", 2, ["a"]),
        ("Deeper", "section", 3, ["b"]),
        ("Deepest", "section", 4, ["c"]),
        ("B", "section", 2, ["d"]),
    ]


def test_crlf_line_ends_parse_like_lf() -> None:
    lf = (CORPUS / VORKUTA_FILE).read_text(encoding="utf-8")
    crlf = lf.replace("\n", "\r\n")
    assert "\r\n" in crlf
    assert parse_article(crlf) == parse_article(lf)
    assert all("\r" not in section.text for section in parse_article(crlf).sections)


def test_byte_order_mark_is_dropped() -> None:
    data = (CORPUS / NORILSK_FILE).read_bytes()
    text = decode(b"\xef\xbb\xbf" + data, "bom.txt")
    assert not text.startswith("\ufeff")
    article = parse_article(text, "bom.txt")
    assert article.title == NORILSK
    assert article == parse_article(data.decode("utf-8"))


def test_byte_order_mark_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf= BOM article =\n\nText.\n")
    assert read_article(path).title == "BOM article"


def test_no_infobox() -> None:
    text = "= T =\n\nFirst lead paragraph.\n\nSecond lead paragraph.\n==A==\npara\n"
    article = parse_article(text)
    assert article.infobox_header is None
    assert article.infobox == ()
    assert shape(text) == [
        ("Lead", "lead", 1, ["First lead paragraph.", "Second lead paragraph."]),
        ("A", "section", 2, ["para"]),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "= T =\n\nThe lead line.\n\n- a: b\n- c: d\n",
        "= T =\n\nThe lead line.\n\nMore lead.\n- a: b\n- c: d\n",
        "= T =\n\nThe lead line.\n==List==\n- a: b\n- c: d\n",
    ],
    ids=["after-blank-line", "after-second-paragraph", "in-a-section"],
)
def test_lead_then_key_value_list_later_is_not_an_infobox(text: str) -> None:
    article = parse_article(text)
    assert article.infobox == ()
    assert article.infobox_header is None
    assert article.sections[0].blocks[0].text == "The lead line."
    items = [block.text for section in article.sections for block in section.blocks if block.is_item]
    assert items == ["a: b", "c: d"]


def test_lead_line_directly_followed_by_key_value_list_keeps_its_text() -> None:
    article = parse_article("= T =\n\nThe uprising began in May 1954.\n- Cause: hunger\n")
    text = "\n".join(section.text for section in article.sections)
    assert "The uprising began in May 1954." in text


def test_format_quirks_are_kept_as_text() -> None:
    text = (
        "= T =\n\nInfobox\n- Strength2: No data\n- Casualties1: None\n- Map Relief: 1\n"
        "- Map Type: European Russia\n\nLead.\n"
    )
    article = parse_article(text)
    assert article.infobox_header == "Infobox"
    assert [(f.key, f.name, f.value, f.values) for f in article.infobox] == [
        ("Strength2", "strength2", "No data", ("No data",)),
        ("Casualties1", "casualties1", "None", ("None",)),
        ("Map Relief", "map_relief", "1", ("1",)),
        ("Map Type", "map_type", "European Russia", ("European Russia",)),
    ]
    assert article.sections[1].text == "Lead."


def test_line_matching_no_shape_is_paragraph_text() -> None:
    text = "= T =\n\nLead.\n==A==\n= not a title =\n-no space after the dash\n"
    assert shape(text)[1] == ("A", "section", 2, ["= not a title =", "-no space after the dash"])


def test_title_only_article_has_no_text() -> None:
    article = parse_article("= Only a title =\n")
    assert article.title == "Only a title"
    assert all(not section.blocks for section in article.sections)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n\n   \n", "empty"),
        (b"The Norilsk uprising was a strike.\n==History==\ntext\n", "no title"),
        (b"== History ==\ntext\n", "no title"),
        (b"= Title =\n\nCaf\xe9 in Latin-1.\n", "not UTF-8"),
        (b"\xff\xfe= \x00T\x00", "not UTF-8"),
    ],
    ids=["empty", "whitespace-only", "no-title-line", "heading-first", "latin-1", "utf-16"],
)
def test_bad_input_names_the_file_and_the_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad-article.txt"
    path.write_bytes(data)
    with pytest.raises(ArticleError) as raised:
        read_article(path)
    message = str(raised.value)
    assert str(path) in message
    assert reason in message
    assert "\n" not in message


def test_parse_article_errors_name_the_given_path() -> None:
    with pytest.raises(ArticleError, match=r"^some/where\.txt: .*empty"):
        parse_article("\n\n", "some/where.txt")
    with pytest.raises(ArticleError, match=r"^some/where\.txt: no title"):
        parse_article("text\n", "some/where.txt")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: parse_article(None), "the article's text must be a string, not None (NoneType)"),
    (lambda: parse_article(b"= Norilsk =\n"), "the article's text must be a string, not b'= Norilsk"),
    (lambda: read_article(None), "path must be a file's path, not None (NoneType)"),
    (lambda: read_article(5), "path must be a file's path, not 5 (int)"),
    (lambda: read_article(b"x.txt"), "path must be a file's path, not b'x.txt' (bytes)"),
    (lambda: read_article(""), "path is an empty name: give a file"),
], ids=["text-None", "text-bytes", "path-None", "path-int", "path-bytes", "path-empty"])
def test_a_value_of_the_wrong_kind_is_a_query_error_naming_it(call: Any, message: str) -> None:
    """`parse_article(None)` raised AttributeError ('NoneType' object has no attribute
    'replace'), `read_article(5)` pathlib's TypeError, and `read_article("")` read the current
    folder (": cannot read (Is a directory)"), where every other function of the API says
    which argument is wrong (a bug hunt)."""
    with pytest.raises(QueryError) as raised:
        call()
    assert str(raised.value).startswith(message)


def test_decode_error_names_the_file() -> None:
    with pytest.raises(ArticleError, match=r"^x/y\.txt: not UTF-8 .*0xe9"):
        decode(b"= T =\ncaf\xe9\n", "x/y.txt")


@pytest.mark.parametrize(("value", "cleaned", "values"), [
    # a bracket is one value with what it holds (`(B.A.` and `M.A.)` were facet values)
    ("Texas A&M (B.A., M.A.)", "Texas A&M (B.A., M.A.)", ("Texas A&M (B.A., M.A.)",)),
    ("AFL champion (1960, 1961), MVP", "AFL champion (1960, 1961), MVP",
     ("AFL champion (1960, 1961)", "MVP")),
    ("Ann (1994–2002); Bob (2007–2016)", "Ann (1994–2002); Bob (2007–2016)",
     ("Ann (1994–2002)", "Bob (2007–2016)")),
    # markup debris: a font size, a piped link's target (`Pound sign|£`)
    ("GBP; Pound sign|£", "GBP; £", ("GBP", "£")),
    ("1.25em", "", ()),
    ("Bob 12 emu", "Bob 12 emu", ("Bob 12 emu",)),
    # a size that is the value is kept (it lost every `<digits>px`: a bug hunt)
    ("250px", "250px", ("250px",)),
    ("1920px by 1080px", "1920px by 1080px", ("1920px by 1080px",)),
])
def test_brackets_and_markup_debris_in_a_value(value: str, cleaned: str, values: tuple[str, ...]) -> None:
    """As the real articles write them (a bug hunt): United Kingdom, Hank Stram, Britt Morgan."""
    [field] = parse_article(f"= A =\n\nInfobox\n- Key: {value}\n\nText.\n").infobox
    assert (field.value, field.values) == (cleaned, values)


@pytest.mark.parametrize("fields", [2, 5])
def test_a_heading_right_under_the_infobox_ends_it(fields: int) -> None:
    """With no blank line between them, five fields swallowed `==Background==` and its text
    into the infobox, and two made no infobox at all (a bug hunt)."""
    lines = "\n".join(f"- Key{number}: value {number}" for number in range(fields))
    text = f"= A =\n\nInfobox\n{lines}\n==Background==\nMarmots.\nMore.\n\n==After==\nEnd.\n"
    article = parse_article(text)
    assert len(article.infobox) == fields
    assert shape_of(article) == [
        ("Infobox", "infobox", 1, [f"Key{number}: value {number}" for number in range(fields)]),
        ("Lead", "lead", 1, []),
        ("Background", "section", 2, ["Marmots.", "More."]),
        ("After", "section", 2, ["End."]),
    ]


LONG_CAPTION = "Flag of the Union of Soviet Socialist Republics, as adopted in 1955 and used until 1991"


@pytest.mark.parametrize("header", ["U.S.", "Washington, D.C.", LONG_CAPTION])
def test_a_caption_ending_in_an_abbreviation_or_long_is_a_header(header: str) -> None:
    """`U.S.` and a caption of more than 60 characters made no infobox: its fields became
    the lead's list (a bug hunt)."""
    article = parse_article(f"= A =\n\n{header}\n- Conflict: A\n- Commander: Smith\n\nLead.\n")
    assert article.infobox_header == header
    assert [field.name for field in article.infobox] == ["conflict", "commander"]
