"""What the site tests share: the example plans, the real `mkdocs` and `playbook` commands, site
folders made as a user has them, and built pages read as a reader sees them.

A test makes a project (`make_project`), builds it (`build_site`, or `mkdocs_build` and `run` for
other commands) and asks a `Page` what a reader would see: the article's text, a section's text and
table rows by heading, links, code blocks by id, content tabs, the title and the meta tags. Pages are
read with BeautifulSoup; what a reader does not see (scripts, styles, permalink marks) is left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PLANS = Path(__file__).resolve().parent / "examples" / "plans"  # the example plans the tests check against
GOOD = EXAMPLE_PLANS / "good"  # each passes `playbook check` as of TODAY
BAD = EXAMPLE_PLANS / "bad"  # each fails it; a file's first line says where and why
BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"
TODAY = "2026-11-20"


# --------------------------------------------------------------------------------------------
# Running the real commands
# --------------------------------------------------------------------------------------------

def environment(today: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment, with PLAYBOOK_TODAY only when given, so that a test says what "today" is."""
    env = {key: value for key, value in os.environ.items() if key not in ("PLAYBOOK_TODAY", "PLAYBOOK_AUDIENCE")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if today:
        env["PLAYBOOK_TODAY"] = today
    return {**env, **(extra or {})}


@dataclass
class Run:
    returncode: int
    output: str  # stdout and stderr together, as a user reads them in a terminal


def run(command: list, cwd: Path, today: str | None = None, timeout: float = 120,
        env: dict[str, str] | None = None) -> Run:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=environment(today, env),
                          capture_output=True, text=True, timeout=timeout)
    return Run(done.returncode, done.stdout + done.stderr)


@dataclass
class Ran:
    """What `playbook` printed, on each stream, and its exit status."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


# What a test's own environment must not pass to a command: each test says what "today" and the audience are.
_UNSET = ("PLAYBOOK_TODAY", "PLAYBOOK_AUDIENCE", "GITHUB_STEP_SUMMARY")


def in_process(args: list, cwd: Path, env: dict[str, str] | None = None, today: str | None = None) -> Ran:
    """`playbook ARGS` in this process (`generator.cli.main`), as if run from `cwd` with `env` added to this
    process's environment; the working folder and the environment are restored afterwards."""
    from generator.cli import main

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        for name in _UNSET:
            os.environ.pop(name, None)
        os.environ.update({**(env or {}), **({"PLAYBOOK_TODAY": today} if today else {})})
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([os.fsdecode(arg) for arg in args])
            except SystemExit as exc:  # argparse's own usage errors
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return Ran(code or 0, out.getvalue(), err.getvalue())


def mkdocs_build(config: Path, site_dir: Path | None = None, today: str | None = TODAY,
                 env: dict[str, str] | None = None) -> Run:
    """`mkdocs build --strict` of `config`, run from its folder, into `site_dir` (else the config's own)."""
    command = [MKDOCS, "build", "--strict", "-f", config] + (["-d", site_dir] if site_dir else [])
    return run(command, cwd=config.parent, today=today, env=env)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    """The body at `url`, or None while nothing answers there."""
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@dataclass
class Server:
    """A running `mkdocs serve`."""

    process: subprocess.Popen
    root_url: str
    log: Path

    def wait_for(self, url: str, text: str, timeout: float = 30) -> None:
        """Wait until the page at `url` (relative to the site root) shows `text`; fail the test if it does not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve exited with {self.process.returncode}:\n{self.log.read_text()}")
            body = fetch(self.root_url + url)
            if body is not None and text in body:
                return
            time.sleep(0.3)
        pytest.fail(f"{url} did not show {text!r} within {timeout} s:\n{self.log.read_text()}")


@contextmanager
def mkdocs_serve(root: Path, log: Path, today: str | None = TODAY) -> Iterator[Server]:
    """`mkdocs serve` of the project at `root` on a free local port, its output in `log`; stopped on leaving."""
    port = free_port()
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen([str(MKDOCS), "serve", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")],
                                   cwd=root, env=environment(today), stdout=output, stderr=subprocess.STDOUT)
        try:
            yield Server(process, f"http://127.0.0.1:{port}/", log)
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """End a server this test started: asked first, then killed if it does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# --------------------------------------------------------------------------------------------
# Project and site folders
# --------------------------------------------------------------------------------------------

