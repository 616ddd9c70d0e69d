"""The browser tests' fixtures: one site, one local server and one browser per session.

The site is the repository as a reader gets it: its `mkdocs.yml`, `playbook/`, the shipped `plans/` and the
theme's `overrides/`, built once by `mkdocs build --strict` as of 2026-11-20 and served by Python's own HTTP
server on 127.0.0.1. Each test opens tabs (`open_tab`, or `tab` for one at 1,280 px); a test whose browsing
sent a request off 127.0.0.1 or logged a console error fails when its tabs close. `tests/e2e/artifacts/` keeps
a screenshot of every page opened and the printed PDFs.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from sitekit import REPO, TODAY, make_project, mkdocs_build

from .browserkit import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, HOST, Tab, open_tab as new_tab

@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped plans and the playbook, built once as of TODAY: the folder `mkdocs build` writes."""
    root = make_project(tmp_path_factory.mktemp("e2e") / "project", REPO / "plans")
    built = mkdocs_build(root / "mkdocs.yml", today=TODAY)
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.output}"
    return root / "site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the test output is for failures, not for each request
        pass


@pytest.fixture(scope="session")
def base_url(site) -> Iterator[str]:
    """The built site on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer((HOST, 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, once for the session."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no chromium at {CHROMIUM}: apt-get install chromium (or set PLAYBOOK_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def artifacts() -> Path:
    """tests/e2e/artifacts/, emptied once per session: what this run saw."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture
def open_tab(browser, base_url, request) -> Iterator:
    """`open_tab(viewport=..., color_scheme=..., permissions=...)` -> a new Tab, closed after the test."""
    tabs: list[Tab] = []
    name = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name).strip("-")

    def factory(**options) -> Tab:
        tab = new_tab(browser, base_url, f"{name}-{len(tabs)}" if tabs else name, **options)
        tabs.append(tab)
        return tab

    yield factory
    problems = [problem for tab in tabs for problem in tab.problems()]
    for tab in tabs:
        tab.close()
    assert problems == [], "browsing the site:\n" + "\n".join(problems)


@pytest.fixture
def tab(open_tab) -> Tab:
    """A tab 1,280 px wide, in the light scheme."""
    return open_tab(viewport=DESKTOP)
