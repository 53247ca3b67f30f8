"""The codec a build writes with, and so reads with (codec.py): Whoosh's own, its length
columns sparse where that is smaller, its stored fields not compressed, terms of few postings
inlined, each term of a segment it reads looked up once.

These tests pin how Whoosh reads a segment's length columns, stored fields and terms: an
upgrade that reads them another way (so that `BuildCodec`'s no longer read as Whoosh's, or
its terms reader no longer answers as Whoosh's) fails here.
"""

from __future__ import annotations

import os
import struct
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import fields
from whoosh.codec.whoosh3 import STORED_COLUMN, W3Codec, W3TermInfo, W3TermsReader
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.filetables import OrderedHashReader
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Frequency
from whoosh.reading import TermNotFound

from searcher import indexer, read_article, update_index
from searcher.builds import open_live
from searcher.codec import (
    _LENGTHS,
    DENSE,
    DOCNUM_BYTES,
    INLINE_BELOW,
    INLINE_VALUE_BYTES,
    SPARSE,
    BuildCodec,
    _TermsReader,
)
from searcher.schema import PATH, IndexSchema, build_schema, documents
from tests.conftest import CORPUS, KENGIR, write_article


def _index(codec: Any) -> Any:
    """A one-segment index of the bundled articles written with `codec`, in memory."""
    ix = RamStorage().create_index(build_schema())
    writer = ix.writer(codec=codec)
    for path in sorted(CORPUS.glob("*.txt")):
        for document in documents(read_article(path), path.name, "digest"):
            writer.add_document(**document)
    writer.commit()
    return ix


def _segment_files(ix: Any) -> dict[str, bytes]:
    """The files of the index's one segment, by name without the segment's random id."""
    (segment,) = ix._segments()
    files = segment.open_compound_file(ix.storage)
    return {name.split(".", 1)[1]: files.open_file(name).read() for name in files.list()}


def test_the_segment_reads_as_whooshs_with_terms_of_few_postings_inlined() -> None:
    """Every file of the segment but the terms, postings, lengths and stored fields is the
    same as Whoosh's, and Whoosh's readers read the same lengths, stored fields and postings
    from both. Those of a term of fewer than `INLINE_BELOW` postings, each with a value (a
    word's positions), the values under `INLINE_VALUE_BYTES`, are in the term's info, not a
    block."""
    ours, whooshs = _index(BuildCodec()), _index(W3Codec())
    our_files, whoosh_files = _segment_files(ours), _segment_files(whooshs)
    own = {"trm", "pst", "_stored.col"} | {name for name in whoosh_files if name.endswith("_len.col")}
    assert {name: data for name, data in our_files.items() if name not in own} == {
        name: data for name, data in whoosh_files.items() if name not in own
    }
    assert any(name.startswith("_ib_") and name.endswith("_len.col") for name in our_files)
    assert len(our_files["pst"]) < len(whoosh_files["pst"])
    with ours.reader() as reader, whooshs.reader() as whoosh_reader:
        assert list(reader.iter_postings()) == list(whoosh_reader.iter_postings())
        assert list(reader.all_stored_fields()) == list(whoosh_reader.all_stored_fields())
        scored = [name for name in reader.indexed_field_names() if reader.schema[name].scorable]
        assert any(name.startswith("ib_") for name in scored)
        for name in scored:
            asked = (reader.field_length, reader.min_field_length, reader.max_field_length)
            answered = (whoosh_reader.field_length, whoosh_reader.min_field_length,
                        whoosh_reader.max_field_length)
            assert [ask(name) for ask in asked] == [answer(name) for answer in answered], name
            documents = range(reader.doc_count_all() + 1)  # (Whoosh answers past the last, too)
            assert [reader.doc_field_length(docnum, name) for docnum in documents] == [
                whoosh_reader.doc_field_length(docnum, name) for docnum in documents
            ], name
        terms = list(reader.all_terms())
        inlined = {term for term in terms if reader.term_info(*term).is_inlined()}
        assert len(inlined) > len(terms) / 4
        for term in terms:
            values = [value for _, value in reader.postings(*term).all_items()]
            few_with_values = (
                len(values) < INLINE_BELOW and all(values) and sum(map(len, values)) < INLINE_VALUE_BYTES
            )
            assert (term in inlined) == few_with_values, term
        assert any(reader.doc_frequency(*term) > 1 for term in inlined)
        assert not any(whoosh_reader.term_info(*term).is_inlined() for term in terms)


