"""The connection to a Typesense cluster, and its failures as this package's errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..engine import TypesenseAddress
from ..errors import IndexUnavailable, SearcherError

# Seconds to wait for a node before trying the next; a cluster's retries ride out a leader
# election (about 10 s), one node's give up sooner.
TIMEOUT = 5.0
RETRIES = {False: 3, True: 15}  # by whether there are several nodes
RETRY_INTERVAL = 1.0


class TypesenseMissing(SearcherError):
    """The Typesense client is not installed."""


def connect(address: TypesenseAddress) -> Any:
    """A client for the cluster at `address` (the `typesense` package, imported here: the
    Whoosh engine never needs it)."""
    try:
        import typesense
    except ImportError:
        raise TypesenseMissing(
            "the Typesense engine needs its client: pip install 'searcher[typesense]'"
        ) from None
    # The client warns once a process about 0.24's synonyms API (later servers replace it).
    logging.getLogger("typesense").setLevel(logging.ERROR)
    return typesense.Client({
        "api_key": address.api_key,
        "nodes": [
            {"host": node.host, "port": node.port, "protocol": "https" if address.https else "http"}
            for node in address.nodes
        ],
        "connection_timeout_seconds": TIMEOUT,
        "num_retries": RETRIES[len(address.nodes) > 1],
        "retry_interval_seconds": RETRY_INTERVAL,
    })


def disconnect(client: Any) -> None:
    """Close the client's connections."""
    client.api_call.close()


@contextmanager
def answering(address: TypesenseAddress) -> Iterator[None]:
    """Typesense's and the network's failures inside as one-line `IndexUnavailable` errors
    naming the cluster."""
    import httpx
    from typesense import exceptions

    try:
        yield
    except httpx.TransportError as error:
        raise IndexUnavailable(f"Typesense at {address} is not answering: {error}") from None
    except exceptions.RequestUnauthorized:
        raise IndexUnavailable(f"Typesense at {address} refused the API key") from None
    except exceptions.TypesenseClientError as error:
        raise IndexUnavailable(f"Typesense at {address}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__
