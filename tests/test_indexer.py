"""Tests of building and updating the index (`update_index`, `Searcher.open`): each test has
its own index, and its own copy of the corpus when it changes one."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import (
    CORPUS,
    KENGIR,
    NORILSK,
    NORILSK_FILE,
    VORKUTA,
    VORKUTA_FILE,
    where,
    word_counts,
    write_article,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from workmeter import measure

from searcher import CorpusError, IndexLocked, IndexUnavailable, QueryError, Searcher, indexer, update_index
from searcher import vocabulary as vocabulary_module
from searcher.builds import CURRENT, MANIFEST, READERS, Manifest, is_up_to_date
from searcher.cli import cli
from searcher.codec import CODEC_VERSION
from searcher.indexer import LOCK_NAME
from searcher.schema import text_analyzer, variant_analyzer, word_analyzer
from searcher.variants import spelling_key
from searcher.vocabulary import Spellings, Vocabulary
from searcher.writer import TermPool

BAD_FILES = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\n\t\n", "empty"),
    ("latin1.txt", "= Café uprising =\n\nThe café.\n".encode("latin-1"), "not UTF-8"),
    ("untitled.txt", b"The Kengir uprising was a rebellion.\n==History==\nText.\n", "no title"),
]
BAD_IDS = [name for name, _, _ in BAD_FILES]


def current(index: Path) -> str:
    """The name of the live build."""
    return (index / CURRENT).read_text(encoding="utf-8").strip()


def generation(index: Path) -> int:
    """The Whoosh generation of the live build."""
    return whoosh_index.open_dir(str(index / current(index))).latest_generation()


def manifest_path(index: Path) -> Path:
    return index / current(index) / MANIFEST


def found(index: Path, query: str, corpus: Path | None = None) -> list[tuple[str, str]]:
    """Where a query matches, searching the index as it is."""
    with Searcher.open(index=index, corpus=corpus, update=False) as searcher:
        return where(searcher.search(query, limit=100).hits)


def total(index: Path, query: str) -> int:
    with Searcher.open(index=index, update=False) as searcher:
        return searcher.search(query, limit=1).total


def later(path: Path, seconds: int = 5) -> None:
    """Move a file's modification time forward without changing its bytes."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def built(corpus_copy: Path, index: Path) -> Path:
    """An index of the corpus copy, built."""
    report = update_index(corpus_copy, index)
    assert report.rebuilt and report.articles == 2
    return index


# --- building ----------------------------------------------------------------------------------


def test_first_open_builds_the_missing_index(index: Path) -> None:
    assert not index.exists()
    messages: list[str] = []
    with Searcher.open(index=index, corpus=CORPUS, notify=messages.append) as searcher:
        assert searcher.report is not None and searcher.report.rebuilt
        assert sorted(searcher.report.added) == [NORILSK_FILE, VORKUTA_FILE]
        assert searcher.report.articles == 2
        result = searcher.search("amnesty")
    assert where(result.hits) == [(VORKUTA, "Background"), (NORILSK, "History")]
    assert (index / current(index)).is_dir()
    assert any("building" in message for message in messages)
    assert is_up_to_date(CORPUS, index)