def test_length_columns_are_sparse_where_that_is_smaller() -> None:
    """A field on few documents (an infobox field: article documents only) keeps its lengths
    as those documents and their bytes, not Whoosh's byte for every document up to the last."""
    ours, whooshs = _index(BuildCodec()), _index(W3Codec())
    our_files, whoosh_files = _segment_files(ours), _segment_files(whooshs)
    lengths = {name: data for name, data in our_files.items() if name.endswith("_len.col")}
    assert lengths.keys() == {name for name in whoosh_files if name.endswith("_len.col")}
    for name, data in lengths.items():
        whooshs_column = whoosh_files[name]  # (a byte for each document up to the last with one)
        having = sum(1 for byte in whooshs_column if byte)
        if (DOCNUM_BYTES + 1) * having < len(whooshs_column):
            assert data[:1] == SPARSE and len(data) == 1 + (DOCNUM_BYTES + 1) * having, name
            docnums = [docnum for docnum, byte in enumerate(whooshs_column) if byte]
            assert data[1:] == struct.pack(f"<{having}I", *docnums) + whooshs_column.replace(b"\0", b""), name
        else:
            assert data == DENSE + whooshs_column, name
    assert lengths["_body_len.col"][:1] == DENSE
    sparse = [name for name, data in lengths.items() if data[:1] == SPARSE]
    assert sparse and all(name.startswith("_ib_") for name in sparse)


def test_stored_text_is_not_compressed() -> None:
    """A section's text is stored as it is, not inflated again for each hit's passage."""
    our_files, whoosh_files = _segment_files(_index(BuildCodec())), _segment_files(_index(W3Codec()))
    text = read_article(next(CORPUS.glob("*.txt"))).sections[-1].text.encode("utf-8")
    assert text in our_files["_stored.col"] and text not in whoosh_files["_stored.col"]


def test_stored_fields_and_the_path_column_say_where_each_value_starts() -> None:
    """Whoosh writes the offsets of a column of values only past 32,768 documents, and
    otherwise sums their lengths in Python when a search first reads the column."""
    with _index(BuildCodec()).reader() as reader:
        stored = reader._perdoc._cached_reader("_stored", STORED_COLUMN)
        path = reader.column_reader(PATH)
        assert stored._child.had_stored_offsets and path._reader.had_stored_offsets
        documents = range(reader.doc_count_all())
        assert [path[docnum] for docnum in documents] == [stored[docnum][PATH] for docnum in documents]


@given(st.dictionaries(st.integers(0, 300), st.integers(1, 255), max_size=40), st.integers(0, 50))
def test_a_length_column_reads_back_what_was_written(lengths: dict[int, int], more: int) -> None:
    """Either form, as Whoosh reads a length column: a byte for every document, 0 for none."""
    doccount = max(lengths, default=-1) + 1 + more
    written = BytesIO()
    column = _LENGTHS.writer(written)
    for docnum in sorted(lengths):
        column.add(docnum, lengths[docnum])
    column.finish(doccount)
    data = written.getvalue()
    reader = _LENGTHS.reader(StructFile(BytesIO(data)), 0, len(data), doccount)
    expected = [lengths.get(docnum, 0) for docnum in range(doccount)]
    assert list(reader) == expected
    assert [reader[docnum] for docnum in range(doccount)] == expected
    assert reader.all() == bytes(expected)
    assert reader[doccount] == _LENGTHS.default_value() == 0  # (as Whoosh's reader answers)
    dense, sparse = max(lengths, default=-1) + 1, (DOCNUM_BYTES + 1) * len(lengths)
    assert data[:1] == (SPARSE if sparse < dense else DENSE)
    assert len(data) == 1 + min(sparse, dense)


