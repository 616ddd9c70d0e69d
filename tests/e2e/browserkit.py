"""What the browser tests share besides fixtures: the browser's settings, and a `Tab` that lets only
requests to the local server through, records console errors, keeps screenshots and runs axe-core.

Chromium is Debian's (`apt-get install chromium`), driven by Playwright through `executable_path`: the suite
never downloads a browser. PLAYBOOK_CHROMIUM names another binary.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
from playwright.sync_api import Browser, BrowserContext, Page

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # screenshots and PDFs of the last run
AXE_JS = Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"  # axe-core, as the package ships it
CHROMIUM = os.environ.get("PLAYBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HOST = "127.0.0.1"


def slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


@dataclass
class Tab:
    """One browser tab in a context of its own (no cookies, no stored colour scheme), as a reader opens the site."""

    context: BrowserContext
    page: Page
    base_url: str
    name: str
    external: list[str] = field(default_factory=list)  # requests that would have left 127.0.0.1, aborted
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions

    def open(self, url: str) -> Page:
        """Go to `url` (relative to the site root, "" for home), wait for it to load, keep a screenshot."""
        self.page.goto(self.base_url + url, wait_until="load")
        self.screenshot(url)
        return self.page

    def screenshot(self, url: str, suffix: str = "") -> Path:
        """The window as it is now, as artifacts/<test>--<page><suffix>-<width>.png."""
        path = ARTIFACTS / f"{self.name}--{slug(url)}{suffix}-{self.page.viewport_size['width']}.png"
        self.page.screenshot(path=path)
        return path

    def axe(self) -> list[dict]:
        """axe-core's serious and critical violations on the page as it is now."""
        self.page.add_script_tag(path=str(AXE_JS))
        result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [violation for violation in result["violations"] if violation["impact"] in ("serious", "critical")]

    def problems(self) -> list[str]:
        """What went wrong while browsing, each once: requests that would have left 127.0.0.1, console errors."""
        found = [f"request left {HOST}: {url}" for url in self.external] + [f"console: {text}" for text in self.errors]
        return list(dict.fromkeys(found))

    def take_problems(self) -> list[str]:
        """`problems()`, after which the tab starts clean (for a test that asserts them itself)."""
        found = self.problems()
        self.external.clear()
        self.errors.clear()
        return found

    def close(self) -> None:
        self.context.close()


def open_tab(browser: Browser, base_url: str, name: str, *, viewport: dict = DESKTOP, color_scheme: str = "light",
             permissions: tuple[str, ...] = ()) -> Tab:
    """A new tab whose requests off 127.0.0.1 are aborted and recorded, as are its console errors."""
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme, reduced_motion="reduce",
                                  locale="en-GB", timezone_id="Europe/London")
    if permissions:
        context.grant_permissions(list(permissions), origin=base_url.rstrip("/"))
    tab = Tab(context, context.new_page(), base_url, name)

    def only_local(route, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob") or parts.hostname == HOST:
            route.continue_()
        else:
            tab.external.append(request.url)
            route.abort()

    context.route("**/*", only_local)
    tab.page.on("console", lambda message: message.type == "error" and tab.errors.append(
        f"{message.text} ({message.location.get('url', '')})"))
    tab.page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
    return tab
