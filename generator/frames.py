"""The theme's page around generated pages, rendered once per kind of page instead of once per page.

Material renders the same frame (header, nav, footer, scripts) around every page; for the thousands of
plan, person, team and manager pages of a large site that frame is most of a build. None of those pages
is in the nav, so in one folder of the site (`plans/`, `people/`, ...) they differ only in their title,
content, table of contents and canonical URL. `Frames` renders the theme's template once for a kind of page with a marker in place
of each of those, and fills the markers for every other page of that kind.

It is exact, or it is not used: a kind of page gets a frame only once the frame, filled with a second
page's values, gives byte for byte what the theme renders for that page. Until then, and for every kind
whose pages differ in anything else (a plugin that adds per-page values, a template that shows the URL),
each page is rendered by the theme in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jinja2 import pass_context
from mkdocs.structure.toc import get_toc

FRAME_TEMPLATE = "playbook-frame.html"  # the page's template while its frame is used (see the theme folder)
# Markers no page holds: for the title, the content, the canonical URL, the table of contents, the id of its
# first entry (the theme's "skip to content" link), and the names of its entries (which must not show elsewhere).
_TITLE, _CONTENT, _URL, _TOC, _FIRST, _NAME = "\ue020", "\ue021", "\ue022", "\ue023", "\ue024", "\ue025"
_RENAMED = "\ue026"  # a first heading's name and id while the table of contents is tried without them
_SPLIT = re.compile(f"([{_TITLE}{_CONTENT}{_URL}{_TOC}{_FIRST}])")  # a frame's pieces, and the marker after each
# The theme's table of contents on its own, with what its template imports for it.
_TOC_SOURCE = '{% import "partials/language.html" as lang with context %}{% include "partials/toc.html" %}'


@dataclass
class _Kind:
    pieces: list[str] | None = None  # the frame, split at its markers (None: not made yet)
    markers: list[str] | None = None  # the marker between each two pieces
    trusted: bool = False  # a second page rendered by the theme matched the filled frame
    refused: bool = False  # it did not: this kind is rendered in full


class Frames:
    """Frames of one build, by kind of page (the template, the folder, the meta values, and whether the page has
    a table of contents, a heading of its own and a canonical URL)."""

    def __init__(self):
        self.kinds: dict[tuple, _Kind] = {}
        self.templates: dict[str, str] = {}  # page source -> the template it would have used
        self.toc_template = None  # the theme's table of contents, compiled once per build
        self.tocs: dict[tuple, str] = {}  # rendered, by the headings it shows
        self.first_hidden: bool | None = None  # whether it leaves out a first heading of level 1 (None: not tried)

    def use_for(self, page) -> None:
        """Render `page` (a generated page that is not in the nav, and `framed`) through its kind's frame."""
        self.templates[page.file.src_uri] = page.meta.get("template", "main.html")
        page.meta["template"] = FRAME_TEMPLATE

    @pass_context
    def render(self, context) -> str:
        """The page of the template's context: its frame, filled (the template `FRAME_TEMPLATE` calls this)."""
        page = context["page"]
        template = self.templates.get(page.file.src_uri)
        if template is None:  # a page that names this template itself: the theme's own page
            return self._whole(context, "main.html")
        kind = self.kinds.setdefault(_kind_of(page, template), _Kind())
        if kind.trusted:
            return self._fill(kind, context)
        whole = self._whole(context, template)
        if kind.refused:
            return whole
        if kind.pieces is None:
            self._make(kind, context, template)
        elif self._fill(kind, context) == whole:
            kind.trusted = True
        else:
            kind.refused = True
        return whole

    def _whole(self, context, template: str) -> str:
        return context.environment.get_template(template).render(context.get_all())

    def _toc(self, context) -> str:
        """The theme's table of contents of the page: rendered once for each list of headings it shows (plan pages
        share most of theirs), since it shows nothing else of the page. Material's shows what is under a first
        heading of level 1 rather than that heading, which names the page's person: whether the theme shows it
        is tried on the first page that has one, by renaming it."""
        items = context["page"].toc.items
        titled = bool(items) and items[0].level == 1
        below = ("below", _headings(items[0].children), _headings(items[1:])) if titled else None
        found = self.tocs.get(below if self.first_hidden and titled else _headings(items))
        if found is not None:
            return found
        found = self._render_toc(context)
        if titled and self.first_hidden is None:
            self.first_hidden = _hidden(items[0], lambda: self._render_toc(context), found)
        self.tocs[below if self.first_hidden and titled else _headings(items)] = found
        return found

    def _render_toc(self, context) -> str:
        """The theme's table of contents of the page of `context`, rendered."""
        if self.toc_template is None:
            self.toc_template = context.environment.from_string(_TOC_SOURCE)
        return self.toc_template.render(context.get_all())

    def _make(self, kind: _Kind, context, template: str) -> None:
        """The theme's page with markers for the page's own values, split at them."""
        page = context["page"]
        saved = page.meta.get("title"), page.content, page.toc, page.canonical_url
        # The theme shows the title as a heading of its own when the content has none: the marker is like it.
        content = f"<h1>{_CONTENT}</h1>" if "<h1" in page.content else _CONTENT
        try:
            page.meta["title"], page.content = _TITLE, content
            page.toc = get_toc([{"level": 1, "id": _FIRST, "name": _NAME, "children": [
                {"level": 2, "id": _NAME, "name": _NAME, "children": []}]}])
            page.canonical_url = _URL if saved[3] is not None else None
            frame, toc = self._whole(context, template), self._toc(context)
        finally:
            page.meta["title"], page.content, page.toc, page.canonical_url = saved
        if frame.count(toc) != 1 or frame.count(content) != 1:
            kind.refused = True
            return
        split = _SPLIT.split(frame.replace(toc, _TOC).replace(content, _CONTENT))
        pieces, markers = split[::2], split[1::2]
        if any(_NAME in piece for piece in pieces):  # an entry's name shown outside the table of contents
            kind.refused = True
            return
        kind.pieces, kind.markers = pieces, markers

    def _fill(self, kind: _Kind, context) -> str:
        page = context["page"]
        values = {_TITLE: page.meta.get("title"), _CONTENT: page.content, _URL: page.canonical_url or "",
                  _FIRST: page.toc.items[0].id if page.toc.items else ""}
        if _TOC in kind.markers:
            values[_TOC] = self._toc(context)
        out = [kind.pieces[0]]
        for marker, piece in zip(kind.markers, kind.pieces[1:]):
            out += [values[marker], piece]
        return "".join(out)


def _hidden(first, render: Callable[[], str], shown: str) -> bool:
    """Whether the table of contents `shown` leaves out its `first` entry: rendered again (`render`) with the
    entry renamed, it is the same. An entry typeset by a plugin is taken as shown."""
    if getattr(first, "typeset", None) is not None:
        return False
    saved = first.title, first.id
    try:
        first.title = first.id = _RENAMED
        return render() == shown
    finally:
        first.title, first.id = saved


def _headings(items) -> tuple:
    return tuple((item.level, item.id, item.title, repr(getattr(item, "typeset", None)),
                  _headings(item.children)) for item in items)


def framed(src_uri: str) -> bool:
    """Whether a page's place lets it share a frame: `<folder>/<name>/index.md`, as every generated page outside
    the nav is (relative links from it are the same as from any other `<folder>/<other>/index.md`)."""
    return src_uri.endswith("/index.md") and src_uri.count("/") >= 2


def _kind_of(page, template: str) -> tuple:
    meta = tuple(sorted((key, repr(value)) for key, value in page.meta.items() if key not in ("title", "template")))
    folder = page.file.src_uri.rsplit("/", 2)[0]
    return (template, folder, meta, bool(page.toc), "<h1" in page.content, page.canonical_url is not None)