def test_postings_are_pickled_at_protocol_4() -> None:
    """Whoosh pickles blocks of postings and inlined postings with whoosh3's `dumps` at
    protocol 2, each value (bytes) a call of `codecs.encode`; codec.py makes that `dumps`
    pickle at protocol 4. Fails if a Whoosh upgrade pickles them with anything else."""
    from whoosh.codec import whoosh3

    for written_by in (whoosh3.W3PostingsWriter._write_block, whoosh3.W3TermInfo.to_bytes):
        assert "dumps" in written_by.__code__.co_names, written_by
    assert whoosh3.dumps(([1], [1.0], [b"\x01"]), 2)[:2] == b"\x80\x04"
    ix = _index(BuildCodec())
    with ix.reader() as reader:
        terms_reader = reader._terms
        header = whoosh3.W3TermInfo._struct.size
        inlined = [term for term in reader.all_terms() if reader.term_info(*term).is_inlined()]
        assert inlined
        for fieldname, text in inlined[:50]:
            info = terms_reader._dbfile.get(*terms_reader._place(fieldname, text))
            assert info[header : header + 2] == b"\x80\x04", (fieldname, text)
        assert sum(reader.doc_frequency(*term) for term in inlined) > len(inlined)  # (with values)


def test_builds_write_with_it(built_index: Path) -> None:
    build = open_live(built_index)
    try:
        assert all(isinstance(segment.codec(), BuildCodec) for segment in build.index._segments())
    finally:
        build.close()


def test_updates_merge_with_it(corpus_copy: Path, tmp_path: Path) -> None:
    """An update that merges the index into one segment (most of the corpus edited) writes
    it with `BuildCodec` too, so it is read with `_TermsReader`; the merge reads the lengths
    and stored fields of the segments it merges as written: each document has those of a
    fresh build of the same corpus."""
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    for path in corpus_copy.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    update_index(corpus_copy, index)
    build = open_live(index)
    try:
        (segment,) = build.index._segments()
        assert isinstance(segment.codec(), BuildCodec)
        with build.index.reader() as reader:
            assert isinstance(reader._terms, _TermsReader)
            merged = _documents_with_lengths(reader)
    finally:
        build.close()
    update_index(corpus_copy, tmp_path / "fresh")
    fresh = open_live(tmp_path / "fresh")
    try:
        with fresh.index.reader() as reader:
            assert merged == _documents_with_lengths(reader)
    finally:
        fresh.close()


def _documents_with_lengths(reader: Any) -> dict[tuple[str, str, int], tuple[dict[str, Any], dict[str, int]]]:
    """Each live document's stored fields and its length in each scored field, by its file,
    kind and place in it (document numbers differ between a merged segment and a fresh one)."""
    scored = [name for name in reader.indexed_field_names() if reader.schema[name].scorable]
    documents = {}
    for docnum in reader.all_doc_ids():
        stored = reader.stored_fields(docnum)
        lengths = {name: reader.doc_field_length(docnum, name) for name in scored}
        documents[stored[PATH], stored["kind"], stored.get("position", -1)] = (stored, lengths)
    assert len(documents) == reader.doc_count()
    assert any(any(lengths.values()) for _, lengths in documents.values())
    return documents


def _terms_readers(ix: Any) -> tuple[W3TermsReader, _TermsReader]:
    """Whoosh's reader of the one segment's terms, and `BuildCodec`'s."""
    (segment,) = ix._segments()
    files = segment.open_compound_file(ix.storage)  # as Whoosh's SegmentReader opens them
    return W3Codec().terms_reader(files, segment), BuildCodec().terms_reader(files, segment)


