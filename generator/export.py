"""`playbook export DIR`: one build written as plain files, for builders that run no MkDocs plugin.

It publishes what `generator.build` returns: the playbook's pages with their Jinja rendered,
the generated plan pages and listings, the assets, and a `mkdocs.yml` without the `playbook`
plugin, so that `mkdocs build` (or another builder that reads `mkdocs.yml`, such as Zensical)
builds the same site for the same audience. The files other plugins name in `mkdocs.yml` (a gen-files
script, the macros module, MkDocs hooks) are copied beside it; one outside the project is refused
before anything is written, since the export could not build without it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import yaml

from .audience import Audience
from .build import Build, BuildError, build
from .config import EnvTag, Project, UsageError, read_mkdocs_yml
from .content import content_of, published
from .findings import format_text
from .render.dashboard import PLANS_CSV, PLANS_JSON  # noqa: F401 (the CLI names them)
from .render.html import Finisher
from .render.site import STYLESHEET, required_extensions, theme_dir, without_pages

EXPORTED_DOCS = "docs"
OVERRIDES = "overrides"


def check_target(project: Project, target: Path) -> None:
    """UsageError for an export folder inside the docs or plans folder (the next build of any audience would
    publish what it holds), or one that holds them."""
    where = target.resolve()
    for folder, name in ((project.docs_dir, "docs_dir"), (project.plans_dir, "plans_dir")):
        inside = folder.resolve()
        if where == inside or where.is_relative_to(inside) or inside.is_relative_to(where):
            raise UsageError(f"{target}: the export would be inside the project's {name} ({project.shown(folder)}), "
                             "or hold it; choose a folder outside the project's sources")


def export_json(project: Project, target: Path, *, today: date, audience: Audience, name: str = PLANS_JSON) -> Path:
    """Write the build's `plans.json`, or `plans.csv` (`name`), the same bytes the site publishes, into the
    folder `target`."""
    check_target(project, target)
    try:
        result = build(project, today=today, audience=audience)
    except BuildError as exc:
        raise UsageError(str(exc)) from None
    if result.failed():
        sys.stderr.write(format_text(result.failing()))
        raise UsageError(f"{result.failure_message()}; nothing was exported")
    target.mkdir(parents=True, exist_ok=True)
    destination = target / name
    destination.write_text(result.assets[name], encoding="utf-8", newline="")  # csv writes its own line ends
    return destination


def _kept(uri: str) -> bool:
    """The site's own files an export keeps: what MkDocs publishes, and the dot files beside them (such as
    awesome-pages' `.pages`: MkDocs publishes none, but a plugin reads them)."""
    folder, _, name = uri.rpartition("/")
    return published(uri) or (name.startswith(".") and (not folder or published(folder)))


# The page values only Playbook has. Beside macros, the plugin hands them to macros; an export runs no Playbook
# plugin, so it renders a page that uses them itself.
PLAYBOOK_VALUES = ("template_example", "plan_fields")


def _uses_playbook_values(markdown: str) -> bool:
    return any(name in markdown for name in PLAYBOOK_VALUES)


def _render_for_export(result: Build, markdown: str, relative: str, beside_macros: bool) -> str:
    try:
        return result.render_markdown_page(markdown, relative)
    except BuildError as exc:
        if not beside_macros:
            raise
        raise BuildError(f"{exc} (an export renders a page that uses Playbook's values, such as "
                         "template_example, itself: such a page cannot use the macros plugin's values too)") from None


def _rendered_already(markdown: str) -> str:
    """A page Playbook rendered, marked for the macros plugin to leave alone (its text is finished)."""
    if markdown.startswith("---\n"):
        return "---\nrender_macros: false\n" + markdown[4:]
    return "---\nrender_macros: false\n---\n\n" + markdown


def _plugin_entries(config: dict) -> list[tuple[str, dict]]:
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    return [(entry, {}) if isinstance(entry, str) else (next(iter(entry)), next(iter(entry.values())) or {})
            for entry in plugins if isinstance(entry, (str, dict)) and entry]


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list) else [value]


