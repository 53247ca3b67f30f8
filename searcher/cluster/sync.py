"""Bring a Typesense collection up to date with a corpus, as `indexer` does the Whoosh index.

The collection name users give (`searcher`) is an alias. A build is a collection of its own
(`searcher-20261128061500-1a2b3c4d`) beside a small one holding its manifest and vocabulary
(`...-meta`); when it is complete the alias moves to it in one step and the old build is
dropped, so searches never see a half-built collection. An update changes only the files
added, edited or removed since the manifest was written (by file stamps, then digests), in
the live build. Spelling variants (`Hrytsyak`, `Gritsyak`) are Typesense synonyms: the stems
of the words that share a spelling key, one synonym set a key (its words keep their points,
as the collection's do: `d.c` is no `dc`), kept in step with the vocabulary.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..builds import Manifest, chosen_corpus, holds
from ..corpus import corpus_files
from ..engine import TypesenseAddress
from ..errors import IndexUnavailable
from ..indexer import IndexReport, Notify, Progress, announce, pending_changes, read_documents, rebuild_reason
from ..schema import ARTICLE, ARTICLE_KIND, BODY, KIND, PATH, words_of
from ..vocabulary import Vocabulary
from .client import answering, connect, disconnect
from .documents import (
    WORD_SYMBOLS,
    WRITTEN,
    collection_schema,
    document_id,
    filter_value,
    typesense_documents,
    words,
)

META_SUFFIX = "-meta"
# The version of documents.py's collections: a build of another is rebuilt.
COLLECTION_VERSION = 31
MANIFEST_ID = "manifest"
VOCABULARY_ID = "vocabulary"
# Documents sent in one import request.
BATCH = 500


def sync(
    address: TypesenseAddress,
    corpus_dir: Path | str | None = None,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    notify: Notify | None = None,
) -> IndexReport:
    """Bring the collection at `address` up to date with the articles in `corpus_dir`
    (default: `$SEARCHER_CORPUS`, else the corpus the collection holds, else the bundled
    one), as `indexer.update_index` does an index folder."""
    client = connect(address)
    try:
        with answering(address):
            return _sync(client, address, corpus_dir, rebuild, progress, notify)
    finally:
        disconnect(client)


def _sync(
    client: Any,
    address: TypesenseAddress,
    corpus_dir: Path | str | None,
    rebuild: bool,
    progress: Progress | None,
    notify: Notify | None,
) -> IndexReport:
    """`sync` with its client."""
    live = live_collection(client, address.collection)
    manifest = load_manifest(client, live) if live else None
    corpus = chosen_corpus(corpus_dir, manifest)
    held = manifest.corpus if manifest else None
    files = corpus_files(corpus, notify=notify)
    if live is None:
        reason = "no collection yet"
    elif manifest is None:
        reason = "it was built by another version of searcher"
    else:
        reason = rebuild_reason(rebuild, Path(live), manifest)
    if reason:
        if notify:
            notify(f"building the collection {address} from {corpus} ({reason})")
        report = _full_build(client, address.collection, corpus, files, progress)
        if live is not None:
            _drop(client, live)
    else:
        assert live is not None and manifest is not None
        report = _incremental(client, live, corpus, manifest, files, progress)
    announce(report, held, corpus, f"the collection {address}", notify)
    return report


def current(address: TypesenseAddress, corpus_dir: Path | str | None = None) -> tuple[str, int, bool]:
    """The live collection, its manifest's generation, and whether it holds the corpus as it
    is now (by file stamps, as `builds.is_up_to_date`): what `searcher serve` checks."""
    client = connect(address)
    try:
        with answering(address):
            live = live_collection(client, address.collection)
            manifest = load_manifest(client, live) if live else None
    finally:
        disconnect(client)
    if live is None or manifest is None:
        return live or "", -1, False
    return live, manifest.generation, holds(manifest, chosen_corpus(corpus_dir, manifest))


def live_collection(client: Any, alias: str) -> str | None:
    """The collection the alias points to, or None before the first build."""
    from typesense import exceptions

    try:
        return str(client.aliases[alias].retrieve()["collection_name"])
    except exceptions.ObjectNotFound:
        return None


def load_manifest(client: Any, collection: str) -> Manifest | None:
    """The manifest of a build, or None when it is missing or unreadable."""
    data = _meta(client, collection, MANIFEST_ID)
    try:
        manifest = Manifest(**data["manifest"])
    except (TypeError, KeyError):
        return None
    return manifest if data.get("version") == COLLECTION_VERSION else None


def load_vocabulary(client: Any, collection: str) -> Vocabulary:
    """The vocabulary of a build (empty when it has none)."""
    return Vocabulary(_meta(client, collection, VOCABULARY_ID) or {})


def _meta(client: Any, collection: str, name: str) -> Any:
    from typesense import exceptions

    try:
        stored = client.collections[collection + META_SUFFIX].documents[name].retrieve()
        return json.loads(stored["data"])
    except (exceptions.ObjectNotFound, KeyError, ValueError):
        return None


def _full_build(
    client: Any, alias: str, corpus: Path, files: dict[str, Path], progress: Progress | None
) -> IndexReport:
    name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{os.urandom(4).hex()}"
    client.collections.create(collection_schema(name))
    client.collections.create({
        "name": name + META_SUFFIX,
        "fields": [{"name": "data", "type": "string", "index": False, "optional": True}],
    })
    try:
        manifest, vocabulary = Manifest(str(corpus)), Vocabulary()
        report = IndexReport(rebuilt=True)
        _write(client, name, manifest, vocabulary, files, report, progress)
        _save(client, name, manifest, vocabulary, Vocabulary())
        client.aliases.upsert(alias, {"collection_name": name})
    except BaseException:
        _drop(client, name)
        raise
    return _finish(client, name, report, manifest)


def _incremental(
    client: Any,
    live: str,
    corpus: Path,
    manifest: Manifest,
    files: dict[str, Path],
    progress: Progress | None,
) -> IndexReport:
    vocabulary = load_vocabulary(client, live)
    before = Vocabulary(vocabulary.columns())
    manifest.corpus = str(corpus)
    report, changed, gone = pending_changes(manifest, files)
    if changed or gone:
        _write(client, live, manifest, vocabulary, changed, report, progress, replace=gone)
    _save(client, live, manifest, vocabulary, before)
    return _finish(client, live, report, manifest)


def _write(
    client: Any,
    collection: str,
    manifest: Manifest,
    vocabulary: Vocabulary,
    todo: dict[str, Path],
    report: IndexReport,
    progress: Progress | None,
    replace: list[str] | None = None,
) -> None:
    """Index the files in `todo`, recording each in the manifest, the vocabulary and the
    report. With `replace` (an update), the files' old documents go, and those of the files
    named in `replace` (removed from the corpus): an edited file's new documents replace its
    old ones (same ids) before the others go, so a search never misses the article."""
    documents = client.collections[collection].documents
    was_indexed = {name: name in manifest.files and not manifest.files[name].get("error") for name in todo}
    stale: set[str] = set()
    if replace is not None:
        for names in _batches([*replace, *todo]):
            old = _export(documents, _paths(names), ["id", KIND, ARTICLE, WRITTEN])
            sections = [document for document in old if document[KIND] != ARTICLE_KIND]
            vocabulary.remove(words_of({ARTICLE: s[ARTICLE], BODY: s[WRITTEN]}) for s in sections)
            stale.update(document["id"] for document in old)
    batch: list[dict[str, Any]] = []
    for done, (name, path) in enumerate(todo.items(), 1):
        entry, found = read_documents(name, path, report)
        if found:
            vocabulary.add(map(words_of, found[1:]))
            batch.extend(typesense_documents(found))
            (report.updated if was_indexed[name] else report.added).append(name)
        elif was_indexed[name]:
            report.removed.append(name)
        manifest.files[name] = entry
        if len(batch) >= BATCH:
            stale.difference_update(_import(documents, batch))
        if progress:
            progress(done, len(todo))
    stale.difference_update(_import(documents, batch))
    for ids in _batches(sorted(stale)):
        documents.delete({"filter_by": f"id:=[{', '.join(ids)}]"})


def _import(documents: Any, batch: list[dict[str, Any]]) -> list[str]:
    """Send the documents of `batch` (then empty it) and return their ids; `IndexUnavailable`
    naming the first document Typesense refused."""
    if not batch:
        return []
    for result, document in zip(documents.import_(batch, {"action": "upsert"}), batch, strict=True):
        if not result.get("success"):
            raise IndexUnavailable(
                f"Typesense refused a document of {document[PATH]}: {result.get('error', 'no reason given')}"
            )
    ids = [document["id"] for document in batch]
    batch.clear()
    return ids


def _export(documents: Any, filter_by: str, fields: list[str]) -> list[dict[str, Any]]:
    """The documents matching `filter_by`, with only `fields`."""
    text = documents.export({"filter_by": filter_by, "include_fields": ",".join(fields)})
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _paths(names: list[str]) -> str:
    """A filter for the documents of the files `names`."""
    return f"{PATH}:=[{', '.join(filter_value(name) for name in names)}]"


def _save(
    client: Any, collection: str, manifest: Manifest, vocabulary: Vocabulary, before: Vocabulary
) -> None:
    """Store the manifest and vocabulary beside the build, and bring its synonyms in step
    with the vocabulary (`before`: what it was when the synonyms were last brought)."""
    meta = client.collections[collection + META_SUFFIX].documents
    meta.upsert({"id": VOCABULARY_ID, "data": json.dumps(vocabulary.columns(), ensure_ascii=False)})
    synonyms = client.collections[collection].synonyms
    old, new = synonym_sets(before), synonym_sets(vocabulary)
    for key in old.keys() - new.keys():
        synonyms[document_id(key)].delete()
    for key, stems in new.items():
        if old.get(key) != stems:
            synonyms.upsert(document_id(key), {"synonyms": stems, "symbols_to_index": WORD_SYMBOLS})
    manifest.generation += 1
    data = {"version": COLLECTION_VERSION, "manifest": manifest.__dict__}
    meta.upsert({"id": MANIFEST_ID, "data": json.dumps(data, ensure_ascii=False)})


def synonym_sets(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """The stems of the words that share a spelling key, by key, where there are several."""
    found = {}
    for key, group in vocabulary.groups().items():
        stems = sorted({stem for word in group for stem in words(word)})
        if len(stems) > 1:
            found[key] = stems
    return found


def _finish(client: Any, collection: str, report: IndexReport, manifest: Manifest) -> IndexReport:
    report.corpus = manifest.corpus
    report.problems = manifest.problems()
    report.notes = manifest.notes()
    report.same_titles = manifest.same_titles()
    report.articles = len(manifest.indexed())
    found = client.collections[collection].documents.search(
        {"q": "*", "filter_by": f"{KIND}:!={ARTICLE_KIND}", "per_page": 0}
    )
    report.sections = int(found["found"])
    return report


def _drop(client: Any, collection: str) -> None:
    """Delete a build and its meta collection, whatever is left of them."""
    from typesense import exceptions

    for name in (collection, collection + META_SUFFIX):
        with contextlib.suppress(exceptions.ObjectNotFound):
            client.collections[name].delete()


def _batches(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
