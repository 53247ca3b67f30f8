"""Which engine answers: the embedded Whoosh index (the default) or a Typesense cluster.

An engine is named by `--engine` or `$SEARCHER_ENGINE`:

- `whoosh` (or nothing): the index folder on this machine (`--index`);
- `typesense://API_KEY@HOST:PORT[,HOST:PORT...][/COLLECTION]`: the nodes of a Typesense
  cluster (any of them answers; the client fails over between them) and the collection alias
  the corpus is kept under (default `searcher`). `https://` nodes: `typesenses://`.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple
from urllib.parse import unquote

from .errors import SearcherError, quoted

ENVIRONMENT = "SEARCHER_ENGINE"
DEFAULT_COLLECTION = "searcher"
EXAMPLE = "typesense://API_KEY@127.0.0.1:8108"

# The patterns are strings run through `re`'s functions, which compile each on its first use
# and keep it: a search of the Whoosh index reads no address.
_URL = r"(?P<scheme>typesenses?)://(?P<key>[^@/]+)@(?P<nodes>[^/]+)(?:/(?P<collection>[^/]*))?"
_NODE = r"(?P<host>\[[0-9a-fA-F:.]+\]|[^:,\[\]]+):(?P<port>\d{1,5})"
_COLLECTION = r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}"


class EngineError(SearcherError):
    """An engine address that cannot be understood."""


class Node(NamedTuple):
    host: str
    port: int


class TypesenseAddress(NamedTuple):
    """Where a Typesense cluster is, how to talk to it, and the collection alias to use."""

    api_key: str
    nodes: tuple[Node, ...]
    collection: str = DEFAULT_COLLECTION
    https: bool = False

    def url(self) -> str:
        """The address as `--engine` takes it, key and all."""
        nodes = ",".join(f"{node.host}:{node.port}" for node in self.nodes)
        return f"typesense{'s' if self.https else ''}://{self.api_key}@{nodes}/{self.collection}"

    def __str__(self) -> str:
        """The address without its key, for messages."""
        nodes = ",".join(f"{node.host}:{node.port}" for node in self.nodes)
        return f"typesense{'s' if self.https else ''}://…@{nodes}/{self.collection}"


def engine_address(given: str | None = None) -> TypesenseAddress | None:
    """The engine named by `given`, else by `$SEARCHER_ENGINE`: None for the Whoosh index."""
    text = given if given is not None else os.environ.get(ENVIRONMENT, "")
    return parse_engine(text, "--engine" if given is not None else f"${ENVIRONMENT}")


def parse_engine(text: str, source: str = "--engine") -> TypesenseAddress | None:
    """`text` read as an engine address (see the module docstring); `EngineError` naming
    `source` and the part at fault when it cannot be read."""
    text = text.strip()
    if text in ("", "whoosh"):
        return None
    url = re.fullmatch(_URL, text)
    if url is None:
        raise EngineError(
            f"{source} {_shown(text)} is not an engine: "
            f"give `whoosh` or {EXAMPLE}[,HOST:PORT...][/COLLECTION]"
        )
    nodes = []
    for part in url["nodes"].split(","):
        node = re.fullmatch(_NODE, part.strip())
        if node is None or not 0 < int(node["port"]) < 65536:
            raise EngineError(f"{source}: node {quoted(part)} is not HOST:PORT (e.g. 127.0.0.1:8108)")
        nodes.append(Node(node["host"].strip("[]"), int(node["port"])))
    collection = url["collection"] or DEFAULT_COLLECTION
    if not re.fullmatch(_COLLECTION, collection):
        raise EngineError(
            f"{source}: collection {quoted(collection)} must be letters, digits, '_' or '-' (at most 64)"
        )
    return TypesenseAddress(unquote(url["key"]), tuple(nodes), collection, url["scheme"] == "typesenses")


def _shown(text: str) -> str:
    """An address for a message, its API key hidden."""
    return quoted(re.sub(r"(://)[^@/]*@", r"\1…@", text))