def test_the_terms_reader_answers_as_whooshs() -> None:
    """Every term of a segment, and terms it lacks, in every field: the same answers."""
    ix = RamStorage().create_index(build_schema())
    writer = ix.writer(codec=BuildCodec())
    for path in sorted(CORPUS.glob("*.txt")):
        for document in documents(read_article(path), path.name, "digest"):
            writer.add_document(**document)
    writer.commit()
    whooshs, ours = _terms_readers(ix)
    terms = list(whooshs.terms())
    assert len(terms) > 500
    missing = [(fieldname, text + b"\x00zz") for fieldname, text in terms[::50]] + [("nofield", b"amnesty")]
    for term in terms:
        assert term in ours
        assert ours.term_info(*term).__dict__ == whooshs.term_info(*term).__dict__
        assert ours.frequency(*term) == whooshs.frequency(*term)
        assert ours.doc_frequency(*term) == whooshs.doc_frequency(*term)
        postings = (list(read.matcher(*term, Frequency()).all_ids()) for read in (ours, whooshs))
        assert next(postings) == next(postings)
    for term in missing:
        assert term not in ours and term not in whooshs
        for read in (whooshs, ours):
            with pytest.raises(TermNotFound):
                read.term_info(*term)
            with pytest.raises(KeyError):
                read.doc_frequency(*term)


@pytest.mark.parametrize("fieldname", ["body", "title", "ib_commander", "start_date", "nofield"])
def test_the_terms_cursor_moves_as_whooshs(fieldname: str) -> None:
    """The cursor over a field's terms (in memory) finds, steps and ends where Whoosh's (on
    disk) does, and a fuzzy term's automaton walk finds the same terms with either."""
    ix = _index(BuildCodec())
    whooshs, ours = _terms_readers(ix)
    fieldobj = ix.schema[fieldname if fieldname in ix.schema else "body"]
    theirs, mine = whooshs.cursor(fieldname, fieldobj), ours.cursor(fieldname, fieldobj)
    terms = []
    while theirs.is_valid():
        terms.append(theirs.text())
        assert (mine.text(), mine.is_valid()) == (theirs.text(), True)
        assert mine.term_info().__dict__ == theirs.term_info().__dict__
        theirs.next(), mine.next()
    assert not mine.is_valid() and mine.text() is None and mine.term_info() is None
    assert len(terms) > 2 or fieldname == "nofield"
    assert mine.first() == theirs.first()
    texts = fieldobj.format is not None and not isinstance(terms[0] if terms else "", int)
    probes = [*terms[::7], *(["", "a", "amnest", "zzzz", "\uffff"] if texts else [])]
    for probe in probes:
        assert mine.find(probe) == theirs.find(probe), probe
    if texts:
        automata = W3Codec().automata(None, None)
        for word, edits, prefix in [("amnesty", 2, 1), ("strke", 1, 0), ("norilks", 2, 0), ("a", 1, 0)]:
            found = [list(automata.terms_within(cursor, word, edits, prefix)) for cursor in (
                whooshs.cursor(fieldname, fieldobj), ours.cursor(fieldname, fieldobj))]
            assert found[0] == found[1], word
            assert found[0] or fieldname != "body", word  # (each word is near some of the text)


def test_the_terms_reader_looks_a_term_up_once(monkeypatch: pytest.MonkeyPatch, built_index: Path) -> None:
    """Whether a term is there, how many documents have it and its postings: one look-up in
    the term index (Whoosh's reader makes one for each)."""
    looked_up: list[bytes] = []
    ranges_for_key = OrderedHashReader.ranges_for_key

    def counted(self: Any, key: bytes) -> Any:
        looked_up.append(key)
        return ranges_for_key(self, key)

    monkeypatch.setattr(OrderedHashReader, "ranges_for_key", counted)
    build = open_live(built_index)
    try:
        with build.index.reader() as reader:
            term = ("body", b"amnesti")
            assert term in reader
            assert reader.doc_frequency(*term) > 0
            assert list(reader.postings(*term).all_ids())
            assert ("body", b"nosuchword") not in reader
            assert ("body", b"nosuchword") not in reader
    finally:
        build.close()
    assert len(looked_up) == 2


