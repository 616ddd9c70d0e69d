"""The MkDocs adapter: publish what `generator.build` returns, as pages of the site.

    plugins:
      - search
      - playbook:
          plans_dir: plans
          audience: all

The shipped playbook's pages (guide, tools, coaching, reference) join the site's own, which override
them file by file (`generator.content`); `pages: false` leaves them out. Beside the macros plugin,
the shipped pages are Playbook's to render, the site's own are macros' (with Playbook's page values,
such as `template_example`, registered as macros variables), and no generated page is rendered by
macros: a plan's text is never a template.

A plan with errors fails `mkdocs build` with the same `file:line:col` lines as `playbook check`.
Under `mkdocs serve` the errors are shown at the top of every page instead, and the plans that
pass stay visible, so a broken plan never leaves the preview hanging. Generated pages exist only
in memory (`File.generated`); nothing is written into the repository.

Generated pages are finished HTML already (`render.html`): MkDocs's Markdown pass is skipped for
them, and those outside the nav are rendered in the theme's frame of their kind (`generator.frames`).
A build renders its plan pages on every core while MkDocs goes on (reading the playbook's own pages, say):
a plan page is waited for only when MkDocs reads it, in the order the workers render them. It makes its
generated pages' files (empty, each in its folder) in a process of its own ahead of MkDocs writing them,
and removes the last build's site in another while it builds (`generator.parallel`). Each page's HTML goes
back to the system, a few hundred pages at a time, once it is let go of (`generator.memory`).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from collections.abc import Callable
from functools import partial
from html import escape
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from . import parallel
from .memory import RETURN_EVERY, freed_returned
from .build import Build, BuildError, build
from .config import Project, Settings, UsageError, resolve_audience, resolve_today, settings_from
from .content import Content, content_of
from .frames import FRAME_TEMPLATE, Frames, framed
from .render.jinja import markdown_text
from .render.html import PAGE_BODY, Finisher, finished, without_search_excluded
from .render.site import STYLESHEET, required_extensions, theme_dir, without_pages
from .words import plural

log = get_plugin_logger("playbook")

# Builds made beforehand by `playbook sites` (one check for every audience), by
# (mkdocs.yml, audience, today): the plugin publishes one of these instead of building again.
PREBUILT: dict[tuple[Path, str, object], Build] = {}


class _Bytecode(BytecodeCache):
    """Compiled theme templates, in memory, by template name and source checksum."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


THEME_BYTECODE = _Bytecode()


