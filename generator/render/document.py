"""A filled letter or plan document as HTML for print, and as PDF (with WeasyPrint).

Templates are plain text: paragraphs separated by blank lines, and headings written in capitals
on a line of their own. Each heading opens a section that is never split across pages, and the
last section (the signatures) always shares its page with the one before it, so no signature
block stands alone on a page.
"""

from __future__ import annotations

from html import escape

from .letters import FilledLetter

PRINT_CSS = """
@page { size: A4; margin: 20mm 18mm 22mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
h1 { font-size: 15pt; margin: 0 0 6mm; }
h2 { font-size: 11pt; letter-spacing: 0.03em; margin: 5mm 0 2mm; break-after: avoid; }
p { margin: 0 0 2.5mm; white-space: pre-wrap; orphans: 3; widows: 3; }
section { break-inside: avoid; }
section.pb-last { break-before: avoid; }
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


def letter_document(letter: FilledLetter, title: str) -> str:
    """A standalone HTML document of the filled template, laid out for A4."""
    parts = [f"<h1>{escape(title)}</h1>"]
    if letter.subject:
        parts.append(f'<p class="pb-subject">Subject: {escape(letter.subject)}</p>')
    sections = _sections(letter.body)
    for index, section in enumerate(sections):
        last = ' class="pb-last"' if index == len(sections) - 1 and len(sections) > 1 else ""
        inner = "".join(f"<h2>{escape(p.strip())}</h2>" if _is_heading(p) else f"<p>{escape(p)}</p>" for p in section)
        parts.append(f"<section{last}>{inner}</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{PRINT_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


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
