"""Tests of collecting matches (searcher.collect): each document's article file is found from
its article document (the first of its group), and the unscored matches are the scored ones
and Whoosh's own.
On an index changed by updates, so that an edited article's documents come after the others."""

from __future__ import annotations

from pathlib import Path

from conftest import KENGIR, VORKUTA_FILE, write_article

from searcher import update_index
from searcher.builds import open_live
from searcher.collect import ArticleData, documents
from searcher.query import QueryParser
from searcher.schema import PATH
from searcher.scope import scoped_query
from searcher.vocabulary import Spellings

QUERIES = ["amnesty", "Kengirite OR strike", "camp NOT Norilsk", '"Vorkuta uprising"', "commander:Sirotkin"]


def updated_index(corpus: Path, index: Path) -> Path:
    """An index of `corpus` with an article added and one edited after it was built."""
    update_index(corpus, index)
    write_article(corpus, "kengir-uprising.txt", KENGIR)
    update_index(corpus, index)
    vorkuta = corpus / VORKUTA_FILE
    later = vorkuta.read_text(encoding="utf-8") + "\n\n==Later==\nAn amnesty came.\n"
    vorkuta.write_text(later, encoding="utf-8")
    report = update_index(corpus, index)
    assert report.updated == [VORKUTA_FILE] and not report.rebuilt
    return index


def test_every_document_s_article_file_is_its_own(corpus_copy: Path, tmp_path: Path) -> None:
    build = open_live(updated_index(corpus_copy, tmp_path / "index"))
    try:
        with build.index.searcher() as whoosh:
            data = ArticleData(whoosh)
            live = [(docnum, stored[PATH]) for docnum, stored in whoosh.reader().iter_docs()]
            assert len({path for _, path in live}) == 3
            assert [data.file(docnum) for docnum, _ in live] == [path for _, path in live]
    finally:
        build.close()


def test_unscored_matches_are_the_scored_ones_and_whoosh_s(corpus_copy: Path, tmp_path: Path) -> None:
    build = open_live(updated_index(corpus_copy, tmp_path / "index"))
    try:
        with build.index.searcher() as whoosh:
            parser = QueryParser.of(whoosh, Spellings.load(build.path))
            data = ArticleData(whoosh)
            for text in QUERIES:
                scoped, _ = scoped_query(parser.parsed(text))
                scored = {match.docnum: match.article for match in data.every_match(scoped)}
                assert scored and data.every_doc(scoped) == scored, text
                assert sorted(documents(whoosh, scoped)) == sorted(whoosh.docs_for_query(scoped)), text
    finally:
        build.close()
