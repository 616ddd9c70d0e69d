"""Generated pages as finished HTML (`generator.render.html`): plan text never goes through
Python-Markdown, so long runs of Markdown's special characters cost what their length costs and
show exactly as written.
"""

from __future__ import annotations

import json
import os

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st
from markupsafe import Markup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import PIP
from growth import LINEAR, growth
from generator.render.html import Finisher, without_search_excluded
from generator.render.pages import generated_page
from sitekit import TODAY, make_project

PIP_FILE = "plans/emea-west/jordan-lee-pip-2026-11.yaml"
NOTE_LINE = "    note: Plan signed; agreed the week's call reviews.\n"
SPECIALS = "-*_["


def note_of(length: int) -> str:
    """A note of `length` characters: a run of each of `-`, `*`, `_` and `[`, one after another."""
    return "".join(char * (length // len(SPECIALS)) for char in SPECIALS)


def project_with_note(root, note: str):
    """A site whose one plan has `note` in its log."""
    make_project(root, plans=None)
    plan = root / PIP_FILE
    plan.parent.mkdir(parents=True)
    plan.write_text(PIP.change(NOTE_LINE, f"    note: '{note}'\n"), encoding="utf-8")
    return root


def build_in_process(root) -> None:
    """`mkdocs build` of the site at `root`, in this process (PLAYBOOK_TODAY set by the test)."""
    os.chdir(root)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))


def build_with_note(root, note: str, monkeypatch) -> None:
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    monkeypatch.chdir(project_with_note(root, note))
    build_in_process(root)


