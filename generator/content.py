"""The playbook's content: the pages, templates and samples the package ships, with a site's docs folder over them.

The package ships this repository's `playbook/` folder (as `generator/content` in an install). A site's docs
folder overrides it file by file, the way a theme's `custom_dir` does: `docs/templates/check-in-note.md` takes
the place of the shipped check-in note, and a page of the site's own is simply added. The site, `playbook
letter` and `playbook export` all read this one merged set.

With the plugin's `pages: false`, the shipped pages stay out of the site (the templates and samples still
fill the plan pages' letters): the site holds its own pages and the generated ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

TEMPLATES_DIR = "templates"  # letters and scripts; never published (MkDocs leaves `templates/` out too)
SAMPLES_DIR = "templates/samples"  # the sample plans that fill the tool pages' examples


def shipped_dir() -> Path:
    """The shipped playbook: `generator/content` in an install, the repository's `playbook/` in a source tree."""
    package = Path(__file__).resolve().parent
    installed = package / "content"
    return installed if installed.is_dir() else package.parent / "playbook"


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts}


def published(uri: str) -> bool:
    """Whether MkDocs publishes a docs file: not a dot file, nothing in a dot folder or in `templates/`."""
    parts = uri.split("/")
    return not any(part.startswith(".") for part in parts) and parts[0] != TEMPLATES_DIR


@dataclass(frozen=True)
class Content:
    """One site's playbook: its docs folder over the shipped files."""

    docs_dir: Path
    shipped: Path
    pages: bool = True  # False: the shipped pages are not published (templates and samples still apply)

    @cached_property
    def own(self) -> dict[str, Path]:
        """The site's own files, by their path in the docs folder."""
        return _files(self.docs_dir)

    @cached_property
    def files(self) -> dict[str, Path]:
        """Every file of the merged set, by path: the site's own over the shipped ones."""
        return {**_files(self.shipped), **self.own}

    @cached_property
    def shipped_pages(self) -> dict[str, Path]:
        """The shipped files the site publishes that its docs folder does not replace (none with `pages: false`)."""
        if not self.pages or self.shipped.resolve() == self.docs_dir.resolve():
            return {}
        return {uri: path for uri, path in _files(self.shipped).items() if published(uri) and uri not in self.own}

    @cached_property
    def page_uris(self) -> frozenset[str]:
        """Every page the site publishes from files: its own and the shipped ones it takes."""
        return frozenset(uri for uri in {**self.own, **self.shipped_pages} if published(uri) and uri.endswith(".md"))

    def _under(self, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
        prefix = folder + "/"
        return [path for uri, path in sorted(self.files.items())
                if uri.startswith(prefix) and "/" not in uri[len(prefix):] and uri.endswith(suffixes)]

    def renders(self, uri: str, beside_macros: bool) -> bool:
        """Whether Playbook renders a page's Jinja: every page, but beside the macros plugin only the shipped
        pages: the site's own files are written for macros (which is handed Playbook's page values)."""
        return not beside_macros or uri in self.shipped_pages

    @property
    def templates(self) -> list[Path]:
        """The letter and script templates, `templates/NAME.md`."""
        return self._under(TEMPLATES_DIR, (".md",))

    @property
    def samples(self) -> list[Path]:
        """The sample plans, `templates/samples/*.yaml`."""
        return self._under(SAMPLES_DIR, (".yaml", ".yml"))


def content_of(project) -> Content:
    """The merged content of a project (`generator.config.Project`)."""
    return Content(project.docs_dir, shipped_dir(), project.settings.pages)
