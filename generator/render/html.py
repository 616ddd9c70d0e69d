"""Generated pages as finished HTML, placed inside the theme's page.

A generated page (a plan, a listing, a person, the dashboard) is written as HTML by its template
(`pages.generated_page`): every value from a record is escaped there, and no Markdown ever reads it.
MkDocs sees the page's front matter and one placeholder. `Finisher` does what Markdown's `toc`
extension and MkDocs would have done to the page, in one linear pass over HTML the templates wrote:

- each heading gets its id (the site's `slugify`, made unique) and permalink, and joins the page's
  table of contents;
- each link to another page's source (`../../people/x/index.md`) becomes that page's URL, as MkDocs
  resolves it (`x/index.md` -> `x/`), and is reported, so that the publisher can warn about a target
  that is not in the site, as MkDocs would.

The result depends only on the page's content key and these settings: `FINISHED` keeps it for
every site of a run.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from html import escape

from markdown.extensions.toc import nest_toc_tokens, slugify as default_slugify, unique
from markdown.util import parseBoolValue
from mkdocs.utils import get_relative_url

from .jinja import markdown_text, text_of_html

PAGE_BODY = '<div class="pb-page"></div>'  # the whole Markdown of a generated page, as MkDocs sees it

# A heading as the templates write it: on its own, with at most a class, its text escaped (values may
# hold `<br>`, nothing else). Each alternative consumes what the other cannot: linear.
_HEADING = re.compile(r'<h([1-6])((?: class="[^"<>]*")?)>((?:[^<]|<br>)*)</h\1>')
_LINE_HEADING = re.compile(_HEADING.pattern.join("^$"), re.MULTILINE)
# A link the templates wrote to another page's source: a relative path ending in `.md`.
_SOURCE_LINK = re.compile(r'href="([^":?#<>]*\.md)(#[^"<>]*)?"')
_ID = re.compile(r' id="([^"<>]*)"')
# A `div` or heading tag, opening or closing (`[^>]*` stops at the tag's end: linear); the attribute that keeps an
# element out of Material's search, and an empty block that has it.
_BLOCK_TAG = re.compile(r"</?(div|h[1-6])\b[^>]*>")
_SEARCH_EXCLUDE = re.compile(r"\sdata-search-exclude(?=[\s=/>])")
_EMPTY_EXCLUDED = "<div data-search-exclude></div>"


@dataclass(frozen=True)
class Finished:
    html: str
    toc: list  # tokens as Markdown's toc extension gives them (level, id, name, children)
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


class Finisher:
    """Headings and links of generated pages, finished with the site's `toc` options (from its Markdown
    extensions' `configs`) and URL style."""

    def __init__(self, configs: dict, directory_urls: bool = True):
        toc = dict(configs.get("toc") or configs.get("markdown.extensions.toc") or {})
        slugify = toc.get("slugify")
        self.slugify = slugify if callable(slugify) else default_slugify
        self.separator = str(toc.get("separator", "-"))
        # Markdown's own reading of these options: a permalink may be a symbol rather than a yes or no.
        permalink = toc.get("permalink", False)
        self.permalink = parseBoolValue(permalink, False)
        if self.permalink is None:
            self.permalink = permalink
        self.permalink_class = str(toc.get("permalink_class", "headerlink"))
        self.permalink_title = str(toc.get("permalink_title", "Permanent link"))
        self.permalink_leading = bool(parseBoolValue(toc.get("permalink_leading", False), False))
        self.anchorlink = bool(parseBoolValue(toc.get("anchorlink", False), False))
        self.anchorlink_class = str(toc.get("anchorlink_class", "toclink"))
        self.base_level = int(toc.get("baselevel", 1)) - 1
        depth = toc.get("toc_depth", 6)
        if isinstance(depth, str) and "-" in depth:
            self.top, self.bottom = (int(part) for part in depth.split("-", 1))
        else:
            self.top, self.bottom = 1, int(depth)
        self.directory_urls = directory_urls
        described = repr((sorted((key, _describe(value)) for key, value in toc.items()), directory_urls))
        self.fingerprint = hashlib.sha256(described.encode()).hexdigest()[:16]

    def finish(self, uri: str, body: str) -> Finished:
        """The finished HTML of the generated page at `uri`, and its table of contents."""
        base = page_url(uri, self.directory_urls)
        used = set(_ID.findall(body))
        tokens: list[dict] = []
        targets: list[str] = []

        def heading(found: re.Match) -> str:
            level = min(int(found.group(1)) + self.base_level, 6)
            inner = found.group(3)
            text = text_of_html(inner)
            ident = unique(self.slugify(text, self.separator), used)
            content = inner
            if self.anchorlink:
                content = f'<a class="{escape(self.anchorlink_class)}" href="#{escape(ident)}">{content}</a>'
            if self.permalink:
                symbol = "&para;" if self.permalink is True else escape(str(self.permalink))
                title = f' title="{escape(self.permalink_title)}"' if self.permalink_title else ""
                link = f'<a class="{escape(self.permalink_class)}" href="#{escape(ident)}"{title}>{symbol}</a>'
                content = link + content if self.permalink_leading else content + link
            if self.top <= level <= self.bottom:
                tokens.append({"level": level, "id": ident, "name": escape(text.replace("\n", " "), quote=False),
                               "children": []})
            return f'<h{level} id="{escape(ident)}"{found.group(2)}>{content}</h{level}>'

        def link(found: re.Match) -> str:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), found.group(1)))
            targets.append(target)
            return f'href="{get_relative_url(page_url(target, self.directory_urls), base)}{found.group(2) or ""}"'

        html = _SOURCE_LINK.sub(link, _HEADING.sub(heading, body))
        return Finished(html, nest_toc_tokens(tokens), tuple(targets), frozenset(_ID.findall(html)))

    def markdown(self, uri: str, body: str) -> str:
        """The page for a builder that runs Markdown on it (an export): its links resolved, and each heading on a
        line of its own (the templates write those outside any block) a Markdown heading, so that the builder
        gives it its id and table of contents; the rest is HTML, which Markdown passes through."""
        def heading(found: re.Match) -> str:
            classes = " ".join(f".{name}" for name in found.group(2)[len(' class="'):-1].split())
            return (f"\n{'#' * int(found.group(1))} {markdown_text(text_of_html(found.group(3)))}"
                    f"{f' {{ {classes} }}' if classes else ''}\n")

        return self.finish(uri, _LINE_HEADING.sub(heading, body)).html