def log_paragraph(root) -> str:
    page = BeautifulSoup((root / "site/plans/jordan-lee-pip-2026-11/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    [paragraph] = [p for p in page.find_all("p") if "Check-in." in p.get_text()]
    return paragraph.get_text()


def test_a_long_run_of_markdown_specials_builds_in_linear_time_and_shows_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    monkeypatch.chdir(tmp_path)
    # Four times the text costs at most a few times as much (the rest of the site adds a constant); through
    # Python-Markdown's escapes it cost sixteen times as much: 437 s for 300 KB of `-`.
    made = {}
    ratio = growth(build_in_process, lambda size: made.setdefault(size, project_with_note(
        tmp_path / str(size), note_of(size))), 75_000)
    assert ratio < LINEAR, ratio
    for size, root in made.items():
        assert log_paragraph(root).endswith(" " + note_of(size))


def test_search_indexes_headlines_not_letters_logs_or_the_rows_of_listings(tmp_path, monkeypatch):
    build_with_note(tmp_path, "Discussed the SEARCHABLE-NOTE pipeline.", monkeypatch)
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))
    entries = [doc for doc in index["docs"] if doc["location"].startswith("plans/jordan-lee-pip-2026-11/")]
    assert entries and entries[0]["title"] == "Jordan Lee: Performance improvement plan"
    assert not entries[0]["text"].startswith("Jordan Lee:")  # the heading is the entry's title, not its text
    text = " ".join(doc["title"] + " " + doc["text"] for doc in entries)
    assert "Priya Shah" in text and "emea-west" in text  # who, and whose team
    assert "SEARCHABLE-NOTE" not in text  # the log is for reading on the page
    assert "Written warning" not in text  # and so are the letters
    [person] = [doc for doc in index["docs"] if doc["location"].startswith("people/jordan-lee/")]
    assert person["title"] == "Jordan Lee" and "jordan-lee-pip-2026-11" in person["text"]
    page = BeautifulSoup((tmp_path / "site/plans/jordan-lee-pip-2026-11/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert "SEARCHABLE-NOTE" in page.get_text()  # the page itself is whole
    # A listing gives its heading and counts; its table's rows are the plans' own entries.
    for location in ("plans/", "teams/emea-west/", "people/"):
        listing = " ".join(doc["text"] for doc in index["docs"] if doc["location"].split("#")[0] == location)
        assert "Jordan Lee" not in listing and "Priya Shah" not in listing, location
        listed = BeautifulSoup((tmp_path / "site" / location / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert "Jordan Lee" in listed.get_text(), location
    assert "1 plan" in " ".join(doc["text"] for doc in index["docs"] if doc["location"] == "teams/emea-west/")


@pytest.mark.parametrize("text", ["**bold** [a](javascript:alert(1)) <b>x</b> &amp;", "# heading\n- item\n    code",
                                  "line one\nline two\t", "\ue0001\ue001 a token's look-alike"])
def test_a_value_reaches_the_html_as_written(text):
    """Every value is escaped HTML: no Markdown, no HTML, nothing taken for another value."""
    body = generated_page("groups.html.j2", "Teams", {"title": "Teams", "empty": text, "groups": []}).body
    done = Finisher({}).finish("teams/index.md", body)
    paragraph = BeautifulSoup(done.html, "html.parser").find("p")
    assert paragraph.get_text("\n") == text.replace("\r", "")
    assert paragraph.find("b") is None and paragraph.find("a") is None and paragraph.find("strong") is None


def test_a_heading_keeps_the_anchor_of_its_text():
    body = generated_page("groups.html.j2", "Team a-b", {"title": "Team a-b", "empty": "", "groups": []}).body
    done = Finisher({"toc": {"permalink": True}}).finish("teams/index.md", body)
    heading = BeautifulSoup(done.html, "html.parser").find("h1")
    assert heading["id"] == "team-a-b" and heading.get_text().startswith("Team a-b")
    assert [(token["id"], token["name"]) for token in done.toc] == [("team-a-b", "Team a-b")]


def test_links_between_generated_pages_are_urls_of_the_site():
    body = generated_page("groups.html.j2", "Teams", {
        "title": "Teams", "empty": "",
        "groups": [("emea", Markup("emea/index.md"), {"plans": 1, "running": 1, "pip": 0})]}).body
    for directory_urls, url in ((True, "emea/"), (False, "emea/index.html")):
        done = Finisher({}, directory_urls).finish("teams/index.md", body)
        assert BeautifulSoup(done.html, "html.parser").find("a")["href"] == url
        assert done.links == ("teams/emea/index.md",)


TOC_OPTIONS = [
    {},
    {"permalink": True},
    {"permalink": "#", "permalink_leading": True, "permalink_title": "", "permalink_class": "anchor"},
    {"anchorlink": True, "anchorlink_class": "self"},
    {"toc_depth": "2-3", "permalink": True},
    {"toc_depth": 2},
    {"baselevel": 2, "permalink": True},
    {"separator": "_"},
]


def _slugs():
    from pymdownx.slugs import slugify
    return slugify(case="lower")


@pytest.mark.parametrize("options", TOC_OPTIONS + [{"slugify": "pymdownx"}], ids=str)
def test_headings_get_the_ids_permalinks_and_contents_markdown_would_give_them(options):
    import markdown

    if options.get("slugify") == "pymdownx":
        options = {"slugify": _slugs(), "permalink": True}
    texts = ["Jordan Lee: Plan", "Criteria", "Criteria", "Ünïcode & <co>", "1.5% of target", "Criteria_1"]
    levels = [1, 2, 2, 3, 4, 2]
    source = "\n\n".join(f"{'#' * level} {text.replace('<', '&lt;')}" for level, text in zip(levels, texts))
    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": options})
    expected_html = md.convert(source)
    body = "\n".join(f"<h{level}>{Markup.escape(text)}</h{level}>" for level, text in zip(levels, texts))
    done = Finisher({"toc": options}).finish("plans/x/index.md", body)

    def headings(html):
        return [(tag.name, tag.attrs, str(tag)) for tag in BeautifulSoup(html, "html.parser").find_all(
            ["h1", "h2", "h3", "h4", "h5", "h6"])]

    assert headings(done.html) == headings(expected_html)

    def tokens(found):
        return [(token["level"], token["id"], token["name"], tokens(token["children"])) for token in found]

    assert tokens(done.toc) == tokens(md.toc_tokens)


def _search_sections(html: str) -> list[tuple]:
    """What Material's search makes of a page's HTML: its sections, each with its id, title and text."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(section.id, "".join(section.title), "".join(section.text)) for section in parser.data]


# Pieces of a page's HTML, well formed: headings with ids, paragraphs, text and whitespace, a void tag, a
# comment, and blocks the search skips, with divs, headings, tables and text of their own, inside a div or not.
_INSIDE = st.lists(st.sampled_from(["<div>x</div>", '<div class="a"><div>y</div>\n</div>', "<table><tr><td>Sam"
                                    "</td></tr></table>", "<p>row</p>", "\n", " text ", '<h3 id="in">In</h3>',
                                    "<br>", '<span data-search-exclude="">z</span>']), max_size=4)
_BLOCK = st.builds(lambda attrs, inside: f"<div {attrs}>{''.join(inside)}</div>",
                   st.sampled_from(['class="pb-table" data-search-exclude', "data-search-exclude",
                                    'data-search-exclude class="x"', 'data-search-exclude=""']), _INSIDE)
_PIECE = st.one_of(
    st.sampled_from(['<h1 id="a">Title</h1>', '<h2 id="b">Part</h2>', "<p>Counts: 3 plans.</p>", "\n", " ", "word",
                     "<ul><li>one</li></ul>", '<div class="pb-chart">chart</div>', "<br>", "<!-- note -->"]),
    _BLOCK, _BLOCK.map(lambda block: f'<div class="wrap">{block}</div>'))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECE, min_size=1, max_size=8))
def test_a_listing_without_its_excluded_blocks_makes_the_search_entries_of_the_whole_page(pieces):
    html = "".join(pieces)
    assert _search_sections(without_search_excluded(html)) == _search_sections(html)


def test_the_blocks_emptied_for_search_are_whole_and_only_those_marked():
    table = '<div class="pb-table" data-search-exclude>\n<table><tr><td>Sam Poe</td></tr></table>\n</div>'
    page = f'<h1 id="t">T</h1>\n{table}\n<div class="pb-method"><p>How</p></div>{table}<p>end</p>'
    empty = "<div data-search-exclude></div>"
    assert without_search_excluded(page) == (
        f'<h1 id="t">T</h1>\n{empty}\n<div class="pb-method"><p>How</p></div>{empty}<p>end</p>')
    for whole in ('<p>a</p><div data-search-exclude><div>b</div></div>',  # a div inside: left whole
                  '<p>a</p><div data-search-exclude><h2 id="x">X</h2></div>',  # a heading inside
                  '<p>a</p><div data-search-exclude><p>b</p>',  # never closed
                  '<p>a</p><div title="data-search-exclude" data-search-excluded>b</div>'):  # not the mark
        assert without_search_excluded(whole) == whole


def test_a_sites_search_index_is_the_one_the_whole_listings_give(tmp_path, monkeypatch):
    """The listings' tables are emptied before the search reads them: the index is the one a build that hands
    the search every listing whole writes, byte for byte."""
    import generator.plugin as plugin

    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    root = make_project(tmp_path / "site")
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "cut")))
    monkeypatch.setattr(plugin, "without_search_excluded", lambda html: html)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "whole")))
    cut, whole = ((tmp_path / name / "search" / "search_index.json").read_bytes() for name in ("cut", "whole"))
    assert cut == whole
    listed = json.loads(cut)["docs"]
    assert any(doc["location"] == "compliance/" for doc in listed)
    assert any(doc["location"].startswith("teams/") and doc["location"] != "teams/" for doc in listed)
