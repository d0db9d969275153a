"""The close's pages in a real browser: headless Chromium (Debian's) through playwright.

Each page of a published close is opened from the file system, as a manager opens an
e-mail attachment. No request may leave the file (only ``file:`` and ``data:`` URLs),
no console error may appear, the XSS payloads of the test data must stay text, and a
screenshot of each page goes to the test artefacts for a human look.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from backoffice_lib.close import run_close

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-default-apps", "--mute-audio"]
TESTS_DATA = Path(__file__).resolve().parent / "data"
PAGES = ["index", "kpis", "plain", "fails", "data-quality"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (skipped when absent, unless BACKOFFICE_REQUIRE_BROWSER is set)."""
    if not CHROMIUM.is_file():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("BACKOFFICE_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A published close (tiles, table with XSS payloads, chart, a failure)."""
    folder = tmp_path_factory.mktemp("browser")
    params = folder / "close.yaml"
    params.write_text(textwrap.dedent(f"""\
        company: "Dupont & Fils <script>window.__xss=1</script>"
        period: "2026-10"
        inputs: {{cost_centers: {TESTS_DATA / "close" / "centres.csv"}}}
        notebooks_dir: {TESTS_DATA / "notebooks"}
        notebooks: [kpis, plain, fails]
        """), encoding="utf-8")
    run_close(params, out_dir=folder / "out", quiet=True)
    return folder / "out" / "2026-10"


@pytest.mark.parametrize("name", PAGES)
def test_page_is_self_contained_and_safe(browser, published, artifacts_dir, name):
    outside, console = [], []
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
            else outside.append(r.url))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: console.append(str(exc)))
    page.goto((published / f"{name}.html").as_uri(), wait_until="load")
    page.screenshot(path=str(artifacts_dir / f"close-{name}.png"), full_page=True)

    assert outside == []
    assert console == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.scripts.length") == 0
    assert page.title() != ""
    page.close()


def test_payloads_show_as_text(browser, published):
    page = browser.new_page()
    page.goto((published / "kpis.html").as_uri())
    cells = page.locator("td").all_inner_texts()
    assert "<script>window.__xss=1</script>" in cells
    assert '<img src=x onerror="window.__xss=1">' in cells
    assert page.locator("header .bo-kicker").text_content() == (
        "Dupont & Fils <script>window.__xss=1</script>")
    page.close()


def test_links_of_the_index_lead_to_published_files(browser, published):
    page = browser.new_page()
    page.goto((published / "index.html").as_uri())
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    files = sorted({h for h in hrefs if not h.startswith("#")})
    assert files == ["data-quality.html", "data-quality.xlsx", "fails.html", "fails.ipynb",
                     "kpis.html", "kpis.ipynb", "kpis.xlsx", "plain.html", "plain.ipynb"]
    assert [f for f in files if not (published / f).is_file()] == []
    page.click("a[href='kpis.html']")
    assert page.url.endswith("/kpis.html")
    page.close()
