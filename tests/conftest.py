"""Shared fixtures and helpers of the search engine tests.

The read-only tests share one index of the bundled corpus, built once per session in a tmp
folder; tests that change a corpus work on their own copy (`corpus_copy`) and their own index.
Nothing here touches the checkout's `index/` folder.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from searcher import Article, Hit, Searcher, read_article, update_index
from searcher.suggest import ListWords
from searcher.vocabulary import Vocabulary
from tests.typesense_servers import Cluster, Node, running_cluster, running_node

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
NORILSK_FILE = "norilsk-uprising.txt"
VORKUTA_FILE = "vorkuta-uprising.txt"
NORILSK = "Norilsk uprising"
VORKUTA = "Vorkuta uprising"
UPRISINGS = (NORILSK, VORKUTA)

# "At most ~220 characters": the passage width (200) plus a word's worth of slack.
SNIPPET_MAX = 220

# A small, valid article to add to a corpus; `Kengirite` is a word of no other article.
KENGIR = """= Kengir uprising =

Infobox
- Conflict: Kengir uprising
- Date: 16 May – 26 June 1954
- Commander1: Kapiton Kuznetsov

The Kengir uprising was a Kengirite prisoner rebellion in the Steplag camp.

==Aftermath==
The camp was closed soon after.
"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# No test asserts wall-clock time, Hypothesis's tests included: its default 200 ms deadline
# per example fails a test when a busy machine stalls one example, and its example database
# would make a run depend on earlier runs.
settings.register_profile("searcher", deadline=None, database=None)
settings.load_profile("searcher")

ENV_VARIABLES = ("SEARCHER_CORPUS", "SEARCHER_INDEX", "NO_COLOR")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test depends on the caller's SEARCHER_* settings or NO_COLOR."""
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the bundled corpus, built once; read-only tests share it."""
    index = tmp_path_factory.mktemp("shared") / "index"
    report = update_index(CORPUS, index)
    assert report.rebuilt and not report.problems
    assert report.articles == 2
    return index


@pytest.fixture(scope="session")
def searcher(built_index: Path) -> Iterator[Searcher]:
    """A `Searcher` on the shared index (never updated: the corpus does not change)."""
    with Searcher.open(index=built_index, corpus=CORPUS, update=False) as opened:
        yield opened


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled corpus, for tests that add, edit or remove files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


# --- real Typesense servers (tests/typesense_servers.py) -------------------------------------

TYPESENSE_FIXTURES = {"typesense_node", "typesense_url", "typesense_cluster"}
_collection_numbers = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a Typesense server is marked `typesense` (deselect: -m 'not typesense')."""
    for item in items:
        if TYPESENSE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.typesense)


@pytest.fixture(scope="session")
def typesense_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    """One Typesense node for the whole session (its data and log in a tmp folder), stopped at
    the end; tests share it, each with collections of its own (`typesense_url`)."""
    with running_node(tmp_path_factory.mktemp("typesense-node")) as node:
        yield node


@pytest.fixture
def typesense_url(typesense_node: Node, request: pytest.FixtureRequest) -> str:
    """`typesense://KEY@127.0.0.1:PORT/COLLECTION` on the shared node, with a collection name
    no other test uses."""
    name = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower()).strip("_")[:50]
    return typesense_node.url(f"{name}_{next(_collection_numbers)}")


@pytest.fixture
def typesense_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """Three Typesense nodes replicating one another, healthy with a leader, for one test
    (which may kill and restart them); all stopped after it. `.url`:
    `typesense://KEY@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`."""
    with running_cluster(tmp_path / "typesense") as cluster:
        yield cluster


# --- the articles as the tests read them ------------------------------------------------------


@functools.cache
def corpus_article(name: str) -> Article:
    """A bundled article, parsed (`norilsk-uprising.txt` or `vorkuta-uprising.txt`)."""
    return read_article(CORPUS / name)


def article_by_title(title: str) -> Article:
    return next(
        article
        for article in map(corpus_article, (NORILSK_FILE, VORKUTA_FILE))
        if article.title == title
    )


def section_names(title: str) -> list[str]:
    return [section.name for section in article_by_title(title).sections]


