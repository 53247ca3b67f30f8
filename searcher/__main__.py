"""The `searcher` process: the console script and `python -m searcher` start here, set up
the process, and run the command line (`cli`)."""

from __future__ import annotations

import gc
import io
import sys
from typing import Any

# CPython looks for reference cycles each time 700 more container objects (dicts, functions,
# classes, lists...) are alive than at its last look. Loading click, Whoosh and this package
# makes about 22,000 of them and no garbage, so a cold search looked some 60 times and freed
# nothing: about 10 ms of 105 on the 112 shared articles. From this many, a search does not
# look at all, and a build or a server still looks as often as they make this many objects,
# so the cycles they leave stay bounded.
FIRST_LOOK_FOR_CYCLES_AFTER = 50_000


def main() -> None:
    """Run the `searcher` command line in this process."""
    gc.set_threshold(FIRST_LOOK_FOR_CYCLES_AFTER)  # (the older generations' thresholds stay)
    from .cli import cli  # click and the commands, loaded under that threshold

    stdout = sys.stdout
    if isinstance(stdout, io.TextIOWrapper):  # (buffered, or not: PYTHONUNBUFFERED)
        raw = stdout.buffer.raw if isinstance(stdout.buffer, io.BufferedWriter) else stdout.buffer
        if isinstance(raw, io.FileIO):
            sys.stdout = io.TextIOWrapper(
                _WholeWrites(raw), stdout.encoding, stdout.errors,
                line_buffering=stdout.line_buffering, write_through=stdout.write_through,
            )
    try:
        cli(prog_name="searcher")
    finally:
        # The process ends here: its objects are freed as it exits, and the cyclic garbage
        # collector need not go through all of them first, as it does at exit (a cold
        # `search --json` on the 112 articles: 114 ms, against 147 ms without; 30 runs
        # alternated).
        gc.freeze()


class _WholeWrites(io.BufferedWriter):
    """Standard output that writes all it is given or raises: a big write (a JSON answer, a
    long paragraph) that a pipe takes in part, its reader gone (`| head -1`), returns the part
    written and keeps the error for a next write, which never comes: the rest was lost and
    the command exited 0. Each rest is written again here, which raises BrokenPipeError."""

    def write(self, data: Any) -> int:
        rest = memoryview(data).cast("B")
        while rest:
            rest = rest[super().write(rest) :]
        return len(data)


if __name__ == "__main__":
    main()
