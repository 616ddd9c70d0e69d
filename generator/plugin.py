"""The MkDocs adapter: check the plans, add the generated pages, render HR's pages through Jinja.

    plugins:
      - search
      - playbook:
          plans_dir: plans

A plan with errors fails the build with the same `file:line:col` lines as `playbook check`.
Generated pages exist only in memory (`File.generated`); nothing is written into the repository.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .check import check_paths
from .config import Settings, UsageError, resolve_today, settings_from
from .render.letters import TemplateProblem
from .render.pages import MANAGERS_INDEX, PLANS_INDEX, TEAMS_INDEX
from .render.site import STYLESHEET, Site, build_site, render_page, required_extensions

log = get_plugin_logger("playbook")

NAV_PAGES = frozenset({PLANS_INDEX, TEAMS_INDEX, MANAGERS_INDEX})


class PlaybookConfig(Config):
    plans_dir = c.Type(str, default="plans")
    today = c.Optional(c.Type((str, date)))
    strict = c.Type(bool, default=False)
    policy = c.Type(dict, default={})


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.settings = Settings()
        self.site = Site()
        self.generated: set[str] = set()

    def on_config(self, config):
        options = {key: value for key, value in self.config.items() if value is not None}
        if isinstance(options.get("today"), str):
            options["today"] = options["today"].strip() or None
        try:
            self.settings = settings_from(options, "mkdocs.yml")
            self.today = resolve_today(None, self.settings.today)
        except UsageError as exc:
            raise PluginError(str(exc)) from None
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.plans_dir = self.root / self.settings.plans_dir
        for name, options in required_extensions(config.mdx_configs):
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
            if options:
                config.mdx_configs[name] = options
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        plan_files = self._checked_plans()
        try:
            self.site = build_site(plan_files, Path(config.docs_dir), self.settings.policy, self.today)
        except TemplateProblem as exc:
            raise PluginError(f"playbook: {exc}") from None
        self.generated = set(self.site.pages)
        for uri, content in {**self.site.pages, **self.site.assets}.items():
            existing = files.get_file_from_path(uri)
            if existing is not None:
                raise PluginError(f"playbook: {existing.src_path} is in the way of a generated page; rename it")
            # Plan, team and manager pages stay out of the nav, with no notice per page: the indexes
            # link to them, however many there are.
            inclusion = InclusionLevel.UNDEFINED if uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        log.info(f"{len(plan_files)} plans published, as of {self.today}")
        return files

    def _checked_plans(self):
        if not self.plans_dir.is_dir():
            log.info(f"no plans folder at {self.plans_dir}: building the playbook without plans")
            return []
        shown = Path(os.path.relpath(self.plans_dir)) if _is_under(self.plans_dir, Path.cwd()) else self.plans_dir
        try:
            result = check_paths([shown], self.settings.policy, self.today)
        except UsageError as exc:
            raise PluginError(str(exc)) from None
        strict = self.settings.strict
        for finding in result.findings:
            if finding.fails(strict):
                log.error(finding.text())
            else:
                log.info(finding.text())
        if result.failed(strict):
            failing = sum(1 for finding in result.findings if finding.fails(strict))
            raise PluginError(f"playbook: {failing} problem{'s' if failing != 1 else ''} in the plans; "
                              "run `playbook check` for the list")
        return result.plan_files

    def on_page_markdown(self, markdown: str, *, page: Page, config, files) -> str:
        if page.file.src_uri in self.generated:
            return markdown  # rendered from records already; never a template
        try:
            return render_page(markdown, f"{Path(config.docs_dir).name}/{page.file.src_uri}", self.site.page_context())
        except TemplateProblem as exc:
            raise PluginError(f"playbook: {exc}") from None

    def on_serve(self, server, *, config, builder):
        if self.plans_dir.is_dir():
            server.watch(str(self.plans_dir))
        return server


def _is_under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