def section_text(title: str, section: str) -> str:
    """A section's text as a snippet shows it: on one line."""
    found = [s for s in article_by_title(title).sections if s.name == section]
    assert len(found) == 1, f"{title} has no single section {section!r}"
    return found[0].text.replace("\n", " ")


def infobox_lines(title: str) -> list[str]:
    return [field.line for field in article_by_title(title).infobox]


# --- checks shared by the API and CLI tests ---------------------------------------------------


def where(hits: list[Hit]) -> list[tuple[str, str]]:
    """(article, section) of each hit, in rank order."""
    return [(hit.article, hit.section) for hit in hits]


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def at_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` neither starts nor ends inside a word."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (is_word_char(before) and is_word_char(text[start])) and not (
        is_word_char(after) and is_word_char(text[end - 1])
    )


def assert_good_snippet(hit: Hit) -> None:
    """A snippet is a one-line, whole-word excerpt of its section (or of an infobox line for
    a hit matched only in the infobox), at most ~220 characters, its spans inside it."""
    snippet = hit.snippet
    assert snippet, f"empty snippet for {hit}"
    assert "\n" not in snippet and "\r" not in snippet
    assert snippet == snippet.strip(), f"snippet has outer spaces: {snippet!r}"
    assert len(snippet) <= SNIPPET_MAX, f"snippet of {len(snippet)} chars: {snippet!r}"
    sources = [section_text(hit.article, hit.section), *infobox_lines(hit.article)]
    source = next((text for text in sources if snippet in text), None)
    assert source is not None, f"snippet is not text of {hit.article} › {hit.section}: {snippet!r}"
    start = source.index(snippet)
    assert at_word_boundaries(source, start, start + len(snippet)), (
        f"snippet cuts a word: ...{source[max(0, start - 10):start]}[{snippet}]"
        f"{source[start + len(snippet):start + len(snippet) + 10]}..."
    )
    previous_end = 0
    for span in hit.highlights:
        begin, end = span
        assert previous_end <= begin < end <= len(snippet), f"bad span {span} in {hit}"
        assert at_word_boundaries(snippet, begin, end), f"span {span} cuts a word in {snippet!r}"
        marked = snippet[begin:end]
        assert is_word_char(marked[0]) and is_word_char(marked[-1]), f"span {span}: {marked!r}"
        previous_end = end


def assert_json_contract(data: dict[str, Any]) -> None:
    """The documented JSON shape: these keys with these types (more keys may be added)."""
    data = json.loads(json.dumps(data))  # what a JSON reader sees
    assert {"query", "total", "hits", "facets", "suggestion"} <= data.keys()
    assert isinstance(data["query"], str)
    assert isinstance(data["total"], int) and data["total"] >= len(data["hits"])
    assert data["suggestion"] is None or isinstance(data["suggestion"], str)
    for rank, hit in enumerate(data["hits"], 1):
        assert {"rank", "score", "article", "section", "snippet", "highlights"} <= hit.keys()
        assert hit["rank"] == rank
        assert isinstance(hit["score"], (int, float))
        assert isinstance(hit["article"], str) and isinstance(hit["section"], str)
        assert isinstance(hit["snippet"], str) and hit["snippet"]
        assert isinstance(hit["highlights"], list)
        for span in hit["highlights"]:
            assert isinstance(span, list) and len(span) == 2
            assert all(isinstance(offset, int) for offset in span)
            assert 0 <= span[0] < span[1] <= len(hit["snippet"])
    assert isinstance(data["facets"], dict) and "article" in data["facets"]
    for value in data["facets"]["article"]:
        assert {"value", "count", "selected"} <= value.keys()
        assert isinstance(value["value"], str)
        assert isinstance(value["count"], int)
        assert isinstance(value["selected"], bool)


def article_counts(data: dict[str, Any]) -> dict[str, int]:
    """The `article` facet of a JSON result as {title: count}."""
    return {value["value"]: value["count"] for value in data["facets"]["article"]}


def word_counts(vocabulary: Vocabulary, *words: str) -> list[int]:
    """How many sections hold each word, as a search reads the vocabulary (`Vocabulary.counted`)."""
    written = ListWords(*vocabulary.counted())
    return [written.frequency(word) for word in words]


def write_article(folder: Path, name: str, text: str | bytes) -> Path:
    """Write a file into a corpus folder (bytes as they are, text as UTF-8)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