def make_project(root: Path, plans: Path | None = GOOD, *, config: str | None = None) -> Path:
    """A site folder as a user has it: mkdocs.yml (the repository's, or `config`), playbook/ and,
    unless `plans` is None, a copy of `plans` as plans/."""
    root.mkdir(parents=True, exist_ok=True)
    if config is None:
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    else:
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "playbook", root / "playbook")
    if plans is not None:
        shutil.copytree(plans, root / "plans")
    return root


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its content."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def files_holding(folder: Path, needle: str) -> list[str]:
    """The files under `folder` whose bytes hold `needle`."""
    return [path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file() and needle.encode() in path.read_bytes()]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def site_urls(site: Path) -> list[str]:
    """Every built page as the browser has it, relative to the site root: "" (home), "plans/x/", "404.html"."""
    urls = []
    for path in html_files(site):
        relative = path.relative_to(site).as_posix()
        urls.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return urls


@dataclass
class Built:
    """A project folder after `mkdocs build --strict`, with what its sources held before the build."""

    root: Path
    result: Run
    before: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, url: str) -> Page:
        assert self.result.returncode == 0, f"the build failed:\n{self.result.output}"
        return Page(self.site, url)

    def html_files(self) -> list[Path]:
        return html_files(self.site)

    def urls(self) -> list[str]:
        return site_urls(self.site)


def build_site(root: Path, today: str | None = TODAY) -> Built:
    before = {name: snapshot(root / name) for name in ("plans", "playbook") if (root / name).is_dir()}
    before["."] = {entry.name: "" for entry in root.iterdir()}
    return Built(root, mkdocs_build(root / "mkdocs.yml", today=today), before)


def require_ok(built: Built) -> None:
    assert built.result.returncode == 0, f"mkdocs build --strict failed:\n{built.result.output}"


# --------------------------------------------------------------------------------------------
# Reading a built page
# --------------------------------------------------------------------------------------------

# Elements that start a new line for a reader: text on either side of them is never run together.
BLOCK_TAGS = {"p", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "div", "pre", "br", "table", "ul", "ol",
              "label", "summary", "details", "blockquote"}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or [])


def unseen(tag: Tag) -> bool:
    """Whether a reader never sees `tag`'s text: a script, a style, or a heading's permalink mark."""
    return tag.name in ("script", "style") or "headerlink" in classes(tag)


@dataclass(frozen=True)
class _Heading:
    title: str


def _reading(element: Tag) -> Iterator[str | _Heading]:
    """`element`'s text in reading order, a block's edges as line breaks; each h2 as one `_Heading`."""
    for child in element.children:
        if isinstance(child, Tag):
            if unseen(child):
                continue
            if child.name == "h2":
                yield _Heading(text_of(child))
                continue
            block = child.name in BLOCK_TAGS
            if block:
                yield "\n"
            yield from _reading(child)
            if block:
                yield "\n"
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            yield str(child)  # text; a comment, CDATA or the doctype is a PreformattedString, never read


def text_of(element: Tag) -> str:
    """What a reader sees of `element`, on one line."""
    return squash("".join(f"\n{piece.title}\n" if isinstance(piece, _Heading) else piece
                          for piece in _reading(element)))


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    classes: frozenset[str]


def links_in(element: Tag) -> list[Link]:
    """Every link in `element` but the headings' permalink marks."""
    return [Link(anchor.get("href", ""), text_of(anchor), frozenset(classes(anchor)))
            for anchor in element.find_all("a") if not unseen(anchor)]


@dataclass(frozen=True)
class CodeBlock:
    text: str
    in_code: bool  # a <pre><code> block, as Markdown writes one


@dataclass(frozen=True)
class TabPanel:
    """One content tab's panel: its text, the ids of its code blocks ("" for one without) and its links."""

    text: str
    code_ids: list[str]
    links: list[Link]


