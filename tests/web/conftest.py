"""A real browser (Debian's headless Chromium, driven by Playwright) on a real gateway.

Nothing downloads a browser: Playwright is pointed at the system Chromium
(`INHOUSE_CHROMIUM`, default /usr/bin/chromium). A failing test leaves a screenshot in
`INHOUSE_TEST_ARTIFACTS` (default: <tmp>/inhouse-test-artifacts) and says where.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.flags import flag

CHROMIUM = os.environ.get("INHOUSE_CHROMIUM", "/usr/bin/chromium")
_DEFAULT_ARTIFACTS = Path(tempfile.gettempdir()) / "inhouse-test-artifacts"
ARTIFACTS = Path(flag("INHOUSE_TEST_ARTIFACTS") or _DEFAULT_ARTIFACTS)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        why = f"no Chromium at {CHROMIUM}; apt-get install chromium (or set INHOUSE_CHROMIUM)"
        pytest.skip(why)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(120_000)
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        tab.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failing page: {shot}")
    context.close()
