"""A filled letter or plan document as HTML for print, and as PDF (with WeasyPrint).

Templates are plain text: paragraphs separated by blank lines, and headings written in capitals
on a line of their own. A heading that opens the text is the document's title. Each later heading
opens a section that is never split across pages. The signatures (the last section) are kept in
one block with the terms they sign, from the CONSEQUENCES heading on (or, in a text without one,
with the section before them), so no signature block stands alone on a page.

Every printed page carries a running header (the person's name and the plan's id, and the word
"Confidential") and its number out of the total: a page that comes loose still says whose it is.
"""

from __future__ import annotations

from ..model import PublicPlan
from .jinja import attribute as escape
from .letters import FilledLetter

KIND_TITLES = {"pip": "Performance improvement plan", "coaching": "Informal coaching plan", "growth": "Growth plan"}

SIGNED_WITH = "CONSEQUENCES"  # the heading of the terms that share a page with the signatures

PAGE_CSS = """
@page {{ size: A4; margin: 22mm 18mm 22mm;
  @top-left {{ content: {running}; font-size: 8pt; color: #444; }}
  @top-right {{ content: "Confidential"; font-size: 8pt; font-weight: bold; letter-spacing: 0.08em; }}
  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }} }}
"""
PRINT_CSS = """
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
h1 { font-size: 15pt; margin: 0 0 6mm; }
h2 { font-size: 11pt; letter-spacing: 0.03em; margin: 5mm 0 2mm; break-after: avoid; }
p { margin: 0 0 2.5mm; white-space: pre-wrap; orphans: 3; widows: 3; }
section, .pb-keep { break-inside: avoid; }
.pb-subject { font-weight: bold; }
"""


def _is_heading(paragraph: str) -> bool:
    line = paragraph.strip()
    return "\n" not in line and any(c.isalpha() for c in line) and line == line.upper() and len(line) <= 80


def _sections(body: str) -> list[list[str]]:
    sections: list[list[str]] = [[]]
    for paragraph in (part.strip("\n") for part in body.split("\n\n")):
        if not paragraph.strip():
            continue
        if _is_heading(paragraph) and sections[-1]:
            sections.append([])
        sections[-1].append(paragraph)
    return sections


def css_string(text: str) -> str:
    """`text` as a CSS string: every character but letters, digits and spaces written as a code point
    escape, so that no name can close the string, the rule or the style element."""
    return '"' + "".join(c if c.isalnum() and c.isascii() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def document_title(letter: FilledLetter, plan: PublicPlan) -> str:
    """A letter's title, or for the plan document the kind of plan and whose it is."""
    return f"{KIND_TITLES[plan.kind]}: {plan.person.name}" if letter.template.document else letter.template.title


def plan_document(letter: FilledLetter, plan: PublicPlan) -> str:
    """A plan's letter or document as HTML for print, titled and headed with the plan it belongs to."""
    return letter_document(letter, document_title(letter, plan), running=f"{plan.person.name} · {plan.id}")


def letter_document(letter: FilledLetter, title: str, running: str = "") -> str:
    """A standalone HTML document of the filled template, laid out for A4."""
    sections = _sections(letter.body)
    opening = sections[0][0] if sections and sections[0] else ""
    if _is_heading(opening):  # the template names itself: that is the title on the page
        parts = [f"<h1>{escape(opening.strip())}</h1>"]
        sections[0] = sections[0][1:]
    else:
        parts = [f"<h1>{escape(title)}</h1>"]
    if letter.subject:
        parts.append(f'<p class="pb-subject">Subject: {escape(letter.subject)}</p>')
    sections = [section for section in sections if section]
    kept = _signed_with(sections)
    rendered = [_section_html(section) for section in sections]
    if kept < len(rendered) - 1:  # the signatures and the terms they sign: one block that is never split
        rendered[kept:] = [f'<div class="pb-keep">{"".join(rendered[kept:])}</div>']
    parts += rendered
    page_css = PAGE_CSS.format(running=css_string(running))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{page_css}{PRINT_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


def _signed_with(sections: list[list[str]]) -> int:
    """Where the block that ends with the signatures starts: at the consequences when the text has them
    (what a signature most needs beside it), otherwise at the section before the signatures."""
    headed = [index for index, section in enumerate(sections) if section[0].strip() == SIGNED_WITH]
    return headed[-1] if headed else max(len(sections) - 2, 0)


def _section_html(section: list[str]) -> str:
    inner = "".join(f"<h2>{escape(p.strip())}</h2>" if _is_heading(p) else f"<p>{escape(p)}</p>" for p in section)
    return f"<section>{inner}</section>"


class PdfUnavailable(Exception):
    """WeasyPrint is not installed."""


def pdf_bytes(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except ImportError as exc:  # an extra: `pip install -e '.[pdf]'`
        raise PdfUnavailable("PDF output needs WeasyPrint: pip install -e '.[pdf]'") from exc
    try:
        return HTML(string=html).write_pdf()
    except Exception as exc:  # a fault inside WeasyPrint or its libraries: say so, not with a traceback
        raise PdfUnavailable(f"WeasyPrint could not write the PDF ({type(exc).__name__}: {exc})") from exc