class Page:
    """One built page, read as a reader sees it."""

    def __init__(self, site_dir: Path, url: str):
        self.site_dir = site_dir
        self.url = url  # as the browser has it, relative to the site root: "plans/x/"
        path = site_dir / url / "index.html" if url == "" or url.endswith("/") else site_dir / url
        assert path.is_file(), f"{url or 'the home page'} was not built ({path} is missing)"
        self.html = path.read_text(encoding="utf-8")
        self.soup = BeautifulSoup(self.html, "html.parser")

    def select(self, css: str) -> list[Tag]:
        """The page's elements that match a CSS selector, in document order."""
        return self.soup.select(css)

    @cached_property
    def title(self) -> str:
        """The browser tab's title."""
        return squash(self.soup.title.get_text()) if self.soup.title else ""

    @cached_property
    def meta(self) -> dict[str, str]:
        """The page's <meta> tags: name (or property) -> content."""
        return {tag.get("name") or tag.get("property"): tag.get("content", "")
                for tag in self.soup.find_all("meta") if tag.get("name") or tag.get("property")}

    @cached_property
    def ids(self) -> set[str]:
        """Every element id on the page: the anchors a link can point at."""
        return {tag["id"] for tag in self.soup.find_all(id=True)}

    @cached_property
    def loads(self) -> list[tuple[str, str]]:
        """What the browser fetches to show the page: (tag, URL) of each script, image, frame, media source
        and linked resource (a canonical or alternate link is an address, not a fetch)."""
        found = [(tag.name, tag["src"]) for tag in self.soup.find_all(
            ["script", "img", "iframe", "video", "audio", "source"], src=True)]
        found += [("link", tag.get("href", "")) for tag in self.soup.find_all("link")
                  if tag.get("rel") not in (["canonical"], ["alternate"])]
        return found

    # -- the article --------------------------------------------------------------------------

    @cached_property
    def _article(self) -> Tag:
        return self.soup.find("article") or BeautifulSoup("", "html.parser")

    @cached_property
    def text(self) -> str:
        """The article's text, on one line."""
        return text_of(self._article)

    @cached_property
    def _sections(self) -> dict[str, str]:
        chunks: dict[str, list[str]] = {"": []}
        heading = ""
        for piece in _reading(self._article):
            if isinstance(piece, _Heading):
                heading = piece.title
                chunks.setdefault(heading, [])
            else:
                chunks[heading].append(piece)
        return {title: squash("".join(texts)) for title, texts in chunks.items()}

    @property
    def headings(self) -> list[str]:
        """The article's section headings (h2), in order."""
        return [title for title in self._sections if title]

    def section(self, heading: str) -> str:
        """The text under the h2 `heading` up to the next h2; "" is the text before the first h2."""
        assert heading in self._sections, f"no section {heading!r} on {self.url}: {list(self._sections)}"
        return self._sections[heading]

    @cached_property
    def _rows(self) -> dict[str, list[list[str]]]:
        rows: dict[str, list[list[str]]] = {}
        heading = ""
        for element in self._article.find_all(["h2", "tr"]):
            if element.name == "h2":
                heading = text_of(element)
            else:
                cells = element.find_all(["td", "th"], recursive=False)
                rows.setdefault(heading, []).append([text_of(cell) for cell in cells])
        return rows

    def rows(self, section: str) -> list[list[str]]:
        """The cell texts of each table row under the h2 `section` ("" before the first h2), header rows too."""
        return self._rows.get(section, [])

    # -- code blocks and content tabs ---------------------------------------------------------

    @cached_property
    def code_blocks(self) -> dict[str, CodeBlock]:
        """Every <pre> with an id: id -> its text, and whether it is a <pre><code> block."""
        return {pre["id"]: CodeBlock(pre.get_text(), getattr(pre.find(True), "name", None) == "code")
                for pre in self.soup.find_all("pre", id=True)}

    def code(self, pre_id: str) -> str:
        """The text of the <pre id=pre_id> block."""
        assert pre_id in self.code_blocks, f"no <pre id={pre_id!r}> on {self.url}"
        return self.code_blocks[pre_id].text

    @cached_property
    def tab_labels(self) -> list[str]:
        """The labels of the page's content tabs, in order."""
        return [text_of(label) for labels in self.select("div.tabbed-labels") for label in labels.find_all("label")]

    @cached_property
    def tab_panels(self) -> list[TabPanel]:
        """The panels of the page's content tabs, in the order of their labels."""
        return [TabPanel(text_of(panel), [pre.get("id", "") for pre in panel.find_all("pre")], links_in(panel))
                for panel in self.select("div.tabbed-block")]

    # -- links --------------------------------------------------------------------------------

    @cached_property
    def links(self) -> list[Link]:
        """Every link on the page (navigation too), but the headings' permalink marks."""
        return links_in(self.soup)

    def resolve(self, href: str) -> str:
        """A relative link's target, relative to the site root ("" for the home page)."""
        path = urlsplit(href).path
        base = self.url if self.url.endswith("/") or self.url == "" else posixpath.dirname(self.url) + "/"
        joined = posixpath.normpath(posixpath.join("/" + base, path))
        target = joined.lstrip("/")
        if path.endswith("/") and target:
            target += "/"
        return "" if target in (".", "/") else target

    def target_exists(self, href: str) -> bool:
        target = self.resolve(href)
        path = self.site_dir / target
        return (path / "index.html").is_file() if target == "" or target.endswith("/") else path.is_file()

    def links_to(self, url: str) -> list[Link]:
        """The page's relative links whose target is `url` (relative to the site root)."""
        return [link for link in self.links if link.href and not link.href.startswith(("#", "mailto:"))
                and "://" not in link.href and self.resolve(link.href) == url]
