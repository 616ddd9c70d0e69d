"""The theme's page around generated pages, rendered once per kind of page (`generator.frames`): what a
reader gets is what the theme renders for each page, or the frame is not used.
"""

from __future__ import annotations

import os

from bs4 import BeautifulSoup
from jinja2 import pass_context
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import GROWTH
from generator.frames import Frames
from sitekit import REPO, TODAY, make_project, snapshot

NAMES = ["Alex Kim", "Bea Lund", "Cai Wen", "Dara Oni", "Eli Moss"]


def project(root, config: str | None = None):
    """A site with a growth plan for each of five people of one team: five plan pages, five people's pages."""
    make_project(root, plans=None, config=config)
    for name in NAMES:
        ident = name.lower().replace(" ", "-")
        text = GROWTH.change("  name: Alex Kim\n  id: alex-kim", f"  name: {name}\n  id: {ident}")
        path = root / "plans" / "emea-west" / f"{ident}-growth-2026-11.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def built(root, site: str = "site"):
    """`mkdocs build` of the site at `root`, in this process; the plugin, for what its frames did."""
    os.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    mkdocs_build(config)
    return config.plugins["playbook"]


@pass_context
def _whole(self, context):
    return self._whole(context, self.templates[context["page"].file.src_uri])


def test_pages_in_a_frame_are_byte_for_byte_what_the_theme_renders(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    root = project(tmp_path / "site")
    plugin = built(root, "framed")
    used = {kind[1] for kind, made in plugin.frames.kinds.items() if made.trusted}
    assert {"plans", "people"} <= used, plugin.frames.kinds  # five pages each: the frame served three of them
    monkeypatch.setattr(Frames, "render", _whole)  # every page rendered by the theme in full
    built(root, "whole")
    framed, whole = snapshot(root / "framed"), snapshot(root / "whole")
    assert framed == whole


def page(root, uri: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / uri / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_theme_that_shows_each_pages_address_gets_no_frame(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "theme:\n  name: material\n", "site_url: https://plans.example.com/\ntheme:\n  name: material\n"
                                      "  custom_dir: overrides\n")
    root = project(tmp_path / "site", config)
    (root / "overrides").mkdir()
    (root / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ super() }}<p class="where">{{ page.url }}</p>{% endblock %}',
        encoding="utf-8")
    plugin = built(root)
    assert not any(made.trusted for made in plugin.frames.kinds.values())
    for name in NAMES:
        uri = f"plans/{name.lower().replace(' ', '-')}-growth-2026-11"
        shown = page(root, uri)
        assert shown.select_one("p.where").get_text() == uri + "/"
        assert shown.select_one('link[rel="canonical"]')["href"] == f"https://plans.example.com/{uri}/"
        assert shown.find("h1").get_text().startswith(f"{name}: Growth plan")


def test_each_framed_page_has_its_own_title_address_and_contents(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "theme:\n  name: material\n", "site_url: https://plans.example.com/\ntheme:\n  name: material\n")
    root = project(tmp_path / "site", config)
    plugin = built(root)
    assert any(made.trusted for kind, made in plugin.frames.kinds.items() if kind[1] == "plans")
    for name in NAMES:
        uri = f"plans/{name.lower().replace(' ', '-')}-growth-2026-11"
        shown = page(root, uri)
        assert shown.title.get_text().startswith(f"{name}: Growth plan")
        assert shown.select_one('link[rel="canonical"]')["href"] == f"https://plans.example.com/{uri}/"
        toc = [link["href"] for link in shown.select("nav.md-nav--secondary a")]
        assert toc[:2] == ["#timetable", "#criteria"]
        assert shown.select_one("a.md-skip")["href"] == f"#{name.lower().replace(' ', '-')}-growth-plan"


def test_a_plan_page_the_sites_nav_lists_is_rendered_in_its_place(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "nav:\n  - Home: index.md\n", "nav:\n  - Home: index.md\n  - Cai: plans/cai-wen-growth-2026-11/index.md\n")
    root = project(tmp_path / "site", config)
    built(root)
    listed = page(root, "plans/cai-wen-growth-2026-11")
    assert [tab.get_text(strip=True) for tab in listed.select(".md-tabs__item--active")] == ["Cai"]
    other = page(root, "plans/dara-oni-growth-2026-11")
    assert not other.select(".md-tabs__item--active")


def test_a_theme_whose_contents_show_the_pages_own_heading_shows_each_pages_own(tmp_path, monkeypatch):
    """Material's table of contents leaves out a first heading of level 1 (the page's person), so plan pages share
    theirs; a theme that shows it gets each page's own, never the one of the page its contents were first made
    for."""
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n")
    root = project(tmp_path / "site", config)
    (root / "overrides" / "partials").mkdir(parents=True)
    (root / "overrides" / "partials" / "toc.html").write_text(
        '<nav class="md-nav md-nav--secondary"><ul>{% for item in page.toc %}'
        '<li><a href="{{ item.url }}">{{ item.title }}</a></li>{% endfor %}</ul></nav>', encoding="utf-8")
    plugin = built(root)
    assert plugin.frames.first_hidden is False
    for name in NAMES:
        ident = name.lower().replace(" ", "-")
        shown = page(root, f"plans/{ident}-growth-2026-11")
        [first] = shown.select("nav.md-nav--secondary li a")
        assert first.get_text() == f"{name}: Growth plan" and first["href"] == f"#{ident}-growth-plan"
    monkeypatch.setattr(Frames, "render", _whole)  # every page rendered by the theme in full
    built(root, "whole")
    assert snapshot(root / "site") == snapshot(root / "whole")


def test_material_s_contents_are_made_once_for_the_headings_they_show(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    root = project(tmp_path / "site")
    plugin = built(root)
    assert plugin.frames.first_hidden is True
    # Five people, each with one growth plan of the same sections: one table of contents for the five plan
    # pages, one for the five people's pages, and the frames' own.
    assert len(plugin.frames.tocs) <= 4, list(plugin.frames.tocs)