def plugin_files(config: dict, root: Path) -> list[tuple[str, str]]:
    """The files (or folders) that mkdocs.yml's plugins and hooks read, as (who names it, path as written):
    gen-files' scripts, the macros plugin's module and includes, MkDocs hooks."""
    named: list[tuple[str, str]] = [("hooks", str(path)) for path in _as_list(config.get("hooks"))]
    for name, options in _plugin_entries(config):
        if not isinstance(options, dict):
            continue
        if name == "gen-files":
            named += [("gen-files scripts", str(path)) for path in _as_list(options.get("scripts"))]
        elif name == "macros":
            module = str(options.get("module_name") or "main")
            for candidate in (f"{module}.py", module):
                if (root / candidate).exists():
                    named.append(("macros module_name", candidate))
                    break
            named += [(f"macros {key}", str(path)) for key in ("include_dir", "include_yaml")
                      for path in _as_list(options.get(key)) if isinstance(path, str)]
    return named


def _check_plugin_files(named: list[tuple[str, str]], root: Path) -> list[str]:
    """The project-relative paths to copy; UsageError for one the export cannot carry."""
    paths = []
    for owner, written in named:
        path = Path(written)
        if path.is_absolute() or not (root / path).resolve().is_relative_to(root.resolve()):
            raise UsageError(f"mkdocs.yml: {owner} names `{written}`, outside the project folder: the exported "
                             "mkdocs.yml would name a file the export does not hold; move it into the project "
                             "(a path relative to mkdocs.yml). Nothing was written")
        if not (root / path).exists():
            raise UsageError(f"mkdocs.yml: {owner} names `{written}`, which does not exist; nothing was written")
        paths.append(path.as_posix())
    return paths


def _copy_plugin_files(paths: list[str], root: Path, target: Path) -> int:
    written = 0
    for relative in paths:
        source, destination = root / relative, target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
            written += sum(1 for path in destination.rglob("*") if path.is_file())
        else:
            shutil.copyfile(source, destination)
            written += 1
    return written


def export_site(project: Project, target: Path, *, today: date, audience: Audience) -> int:
    """Write the site to `target`; returns the number of files written.

    Everything is written into a folder beside `target` and moved into place once complete: an export that
    fails leaves nothing behind, and the next one starts clean."""
    if project.config_file is None:
        raise UsageError("export needs an mkdocs.yml (give it with --config)")
    docs_dir = project.docs_dir
    if not docs_dir.is_dir():
        raise UsageError(f"{docs_dir}: no such folder (docs_dir in {project.config_file})")
    if target.resolve() == project.root.resolve():
        raise UsageError(f"{target}: choose an empty folder outside the project's sources")
    check_target(project, target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: the folder is not empty; nothing was written")

    config = read_mkdocs_yml(project.config_file, keep_env_tags=True)
    extra_files = _check_plugin_files(plugin_files(config, project.root), project.root)
    try:
        result = build(project, today=today, audience=audience)
        if result.failed():
            sys.stderr.write(format_text(result.failing()))
            raise UsageError(f"{result.failure_message()}; nothing was exported")
        content = content_of(project)
        own = {uri: path for uri, path in content.own.items() if _kept(uri)}
        sources = sorted({**own, **content.shipped_pages}.items())
        result.check_clear_of(uri for uri, _ in sources if published(uri))
        with _staged(target) as folder:
            return _write_site(result, project, config, sources, extra_files, folder)
    except BuildError as exc:
        raise UsageError(f"{exc}; nothing was exported") from None


@contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A new folder beside `target`, moved into its place when the block ends well and removed when it
    does not, with any parent folders made for it."""
    missing = [folder for folder in (target.absolute(), *target.absolute().parents) if not folder.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        yield staging
        if target.exists():
            target.rmdir()  # empty: checked before anything was written
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in missing[1:]:  # the parents made above, innermost first, if they are still empty
            try:
                folder.rmdir()
            except OSError:
                break
        raise


def _write_site(result: Build, project: Project, config: dict, sources: list[tuple[str, Path]],
                extra_files: list[str], target: Path) -> int:
    """The build's pages (the playbook's and HR's, rendered; the generated ones), assets, theme, the files
    other plugins read, and mkdocs.yml, under `target`."""
    content = content_of(project)
    beside_macros = "macros" in {name for name, _ in _plugin_entries(config)}
    out_docs = target / EXPORTED_DOCS
    for relative, source in sources:
        destination = out_docs / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8") if source.suffix == ".md" else None
        if text is not None and (content.renders(relative, beside_macros) or _uses_playbook_values(text)):
            markdown = _render_for_export(result, text, relative, beside_macros)
            destination.write_text(_rendered_already(markdown) if beside_macros else markdown, encoding="utf-8")
        else:
            shutil.copyfile(source, destination)

    finisher = _finisher(config)
    generated = {**{uri: page.complete_markdown(finisher) for uri, page in result.pages.items()}, **result.assets}
    for uri, content in generated.items():
        destination = out_docs / uri
        destination.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            destination.write_bytes(content)
        else:
            destination.write_text(content, encoding="utf-8")

    written = _write_theme(config, project, target / OVERRIDES)
    written += _copy_plugin_files(extra_files, project.root, target)
    (target / "mkdocs.yml").write_text(_exported_config(config, result), encoding="utf-8")
    return len(sources) + len(generated) + 1 + written


def _write_theme(config: dict, project: Project, folder: Path) -> int:
    """The export's custom_dir: Playbook's templates, with the site's own custom_dir over them (it comes first
    for the plugin too). Returns the number of files written."""
    shutil.copytree(theme_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    theme = config.get("theme")
    own = theme.get("custom_dir") if isinstance(theme, dict) else None
    if own and (project.root / str(own)).is_dir():
        shutil.copytree(project.root / str(own), folder, dirs_exist_ok=True)
    return sum(1 for path in folder.rglob("*") if path.is_file())


def _finisher(config: dict) -> Finisher:
    """Headings and links of the generated pages as the exported site's Markdown would make them."""
    toc = {}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict) and next(iter(entry), None) in ("toc", "markdown.extensions.toc"):
            toc = dict(next(iter(entry.values())) or {})
    return Finisher({"toc": toc}, bool(config.get("use_directory_urls", True)))


