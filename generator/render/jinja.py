"""The Jinja environments that turn records into pages and letters, and their escaping.

Three environments, each with `StrictUndefined` (a missing value fails the build rather than leaving a
blank in a warning letter):

- `html_env` renders generated pages (plans, listings, people, compliance) as HTML, autoescaped. Every
  value from a record is escaped for HTML, its line breaks kept as `<br>` and its controls shown as
  pictures: no Markdown ever reads it.
- `markdown_env` renders HR's Markdown pages, autoescaped. Every value from a record is escaped for HTML *and* for
  Markdown, so a note such as `**x** [a](javascript:...)` shows as written and cannot become
  markup. Text that is trusted Markdown (rule docs from the code) is passed as `Markup`.
- `text_env` renders letters and scripts as plain text, without autoescaping: values and the template's
  own words are kept as written (`&amp;` stays `&amp;`). Where a letter becomes HTML, it is escaped whole
  (`letters.letter_html`).

Every helper shows C0 controls and DEL as their control pictures (`shown_controls`): no page,
letter or title carries a raw NUL or ESC.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html import escape as html_escape, unescape as html_unescape
from typing import Any, Iterable

from jinja2 import BaseLoader, Environment, StrictUndefined
from markupsafe import Markup

from ..dates import longdate, shortdate, span
from ..units import measure, number
from ..words import article, plural, with_article

# C0 controls but tab, line feed and carriage return, and DEL: HTML has no place for them (a
# NUL becomes U+FFFD, ESC is a parse error), and a page copied to a terminal would run them. Each
# is shown as its Unicode control picture (ESC as U+241B), so nothing written is lost.
_CONTROL_PICTURES = str.maketrans({code: chr(0x2400 + code) for code in range(0x20) if code not in (9, 10, 13)}
                                  | {0x7F: "\u2421"})


def shown_controls(text: str) -> str:
    """`text` with every C0 control (but tab and line breaks) and DEL as its control picture."""
    return text.translate(_CONTROL_PICTURES)


# Characters that Python-Markdown lets a backslash escape (with the tables extension: `|`).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def html_text(value: Any) -> str:
    """A value as escaped HTML text, its line breaks kept as `<br>`: the inverse of `text_of_html`."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return html_escape(text, quote=True).replace("\n", "<br>")


def text_of_html(html: str) -> str:
    """The text that `html_text` escaped (which leaves no `<` but its own `<br>`)."""
    return html_unescape(html.replace("<br>", "\n"))