def test_the_terms_reader_reads_a_terms_info_once(monkeypatch: pytest.MonkeyPatch, built_index: Path) -> None:
    """A query asks about a term two or three times in a segment (the highest weight and
    shortest length its scorer starts from, then its postings, later the places a passage
    marks): its term info, with the postings inlined in it, is read once while it is among the
    last `TERM_INFOS_KEPT` read, and the questions get copies of that one."""
    read: list[bytes] = []
    from_bytes = W3TermInfo.from_bytes.__func__  # type: ignore[attr-defined]  # (a classmethod)

    def counted(cls: Any, data: bytes) -> Any:
        read.append(data)
        return from_bytes(cls, data)

    monkeypatch.setattr(W3TermInfo, "from_bytes", classmethod(counted))
    build = open_live(built_index)
    try:
        with build.index.reader() as reader:
            (segment, _), *_ = reader.leaf_readers()
            term = next(term for term in segment.all_terms() if term[0] == "body")
            info = segment.term_info(*term)
            assert vars(segment.term_info(*term)) == vars(info)
            assert list(segment.postings(*term).all_ids())
            assert segment.doc_frequency(*term) == info.doc_frequency()
    finally:
        build.close()
    assert len(read) == 1


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="writer processes need two cores or more")
def test_a_segments_term_info_is_not_changed_by_a_reader_of_segments(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh's reader of several segments adds a segment's first document number to the ids of
    the term info the segment gives it, in place, when one segment holds the term: with the
    segment's info kept read and handed out itself, each question shifted its ids again (1000,
    1568, 2136 on the 112 articles), and the segment's own answer with them."""
    for number in range(1, 9):  # (a title word each: `1` ... `8`)
        write_article(corpus_copy, f"kengir-{number}.txt", KENGIR.replace("=\n", f"{number} =\n", 1))
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)  # (two writer processes, a segment each)
    monkeypatch.setattr(indexer, "BATCH", 5)
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    build = open_live(index)
    try:
        with build.index.reader() as reader:
            leaves = reader.leaf_readers()
            segment, offset = next((leaf, offset) for leaf, offset in leaves if offset > 0)
            others = [leaf for leaf, _ in leaves if leaf is not segment]
            term = next(term for term in segment.all_terms() if not any(term in other for other in others))
            held = segment.term_info(*term).min_id()
            assert [reader.term_info(*term).min_id() for _ in range(3)] == [held + offset] * 3
            assert segment.term_info(*term).min_id() == held
    finally:
        build.close()


def test_the_index_schema_answers_as_whooshs(built_index: Path) -> None:
    """Every field of the schema, names its glob fields match and names it lacks: the same
    fields and the same answers to `in` as Whoosh's schema of the same fields."""
    ours = build_schema()
    whooshs = fields.Schema()
    whooshs._fields, whooshs._dyn_fields = ours._fields, ours._dyn_fields
    names = [*ours.names(), "ib_commander", "fv_result", "num_strength", "start_date", "end_date",
             "nofield", "", "ib", "ib_", "body2", "BODY"]
    for name in names:
        assert (name in ours) == (name in whooshs), name
        if name in whooshs:
            assert ours[name] is whooshs[name], name
        else:
            with pytest.raises(KeyError):
                ours[name]
    assert "ib_commander" in ours and "nofield" not in ours
    build = open_live(built_index)
    try:
        assert type(build.index.schema) is IndexSchema  # (as the index keeps it)
    finally:
        build.close()
