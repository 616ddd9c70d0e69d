"""The site in a real browser: what a manager or HR partner sees, does, prints and hears.

Chromium opens the site built from the shipped plans (see conftest.py) and checks it as a person would:
search, a plan page's letters, copy button, mail link and chart, the printed plan, accessibility (axe-core),
the layout on a laptop and on a phone, and that browsing never leaves 127.0.0.1 or logs a console error.
The sections follow the issue's acceptance list.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from sitekit import REPO

from .browserkit import ARTIFACTS, DESKTOP, PHONE, Tab, open_tab as new_tab

pytestmark = pytest.mark.e2e

JORDAN = "plans/jordan-lee-pip-2026-10/"  # a PIP: letters, a mail link, charts, signature lines
SAM = "plans/sam-rivera-coaching-2026-11/"  # a coaching plan
ALEX = "plans/alex-kim-growth-2026-10/"  # a growth plan
INDEXES = ["plans/", "teams/", "managers/", "people/", "compliance/"]
A11Y_PAGES = ["", "guide/", JORDAN, SAM, ALEX, *INDEXES, "teams/emea-west/", "managers/priya-shah/",
              "people/jordan-lee/"]
COPY_BUTTON = ":is(.md-clipboard, .md-code__button[data-md-type=copy])"  # Material 9.5 and 9.6+


# --------------------------------------------------------------------------------------------
# 1. Search
# --------------------------------------------------------------------------------------------

def test_search_finds_seeds_weeds_needs_and_opens_it(tab: Tab):
    page = tab.open("")
    search = page.locator(".md-search__input")
    search.click()
    search.press_sequentially("seeds weeds")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    tab.screenshot("", "-search")
    results.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/coaching/seeds-weeds-needs/"))
    expect(page).to_have_title(re.compile(r"^Seeds, Weeds, Needs\b"))
    tab.screenshot("coaching/seeds-weeds-needs/")


# --------------------------------------------------------------------------------------------
# 2. A plan page: letter tabs, copy button, mail link, chart
# --------------------------------------------------------------------------------------------

def letter_tab(page, label: str):
    """The panel of the letter tab whose label starts with `label`, after clicking that label."""
    labels = page.locator(".pb-letters .tabbed-labels > label")
    names = labels.all_inner_texts()
    [index] = [number for number, name in enumerate(names) if name.startswith(label)]
    labels.nth(index).click()
    return page.locator(".pb-letters .tabbed-content > .tabbed-block").nth(index)


def test_letter_tabs_switch(tab: Tab):
    page = tab.open(JORDAN)
    panels = page.locator(".pb-letters .tabbed-content > .tabbed-block")
    assert panels.count() >= 2
    expect(panels.nth(0)).to_be_visible()
    expect(panels.nth(1)).to_be_hidden()
    second = letter_tab(page, "Check-in note")
    expect(second).to_be_visible()
    expect(panels.nth(0)).to_be_hidden()
    expect(second.locator("pre")).to_contain_text("CHECK-IN NOTE")
    page.locator(".pb-letters .tabbed-labels").scroll_into_view_if_needed()
    tab.screenshot(JORDAN, "-check-in-note")


def test_copy_button_copies_the_filled_letter(open_tab):
    tab = open_tab(permissions=("clipboard-read", "clipboard-write"))
    page = tab.open(JORDAN)
    panel = letter_tab(page, "Plan document")
    letter = panel.locator("pre code").inner_text()
    assert "Jordan Lee" in letter and "{{" not in letter
    panel.locator(COPY_BUTTON).click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == letter.strip()


def mailto_fields(href: str) -> dict[str, str]:
    """A mailto link's fields, URL-decoded; fails unless each value is fully percent-encoded."""
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "" and not parts.fragment, href[:80]
    fields = {}
    for pair in parts.query.split("&"):
        key, _, value = pair.partition("=")
        assert re.fullmatch(r"[A-Za-z0-9%._~-]*", value), f"{key} is not URL-encoded: {value[:80]!r}"
        fields[key] = unquote(value)
    return fields


