#!/usr/bin/env python
"""Make the README's screenshots of the search page: the results of a search and an article.

    python docs/screenshots.py                                   # the bundled corpus
    python docs/screenshots.py --corpus ../shared/data/articles  # or any folder of articles

Builds an index in a temporary folder, serves it on a free local port and drives Debian's
Chromium through Playwright, as tests/test_browser.py does; writes docs/search-page.png and
docs/article-view.png.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from searcher import update_index  # noqa: E402
from searcher.web import Library, make_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--query", default="strike")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="searcher-shots-") as work:
        update_index(options.corpus, Path(work) / "index")
        library = Library(Path(work) / "index", options.corpus, update=False)
        server = make_server(library, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=options.chromium)
                page = browser.new_page(viewport={"width": 1200, "height": 820}, base_url=server.url)
                page.goto("/")
                page.locator("#q").fill(options.query)
                page.locator("#q").press("Enter")
                expect(page.locator("#hits > .hit").first).to_be_visible()
                page.locator("#q").blur()
                page.screenshot(path=ROOT / "docs" / "search-page.png")
                # a hit in the lead of an article with an infobox: the view opens at the top
                def get(path: str) -> Any:
                    with urllib.request.urlopen(server.url + path) as response:
                        return json.load(response)

                hits = get("api/search?q=" + quote(options.query))["hits"]
                chosen = next((index for index, hit in enumerate(hits) if hit["section"] == "Lead"
                               and get("api/articles/" + quote(hit["path"]))["infobox"]), 0)
                page.locator(".hit-link").nth(chosen).click()
                expect(page.locator("#article-view .target")).to_be_visible()
                page.screenshot(path=ROOT / "docs" / "article-view.png")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
            library.close()
    print("wrote docs/search-page.png and docs/article-view.png")


if __name__ == "__main__":
    main()
