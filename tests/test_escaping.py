"""A record's text, escaped by `markdown_text`, stays text in every place a page puts it: converted
with the real `markdown` package and the site's extensions, it opens no block, adds no element or
attribute, and shows exactly what was written."""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PIP
from generator.render.jinja import markdown_text
from sitekit import build_site, make_project, require_ok

EXTENSIONS = ["admonition", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "def_list", "footnotes",
              "attr_list", "md_in_html", "tables", "abbr", "toc", "pymdownx.tasklist"]
OPTIONS = {"pymdownx.tabbed": {"alternate_style": True}, "pymdownx.tasklist": {"custom_checkbox": True},
           "toc": {"permalink": True}}

# Where pages put a value: alone on a line, after a line of text (a definition list or a setext
# heading would take it), in a list item, in a table cell, after a label.
PLACES = {
    "paragraph": "{}\n",
    "second line": "Some text\n{}\n",
    "list item": "- {}\n",
    "nested item": "- a\n    - {}\n",
    "table cell": "| a | b |\n| --- | --- |\n| x | {} |\n",
    "after a label": "**Label:** {}\n",
    "admonition": '!!! note "Title"\n    {}\n',
}
PLACEHOLDER = "VALUEVALUE"

BLOCK_OPENERS = [
    "???", '??? danger "x"', "???+ note", "!!!", '!!! warning "x"', "===", '=== "x"', '===! "x"', ": def", ":   def",
    "~~~", "~~~python", "```", "```python", "# heading", "###### h6", "#", "> quote", ">", "- item", "+ item",
    "* item", "-", "1. item", "1) item", "[^1]: x", "[^1]", "*[HTML]: x", "{: .x}", "{: #id }", "| a | b |",
    "|---|", "    indented", "\tindented", "  two spaces", "<div>", '<div markdown="1">x</div>', "<!-- c -->",
    "- [ ] task", "[ ] task", "[x] done", "---", "***", "___", "= = =", "[a]: http://x", "![i](x.png)",
    "<details>", "&lt;", "&#63;", "HTML", "x {: .cls}", "x  ", "x\t", " ", "\\", "\\!!! note",
]
HOSTILE = BLOCK_OPENERS + [f"x\n{opener}" for opener in BLOCK_OPENERS] + [
    f"x\r\n{opener}" for opener in BLOCK_OPENERS[:10]] + [f"{opener}\n" for opener in BLOCK_OPENERS[:10]] + [
    "\n??? note", "\r??? note", "x\n\n??? note", "x\n\n    code", "x\r\ry",
]


# BeautifulSoup collapses a text that is only whitespace unless its element is listed here.
KEEP_WHITESPACE = {"p", "li", "td", "th", "strong", "div", "ul", "ol", "table", "thead", "tbody", "tr", "pre", "code"}


def _html(source: str) -> BeautifulSoup:
    html = markdown.markdown(source, extensions=EXTENSIONS, extension_configs=OPTIONS)
    return BeautifulSoup(html, "html.parser", preserve_whitespace_tags=KEEP_WHITESPACE)


def _structure(soup: BeautifulSoup) -> list[tuple[str, list]]:
    """Every element but `<br>` (a value's line breaks), with its attributes, in document order."""
    return [(tag.name, sorted(tag.attrs.items())) for tag in soup.find_all(True) if tag.name != "br"]


def _text(soup: BeautifulSoup) -> str:
    for br in soup.find_all("br"):
        br.replace_with("\n")
    return soup.get_text()


def _assert_stays_text(place: str, value: str) -> None:
    expected = _html(PLACES[place].format(PLACEHOLDER))
    written = _html(PLACES[place].format(markdown_text(value)))

    assert _structure(written) == _structure(expected), written
    shown = value.replace("\r\n", "\n").replace("\r", "\n")
    assert _text(written) == _text(expected).replace(PLACEHOLDER, shown)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("place", PLACES)
def test_no_value_opens_a_block_or_changes_its_text(place, value):
    _assert_stays_text(place, value)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(PLACES)),
       st.text(alphabet=list("?!=:~`#>-+*1.)[]^{}|<>&;\\/\"'_() \taZ\n\r") + ["é", "\u00a0", "\u2028"], min_size=1,
               max_size=24))
def test_any_value_of_markdown_punctuation_stays_text(place, value):
    _assert_stays_text(place, value)


def test_letters_and_digits_are_written_as_they_are():
    assert markdown_text("Jordan Lee 42") == "Jordan Lee 42"
    assert markdown_text("Zoë") == "Zoë"


# --- the built site carries no raw C0 control or DEL ----------------------------------------------------------------

RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_no_page_of_the_site_holds_a_raw_control_character(tmp_path):
    controls = "\\0\\x01\\e[2J\\x7f\\b"
    plan = (PIP.change("  name: Jordan Lee\n", f'  name: "Jordan {controls} Lee"\n')
            .change("  summary: Meetings stall between discovery and demo.",
                    f'  summary: "Meetings {controls} stall."')
            .change("    metric: Discovery-to-demo conversion", f'    metric: "Conversion {controls}"')
            .change("    title: Objectives met", f'    title: "Objectives {controls} met"')
            .change("    note: Plan signed; agreed the week's call reviews.", f'    note: "Signed {controls}."'))
    root = make_project(tmp_path / "project", plans=None)
    (root / "plans" / "emea-west").mkdir(parents=True)
    (root / "plans" / "emea-west" / "jordan-lee-pip-2026-11.yaml").write_text(plan, encoding="utf-8")

    built = build_site(root)

    require_ok(built)
    pages = [path for path in built.site.rglob("*") if path.suffix in (".html", ".svg", ".xml")]
    holding = [path.relative_to(built.site).as_posix() for path in pages
               if RAW_CONTROL.search(path.read_text(encoding="utf-8"))]
    assert holding == []
    assert "Jordan \u2400\u2401\u241b[2J\u2421\u2408 Lee" in built.page("plans/jordan-lee-pip-2026-11/").title