def _with_required_extensions(extensions: list) -> list:
    """The site's extensions in mkdocs.yml's own list form, plus those the generated pages need."""
    names = [entry if isinstance(entry, str) else next(iter(entry)) for entry in extensions]
    options = {name: (entry[name] or {}) if isinstance(entry, dict) else {} for name, entry in zip(names, extensions)}
    result = list(extensions)
    for name, needed in required_extensions(options):
        if name not in names:
            result.append({name: needed} if needed else name)
        elif needed != options[name]:
            result[names.index(name)] = {name: needed}
    return result


def _exported_config(config: dict, result: Build) -> str:
    """The site's configuration without the plugin, pointing at the exported pages."""
    exported = dict(config)
    exported["docs_dir"] = EXPORTED_DOCS
    exported.pop("site_dir", None)
    extra = dict(config.get("extra") or {})
    extra.pop("version", None)  # the version selector belongs to releases made by mike, never to an export
    exported["extra"] = extra
    exported["plugins"] = [entry for entry in config.get("plugins") or []
                           if (entry if isinstance(entry, str) else next(iter(entry), None)) != "playbook"]
    extra_css = list(config.get("extra_css") or [])
    if STYLESHEET not in extra_css:
        extra_css.append(STYLESHEET)
    exported["extra_css"] = extra_css
    exported["markdown_extensions"] = _with_required_extensions(config.get("markdown_extensions") or [])
    theme = config.get("theme")
    exported["theme"] = {**(theme if isinstance(theme, dict) else {"name": theme}), "custom_dir": OVERRIDES}
    if result.site is not None and result.site.left_out and config.get("nav"):
        exported["nav"] = without_pages(config["nav"], result.site.left_out)
    # The plugin keeps plan, team and manager pages out of the nav; a plain build is told so.
    exported["not_in_nav"] = "".join(f"/{uri}\n" for uri, page in sorted(result.pages.items()) if not page.in_nav)
    header = (f"# Exported by `playbook export` for the audience `{result.audience}` as of {result.today}: "
              "plain pages, no playbook plugin.\n# Edit the sources, not this.\n")
    return header + yaml.dump(exported, Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True)


class _ConfigDumper(yaml.Dumper):
    """Writes mkdocs.yml back as MkDocs reads it: `!ENV` stays a tag, `!!python/name:` stays a name."""


def _represent_env(dumper: yaml.Dumper, tag: EnvTag) -> yaml.Node:
    if isinstance(tag.value, list):
        return dumper.represent_sequence("!ENV", tag.value)
    return dumper.represent_scalar("!ENV", tag.value)


_ConfigDumper.add_representer(EnvTag, _represent_env)