def test_mail_link_holds_the_letter(tab: Tab):
    page = tab.open(JORDAN)
    panel = letter_tab(page, "Agreement email")
    link = panel.locator('a[href^="mailto:"]')
    expect(link).to_be_visible()
    fields = mailto_fields(link.get_attribute("href"))
    assert set(fields) == {"subject", "body"}
    assert fields["body"].strip() == panel.locator("pre code").inner_text().strip()
    expect(panel.locator(".pb-letter__subject")).to_have_text(f"Subject: {fields['subject']}")


def test_chart_is_drawn_where_the_reader_scrolls_to(tab: Tab):
    page = tab.open(JORDAN)
    chart = page.locator('.pb-chart svg[role="img"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50, box
    expect(chart).to_be_in_viewport()
    assert chart.evaluate("svg => svg.querySelectorAll('polyline, line, circle, rect').length") > 3
    tab.screenshot(JORDAN, "-chart")


# --------------------------------------------------------------------------------------------
# 3. Print
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(browser, base_url, site) -> dict[str, PdfReader]:
    """Every plan page printed to A4 by Chromium, as a reader's print dialog does: plan id -> the PDF
    (kept under artifacts/ too)."""
    tab = new_tab(browser, base_url, "print", viewport=DESKTOP)
    pdfs: dict[str, PdfReader] = {}
    try:
        for folder in sorted(path for path in (site / "plans").iterdir() if path.is_dir()):
            page = tab.open(f"plans/{folder.name}/")
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4")
            page.emulate_media(media="screen")
            (ARTIFACTS / f"print--{folder.name}.pdf").write_bytes(pdf)
            pdfs[folder.name] = PdfReader(io.BytesIO(pdf))
        assert tab.problems() == []
    finally:
        tab.close()
    return pdfs


def sheets(pdf: PdfReader) -> list[str]:
    """The text of each printed page."""
    return [sheet.extract_text() for sheet in pdf.pages]


def text_extents(pdf: PdfReader) -> list[tuple[float, float]]:
    """(top, bottom) of the text on each printed page, in points from the page's foot."""
    extents = []
    for sheet in pdf.pages:
        ys: list[float] = []

        def visit(text, cm, tm, font, size, ys=ys):
            if text.strip():
                ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

        sheet.extract_text(visitor_text=visit)
        extents.append((max(ys), min(ys)) if ys else (0.0, 0.0))
    return extents


def test_printed_plan_holds_the_plan_and_its_signature_lines(printed):
    text = "\n".join(sheets(printed["jordan-lee-pip-2026-10"]))
    for expected in ("Jordan Lee: Performance improvement plan", "Diagnosis", "Timetable", "Criteria",
                     "Milestones", "Actions", "Escalation", "Acknowledgement", "Log",
                     "Discovery-to-demo conversion", "Monday 5 October 2026 to Sunday 3 January 2027",
                     "Signatures", "Sam Ortiz (HR partner)"):
        assert expected in text, f"{expected!r} is not on the printed plan"
    signatures = text[text.index("Signatures"):]
    assert "Jordan Lee" in signatures and "Priya Shah" in signatures


def test_printed_plan_has_no_navigation_letters_or_relative_dates(printed):
    text = "\n".join(sheets(printed["jordan-lee-pip-2026-10"]))
    assert not re.search(r"Home\s+Guide\s+Diagnose\s+Tools\s+Coaching", text), "the navigation tabs are printed"
    for chrome in ("Table of contents", "Search", "Skip to content", "Made with", "Back to top",
                   "Templates", "Open in your mail app", "Filled in from this plan's record",
                   "Add the plan's dates to your calendar", "Copy to clipboard"):
        assert chrome not in text, f"{chrome!r} is printed"
    relative = re.findall(r"\bin \d+ days?\b|\btomorrow\b|\byesterday\b|\b\d+ days? ago\b", text)
    assert relative == [], f"relative dates on paper: {relative}"


def test_printed_pages_are_filled_before_the_next_begins(printed):
    """No page but the last is left half empty: a table or chart runs on rather than jumping to a new page."""
    extents = text_extents(printed["jordan-lee-pip-2026-10"])
    top = max(high for high, _ in extents)
    foot = min(low for _, low in extents if low)
    filled = [round((top - low) / (top - foot), 2) for _, low in extents[:-1]]
    assert filled and all(share >= 0.5 for share in filled), f"share of each page filled: {filled}"


def test_signatures_never_stand_alone_on_a_page(printed):
    """On every plan, the page that holds the signature lines holds the end of the plan too."""
    alone = []
    for plan, pdf in printed.items():
        [sheet] = [sheet for sheet in sheets(pdf) if "Signatures" in sheet]
        before = sheet.split("Signatures")[0].strip()
        if len(before) < 40:
            alone.append(f"{plan}: {before!r}")
    assert len(printed) >= 10 and alone == []


# --------------------------------------------------------------------------------------------
# 4. Accessibility
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", A11Y_PAGES, ids=lambda url: url or "home")
def test_no_serious_accessibility_violation(open_tab, url, scheme):
    tab = open_tab(color_scheme=scheme)
    tab.open(url)
    found = [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
             + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
             for violation in tab.axe()]
    assert found == []


# --------------------------------------------------------------------------------------------
# 5. Layout
# --------------------------------------------------------------------------------------------

TABLES = """() => Array.from(document.querySelectorAll("article table")).filter(t => t.offsetParent !== null).map(t => {
  const wrap = t.closest(".md-typeset__scrollwrap") || t.parentElement;
  return {head: Array.from(t.querySelectorAll("th")).map(th => th.textContent.trim()).join(" | "),
          table: t.scrollWidth, shown: t.clientWidth, wrap: wrap.scrollWidth, column: wrap.clientWidth};
})"""


def overflowing(page) -> list[str]:
    """The page's tables that scroll sideways, in their own box or in Material's wrapper."""
    return [f"{t['head'][:60]}: {t['table']} px in {t['shown']} px, wrapper {t['wrap']} px in {t['column']} px"
            for t in page.evaluate(TABLES) if t["table"] > t["shown"] or t["wrap"] > t["column"]]


def listing_pages(site: Path) -> list[str]:
    return INDEXES + [f"{folder}/{path.name}/" for folder in ("teams", "managers")
                      for path in sorted((site / folder).iterdir()) if path.is_dir()]


def test_index_tables_fit_their_column_at_1280(tab: Tab, site):
    wide = {}
    for url in listing_pages(site):
        page = tab.open(url)
        assert page.evaluate(TABLES), f"{url} shows no table"
        if found := overflowing(page):
            wide[url] = found
    assert wide == {}


PHONE_PAGES = ["", "guide/", JORDAN, SAM, ALEX, *INDEXES, "teams/emea-west/", "managers/priya-shah/",
               "people/jordan-lee/"]


def test_no_page_scrolls_sideways_on_a_phone(open_tab):
    tab = open_tab(viewport=PHONE)
    sideways = {}
    for url in PHONE_PAGES:
        page = tab.open(url)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            sideways[url] = width
    assert sideways == {}


def visible_in_viewport(page, selector: str) -> list[str]:
    """The text of each element matching `selector` that is shown and lies within the window's width."""
    return page.locator(selector).evaluate_all("""cells => cells.filter(c => {
        const box = c.getBoundingClientRect();
        return c.offsetParent !== null && box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
    }).map(c => c.textContent.trim())""")


def test_a_plans_key_figures_read_on_a_phone(open_tab):
    tab = open_tab(viewport=PHONE)
    page = tab.open(JORDAN)
    assert overflowing(page) == []
    cells = visible_in_viewport(page, ".pb-criteria tbody td")
    for figure in ("Discovery-to-demo conversion", "18%", "30%", "24% (Thu 12 Nov 2026)", "50%"):
        assert any(cell.endswith(figure) for cell in cells), f"{figure!r} is not readable at 390 px: {cells}"
    assert any(cell.startswith("below 24% by Fri 4 Dec 2026") for cell in cells)
    page.locator(".pb-criteria").scroll_into_view_if_needed()
    tab.screenshot(JORDAN, "-criteria")


PLAN_COLUMNS = ["Person", "Kind", "Status", "Health", "Next due"]


@pytest.mark.parametrize("url, shown", [
    ("plans/", PLAN_COLUMNS),
    ("teams/emea-west/", PLAN_COLUMNS),
    ("managers/priya-shah/", PLAN_COLUMNS),
    ("teams/", ["Team", "Plans", "Running", "Formal PIPs running"]),
    ("managers/", ["Manager", "Plans", "Running", "Formal PIPs running"]),
    ("people/", ["Person", "Plans"]),
])
def test_listings_keep_the_columns_scanned_first_on_a_phone(open_tab, url, shown):
    tab = open_tab(viewport=PHONE)
    page = tab.open(url)
    assert overflowing(page) == []
    assert visible_in_viewport(page, "article thead th") == shown
    rows = page.locator("article tbody tr")
    assert rows.count() >= 2
    for row in range(1, rows.count() + 1):  # a closed plan has nothing due
        cells = visible_in_viewport(page, f"article tbody tr:nth-child({row}) td")
        assert len(cells) == len(shown) and all(cells[:4]), cells


# Each cell's lines of text: the line boxes of its content, told apart by where they end.
CELL_LINES = """cells => cells.filter(c => c.offsetParent !== null).map(c => {
  const range = document.createRange();
  range.selectNodeContents(c);
  const half = parseFloat(getComputedStyle(c).lineHeight) / 2;
  const bottoms = Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => r.bottom).sort((a, b) => a - b);
  let lines = 0, last = -Infinity;
  for (const bottom of bottoms) { if (bottom - last > half) { lines += 1; last = bottom; } }
  return [c.textContent.trim(), lines];
})"""


def test_the_dashboard_reads_at_1280_with_no_cell_over_two_lines(tab: Tab):
    page = tab.open("compliance/")
    assert overflowing(page) == []
    groups = page.locator(".pb-compliance thead th[scope=colgroup]").all_inner_texts()
    assert [text.strip() for text in groups] == ["Plans", "Done, of those owed"] * 2  # managers, HR partners
    cells = page.locator(".pb-compliance th, .pb-compliance td").evaluate_all(CELL_LINES)
    assert any(text == "Priya Shah" for text, _ in cells)
    assert [(text, lines) for text, lines in cells if lines > 2] == []
    formula = page.locator(".pb-method pre")
    assert "escalations called for" in formula.inner_text()
    assert formula.evaluate("pre => pre.scrollWidth <= pre.clientWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_persons_page_never_breaks_a_plan_id(open_tab, viewport):
    tab = open_tab(viewport=viewport)
    page = tab.open("people/kofi-mensah/")
    assert overflowing(page) == []
    links = page.locator(".pb-person td a").evaluate_all(
        "links => links.map(a => [a.textContent.trim(), a.getClientRects().length])")
    assert len(links) >= 3  # a coaching plan, the PIP that grew out of it, and its link back
    assert [(text, pieces) for text, pieces in links if pieces != 1] == []
    assert all(text in visible_in_viewport(page, ".pb-person td a") for text, _ in links)


def test_the_dashboard_reads_on_a_phone(open_tab):
    tab = open_tab(viewport=PHONE)
    page = tab.open("compliance/")
    assert overflowing(page) == []
    cards = visible_in_viewport(page, ".pb-compliance tbody td")
    assert "Priya Shah" in cards and any(cell.endswith("%") for cell in cards)


# --------------------------------------------------------------------------------------------
# 6. Offline: nothing leaves 127.0.0.1, nothing goes wrong in the console
# --------------------------------------------------------------------------------------------

def test_browsing_stays_on_the_local_server_without_console_errors(open_tab, site):
    """Every page of the site, opened in turn: no request leaves 127.0.0.1 (each is aborted and listed) and
    nothing is logged as a console error. (Every other test's tabs are held to the same when they close.)"""
    tab = open_tab()
    urls = sorted(path.relative_to(site).parent.as_posix() + "/" for path in site.rglob("index.html"))
    urls = ["" if url == "./" else url for url in urls]
    assert len(urls) > 50
    for url in urls:
        tab.open(url)
    assert tab.take_problems() == []


def test_the_version_selector_stays_out_of_a_plain_build(tab: Tab):
    page = tab.open("")
    config = page.evaluate("JSON.parse(document.getElementById('__config').textContent)")
    assert config.get("version") is None
    assert page.locator(".md-version").count() == 0


def test_the_plugin_brings_its_theme_templates_without_a_custom_dir(tab: Tab):
    # The shipped mkdocs.yml names no custom_dir: the plugin adds its templates to the theme itself.
    assert "custom_dir" not in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    page = tab.open("")
    assert page.locator('.md-search[role="dialog"][aria-label]').count() == 1