"""End to end in real headless Chromium: Playwright drives Debian's /usr/bin/chromium.

The test starts the server (uvicorn in a thread, free loopback port), opens the page,
runs a 20-run ensemble from it, sees the fan chart (Plotly's svg) and the event
timeline, compares the historical scenario with the no-Virgin-Lands counterfactual
(paired runs), and plays three turns as First Secretary. No browser is downloaded:
if /usr/bin/chromium is missing the test fails and says how to install it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ottepel.interfaces.web import WebSettings, create_app

from .server import running_server

CHROMIUM = Path(os.environ.get("OTTEPEL_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 30_000


@pytest.fixture
def page(tmp_path):
    """A Chromium page on a freshly started dashboard (base URL in page.base_url)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y "
                    "chromium); this test never downloads a browser", pytrace=False)
    from playwright.sync_api import sync_playwright

    app = create_app(WebSettings(data_dir=tmp_path / "data", max_runs=100, max_jobs=4))
    with running_server(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            pg = ctx.new_page()
            pg.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            # The Content-Security-Policy must not block anything the page does: Chromium
            # reports each violation on the console and as a securitypolicyviolation event.
            console: list[str] = []
            pg.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning")
                  else None)
            pg.add_init_script("window.__csp = []; document.addEventListener("
                               "'securitypolicyviolation', e => window.__csp.push("
                               "e.violatedDirective + ' ' + e.blockedURI));")
            # Everything is served locally: any request elsewhere is a bug (offline use).
            external: list[str] = []
            pg.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(url)
                                            else (external.append(route.request.url), route.abort())))
            pg.goto(url + "/")
            pg.wait_for_selector("body[data-ready='1']")
            yield pg
            violations = pg.evaluate("window.__csp")
            assert not violations, f"CSP violations: {violations}"
            csp_console = [m for m in console if "Content Security Policy" in m]
            assert not csp_console, f"CSP violations on the console: {csp_console}"
            assert not errors, f"JavaScript errors: {errors}"
            assert not external, f"requests outside the server: {external}"
        finally:
            browser.close()


def wait_job_done(page, n_done: int) -> None:
    """Wait until the jobs table shows n_done finished jobs (and no failed one)."""
    page.wait_for_function(
        "n => document.querySelectorAll('#jobs tr[data-status=done]').length >= n"
        " || document.querySelector('#jobs tr[data-status=failed]')", arg=n_done)
    assert page.locator("#jobs tr[data-status=failed]").count() == 0, page.inner_text("#jobs")


def test_dashboard_end_to_end(page):
    # 1. A small ensemble of the historical scenario, started from the page.
    page.select_option("#scenario", "khrushchev-1953")
    page.fill("#runs", "20")
    page.click("#start-ensemble")
    wait_job_done(page, 1)
    page.wait_for_function("() => document.querySelector('#current-job').textContent.includes('20 runs')")

    # 2. The fan chart of the grain harvest against the record: Plotly drew an svg.
    page.click("#tabs button[data-tab=charts]")
    page.wait_for_selector("#fan-true svg.main-svg")
    page.wait_for_selector("#fan-true .scatterlayer .trace")
    assert "historical record" in page.inner_text("#fan-true")
    page.select_option("#chart-var", "industrial_output_index")
    page.wait_for_selector("#fan-reported svg.main-svg")  # official twin side by side

    # 3. The regions, and the event timeline of one run with causes and sources.
    page.click("#tabs button[data-tab=regions]")
    page.wait_for_selector("#region-map svg.main-svg")
    assert page.locator("#region-table details").count() >= 10  # grouped by republic
    page.click("#tabs button[data-tab=timeline]")
    page.wait_for_selector("#timeline tbody tr")
    rows = page.locator("#timeline tbody tr")
    assert rows.count() > 20
    assert page.locator("#timeline tbody tr.decision").count() > 0
    assert "virgin_lands_1954" in page.inner_text("#timeline")

    # 4. Compare the historical scenario with the no-Virgin-Lands counterfactual.
    page.click("#tabs button[data-tab=ensembles]")
    page.select_option("#cmp-a", "khrushchev-1953")
    page.select_option("#cmp-b", "no-virgin-lands")
    page.fill("#cmp-runs", "20")
    page.click("#start-compare")
    wait_job_done(page, 2)
    page.wait_for_function("() => document.querySelector('#current-job').textContent.includes('paired')")
    page.click("#tabs button[data-tab=compare]")
    page.wait_for_selector("#compare-chart svg.main-svg")
    page.wait_for_selector("#compare-table tbody tr")
    assert page.locator("#compare-table tbody tr").count() == 12  # 1953-1964
    assert "no-virgin-lands minus khrushchev-1953" in page.inner_text("#compare-note")

    # 5. Play three turns as First Secretary, changing one decision on the way.
    page.click("#tabs button[data-tab=play]")
    page.click("#new-game")
    page.wait_for_function("() => document.querySelector('#play-date').textContent === '1953-03'")
    page.fill("#play-choices input[data-lever=maize_target_mha]", "8")
    for turn in (1, 2, 3):
        page.click("#advance")
        page.wait_for_function(f"() => document.querySelector('#play-turn').textContent === '{turn}'")
    assert page.inner_text("#play-date") == "1953-12"
    assert page.locator("#play-log li").count() == 3
    assert "maize_target_mha=8" in page.inner_text("#play-log")
    assert page.locator("#play-indicators tbody tr").count() >= 5
    page.wait_for_selector("#play-chart svg.main-svg")