class PlaybookPlugin(BasePlugin):
    # The options are `Settings`' fields; Settings validates them, so MkDocs only passes them on.
    config_scheme = tuple((name, c.Optional(c.Type(object))) for name in Settings.model_fields)
    supports_multiple_instances = False

    def __init__(self):
        self.serving = False
        self.result: Build | None = None
        self.cache: dict[str, tuple] = {}  # rendered plan pages by content key, kept across `serve` rebuilds
        self.plans_dir: Path | None = None
        self._full_content: dict[str, str] = {}
        self._built_keys: dict[str, str | None] = {}  # the key each generated page had in the last build
        # The last build's site, set aside until the generated files are made from it (`parallel.set_aside`), and
        # the wait for the process that makes them and removes the rest of it (`parallel.made_ahead`).
        self._last_site: str | None = None
        self._made_ahead = parallel.nothing_to_wait_for
        self.dirty = True  # whether MkDocs keeps the last build's site (unknown until MkDocs starts the plugin)
        self._finished = 0  # generated pages finished in this build
        self._put_in_when_written = False  # whether generated pages get their HTML as they are written (`on_nav`)
        self._unwritten: set[str] = set()  # generated pages that get their HTML as they are written
        self._files: Files | None = None

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.dirty = dirty

    def on_shutdown(self):
        # MkDocs keeps a plugin that has these events for the rest of the process (`mkdocs serve`'s rebuilds): a
        # build it starts later without `on_startup` may be a dirty one.
        self.dirty = True

    def on_pre_build(self, *, config):
        if not self.serving and not self.dirty:  # MkDocs is about to remove the last build's site
            self._last_site = parallel.set_aside(config.site_dir)

    def on_config(self, config):
        self._finished = 0
        self._unwritten = set()
        options = {key: value for key, value in self.config.items() if value is not None}
        try:
            settings = settings_from(options, "mkdocs.yml")
            self.today = resolve_today(None, settings.today)
            self.audience = resolve_audience(None, settings.audience)
        except UsageError as exc:
            raise PluginError(str(exc)) from None
        config_file = Path(config.config_file_path or "mkdocs.yml")
        self.project = Project(config_file, {"docs_dir": config.docs_dir}, settings)
        self.plans_dir = self.project.plans_dir
        self.content: Content = content_of(self.project)
        # With macros in the site, macros renders the site's own pages and Playbook the playbook's.
        self.beside_macros = "macros" in config.plugins
        for name, options in required_extensions(config.mdx_configs):
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
            if options:
                config.mdx_configs[name] = options
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        # Material's version selector reads ../versions.json, which only `mike deploy` publishes (mike adds
        # its own plugin to the build): elsewhere it would ask for a file that is not there.
        if "mike" not in config.plugins and isinstance(config.extra.get("version"), dict):
            del config.extra["version"]
        # Our templates come after a site's own custom_dir (which stays first) and before the theme's.
        templates = str(theme_dir())
        if templates not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, templates)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        prebuilt = PREBUILT.pop((self.project.config_file.resolve(), str(self.audience), self.today), None)
        try:
            # A build goes on while its plan pages are rendered on every core (`Build.page` waits for each); a
            # preview keeps them between rebuilds instead.
            self.result = result = prebuilt or build(self.project, today=self.today, audience=self.audience,
                                                     preview=self.serving, cache=self.cache if self.serving else None,
                                                     jobs=1 if self.serving else self.project.settings.jobs or parallel.cores(),
                                                     later=not self.serving)
        except (BuildError, UsageError) as exc:
            raise PluginError(f"playbook: {exc}") from None
        for note in result.notes:
            log.info(note)
        # Under `serve` the failing findings are shown on every page, and logged without failing the
        # preview (MkDocs's strict mode would stop serving at the first logged error). The preview is
        # the audience's: it names the findings of its own plans only.
        shown = result.findings if not self.serving else [
            finding for finding in result.findings if not finding.fails(result.strict)
            or finding in result.failing_in_view()[0]]
        for finding in shown:
            (log.error if finding.fails(result.strict) and not self.serving else log.info)(finding.text())
        if result.failed() and not self.serving:
            raise PluginError(f"playbook: {result.failure_message()}")
        try:
            result.check_clear_of(file.src_uri for file in files)
        except BuildError as exc:
            raise PluginError(f"playbook: {exc}") from None
        if result.site is not None and result.site.left_out and config.nav:
            config.nav = without_pages(config.nav, result.site.left_out)  # before MkDocs reads the nav
        if self.beside_macros and result.site is not None:
            _register_with_macros(config.plugins["macros"], result.site.page_context())
        present = {file.src_uri for file in files}
        for uri in self.content.shipped_pages:
            if uri not in present:  # a page another plugin made is the site's own too
                files.append(File(uri, str(self.content.shipped), config.site_dir, config.use_directory_urls))
        generated = []
        for page in result.pages.values():
            # Plan, team and manager pages stay out of the nav: the listings link to them.
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            # MkDocs reads only the front matter and a placeholder: the page is finished HTML (`on_page_content`).
            file = _GeneratedPage.generated(config, page.uri, content=PAGE_BODY, inclusion=inclusion)
            file.source = partial(self._source, page.uri)
            if page.key is not None and self._built_keys.get(page.uri) == page.key:
                # `mkdocs serve --dirty` rebuilds only what changed: a page made of the same things is not.
                file.is_modified = _unchanged
            self._built_keys[page.uri] = page.key
            generated.append(file)
        assets = [File.generated(config, uri, content=content) for uri, content in result.assets.items()]
        for file in generated + assets:
            files.append(file)
        if not self.serving:
            # MkDocs copies the assets, then writes the pages: their files are made ahead of it, in that order.
            self._made_ahead = parallel.made_ahead((file.abs_dest_path for file in assets + generated),
                                                   self._last_site)
            self._last_site = None
        self.finisher = Finisher(config.mdx_configs, config.use_directory_urls)
        self.frames = Frames()
        log.info(f"{plural(len(result.plans), 'plan')} published for the audience `{self.audience}`, as of {self.today}")
        return files

    def on_nav(self, nav, *, config, files):
        self.nav_pages = {page.file.src_uri for page in nav.pages}
        # A generated page's HTML is put in when MkDocs writes the page rather than when it reads it, so that the
        # build goes on while the page is rendered on another core; unless another plugin reads the pages' HTML
        # as they are read. A preview renders its pages before.
        self._files = files
        self._put_in_when_written = not self.serving and all(
            getattr(handler, "__self__", None) is self for handler in config.plugins.events["page_content"])
        return nav

    def on_env(self, env, *, config, files):
        # The theme's templates compile once per process, not once per build: `playbook sites` and
        # `mkdocs serve` build many times (Jinja checks each template's source against its bytecode).
        env.bytecode_cache = THEME_BYTECODE
        env.globals["playbook_frame"] = self.frames.render
        if not self._put_in_when_written:
            self.result.rendered()  # every page has been read: the workers are done
        return env

    def on_post_build(self, *, config):
        if self.result is not None:
            self.result.rendered()  # every page has been written: the workers are done
        self._waited()

    def on_build_error(self, *, error):
        if self.result is not None:
            self.result.stop_rendering()
        self._waited()

    def _waited(self) -> None:
        """Wait for the files made ahead; and, if the build ended before they were, remove the last site."""
        self._made_ahead()
        self._made_ahead = parallel.nothing_to_wait_for
        if self._last_site is not None:
            shutil.rmtree(self._last_site, ignore_errors=True)
            self._last_site = None

    def _page(self, uri: str, body: bool = True):
        """The generated page at `uri`, once it is rendered, or as soon as its front matter is known (`body` false);
        None: no such page."""
        try:
            return self.result.page(uri, body)
        except BuildError as exc:
            raise PluginError(f"playbook: {exc}") from None

    def _source(self, uri: str) -> str:
        """A generated page's source, as another plugin reading its file finds it: front matter and placeholder."""
        return self._page(uri, body=False).front + PAGE_BODY

    @event_priority(50)  # before the macros plugin, which reads `render_macros` from the page's meta
    def _render_page(self, markdown: str, *, page: Page, config, files) -> str:
        result = self.result
        uri = page.file.src_uri
        if uri in result.pages:  # generated pages are rendered from records already
            page.meta["render_macros"] = False
        elif self.content.renders(uri, self.beside_macros):
            try:
                markdown = result.render_markdown_page(markdown, uri)
            except BuildError as exc:
                raise PluginError(f"playbook: {exc}") from None
            if self.beside_macros:
                page.meta["render_macros"] = False
        return markdown

    @event_priority(-100)  # after every other plugin (macros included): the findings quote plan text
    def _problems_first(self, markdown: str, *, page: Page, config, files) -> str:
        if self.result.failed():
            markdown = _problems_banner(self.result) + markdown
        return markdown

    on_page_markdown = CombinedEvent(_render_page, _problems_first)

    def on_pre_page(self, page: Page, *, config, files):
        if self.result and page.file.src_uri in self.result.pages:
            # The page's own methods, replaced for this build; each finds the page in the build when it is
            # called (the page's HTML is let go of once it is finished: nothing may hold on to it).
            page.read_source = partial(self._read_generated, page)
            if not self.result.failed():
                # The page is finished HTML already: MkDocs's Markdown pass would only read its placeholder.
                page.render = partial(self._render_generated, page)
        return page

    def _read_generated(self, page: Page, config) -> None:
        """What `Page.read_source` gives a page, for a generated page: its values are known without reading them."""
        del page.read_source  # the method is the page's own again
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            page.markdown, page.meta = PAGE_BODY, self._page(page.file.src_uri, body=False).meta()
        else:  # another plugin gave the page's source
            page.markdown, page.meta = get_data(source)

    def _render_generated(self, page: Page, config, files) -> None:
        """What `Page.render` gives a page, for a generated page: its finished HTML and table of contents, now or
        when the page is written (`_put_in`)."""
        del page.render
        page._title_from_render = None  # the title is the front matter's
        if page.file.src_uri not in self.nav_pages and framed(page.file.src_uri):
            self.frames.use_for(page)
        if self._put_in_when_written:
            page.content = ""
            self._unwritten.add(page.file.src_uri)
        else:
            self._put_in_page(page, files)

    def _put_in_page(self, page: Page, files) -> None:
        generated = self._page(page.file.src_uri)
        page.content = self._finish(page, generated, files)
        if not self.serving:  # the page holds its HTML from now on: a build keeps one copy of each page
            self.result.pages[generated.uri] = replace(generated, body="")
            self._finished += 1
            if self._finished % RETURN_EVERY == 0:
                freed_returned()

    @event_priority(200)  # before every other plugin, the search first (`_headline_for_search`), reads the page
    def _put_in(self, context, *, page: Page, config, nav):
        """A generated page's HTML and table of contents, put in as the page is written."""
        if page.file.src_uri in self._unwritten:
            self._unwritten.discard(page.file.src_uri)
            self._put_in_page(page, self._files)
        return context

    def on_page_content(self, html: str, *, page: Page, config, files) -> str:
        if not self.result or PAGE_BODY not in html:
            return html
        generated = self._page(page.file.src_uri)
        if generated is None:
            return html
        # Under `serve` with failing plans, the page went through Markdown for the problems' banner.
        return html.replace(PAGE_BODY, self._finish(page, generated, files), 1)

    def _finish(self, page: Page, generated, files) -> str:
        done = finished(self.finisher, generated.uri, generated.key, generated.body, keep=self.serving)
        for target in done.links:
            if files.get_file_from_path(target) is None:
                log.warning(f"Doc file '{generated.uri}' contains a link to '{target}', "
                            "which is not found among documentation files.")
        page.toc = get_toc(done.toc)
        page.present_anchor_ids = (page.present_anchor_ids or set()) | done.anchors
        return done.html

    @event_priority(100)  # before Material's search plugin reads the page
    def _headline_for_search(self, context, *, page: Page, config, nav):
        """The search index holds a plan's or a person's headline (who, what, when), never a plan's letters or
        log: they are for reading on the page, and re-reading the pages made up a quarter of a large build. A
        listing's table, which the search skips, is emptied before the search reads the listing."""
        generated = self._page(page.file.src_uri) if self.result else None
        if generated is None or not page.content:
            return context
        if generated.search is not None:
            self._full_content[page.file.src_uri] = page.content
            page.content = generated.search
            first = next(iter(page.toc), None)
            if first is not None and first.level == 1 and page.content.startswith("<h1>"):
                # The page's own heading (the search reads a heading without its id as text of the page).
                page.content = f'<h1 id="{escape(first.id)}">{page.content[len("<h1>"):]}'
        else:  # a listing: the search skips its table, and need not read it to skip it
            searched = without_search_excluded(page.content)
            if searched is not page.content:
                self._full_content[page.file.src_uri] = page.content
                page.content = searched
        return context

    @event_priority(-100)  # after every other plugin: the theme renders the whole page
    def _whole_page_again(self, context, *, page: Page, config, nav):
        full = self._full_content.pop(page.file.src_uri, None)
        if full is not None:
            page.content = full
        return context

    on_page_context = CombinedEvent(_put_in, _headline_for_search, _whole_page_again)

    def on_post_page(self, output: str, *, page: Page, config) -> str:
        if not self.serving and page.meta.get("template") == FRAME_TEMPLATE:
            page.content = None  # written: a generated page outside the nav is read by nothing after
        return output

    def on_serve(self, server, *, config, builder):
        if self.plans_dir is not None and self.plans_dir.is_dir():
            server.watch(str(self.plans_dir))
        return server


