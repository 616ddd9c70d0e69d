"""Generated pages as finished HTML, placed inside the theme's page.

A generated page (a plan, a listing, a person, the dashboard) reaches MkDocs as its front matter and
one placeholder. `Finisher` turns the page's Markdown, which holds the templates' structure and a
token for every value (see `pages.Fragments`), into HTML with the site's Markdown extensions, then
puts each value in as escaped HTML and each chart and letter as it is. Python-Markdown reads no plan
text, so no run of `*`, `-` or `[` in a note can make it slow, and the result depends only on the
page's content key and the site's Markdown settings: `FINISHED` keeps it for every site of a run.

Links between pages are resolved here as MkDocs resolves them (`x/index.md` -> `x/`), and each target
is reported so that the publisher can warn about one that is not in the site, as MkDocs would.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as default_slugify
from markdown.treeprocessors import Treeprocessor
from mkdocs.utils import get_relative_url

from .pages import VALUE_OPEN, fill_fragments
from .site import REQUIRED_EXTENSIONS
from .jinja import text_of_html

PAGE_BODY = '<div class="pb-page"></div>'  # the whole Markdown of a generated page, as MkDocs sees it


def split_front_matter(page_markdown: str) -> tuple[str, str]:
    """A generated page's front matter (as `jinja.front_matter` writes it) and its body."""
    end = page_markdown.index("\n---\n", 3) + len("\n---\n")
    return page_markdown[:end], page_markdown[end:]


@dataclass(frozen=True)
class Finished:
    html: str
    toc: list  # Python-Markdown's toc tokens, values filled in
    links: tuple[str, ...]  # the source paths the page links to
    anchors: frozenset[str]  # the ids other pages may link to


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a Markdown page (`plans/x/index.md` -> `plans/x/`)."""
    stem = src_uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


class _Links(Treeprocessor):
    """Relative links to `.md` sources become the pages' URLs; each target, and each id, is noted."""

    def __init__(self, md, directory_urls: bool):
        super().__init__(md)
        self.directory_urls = directory_urls
        self.src_uri = "index.md"
        self.targets: list[str] = []
        self.anchors: set[str] = set()

    def run(self, root):
        base = page_url(self.src_uri, self.directory_urls)
        self.anchors = {element.get("id") for element in root.iter() if element.get("id")}
        for element in root.iter("a"):
            href = element.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.src_uri), parts.path))
            self.targets.append(target)
            url = get_relative_url(page_url(target, self.directory_urls), base)
            element.set("href", url + (f"#{parts.fragment}" if parts.fragment else ""))


class _LinkExtension(Extension):
    def __init__(self, directory_urls: bool):
        super().__init__()
        self.directory_urls = directory_urls

    def extendMarkdown(self, md):
        self.processor = _Links(md, self.directory_urls)
        md.treeprocessors.register(self.processor, "playbook_links", 0)


def _filled(slugify, fragments: dict[str, str], value: str, separator: str) -> str:
    """The site's slugify, on a heading's text with its values in: the same anchors as before."""
    if VALUE_OPEN in value:
        value = fill_fragments(value, {token: text_of_html(html) for token, html in fragments.items()
                                       if token[0] == VALUE_OPEN})
    return slugify(value, separator)


# The extensions our templates are written for. A site's other extensions (emoji, abbreviations,
# footnotes, ...) would find nothing to do in a generated page, whose values are never Markdown, and
# only slow it down.
GENERATED_EXTENSIONS = frozenset({*REQUIRED_EXTENSIONS, "toc"})


class Finisher:
    """Python-Markdown for generated pages: the extensions they use, with the site's options for them."""

    def __init__(self, extensions: list, configs: dict, directory_urls: bool = True):
        self.extensions = [name for name in extensions if isinstance(name, str) and name in GENERATED_EXTENSIONS]
        self.configs = {name: dict(options) for name, options in configs.items() if name in self.extensions}
        self.directory_urls = directory_urls
        options = sorted((name, sorted((key, _describe(value)) for key, value in given.items()))
                         for name, given in self.configs.items())
        described = repr((self.extensions, options, directory_urls))
        self.fingerprint = hashlib.sha256(described.encode()).hexdigest()[:16]
        toc = self.configs.setdefault("toc", {})
        self._slugify = toc.get("slugify") or default_slugify
        self._links = _LinkExtension(directory_urls)
        self._md = markdown.Markdown(extensions=[*self.extensions, self._links], extension_configs=self.configs)
        self._toc = self._md.treeprocessors["toc"] if "toc" in self._md.treeprocessors else None

    def finish(self, uri: str, page_markdown: str, fragments: dict[str, str]) -> Finished:
        """The finished HTML of the page at `uri`, and its table of contents."""
        _, body = split_front_matter(page_markdown)
        md = self._md
        md.reset()
        self._links.processor.src_uri, self._links.processor.targets = uri, []
        if self._toc is not None:
            self._toc.slugify = partial(_filled, self._slugify, fragments)
        html = fill_fragments(md.convert(body), fragments)
        toc = _filled_toc(getattr(md, "toc_tokens", []), fragments)
        return Finished(html, toc, tuple(self._links.processor.targets), frozenset(self._links.processor.anchors))


def _filled_toc(tokens: list, fragments: dict[str, str]) -> list:
    return [{**token, **{name: fill_fragments(token[name], fragments) for name in ("name", "html") if name in token},
             "children": _filled_toc(token.get("children", []), fragments)} for token in tokens]


def _describe(value) -> str:
    """An option as text that is the same in every process (a function by its name)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)


# Finished pages by (content key, Markdown settings), for every site and every rebuild of a process.
FINISHED: dict[tuple[str, str], Finished] = {}


def cache_key(uri: str, key: str, fingerprint: str) -> tuple[str, str]:
    return f"{uri}|{key}", fingerprint


def finished(finisher: Finisher, uri: str, key: str | None, page_markdown: str, fragments: dict[str, str],
             keep: bool = True) -> Finished:
    """The page's finished HTML, made once per content key and Markdown settings; `keep` it for the
    builds still to come (a single build keeps nothing: each page is finished once anyway)."""
    found = FINISHED.get(cache_key(uri, key, finisher.fingerprint)) if key is not None else None
    if found is None:
        found = finisher.finish(uri, page_markdown, fragments)
        if keep and key is not None:
            FINISHED[cache_key(uri, key, finisher.fingerprint)] = found
    return found
