"""Files written whole or not at all: a reader sees the old content or the new, never half."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, and rename it over."""
    temporary = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