class _GeneratedPage(File):
    """A generated page's file. Its source (the page's front matter and a placeholder) is read from the build
    only when asked for: the page may still be rendering on another core while other plugins see the files."""

    source: Callable[[], str | bytes]

    @property
    def _content(self) -> str | bytes:
        return self.source()

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:  # `File.generated`, or a plugin that sets the source
        if value is not None:
            self.source = lambda: value


def _register_with_macros(macros, values: dict) -> None:
    """Playbook's page values for the site's own pages under macros; a variable the site defines itself wins."""
    register = getattr(macros, "register_variables", None)
    if register is None:
        log.warning("the macros plugin in this site cannot register variables: the site's own pages "
                    "cannot use Playbook's page values (template_example, rules, ...)")
        return
    defined = getattr(macros, "variables", {})
    register({name: value for name, value in values.items() if name not in defined})


def _unchanged() -> bool:
    return False


def _problems_banner(result: Build) -> str:
    """An admonition with the failing findings of the audience's own plans, for the preview under `mkdocs serve`;
    the others (another audience's plans, or files that do not read as a plan) are only counted."""
    shown, others = result.failing_in_view()
    lines = "\n".join(f"    - {markdown_text(finding.text())}" for finding in shown)
    if others:
        lines += (f"\n    - {plural(others, 'more problem')} in plans this audience does not "
                  "see; `playbook check` lists them")
    return (f'!!! failure "{result.failure_message()}"\n'
            f"    Plans with these problems are left out of this preview, and `mkdocs build` fails until they are mended.\n\n"
            f"{lines}\n\n")
