"""`playbook export DIR`: the whole site as plain files, for builders that run no MkDocs plugin.

It writes the playbook's pages with their Jinja already rendered, the generated plan pages and
indexes, the assets, and a `mkdocs.yml` without the `playbook` plugin, so that `mkdocs build`
(or another builder that reads `mkdocs.yml`, such as Zensical) builds the same site.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from .check import check_paths
from .config import UsageError, _ConfigLoader, load_settings
from .findings import format_text
from .render.letters import TemplateProblem
from .render.site import STYLESHEET, TEMPLATES_DIR, build_site, render_page, required_extensions

EXPORTED_DOCS = "docs"


def _published(relative: Path) -> bool:
    """What MkDocs publishes by default: not dot files, not the templates folder."""
    parts = relative.parts
    return not any(part.startswith(".") for part in parts) and parts[0] != TEMPLATES_DIR


def export_site(config_path: Path, target: Path, today) -> int:
    """Write the site to `target`; returns the number of files written."""
    settings = load_settings(config_path)
    with open(config_path, encoding="utf-8") as handle:
        config = yaml.load(handle, Loader=_ConfigLoader) or {}
    root = config_path.parent
    docs_dir = root / config.get("docs_dir", "docs")
    plans_dir = root / settings.plans_dir
    if not docs_dir.is_dir():
        raise UsageError(f"{docs_dir}: no such folder (docs_dir in {config_path})")
    if target.resolve() in (root.resolve(), docs_dir.resolve()) or docs_dir.resolve().is_relative_to(target.resolve()):
        raise UsageError(f"{target}: choose an empty folder outside the project's sources")
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target}: the folder is not empty; nothing was written")

    plan_files = []
    if plans_dir.is_dir():
        result = check_paths([plans_dir], settings.policy, today)
        if result.failed(settings.strict):
            sys.stderr.write(format_text(result.findings))
            raise UsageError("the plans have errors; nothing was exported")
        plan_files = result.plan_files

    try:
        site = build_site(plan_files, docs_dir, settings.policy, today)
        context = site.page_context()
        written = 0
        out_docs = target / EXPORTED_DOCS
        for source in sorted(path for path in docs_dir.rglob("*") if path.is_file()):
            relative = source.relative_to(docs_dir)
            if not _published(relative):
                continue
            destination = out_docs / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.suffix == ".md":
                text = source.read_text(encoding="utf-8")
                destination.write_text(render_page(text, f"{docs_dir.name}/{relative.as_posix()}", context),
                                       encoding="utf-8")
            else:
                shutil.copyfile(source, destination)
            written += 1
    except TemplateProblem as exc:
        raise UsageError(str(exc)) from None

    for uri, content in {**site.pages, **site.assets}.items():
        destination = out_docs / uri
        if destination.exists():
            raise UsageError(f"{docs_dir / uri} is in the way of a generated page; rename it")
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(content, encoding="utf-8")
        written += 1

    (target / "mkdocs.yml").write_text(_exported_config(config), encoding="utf-8")
    return written + 1


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


def _exported_config(config: dict) -> str:
    """The site's configuration without the plugin, pointing at the exported pages."""
    exported = dict(config)
    exported["docs_dir"] = EXPORTED_DOCS
    exported.pop("site_dir", None)
    plugins = []
    for entry in config.get("plugins") or []:
        name = entry if isinstance(entry, str) else next(iter(entry), None)
        if name != "playbook":
            plugins.append(entry)
    exported["plugins"] = plugins
    extra_css = list(config.get("extra_css") or [])
    if STYLESHEET not in extra_css:
        extra_css.append(STYLESHEET)
    exported["extra_css"] = extra_css
    exported["markdown_extensions"] = _with_required_extensions(config.get("markdown_extensions") or [])
    # The plugin keeps plan pages, team and manager pages out of the nav; a plain build is told so.
    exported["not_in_nav"] = "/plans/*/\n/teams/\n/managers/\n"
    header = "# Exported by `playbook export`: plain pages, no playbook plugin. Edit the sources, not this.\n"
    return header + yaml.safe_dump(exported, sort_keys=False, allow_unicode=True)