def test_report_counts_articles_and_sections(index: Path) -> None:
    report = update_index(CORPUS, index)
    assert report.rebuilt and report.changed
    assert report.problems == {} and report.new_problems == {}
    assert report.articles == 2
    # one document per section with text: Norilsk has 4, Vorkuta 7
    assert report.sections == 11


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a build uses two processes only on two cores")
def test_two_processes_share_the_build_and_keep_each_article_in_one_segment(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh's two-process writer hands documents over in batches only from an
    `add_document` outside a group: with every document in a group, one process built it all.
    Pins that the indexer's way around it still spreads the work, and keeps an article's
    documents (the article document first, then its sections) together in one segment."""
    for number in range(1, 9):
        write_article(corpus_copy, f"kengir-{number}.txt", KENGIR.replace("=\n", f"{number} =\n", 1))
    alone = update_index(corpus_copy, tmp_path / "alone")
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(indexer, "BATCH", 5)  # documents: an article has 4 to 8
    shared = update_index(corpus_copy, tmp_path / "shared")
    assert (shared.articles, shared.sections) == (alone.articles, alone.sections) == (10, 35)
    ix = whoosh_index.open_dir(str(tmp_path / "shared" / current(tmp_path / "shared")))
    with ix.reader() as reader:
        segments = [[fields for _, fields in leaf.iter_docs()] for leaf, _ in reader.leaf_readers()]
    assert len(segments) > 1
    seen: set[str] = set()
    for documents in segments:
        for number, document in enumerate(documents):
            if number == 0 or documents[number - 1]["path"] != document["path"]:
                assert document["kind"] == "article" and document["path"] not in seen
                seen.add(document["path"])
    assert len(seen) == 10
    for query in ("Kengirite camp", "uprising", "amnesty OR closed", "commander1:Kuznetsov"):
        with Searcher.open(index=tmp_path / "alone", update=False) as one:
            expected = one.search(query, limit=50).to_dict()
        with Searcher.open(index=tmp_path / "shared", update=False) as two:
            assert two.search(query, limit=50).to_dict() == expected
    # The processes count the words they index: the vocabulary is the one-process build's.
    assert _vocabulary_files(tmp_path / "shared") == _vocabulary_files(tmp_path / "alone")
    for number in range(1, 6):  # an update of two processes too
        edited = KENGIR.replace("=\n", f"{number} Zhezkazgan =\n", 1)
        write_article(corpus_copy, f"kengir-{number}.txt", edited)
    (corpus_copy / "kengir-8.txt").unlink()
    assert update_index(corpus_copy, tmp_path / "shared").updated
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 10**6)
    update_index(corpus_copy, tmp_path / "alone", rebuild=True)
    shared = Vocabulary.load(tmp_path / "shared" / current(tmp_path / "shared"))
    assert word_counts(shared, "zhezkazgan")[0] >= 5
    assert _vocabulary(tmp_path / "shared") == _vocabulary(tmp_path / "alone")


def _vocabulary_files(index: Path) -> list[bytes]:
    """The files of the vocabulary of the index's live build, as saved."""
    build = index / current(index)
    return [(build / name).read_bytes() for name in ("vocabulary.json", "spellings.txt")]


def _vocabulary(build: Path) -> tuple[dict[str, Any], bytes]:
    """The vocabulary of a build (or of an index's live build) as loaded, with the changes
    saved since, and its spellings file."""
    if (build / CURRENT).exists():
        build = build / current(build)
    return Vocabulary.load(build).columns(), (build / "spellings.txt").read_bytes()


def test_a_new_build_pools_postings_by_term_and_an_update_as_whoosh_does(
    corpus_copy: Path, index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-process build holds its postings in a `TermPool` (its documents come in order);
    an update's writer, which may merge segments into its pool, keeps Whoosh's pool."""
    pooled: list[str] = []
    add = TermPool.add
    monkeypatch.setattr(TermPool, "add", lambda pool, item: pooled.append(item[0]) or add(pool, item))
    assert update_index(corpus_copy, index).rebuilt and pooled
    pooled.clear()
    write_article(corpus_copy, "kengir.txt", KENGIR)
    assert update_index(corpus_copy, index).added == ["kengir.txt"] and not pooled


def test_unchanged_corpus_is_not_rebuilt(built: Path, corpus_copy: Path) -> None:
    build, gen = current(built), generation(built)
    assert is_up_to_date(corpus_copy, built)
    with Searcher.open(index=built, corpus=corpus_copy) as searcher:
        assert searcher.report is None  # nothing to do, nothing done
    report = update_index(corpus_copy, built)
    assert not report.rebuilt and not report.changed
    assert (report.added, report.updated, report.removed) == ([], [], [])
    assert report.articles == 2
    assert (current(built), generation(built)) == (build, gen)


# --- analysis and the vocabulary kept beside the index -----------------------------------------


TEXT = "The Jānis Frenkiel camp: strikers of Special Camp No. 6 and 1953's Hrytsyak!"


def test_the_analyzers_fold_stem_and_key_words() -> None:
    assert [t.text for t in word_analyzer()(TEXT)] == [
        "janis", "frenkiel", "camp", "strikers", "special", "camp", "no", "6", "1953", "hrytsyak",
    ]  # (`1953's`: a possessive ending is no word)
    assert [t.text for t in text_analyzer()("strikers striking Jānis")] == ["striker", "strike", "jani"]
    assert [t.text for t in variant_analyzer()("Hrytsyak Gritsyak Frenkiel")] == ["griciak"] * 2 + ["frenkel"]


def test_the_vocabulary_counts_sections_and_follows_updates(
    built: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = built / current(built)
    words = Vocabulary.load(build)
    # amnesty: a section of each article; norilsk: the title counts in each of its four sections
    assert word_counts(words, "amnesty", "norilsk") == [2, 4]
    assert Spellings.load(build).group("griciak")[0] == ["gritsyak", "hrytsyak"]
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR.replace("Kengirite", "Kengirite amnesty"))
    update_index(corpus_copy, built)
    added = Vocabulary.load(built / current(built))
    assert word_counts(added, "amnesty", "kengirite") == [3, 1]
    (corpus_copy / NORILSK_FILE).unlink()
    before = current(built)
    # Most documents deleted: a rebuild follows, in a new build (Whoosh's optimize was 3 times
    # as slow); the report says what the update did, and a note says why it rebuilt (a search
    # that met the edit paid for a rebuild without a word: a bug hunt).
    notes: list[str] = []
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 2)  # (said from 50 files on; here, 2)
    report = update_index(corpus_copy, built, notify=notes.append)
    assert current(built) != before and not (built / before).exists()
    assert (report.removed, report.added, report.rebuilt, report.articles) == ([NORILSK_FILE], [], False, 2)
    assert notes == [f"rebuilding the index in {built}: 29% of its documents are old versions of "
                     "edited or removed articles"]
    with whoosh_index.open_dir(str(built / current(built))).reader() as reader:
        assert reader.doc_count() == reader.doc_count_all()  # (nothing deleted left)
    after = Vocabulary.load(built / current(built))
    assert word_counts(after, "amnesty", "norilsk") == [2, 0]
    assert "norilsk" not in after.counted()[0].split("\n")
    assert Spellings.load(built / current(built)).group("griciak")[0] == []  # (they were Norilsk's)


# --- incremental updates -----------------------------------------------------------------------


def test_added_file_is_indexed_incrementally(built: Path, corpus_copy: Path) -> None:
    build, gen = current(built), generation(built)
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    assert not is_up_to_date(corpus_copy, built)
    report = update_index(corpus_copy, built)
    assert report.added == ["kengir-uprising.txt"]
    assert (report.updated, report.removed, report.rebuilt) == ([], [], False)
    assert report.articles == 3
    assert current(built) == build and generation(built) > gen
    assert found(built, "Kengirite") == [("Kengir uprising", "Lead")]
    assert total(built, "amnesty") == 2  # the others are still there, once


def test_added_file_in_a_subfolder(built: Path, corpus_copy: Path) -> None:
    write_article(corpus_copy, "more/kengir-uprising.txt", KENGIR)
    report = update_index(corpus_copy, built)
    assert report.added == ["more/kengir-uprising.txt"]
    assert found(built, "Kengirite") == [("Kengir uprising", "Lead")]


def test_edited_file_is_reindexed(built: Path, corpus_copy: Path) -> None:
    path = corpus_copy / VORKUTA_FILE
    assert found(built, "Derevyanko") == [(VORKUTA, "Uprising")]
    path.write_text(path.read_text(encoding="utf-8").replace("Derevyanko", "Kvadratov"),
                    encoding="utf-8")
    report = update_index(corpus_copy, built)
    assert report.updated == [VORKUTA_FILE]
    assert (report.added, report.removed, report.rebuilt) == ([], [], False)
    assert found(built, "Kvadratov") == [(VORKUTA, "Uprising")]
    assert found(built, "Derevyanko") == []
    assert total(built, "amnesty") == 2


def test_an_edit_that_puts_the_size_and_time_back_is_noticed(built: Path, corpus_copy: Path) -> None:
    """An edit of the same length whose modification time was put back (`touch -r`, `cp -p`
    of an edited copy) went unnoticed for good: the index compared size and modification time
    (a bug hunt). The change time, which no one sets, is compared too."""
    path = corpus_copy / VORKUTA_FILE
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Derevyanko", "Kvadratovo"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert not is_up_to_date(corpus_copy, built)
    assert update_index(corpus_copy, built).updated == [VORKUTA_FILE]
    assert found(built, "Kvadratovo") == [(VORKUTA, "Uprising")]
    os.chmod(path, 0o600)  # (a change time, the bytes as they were: read, not indexed again)
    assert update_index(corpus_copy, built).updated == []
    assert is_up_to_date(corpus_copy, built)


def test_words_left_only_in_deleted_sections_are_no_marks(built: Path, corpus_copy: Path) -> None:
    """After an edit, the old sections stay in their segment, deleted: a word that only they
    held there crashed the marking of other hits of that segment (IndexError, from a bug
    hunt)."""
    for number in range(40):  # (so that the update deletes too few sections to merge segments)
        write_article(corpus_copy, f"filler{number}.txt", f"= Filler {number} =\n\nText {number}.\n")
    for name, word in ((NORILSK_FILE, "Zorka"), (VORKUTA_FILE, "Zorkb")):
        path = corpus_copy / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n{word} here.\n", encoding="utf-8")
    update_index(corpus_copy, built, rebuild=True)
    path = corpus_copy / NORILSK_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    with Searcher.open(built, corpus_copy) as searcher:
        for query in ("zorka OR zorkb", "zork*"):
            result = searcher.search(query)
            assert {hit.article for hit in result.hits} >= {VORKUTA}, query
            assert all(hit.highlights for hit in result.hits), query


@pytest.mark.parametrize("rebuild", [True, False], ids=["build", "update"])
def test_a_file_gone_while_indexing_stops_no_other(corpus_copy: Path, index: Path, rebuild: bool) -> None:
    """A file deleted after the corpus was listed (an editor saving by replacing it) made
    the whole build fail; now it is a file that could not be read, and the next update drops
    it."""
    if not rebuild:
        update_index(corpus_copy, index)
    write_article(corpus_copy, "zz.txt", "= Gone =\n\nSoon gone.\n")
    if not rebuild:  # (an edit: the update has a stamp to compare)
        (corpus_copy / NORILSK_FILE).write_text("= Norilsk uprising =\n\nEdited.\n", encoding="utf-8")

    def remove_zz(done: int, total: int) -> None:
        if done == 1:
            (corpus_copy / "zz.txt").unlink()

    report = update_index(corpus_copy, index, rebuild=rebuild, progress=remove_zz)
    assert report.articles == 2
    assert report.problems == {"zz.txt": f"{corpus_copy / 'zz.txt'}: cannot read (No such file or directory)"}
    assert update_index(corpus_copy, index).problems == {}


def test_same_size_edit_is_found_by_open(built: Path, corpus_copy: Path) -> None:
    """A same-length edit, seen through `Searcher.open` (the way the CLI updates)."""
    path = corpus_copy / NORILSK_FILE
    text = path.read_text(encoding="utf-8")
    assert len("Shamaev") == len("Shumeev")
    path.write_text(text.replace("Shamaev", "Shumeev"), encoding="utf-8")
    later(path)
    with Searcher.open(index=built, corpus=corpus_copy) as searcher:
        assert searcher.report is not None and searcher.report.updated == [NORILSK_FILE]
        assert searcher.search("Shamaev").total == 0
        assert set(where(searcher.search("Shumeev").hits)) == {(NORILSK, "Lead"), (NORILSK, "Infobox")}


def test_touched_file_is_not_reindexed(built: Path, corpus_copy: Path) -> None:
    gen = generation(built)
    later(corpus_copy / VORKUTA_FILE)
    assert not is_up_to_date(corpus_copy, built)  # the stamp changed ...
    report = update_index(corpus_copy, built)
    assert report.updated == []  # ... the bytes did not
    assert (report.added, report.removed, report.rebuilt) == ([], [], False)
    assert not report.changed
    assert generation(built) == gen
    assert is_up_to_date(corpus_copy, built)  # the new stamp is remembered
    assert total(built, "Derevyanko") == 1


def test_removed_file_is_dropped(built: Path, corpus_copy: Path) -> None:
    (corpus_copy / NORILSK_FILE).unlink()
    report = update_index(corpus_copy, built)
    assert report.removed == [NORILSK_FILE]
    assert (report.added, report.updated, report.rebuilt) == ([], [], False)
    assert report.articles == 1
    assert found(built, "Shamaev") == []
    assert found(built, "amnesty") == [(VORKUTA, "Background")]
    with Searcher.open(index=built, update=False) as searcher:
        assert {value.value for value in searcher.search("uprising").facets["article"]} == {VORKUTA}


def test_removed_article_is_no_longer_an_uprising(built: Path, corpus_copy: Path) -> None:
    (corpus_copy / NORILSK_FILE).unlink()
    update_index(corpus_copy, built)
    with Searcher.open(index=built, update=False) as searcher:
        assert searcher.uprisings() == [VORKUTA]
        with pytest.raises(QueryError, match=NORILSK):
            searcher.search("camp", uprising=[NORILSK])


def test_several_changes_in_one_update(built: Path, corpus_copy: Path) -> None:
    (corpus_copy / NORILSK_FILE).unlink()
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    path = corpus_copy / VORKUTA_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\nKvadratov was here.\n", encoding="utf-8")
    report = update_index(corpus_copy, built)
    assert (report.added, report.updated, report.removed) == (
        ["kengir-uprising.txt"], [VORKUTA_FILE], [NORILSK_FILE])
    assert not report.rebuilt
    assert found(built, "Kvadratov") == [(VORKUTA, "See also")]
    assert found(built, "Kengirite") == [("Kengir uprising", "Lead")]
    assert found(built, "Shamaev") == []


def test_an_index_inside_its_corpus_is_no_part_of_it(corpus_copy: Path) -> None:
    """Its `spellings.txt` was read as an article without a title, and each update was
    followed by one more (a bug hunt)."""
    index = corpus_copy / "idx"
    assert update_index(corpus_copy, index).articles == 2
    report = update_index(corpus_copy, index)
    assert (report.problems, report.added, report.updated, report.removed) == ({}, [], [], [])
    assert is_up_to_date(corpus_copy, index)


def test_hidden_and_other_files_are_not_articles(built: Path, corpus_copy: Path) -> None:
    write_article(corpus_copy, ".hidden.txt", KENGIR)
    write_article(corpus_copy, "notes.md", KENGIR)
    report = update_index(corpus_copy, built)
    assert not report.changed
    assert found(built, "Kengirite") == []


# --- rebuilding --------------------------------------------------------------------------------


def test_rebuild_makes_a_new_build(built: Path, corpus_copy: Path) -> None:
    first = current(built)
    report = update_index(corpus_copy, built, rebuild=True)
    assert report.rebuilt
    assert sorted(report.added) == [NORILSK_FILE, VORKUTA_FILE]
    second = current(built)
    assert second != first and (built / second).is_dir()
    assert total(built, "amnesty") == 2
    update_index(corpus_copy, built, rebuild=True)
    third = current(built)
    assert third not in {first, second}
    # a replaced build no reader holds is deleted at once: only the live one is left
    assert {p.name for p in built.iterdir() if p.is_dir()} == {third}


@pytest.mark.parametrize("rebuild", [False, True], ids=["update", "rebuild"])
def test_any_update_removes_what_a_killed_build_left(
    built: Path, corpus_copy: Path, rebuild: bool
) -> None:
    update_index(corpus_copy, built, rebuild=True)
    live = current(built)
    killed = built / "build-20000101000000-deadbeef"  # the newest folder, but no manifest yet
    killed.mkdir()
    (killed / READERS).touch()  # (a build's first file)
    (killed / "MAIN_x.seg").write_bytes(b"half-written")
    update_index(corpus_copy, built, rebuild=rebuild)
    after = {p.name for p in built.iterdir() if p.is_dir()}
    assert after == {current(built)}
    assert (current(built) != live) == rebuild


def test_a_damaged_index_is_named_and_rebuilt(built: Path, corpus_copy: Path) -> None:
    """Whoosh's EOFError on damaged segment files printed only `Aborted!` (click's reading of
    an EOFError), from `search`, `show` and `index` alike (a bug hunt)."""
    for segment in (built / current(built)).glob("*.seg"):
        with segment.open("r+b") as file:
            file.truncate(100)
    message = f"cannot read the index in {built} (EOFError: Ran out of input): run 'searcher index --rebuild'"
    with pytest.raises(IndexUnavailable) as raised:
        Searcher.open(index=built, corpus=corpus_copy, update=False)
    assert str(raised.value) == message
    result = CliRunner().invoke(cli, ["search", "amnesty", "--index", str(built), "--no-update"])
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    notes: list[str] = []
    report = update_index(corpus_copy, built, notify=notes.append)
    assert report.rebuilt and "(its files cannot be read)" in notes[0]
    assert total(built, "amnesty") == 2


def test_other_schema_version_is_rebuilt(built: Path, corpus_copy: Path) -> None:
    first = current(built)
    path = manifest_path(built)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["schema_version"] = manifest["schema_version"] + 1000
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert not is_up_to_date(corpus_copy, built)
    with pytest.raises(IndexUnavailable, match="another version"):
        Searcher.open(index=built, corpus=corpus_copy, update=False)
    report = update_index(corpus_copy, built)
    assert report.rebuilt
    assert current(built) != first
    assert found(built, "Derevyanko") == [(VORKUTA, "Uprising")]


@pytest.mark.parametrize("written_by", ["another codec", "before codec versions"])
def test_an_index_whose_files_another_codec_wrote_is_rebuilt(
    built: Path, corpus_copy: Path, written_by: str
) -> None:
    """Its schema is this version's, but `BuildCodec` wrote its files another way (or the
    manifest is older than the codec's number): it is refused unread, then rebuilt."""
    first = current(built)
    path = manifest_path(built)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if written_by == "another codec":
        manifest["codec_version"] = CODEC_VERSION + 1
    else:
        del manifest["codec_version"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert not is_up_to_date(corpus_copy, built)
    with pytest.raises(IndexUnavailable, match="another version"):
        Searcher.open(index=built, corpus=corpus_copy, update=False)
    notes: list[str] = []
    report = update_index(corpus_copy, built, notify=notes.append)
    assert report.rebuilt and "which wrote its files another way)" in notes[0]
    assert current(built) != first
    assert json.loads(manifest_path(built).read_text(encoding="utf-8"))["codec_version"] == CODEC_VERSION
    assert found(built, "Derevyanko") == [(VORKUTA, "Uprising")]


def test_a_typesense_collection_is_not_rebuilt_for_another_codec() -> None:
    """A collection holds no files `BuildCodec` writes: the reasons it shares with the Whoosh
    index (`rebuild_reason`, which `cluster.sync` asks) leave the codec out."""
    manifest = Manifest("corpus", codec_version=CODEC_VERSION + 1)
    assert indexer.rebuild_reason(False, Path("collection-1"), manifest) == ""
    older_schema = Manifest("corpus", schema_version=0)
    assert "another schema" in indexer.rebuild_reason(False, Path("collection-1"), older_schema)


def test_unreadable_manifest_is_rebuilt(built: Path, corpus_copy: Path) -> None:
    manifest_path(built).write_text("{not json", encoding="utf-8")
    report = update_index(corpus_copy, built)
    assert report.rebuilt
    assert total(built, "amnesty") == 2


def test_wrong_generation_in_manifest_still_gives_a_correct_index(
    built: Path, corpus_copy: Path
) -> None:
    path = manifest_path(built)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["generation"] = manifest["generation"] + 41
    path.write_text(json.dumps(manifest), encoding="utf-8")
    (corpus_copy / NORILSK_FILE).unlink()
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    report = update_index(corpus_copy, built)
    assert not report.rebuilt
    assert report.removed == [NORILSK_FILE]
    assert report.added == ["kengir-uprising.txt"]
    assert report.updated == []  # Vorkuta's bytes match what the index holds
    assert found(built, "Shamaev") == []
    assert found(built, "Kengirite") == [("Kengir uprising", "Lead")]
    assert found(built, "amnesty") == [(VORKUTA, "Background")]  # once, not twice
    assert is_up_to_date(corpus_copy, built)
    assert not update_index(corpus_copy, built).changed


def test_manifest_left_behind_by_a_crash(built: Path, corpus_copy: Path) -> None:
    """A commit whose manifest was never saved: the index, not the manifest, is trusted."""
    path = manifest_path(built)
    before = path.read_text(encoding="utf-8")
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    update_index(corpus_copy, built)
    path.write_text(before, encoding="utf-8")  # as if the process died before saving it
    report = update_index(corpus_copy, built)
    assert report.added == [] and report.updated == []  # already in the index
    assert found(built, "Kengirite") == [("Kengir uprising", "Lead")]  # and only once
    assert total(built, "amnesty") == 2


# --- bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=BAD_IDS)
def test_bad_file_is_reported_and_the_rest_indexed(
    corpus_copy: Path, index: Path, name: str, data: bytes, reason: str
) -> None:
    write_article(corpus_copy, name, data)
    report = update_index(corpus_copy, index)
    assert list(report.problems) == [name]
    assert report.new_problems == report.problems
    message = report.problems[name]
    assert name in message and reason in message
    assert report.articles == 2
    assert total(index, "amnesty") == 2
    assert found(index, "Derevyanko") == [(VORKUTA, "Uprising")]


def test_bad_files_added_to_an_index(built: Path, corpus_copy: Path) -> None:
    for name, data, _ in BAD_FILES:
        write_article(corpus_copy, name, data)
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    report = update_index(corpus_copy, built)
    assert sorted(report.problems) == sorted(BAD_IDS)
    for name, _, reason in BAD_FILES:
        assert name in report.problems[name] and reason in report.problems[name]
    assert report.articles == 3
    assert found(built, "Kengirite") == [("Kengir uprising", "Lead")]


def test_bad_file_is_not_reported_as_new_again(corpus_copy: Path, index: Path) -> None:
    path = write_article(corpus_copy, "empty.txt", b"")
    first = update_index(corpus_copy, index)
    assert list(first.new_problems) == ["empty.txt"]
    assert is_up_to_date(corpus_copy, index)
    messages: list[str] = []
    with Searcher.open(index=index, corpus=corpus_copy, notify=messages.append) as searcher:
        assert searcher.report is None
    assert messages == []
    again = update_index(corpus_copy, index)
    assert again.new_problems == {}
    assert list(again.problems) == ["empty.txt"]  # still not indexed, still said so
    assert (again.added, again.updated, again.removed) == ([], [], [])
    # it changes, still bad: reported again
    path.write_bytes(b"no title here\n")
    changed = update_index(corpus_copy, index)
    assert list(changed.new_problems) == ["empty.txt"]
    assert "no title" in changed.new_problems["empty.txt"]
    # it is fixed: indexed, and no longer a problem
    write_article(corpus_copy, "empty.txt", KENGIR)
    later(path)
    fixed = update_index(corpus_copy, index)
    assert fixed.added == ["empty.txt"]  # it enters the index now
    assert fixed.problems == {} and fixed.new_problems == {}
    assert found(index, "Kengirite") == [("Kengir uprising", "Lead")]


def test_open_tells_about_a_new_bad_file_once(built: Path, corpus_copy: Path) -> None:
    write_article(corpus_copy, "latin1.txt", "= Café =\n\ncafé\n".encode("latin-1"))
    messages: list[str] = []
    Searcher.open(index=built, corpus=corpus_copy, notify=messages.append).close()
    assert [m for m in messages if "latin1.txt" in m and "not UTF-8" in m]
    messages.clear()
    Searcher.open(index=built, corpus=corpus_copy, notify=messages.append).close()
    assert messages == []


# --- where the corpus and the index are --------------------------------------------------------


def test_missing_corpus_folder(tmp_path: Path, index: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    with pytest.raises(CorpusError, match="no-such-corpus"):
        update_index(missing, index)
    with pytest.raises(CorpusError, match="no-such-corpus"):
        Searcher.open(index=index, corpus=missing)
    assert not (index / CURRENT).exists()


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_folder_name_is_refused_not_read_as_the_current_folder(
    tmp_path: Path, index: Path, empty: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`update_index('', index)` indexed every .txt file below the current folder, where the
    CLI refuses `--corpus ''` (a bug hunt)."""
    (tmp_path / "work").mkdir()
    shutil.copy(CORPUS / "vorkuta-uprising.txt", tmp_path / "work" / "stray.txt")
    monkeypatch.chdir(tmp_path / "work")
    for call, what in [(lambda: update_index(empty, index), "corpus_dir"),
                       (lambda: update_index(CORPUS, empty), "index_dir"),
                       (lambda: Searcher.open(index=empty, corpus=CORPUS), "index"),
                       (lambda: Searcher.open(index=index, corpus=empty), "corpus")]:
        with pytest.raises(QueryError, match=rf"^{what} is an empty name: give a folder"):
            call()
    assert sorted(path.name for path in (tmp_path / "work").iterdir()) == ["stray.txt"]
    assert not index.exists() or not (index / CURRENT).exists()


@pytest.mark.parametrize("wrong", [5, b"index", ["index"]])
def test_a_folder_or_engine_of_the_wrong_kind_is_a_query_error(index: Path, wrong: object) -> None:
    """`Searcher.open(5)` raised Python's TypeError from deep in pathlib."""
    calls = [(lambda: update_index(wrong, index), "corpus_dir"),  # type: ignore[arg-type]
             (lambda: update_index(CORPUS, wrong), "index_dir"),  # type: ignore[arg-type]
             (lambda: Searcher.open(wrong), "index"),  # type: ignore[arg-type]
             (lambda: Searcher.open(index=index, corpus=wrong), "corpus"),  # type: ignore[arg-type]
             (lambda: Searcher.open(index=index, engine=wrong), "engine")]  # type: ignore[arg-type]
    for call, what in calls:
        with pytest.raises(QueryError, match=rf"^{what} must be a"):
            call()


@pytest.mark.parametrize(("wrong", "shown"), [
    ("60", "'60' (str)"), (b"60", "b'60' (bytes)"), ([60], "[60] (list)"), (True, "True (bool)"),
])
def test_a_lock_timeout_of_the_wrong_kind_is_a_query_error(index: Path, wrong: object, shown: str) -> None:
    """`update_index(..., lock_timeout="60")` raised Python's TypeError from the lock's
    deadline (`float + str`), with the index folder already made (a bug hunt)."""
    with pytest.raises(QueryError) as raised:
        update_index(CORPUS, index, lock_timeout=wrong)  # type: ignore[arg-type]
    assert str(raised.value) == f"lock_timeout must be a number of seconds or None, not {shown}"
    assert not index.exists()


def test_open_without_update_on_a_missing_index(index: Path) -> None:
    with pytest.raises(IndexUnavailable, match="no index"):
        Searcher.open(index=index, corpus=CORPUS, update=False)
    assert not (index / CURRENT).exists()


def test_index_remembers_its_corpus(built: Path, corpus_copy: Path) -> None:
    with Searcher.open(index=built) as searcher:
        assert searcher.corpus_dir.resolve() == corpus_copy.resolve()
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    with Searcher.open(index=built) as searcher:  # updates from the corpus it was built from
        assert searcher.report is not None and searcher.report.added == ["kengir-uprising.txt"]
        assert where(searcher.search("Kengirite").hits) == [("Kengir uprising", "Lead")]


def test_searcher_corpus_variable_overrides_the_recorded_corpus(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(CORPUS / VORKUTA_FILE, other / VORKUTA_FILE)
    monkeypatch.setenv("SEARCHER_CORPUS", str(other))
    with Searcher.open(index=built) as searcher:
        assert searcher.corpus_dir == other
        assert searcher.search("Shamaev").total == 0
        assert searcher.search("Derevyanko").total == 1


def test_corpus_gone_after_building_searches_the_index_as_it_is(
    built: Path, corpus_copy: Path
) -> None:
    shutil.rmtree(corpus_copy)
    with Searcher.open(index=built, corpus=corpus_copy) as searcher:
        result = searcher.search("amnesty")
    assert result.total == 2
    [warning] = searcher.warnings
    assert "not found" in warning and "searching it as it is" in warning
    assert warning in result.warnings


# --- progress and locking ----------------------------------------------------------------------


def test_progress_is_reported_per_file(corpus_copy: Path, index: Path) -> None:
    calls: list[tuple[int, int]] = []
    update_index(corpus_copy, index, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    calls.clear()
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    update_index(corpus_copy, index, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]  # only what changed


def test_update_waits_for_a_locked_index_then_gives_up(built: Path, corpus_copy: Path) -> None:
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    lock = FileStorage(str(built)).lock(LOCK_NAME)
    assert lock.acquire(blocking=False)
    messages: list[str] = []
    try:
        with pytest.raises(IndexLocked, match="being updated by another process"):
            update_index(corpus_copy, built, lock_timeout=0.3, notify=messages.append)
    finally:
        lock.release()
    assert any("waiting" in message for message in messages)
    assert found(built, "Kengirite") == []  # nothing was written
    assert update_index(corpus_copy, built).added == ["kengir-uprising.txt"]


def test_spellings_are_found_in_the_sorted_file(tmp_path: Path) -> None:
    words = Vocabulary()
    names = {"gritsyak", "hrytsyak", "shamaev", "zelenska", "zelenskaya", "beijing", "china"}
    words.add([({"gritsyak", "hrytsyak", "shamaev", "6", "66", "amnesty", "beijing", "china"}, names),
               ({"zelenska", "zelenskaya", "being", "china"}, names)])
    words.add([({"china"}, set())] * 2)  # (written with a capital in half its sections only)
    words.save(tmp_path)
    spellings = Spellings.load(tmp_path)
    assert spellings.group("griciak")[0] == ["gritsyak", "hrytsyak"]
    # a word alone with its key: a typed Shamayev finds it
    assert spellings.group("shamaev")[0] == ["shamaev"]
    assert spellings.group("zelenska")[0] == ["zelenska", "zelenskaya"]
    # The key is for names: words most sections write with a capital; not common words.
    assert spellings.group("being")[0] == ["beijing"] and spellings.group("being") == (["beijing"], ["being"])
    assert spellings.group("6")[0] == spellings.group("amnesti")[0] == spellings.group("china")[0] == []
    assert spellings.group("absent") == spellings.group("") == spellings.group("zzzz") == ([], [])
    assert Spellings.load(tmp_path / "missing").group("griciak")[0] == []
    (tmp_path / "empty").mkdir()
    Vocabulary().save(tmp_path / "empty")
    assert Spellings.load(tmp_path / "empty").group("griciak")[0] == []


def test_a_saved_vocabulary_loads_as_it_was_and_a_damaged_one_as_empty(tmp_path: Path) -> None:
    words = Vocabulary()
    words.add([({"gritsyak", "prisoners", "the"}, {"gritsyak"}), ({"prisoners"}, set())])
    words.save(tmp_path)
    loaded = Vocabulary.load(tmp_path)
    assert loaded.columns() == words.columns()
    # Columns of lines: the words, and the stem of each (`=`: the word; a stop word has none).
    assert loaded.columns()["words"] == "gritsyak\nprisoners\nthe"
    assert loaded.columns()["stems"] == "=\nprison\n"
    assert loaded.counted() == ("gritsyak\nprisoners\nthe", [1, 2, 1])
    assert word_counts(loaded, "gritsyak", "prisoners", "absent") == [1, 2, 0]
    saved = json.loads((tmp_path / vocabulary_module.WORDS_FILE).read_text())
    for damaged in ({**saved, "sections": saved["sections"][1:]}, {**saved, "words": "gritsyak"},
                    {**saved, "sections": [None, *saved["sections"][1:]]},
                    {**saved, "capitalised": [-1, *saved["capitalised"][1:]]},
                    {**saved, "words": ["gritsyak", "prisoners", "the"]},  # (a list: another layout)
                    {**saved, "keys": "griciak\nprisoners"},
                    {**saved, "capitalised": ["1", *saved["capitalised"][1:]]},
                    {**saved, "words": "the\nprisoners\ngritsyak"},  # (not sorted: no word is found)
                    {"gritsyak": [1, "griciak", 1]}, []):  # (the last two: other layouts)
        (tmp_path / vocabulary_module.WORDS_FILE).write_text(json.dumps(damaged))
        assert Vocabulary.load(tmp_path).counted() == ("", [])
        assert word_counts(Vocabulary(damaged), "prisoners") == [0]  # (as the Typesense meta is read)
    # A vocabulary of one word, a stop word: its stem is none, not a missing line.
    alone = Vocabulary()
    alone.add([({"the"}, set())])
    assert Vocabulary(alone.columns()).columns() == alone.columns() == {
        "words": "the", "sections": [1], "keys": "the", "capitalised": [0], "stems": ""}


def test_an_update_saves_the_counts_it_changed_until_they_are_many(tmp_path: Path) -> None:
    """An update writes the counts changed since the vocabulary file was written, not the file
    (a megabyte on 2,250 files), until they are a tenth of its words; a changes file of another
    vocabulary file (left by a crash before the file was written anew) is not read."""
    words = Vocabulary()
    words.add([({f"word{number}" for number in range(40)} | {"gritsyak"}, {"gritsyak"})])
    words.save(tmp_path)
    written = (tmp_path / vocabulary_module.WORDS_FILE).read_bytes()
    updated = Vocabulary.load(tmp_path)
    updated.add([({"hrytsyak", "word1"}, {"hrytsyak"})])
    updated.save(tmp_path)
    assert (tmp_path / vocabulary_module.WORDS_FILE).read_bytes() == written
    changes = (tmp_path / vocabulary_module.CHANGES_FILE).read_bytes()
    loaded = Vocabulary.load(tmp_path)
    assert word_counts(loaded, "hrytsyak", "word1", "word2") == [1, 2, 1]
    assert Spellings.load(tmp_path).group("griciak")[0] == ["gritsyak", "hrytsyak"]
    loaded.add([({f"new{number}" for number in range(3)}, set())])  # (5 words changed, of 41)
    loaded.save(tmp_path)
    assert (tmp_path / vocabulary_module.WORDS_FILE).read_bytes() != written
    assert not (tmp_path / vocabulary_module.CHANGES_FILE).exists()
    (tmp_path / vocabulary_module.CHANGES_FILE).write_bytes(changes)
    loaded = Vocabulary.load(tmp_path)
    assert word_counts(loaded, "hrytsyak", "word1", "new2") == [1, 2, 1]


# Words that share stems and spelling keys, names and common words alike, and others.
_KIN = ["gritsyak", "hrytsyak", "here", "hering", "herring", "denis", "dennis", "denied", "being", "beijing",
        "strike", "strikes", "striker", "shamaev", "shamayev", "the", "6", "amnesty", "amnesties"]
_SECTIONS = st.lists(
    st.tuples(st.sets(st.sampled_from(_KIN), max_size=6), st.sets(st.sampled_from(_KIN), max_size=3))
    .map(lambda section: (section[0], section[1] & section[0])), max_size=6
)


# Updates: the sections each removes (by their place among those counted), and those it adds.
_UPDATES = st.lists(
    st.tuples(st.lists(st.integers(min_value=0, max_value=5), max_size=4, unique=True), _SECTIONS),
    min_size=1, max_size=3,
)


@pytest.mark.parametrize("most_changes", [1e9, -1.0], ids=["changes saved", "saved whole"])
@settings(max_examples=120, deadline=None)
@given(saved=_SECTIONS, updates=_UPDATES)
def test_an_update_saves_the_vocabulary_a_new_one_of_its_words_would(
    tmp_path_factory: pytest.TempPathFactory, most_changes: float, saved: list[tuple[set[str], set[str]]],
    updates: list[tuple[list[int], list[tuple[set[str], set[str]]]]],
) -> None:
    """An update works out again only the spelling groups of the words counted since the
    columns were saved (those of their stems: `Hering` is a name only while no common word has
    its stem), and saves those counts alone while they are few: after each of a few updates,
    the vocabulary and the spellings file are those of a vocabulary that counted the same
    without saving, saved whole (a stem a line, in the words' order: in the order words were
    counted, a build's bytes changed from run to run)."""
    build, anew = tmp_path_factory.mktemp("build"), tmp_path_factory.mktemp("anew")
    first, whole = Vocabulary(), Vocabulary()
    for words in (first, whole):
        words.add(saved)
    first.save(build)
    counted = list(saved)
    for removed, added in updates:
        updated = Vocabulary.load(build)
        for words in (updated, whole):
            words.remove(counted[i] for i in removed if i < len(counted))
            words.add(added)
        counted = [section for i, section in enumerate(counted) if i not in removed] + added
        columns_saved = bool(json.loads((build / vocabulary_module.WORDS_FILE).read_text())["words"])
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(vocabulary_module, "_MOST_CHANGES", most_changes)
            updated.save(build)
        whole.save(anew)
        assert _vocabulary(build) == _vocabulary(anew)
        assert Vocabulary.load(build).counted() == Vocabulary.load(anew).counted()  # (as a search reads them)
        assert (build / vocabulary_module.CHANGES_FILE).exists() == (most_changes > 0 and columns_saved)
    columns = json.loads((anew / "vocabulary.json").read_text())
    del columns["spellings_crc32"]
    assert Vocabulary(columns).columns() == columns  # (read back as written)


def test_spellings_not_saved_with_the_vocabulary_are_made_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update makes the spellings file from the one beside the vocabulary only if it is
    the one saved with it (its checksum; after a crash between the two writes it is not):
    else the file is made whole."""
    words = Vocabulary()
    words.add([({"gritsyak", "hrytsyak", "amnesty"}, {"gritsyak", "hrytsyak"})])
    words.save(tmp_path)
    chosen: list[set[str]] = []  # the keys of the words whose groups are worked out
    groups = vocabulary_module._named_groups
    monkeypatch.setattr(
        vocabulary_module, "_named_groups",
        lambda words, common: chosen.append({key for _, key, *_ in words}) or groups(words, common),
    )
    patched = Vocabulary.load(tmp_path)
    patched.add([({"shamaev", "shamayev"}, {"shamaev", "shamayev"})])
    patched.save(tmp_path)
    assert chosen == [{"shamaev"}]  # (the keys of the words counted)
    assert Spellings.load(tmp_path).group("shamaev")[0] == ["shamaev", "shamayev"]
    (tmp_path / "spellings.txt").write_text("griciak\tgritsyak\n")  # (not the one saved)
    chosen.clear()
    again = Vocabulary.load(tmp_path)
    again.add([({"amnesty"}, set())])
    again.save(tmp_path)
    assert chosen == [{spelling_key(word) for word in ("gritsyak", "amnesty", "shamaev")}]  # (every key)
    assert Spellings.load(tmp_path).group("griciak")[0] == ["gritsyak", "hrytsyak"]
    assert Spellings.load(tmp_path).group("shamaev")[0] == ["shamaev", "shamayev"]


def test_a_name_whose_stem_a_common_word_has_is_no_spelling_of_its_key(tmp_path: Path) -> None:
    """A name is searched as its stem: `Hering` as `here`, which finds the common word `here`.
    It joins no other spellings (`Herring` found every `here`: a bug hunt); it stays a word of
    its key, as common words are (a typed `Hering` is that stem, not `Herring`)."""
    words = Vocabulary()
    names = {"herring", "hering", "denis", "dennis"}
    words.add([(names | {"here", "denied"}, names)])
    words.save(tmp_path)
    spellings = Spellings.load(tmp_path)
    assert spellings.group("hering") == (["herring"], ["hering"])
    assert spellings.group("denis") == (["dennis"], ["denis"])
    assert words.groups() == {"denis": ["dennis"], "hering": ["herring"]}  # (Typesense's synonyms)


@pytest.mark.parametrize("typed", ["Shamayev", "Hrytsiak", "Zelenskaja"])
def test_a_spelling_the_index_lacks_finds_the_one_it_has_without_a_typo_retry(
    searcher: Searcher, typed: str
) -> None:
    result = searcher.search(typed)
    assert result.hits and not result.corrected and not result.warnings
    assert all(hit.variants for hit in result.hits)


def test_kenghir_finds_kengir(corpus_copy: Path, index: Path) -> None:
    """Both spellings of the third uprising of 1953 are common, in one article too:
    `Kenghir` found the section that writes it so, not the infobox's `Kengir` (a bug hunt)."""
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR.replace("The camp", "The Kenghir camp"))
    update_index(corpus_copy, index)
    with Searcher.open(index=index, corpus=corpus_copy, update=False) as searcher:
        result = searcher.search("Kenghir")
    infobox = next(hit for hit in result.hits if hit.section == "Infobox")
    assert infobox.article == "Kengir uprising" and "Kengir" in infobox.variants


def test_a_file_too_large_for_an_article_is_skipped_unread(
    corpus_copy: Path, index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 3 GB file stopped the whole build with a MemoryError traceback on a smaller machine:
    it was read whole (a bug hunt). It is now named and skipped, never read; the others are
    indexed. (A sparse file: it takes no disk.)"""
    huge = corpus_copy / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(indexer.LARGEST_ARTICLE_BYTES + 1)

    def unreadable(path: Path) -> bytes:
        raise AssertionError(f"{path} was read")

    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: unreadable(path) if path == huge else original(path))
    report = update_index(corpus_copy, index)
    assert report.articles == 2 and report.problems == {
        "huge.txt": f"{huge}: 67,108,865 bytes, too large for an article (at most 64 MB)"
    }


def test_a_corpus_of_no_article_files_is_indexed_with_a_note(tmp_path: Path, index: Path) -> None:
    """A folder named by mistake was indexed as an empty corpus without a word, and searches
    then found nothing for good (a bug hunt)."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("not an article", encoding="utf-8")
    notes: list[str] = []
    report = update_index(tmp_path / "empty", index, notify=notes.append)
    assert report.articles == 0
    assert notes[0] == f"the corpus folder {(tmp_path / 'empty').resolve()} holds no article files (*.txt)"
    result = CliRunner().invoke(cli, ["facets", "--index", str(index), "--no-update"])
    assert result.stdout.splitlines()[:2] == ["article    articles  sections", "    (no values)"]
    assert result.stderr.splitlines() == ["searcher: no sections match"]


# --- an updated index answers as a rebuild ----------------------------------------------------

# Articles an edit leaves alone: enough documents that one article's make no rebuild (10%).
FILLERS = {f"filler-{number}.txt": f"= Filler {number} =\n\nA filler.\n"
           + "".join(f"\n=={part}==\nPart {part} of filler {number}.\n" for part in "ABCDEFG")
           for number in range(10)}


def infobox_article(title: str, *fields: str, text: str = "A lead about the strike.") -> str:
    return f"= {title} =\n\nInfobox\n" + "".join(f"- {field}\n" for field in fields) + f"\n{text}\n"


# (the files, the edit of `a.txt`, what is asked): each from a differential test of updates
# against rebuilds, where what only the old `a.txt` held still counted after the update.
STALE = {
    "a value named whole": (
        {"a.txt": infobox_article("A", "Result: Suppressed"),
         "b.txt": infobox_article("B", "Result: Uprising suppressed")},
        infobox_article("A", "Result: Strike ended"),
        lambda s: [(h.article, h.section) for h in s.search("strike", filters={"result": "suppressed"}).hits],
    ),
    "a field's kind": (
        {"a.txt": infobox_article("A", "Venue: 57 killed"),
         "b.txt": infobox_article("B", "Venue: 16 May 1997 in Mexico City"),
         "c.txt": infobox_article("C", "Venue: Mexico City")},
        infobox_article("A", "Venue: Paris"),
        lambda s: ([(f.name, f.kind) for f in s.fields() if f.name == "venue"], s.search("venue:1997").total),
    ),
    "a word only the old text had": (
        {"a.txt": "= A =\n\nThe miners found quendorilite there.\n",
         "b.txt": "= B =\n\nThe miners found quendorelite here.\n"},
        "= A =\n\nThe miners found coal there.\n",
        lambda s: (lambda r: (r.total, r.corrected, r.suggestion))(s.search("quendorilite")),
    ),
    "a joined word": (
        {"a.txt": "= A =\n\nA nonfiction book.\n", "b.txt": "= B =\n\nA non fiction book.\n"},
        "= A =\n\nA book.\n",
        lambda s: [(h.article, h.section) for h in s.search("nonfiction").hits],
    ),
    "the examples of fields": (  # (the first article by path; an edit moved it last by document)
        {"a.txt": infobox_article("A", "Place: Zeta", "Home Town: Rome"),
         "b.txt": infobox_article("B", "Place: Alpha", "Hometown: Paris")},
        infobox_article("A", "Place: Zeta", "Home Town: Rome", text="An edited lead."),
        lambda s: [(f.name, f.keys, f.example) for f in s.fields()],
    ),
    "the words a pattern stands for": (  # (5,000 at most)
        {"a.txt": "= A =\n\n" + " ".join(f"zqx{number:03}" for number in range(20)) + ".\n",
         "b.txt": "= B =\n\n" + " ".join(f"zq{number:05}" for number in range(4_990)) + ".\n"},
        "= A =\n\nNothing.\n",
        lambda s: _error_of(lambda: s.search("zq*")),
    ),
    "a field removed": (
        {"a.txt": infobox_article("A", "Rarefield: alpha", "Place: Here")},
        infobox_article("A", "Place: Here"),
        lambda s: _error_of(lambda: s.search("rarefield:alpha")),
    ),
    "the passage of the rarer word": (  # (its sections held `alpha`, which was then the commoner)
        {"a.txt": "= A =\n\nA lead.\n" + "".join(f"\n=={n}==\nThe alpha of part {n}.\n" for n in "PQRST"),
         "b.txt": "= B =\n\nThe alpha stands here. " + "A filler sentence of no interest. " * 8
                  + "The beta stands there.\n",
         "c.txt": "= C =\n\nA beta.\n\n==More==\nAnother beta.\n"},
        "= A =\n\nA lead.\n" + "".join(f"\n=={n}==\nThe gamma of part {n}.\n" for n in "PQRST"),
        lambda s: [h.snippet for h in s.search("alpha OR beta", article="B").hits],
    ),
    "the ranking": (  # (its sections held `beta`, which was then the commoner; BM25's statistics)
        {"a.txt": "= A =\n\nA lead.\n" + "".join(f"\n=={n}==\nThe beta of part {n}.\n" for n in "PQRST"),
         "b.txt": "= B =\n\nAn alpha, an alpha and a beta.\n",
         "c.txt": "= C =\n\nAn alpha, a beta and a beta.\n",
         "d.txt": "= D =\n\nAn alpha.\n"},
        "= A =\n\nA lead.\n" + "".join(f"\n=={n}==\nThe gamma of part {n}.\n" for n in "PQRST"),
        lambda s: [(h.article, h.score) for h in s.search("alpha OR beta").hits],
    ),
}


def _error_of(call: Callable[[], object]) -> str:
    try:
        call()
    except QueryError as error:
        return str(error).split(";")[0]
    return "no error"


@pytest.mark.parametrize("case", STALE)
def test_an_updated_index_answers_as_a_rebuild_of_the_corpus(tmp_path: Path, case: str) -> None:
    files, edited, asked = STALE[case]
    corpus = tmp_path / "corpus"
    for name, text in {**FILLERS, **files}.items():
        write_article(corpus, name, text)
    update_index(corpus, tmp_path / "updated")
    write_article(corpus, "a.txt", edited)
    report = update_index(corpus, tmp_path / "updated")
    assert report.updated == ["a.txt"] and not report.rebuilt
    update_index(corpus, tmp_path / "rebuilt")
    answers = []
    for index in ("updated", "rebuilt"):
        with Searcher.open(tmp_path / index, update=False) as searcher:
            answers.append(asked(searcher))
    assert answers[0] == answers[1]


def test_an_update_names_shared_titles_and_skipped_files_as_a_rebuild(tmp_path: Path) -> None:
    """A file added by an update came last in its manifest: a title it shared with an older
    file was named by the older file's spelling, where a rebuild names it by the first file
    of the corpus, and the skipped files were listed out of order."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "b.txt", "= Kengir uprising =\n\nA strike in the camp.\n")
    write_article(corpus, "y.txt", "")
    update_index(corpus, tmp_path / "updated")
    write_article(corpus, "a.txt", "= KENGIR UPRISING =\n\nThe strike in capitals.\n")
    write_article(corpus, "x.txt", "")
    notes: list[str] = []
    updated = update_index(corpus, tmp_path / "updated", notify=notes.append)
    rebuilt = update_index(corpus, tmp_path / "rebuilt")
    assert updated.same_titles == rebuilt.same_titles == {"KENGIR UPRISING": ["a.txt", "b.txt"]}
    assert list(updated.problems) == list(rebuilt.problems) == ["x.txt", "y.txt"]
    assert any(note.startswith("2 files have the title 'KENGIR UPRISING': a.txt, b.txt") for note in notes)


@pytest.mark.parametrize("manifest", ["as the update wrote it", "of an older generation"])
def test_an_updated_index_knows_its_infobox_names_without_reading_each(tmp_path: Path, manifest: str) -> None:
    """The infobox names only deleted documents have are found once, by the update: each
    search process read the postings of every name (30 µs a name; thousands on a big corpus).
    A manifest of another generation than the index's says nothing of it: they are read."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    for name, text in {**FILLERS, "a.txt": infobox_article("A", "Rarefield: alpha", "Place: Here"),
                       "b.txt": infobox_article("B", "Venue: Paris")}.items():
        write_article(corpus, name, text)
    update_index(corpus, index)
    write_article(corpus, "a.txt", infobox_article("A", "Place: Here"))
    with measure() as updating:  # (the names of the article it replaced, not every name)
        assert update_index(corpus, index).updated == ["a.txt"]
    assert updating.postings["infobox_names"] == {b"rarefield", b"place"}
    write_article(corpus, "b.txt", infobox_article("B", "Venue: Paris", text="An edited lead."))
    assert update_index(corpus, index).updated == ["b.txt"]  # (rarefield stays unheld)
    if manifest == "of an older generation":
        file = index / (index / CURRENT).read_text().strip() / MANIFEST
        file.write_text(json.dumps({**json.loads(file.read_text()), "generation": 0}))
    with measure() as work, Searcher.open(index, update=False) as searcher:
        pass
    with Searcher.open(index, update=False) as searcher:
        assert {field.name for field in searcher.fields()} >= {"place", "venue"}
        assert "rarefield" not in {field.name for field in searcher.fields()}
    assert ("infobox_names" in work.postings) == (manifest == "of an older generation")


def test_an_update_stems_only_the_words_it_has_not_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which names share a stem with a common word (they are no spelling variants) took an
    update a stem of every word of the vocabulary: 70 ms on the 112 real articles. The stems
    are kept beside the words; an update stems the new ones."""
    corpus = tmp_path / "corpus"
    for name, text in FILLERS.items():
        write_article(corpus, name, text)
    update_index(corpus, tmp_path / "index")
    stemmed: list[str] = []
    counting = vocabulary_module.index_term

    def stem(word: str) -> str | None:
        stemmed.append(word)
        return counting(word)

    monkeypatch.setattr(vocabulary_module, "index_term", stem)
    write_article(corpus, "filler-0.txt", FILLERS["filler-0.txt"] + "\nThe quendorilite miners wrote home.\n")
    report = update_index(corpus, tmp_path / "index")
    assert report.updated == ["filler-0.txt"] and not report.rebuilt
    assert sorted(stemmed) == ["home", "miners", "quendorilite", "wrote"]
    with Searcher.open(tmp_path / "index", update=False) as searcher:
        assert searcher.search("quendorilite").total == 1


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="writer processes need two cores or more")
def test_a_build_of_writer_processes_stems_no_word_in_the_main_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vocabulary's stems were all worked out in the main process, while the writer
    processes had just stemmed the same words (75 ms of a build of the 112 real articles):
    they hand them over with their counts."""
    corpus = tmp_path / "corpus"
    for number in range(indexer.PARALLEL_FROM):
        write_article(corpus, f"a{number}.txt", f"= Article {number} =\n\nMiners of camp {number} struck.\n")
    stemmed: list[str] = []
    counting = vocabulary_module.index_term

    def stem(word: str) -> str | None:
        stemmed.append(word)  # (in this process only: the writer processes count their own)
        return counting(word)

    monkeypatch.setattr(vocabulary_module, "index_term", stem)
    update_index(corpus, tmp_path / "index")
    assert stemmed == []
    with Searcher.open(tmp_path / "index", update=False) as searcher:
        assert searcher.search("struck").total == indexer.PARALLEL_FROM
