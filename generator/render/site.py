"""The whole site in memory: generated pages and assets, and the Jinja pass over HR's pages.

Both adapters call this: the MkDocs plugin adds the pages as generated files, `playbook export`
writes them to a folder. Neither renders anything on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import TemplateError, UndefinedError
from markupsafe import Markup

from ..check import PlanFile, check_paths
from ..config import Policy
from ..schema import schema_text
from .jinja import markdown_env
from .letters import Letters, TemplateProblem, _template_line, letter_html
from .pages import KIND_LABELS, RESPONSES, plan_uri, render_indexes, render_plan
from .reference import field_rows, rule_views

TEMPLATES_DIR = "templates"  # inside the playbook folder; MkDocs leaves `templates/` out of the site
SAMPLES_DIR = "templates/samples"
STYLESHEET = "assets/playbook.css"
SCHEMA = "schema/plan.schema.json"


# Markdown extensions the generated pages rely on, with the options they need.
REQUIRED_EXTENSIONS = {
    "tables": {},
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
}


def required_extensions(options: dict) -> list[tuple[str, dict]]:
    """Each extension the pages need, with the options to give it (merged over what is there)."""
    return [(name, {**options.get(name, {}), **needed} if needed else options.get(name, {}))
            for name, needed in REQUIRED_EXTENSIONS.items()]


@dataclass
class Site:
    """Everything the site is made of besides HR's own pages."""

    pages: dict[str, str] = field(default_factory=dict)  # src uri -> Markdown
    assets: dict[str, str] = field(default_factory=dict)  # src uri -> file content
    letters: Letters | None = None
    samples: dict[str, PlanFile] = field(default_factory=dict)  # kind -> sample plan
    today: date | None = None
    _page_context: dict | None = field(default=None, repr=False)

    def page_context(self) -> dict:
        """What HR's Markdown pages may use in Jinja (the same for every page, so made once)."""
        if self._page_context is None:
            self._page_context = self._make_page_context()
        return self._page_context

    def _make_page_context(self) -> dict:
        return {
            "template_example": self.template_example,
            "rules": rule_views(),
            "plan_fields": field_rows(),
            "kinds": KIND_LABELS,
            "responses": RESPONSES,
            "today": self.today,
        }

    def template_example(self, name: str) -> Markup:
        """A template filled with the sample plan of a kind it fits, as a copyable block."""
        if self.letters is None or name not in self.letters.templates:
            raise TemplateProblem(f"no template `{name}` in {TEMPLATES_DIR}/")
        template = self.letters.templates[name]
        for kind in ("pip", "coaching", "growth"):
            if kind in template.kinds and kind in self.samples:
                filled = self.letters.fill(name, self.samples[kind].plan, self.today)
                return Markup("\n" + letter_html(filled, f"example-{name}") + "\n")
        raise TemplateProblem(f"no sample plan in {SAMPLES_DIR}/ fits template `{name}` ({', '.join(template.kinds)})")


def stylesheet() -> str:
    return resources.files("generator.render").joinpath("assets/playbook.css").read_text(encoding="utf-8")


def build_site(plan_files: list[PlanFile], playbook_dir: Path, policy: Policy, today: date) -> Site:
    """Render every generated page. Raises TemplateProblem for a template that cannot be filled."""
    letters = Letters(playbook_dir / TEMPLATES_DIR)
    samples_dir = playbook_dir / SAMPLES_DIR
    samples: dict[str, PlanFile] = {}
    if samples_dir.is_dir():
        result = check_paths([samples_dir], policy, today)
        errors = [finding.text() for finding in result.findings if finding.severity == "error"]
        if errors:
            raise TemplateProblem("sample plans have errors:\n" + "\n".join(errors))
        for plan_file in result.plan_files:
            samples.setdefault(plan_file.plan.kind, plan_file)

    site = Site(letters=letters, samples=samples, today=today)
    for plan_file in plan_files:
        site.pages[plan_uri(plan_file.plan.id)] = render_plan(plan_file.plan, letters, today)
    site.pages.update(render_indexes([plan_file.plan for plan_file in plan_files], today))
    site.assets[STYLESHEET] = stylesheet()
    site.assets[SCHEMA] = schema_text()
    return site


@lru_cache(maxsize=1)
def _page_environment():
    return markdown_env()


def render_page(markdown: str, source: str, context: dict) -> str:
    """HR's Markdown page through Jinja; errors name the page, the line and the missing value."""
    if not any(mark in markdown for mark in ("{{", "{%", "{#")):
        return markdown
    try:
        return _page_environment().from_string(markdown).render(context)
    except TemplateProblem as exc:
        raise TemplateProblem(f"{source}: {exc}") from None
    except UndefinedError as exc:
        line = _template_line(exc, Path("<template>"))
        raise TemplateProblem(f"{source}:{line}: a value the page uses is missing: {exc.message}") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or "?"
        raise TemplateProblem(f"{source}:{line}: {exc.message or exc}") from None