def without_search_excluded(html: str) -> str:
    """A generated page's finished HTML as Material's search reads it, for a fraction of the parsing: each `div`
    block marked `data-search-exclude` (a listing's table), which the search walks tag by tag only to skip it,
    is emptied. The search makes the same entries from it: an empty block marked so does to the search all
    the block did. A block that holds a `div` or a heading is left whole (the search acts on those even
    inside a block it skips). The blocks' HTML is well formed, as the templates write it."""
    if "data-search-exclude" not in html:
        return html
    kept: list[str] = []
    start, cut_from = 0, None
    for tag in _BLOCK_TAG.finditer(html):
        if tag.group(1) == "div":
            if tag.group(0).startswith("</"):
                if cut_from is not None:
                    kept += [html[start:cut_from], _EMPTY_EXCLUDED]
                    start, cut_from = tag.end(), None
                continue
            cut_from = tag.start() if _SEARCH_EXCLUDE.search(tag.group(0)) else None
        else:  # a heading
            cut_from = None
    if not kept:
        return html
    kept.append(html[start:])
    return "".join(kept)


def _describe(value) -> str:
    """An option as text that is the same in every process (a function by its name)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)


# Finished pages by (content key, settings), for every site and every rebuild of a process.
FINISHED: dict[tuple[str, str], Finished] = {}


def cache_key(uri: str, key: str, fingerprint: str) -> tuple[str, str]:
    return f"{uri}|{key}", fingerprint


def finished(finisher: Finisher, uri: str, key: str | None, body: str, keep: bool = True) -> Finished:
    """The page's finished HTML, made once per content key and settings; `keep` it for the builds still
    to come (a single build keeps nothing: each page is finished once anyway)."""
    found = FINISHED.get(cache_key(uri, key, finisher.fingerprint)) if key is not None else None
    if found is None:
        found = finisher.finish(uri, body)
        if keep and key is not None:
            FINISHED[cache_key(uri, key, finisher.fingerprint)] = found
    return found