def markdown_text(value: Any) -> Markup:
    """A value as literal text inside Markdown: no markup, no HTML, no block, on one line.

    Every block a value could open (`??? note`, `=== "tab"`, `: definition`, ```` ``` ````, `>`,
    `- [ ]`, four spaces of code, ...) starts with a character that is neither a letter nor a
    digit, at the start of a line; line breaks become `<br>`, so the value's only line start is
    its first character, which is then written as a numeric character reference (`&#63;`) that
    no block syntax matches. Trailing whitespace and tabs are kept the same way (a table cell
    would drop the one, Python-Markdown expand the other), and the rest is escaped for HTML and
    for Markdown's inline syntax.
    """
    if isinstance(value, Markup):
        return value
    text = shown_controls(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    head = tail = ""
    if text[:1] not in ("", "\n") and not text[0].isalnum():
        head, text = f"&#{ord(text[0])};", text[1:]
    if text[-1:].isspace() and text[-1:] != "\n":
        text, tail = text[:-1], f"&#{ord(text[-1])};"
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", html_escape(text, quote=False))
    # Python-Markdown expands tabs to spaces: a reference keeps the tab a tab.
    return Markup(head + text.replace("\n", "<br>").replace("\t", "&#9;") + tail)


def attribute(value: Any) -> Markup:
    """A value inside an HTML attribute (or raw HTML text): escaped for HTML only."""
    return Markup(html_escape(shown_controls(str(value)), quote=True))


# A page title reaches the theme's `<title>`, nav and search unescaped (MkDocs themes do not
# autoescape), so it may hold no character that HTML reads as markup.
_TITLE_SAFE = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06", '"': "\u201d", "\\": "/"})


def page_title(text: str) -> str:
    """A title as plain text that no theme can turn into markup: `<` becomes `‹`, and so on."""
    return " ".join(shown_controls(text).translate(_TITLE_SAFE).split())


def front_matter(title: str, **meta: str | list[str]) -> str:
    """YAML front matter that sets a generated page's title and meta values (JSON is valid YAML).

    `render_macros: false` tells the macros plugin, in a site that has it, to leave the page alone: a
    generated page holds text from plans, which no template engine may evaluate."""
    lines = [f"title: {_yaml_json(page_title(title))}", "render_macros: false"]
    lines += [f"{name}: {_yaml_json(value)}" for name, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


# What JSON writes as it is and YAML does not read so: characters YAML does not print, and its other line breaks.
_NOT_FOR_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _yaml_json(value: Any) -> str:
    """`value` as JSON that a YAML reader reads back as it is: each character YAML would refuse or take for a
    line break is written as a `\\uXXXX` escape, which both read alike (a lone surrogate, which no YAML or
    UTF-8 file holds, as U+FFFD)."""
    return _NOT_FOR_YAML.sub(_yaml_escape, json.dumps(value, ensure_ascii=False))


def _yaml_escape(found: re.Match) -> str:
    code = ord(found.group())
    return f"\\u{0xFFFD if 0xD800 <= code <= 0xDFFF else code:04x}"


def front_values(front: str) -> dict[str, Any]:
    """The values `front_matter` wrote, as a YAML reader of front matter gives them (each line is `name: JSON`)."""
    values = {}
    for line in front.strip().removeprefix("---").removesuffix("---").strip().split("\n"):
        name, _, value = line.partition(": ")
        values[name] = json.loads(value)
    return values


def _finalize_markdown(value: Any) -> Any:
    if value is None:
        return ""
    return markdown_text(value)


# What `html_value` changes: a control (tab aside), a line break, DEL, and HTML's specials. Most values hold none.
_NOT_PLAIN = re.compile("[\x00-\x08\x0a-\x1f\x7f&<>\"']")


def html_value(value: Any) -> Markup:
    """A value as HTML text: escaped, its controls shown as pictures, its line breaks as `<br>`."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    return Markup(text if _NOT_PLAIN.search(text) is None else html_text(shown_controls(text)))


def _finalize_html(value: Any) -> Any:
    return "" if value is None else html_value(value)


def _finalize_text(value: Any) -> Any:
    return "" if value is None else value  # a letter is text: where it becomes HTML, `attribute` shows its controls


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


# Filters for HR's templates: readable names for dates, lists and numbers.



def and_join(items: Iterable[Any]) -> str:
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def weekdays(names: Iterable[str]) -> str:
    return and_join(name.capitalize() for name in names)




def plus_working_days(value: date, days: int) -> date:
    """The day `days` working days (Monday to Friday) after `value`: a reply-by date in a letter."""
    day = value
    while days > 0:
        day = date.fromordinal(day.toordinal() + 1)
        days -= day.weekday() < 5
    return day


_CODE_SPAN = re.compile(r"`([^`\n]*)`")


def html_code(text: str) -> Markup:
    """Text for raw HTML, escaped, with `backtick` spans shown as code (as Markdown would)."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", html_escape(shown_controls(str(text)), quote=True)))


def sentence(text: str) -> str:
    """The text with its first letter in capitals, and nothing else changed (unlike `capitalize`)."""
    return text[:1].upper() + text[1:]


def stage(name: str) -> str:
    return name.replace("-", " ")


FILTERS = {
    "longdate": longdate,
    "shortdate": shortdate,
    "span": span,
    "and_join": and_join,
    "weekdays": weekdays,
    "number": number,
    "measure": measure,
    "stage": stage,
    "sentence": sentence,
    "html_code": html_code,
    "plus_working_days": plus_working_days,
    "attr": attribute,
    "plural": plural,
    "article": article,
    "with_article": with_article,
}


def _markdown_join(items: Iterable[Any], separator: str = "") -> Markup:
    """`join` that escapes each item for Markdown (Jinja's own would escape for HTML only)."""
    return Markup(markdown_text(separator)).join(markdown_text(item) for item in items)


def _environment(loader: BaseLoader | None, finalize, autoescape: bool = True) -> Environment:
    environment = Environment(
        loader=loader,
        autoescape=autoescape,
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
    )
    environment.filters.update(FILTERS)
    return environment


def _html_join(items: Iterable[Any], separator: str = "") -> Markup:
    """`join` that shows each item as `html_value` does (Jinja's own would keep controls)."""
    return html_value(separator).join(html_value(item) for item in items)


def html_env(loader: BaseLoader | None = None) -> Environment:
    environment = _environment(loader, _finalize_html)
    environment.filters["join"] = _html_join
    environment.filters["e"] = environment.filters["escape"] = html_value
    return environment


def markdown_env(loader: BaseLoader | None = None) -> Environment:
    environment = _environment(loader, _finalize_markdown)
    environment.filters["join"] = _markdown_join
    environment.filters["e"] = environment.filters["escape"] = markdown_text
    return environment


def text_env(loader: BaseLoader | None = None) -> Environment:
    environment = _environment(loader, _finalize_text, autoescape=False)
    environment.filters["e"] = environment.filters["escape"] = _as_text  # plain text has nothing to escape
    return environment
