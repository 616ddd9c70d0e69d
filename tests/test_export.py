"""`playbook export DIR`: the whole site as plain files that build without the playbook plugin.

The real `playbook` command exports a tmp site folder (mkdocs.yml, playbook/ and the good example
plans as plans/, one of them with a private note); the export is then built by the real
`mkdocs build --strict` and, where it is installed, by `zensical build`, and compared with what
the plugin itself publishes.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from sitekit import (REPO, TODAY, Page, Ran, Run, files_holding, in_process, make_project, mkdocs_build, run,
                     site_urls)

JORDAN = "plans/jordan-lee-pip-2026-10/"
PLAN_IDS = ["alex-kim-growth-2026-10", "jordan-lee-pip-2026-10", "sam-rivera-coaching-2026-11"]
SECRET = "SECRET-TOKEN-123"


def make_project_with_a_private_note(root: Path, config: str | None = None) -> Path:
    """The good example plans as a project, Jordan's PIP with a private note that must never be exported."""
    root = make_project(root, config=config)
    plan = root / "plans" / "emea-west" / "jordan-lee-pip-2026-10.yaml"
    plan.write_text(plan.read_text(encoding="utf-8")
                    + f"private: |\n  {SECRET}: salary under review; see the HR case file.\n", encoding="utf-8")
    return root


def export(root: Path, target: Path) -> Ran:
    """`playbook export`, with no PLAYBOOK_TODAY, so that `--today` is what counts."""
    return in_process(["export", target, "--today", TODAY], cwd=root)


@dataclass
class Exported:
    root: Path
    target: Path
    export: Ran
    plugin_site: Path
    plugin_build: Run
    site: Path
    site_build: Run


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Exported:
    """The project built by the plugin, exported with `playbook export`, and the export built by plain MkDocs."""
    root = make_project_with_a_private_note(tmp_path_factory.mktemp("export") / "project")
    plugin_build = mkdocs_build(root / "mkdocs.yml", root / "site")
    target = root.parent / "exported"
    result = export(root, target)
    site = root.parent / "exported-site"
    site_build = (mkdocs_build(target / "mkdocs.yml", site, today=None) if result.returncode == 0
                  else Run(-1, "not built: the export failed"))
    return Exported(root, target, result, root / "site", plugin_build, site, site_build)


def test_export_writes_a_plain_mkdocs_config(exported):
    assert exported.export.returncode == 0, exported.export.output
    config = yaml.safe_load((exported.target / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [entry if isinstance(entry, str) else next(iter(entry)) for entry in config.get("plugins") or []]
    assert "playbook" not in names
    assert "search" in names
    assert config["docs_dir"] == "docs"
    assert config["theme"]["name"] == "material"
    assert "assets/playbook.css" in config.get("extra_css", [])
    source = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"] == source["nav"]
    assert config["markdown_extensions"] == source["markdown_extensions"]


def test_export_writes_the_rendered_playbook_and_the_plan_pages(exported):
    assert exported.export.returncode == 0, exported.export.output
    docs = exported.target / "docs"
    playbook = REPO / "playbook"
    sources = {path.relative_to(playbook).as_posix() for path in playbook.rglob("*.md")
               if path.relative_to(playbook).parts[0] != "templates"}
    written = {path.relative_to(docs).as_posix() for path in docs.rglob("*.md")}
    assert sources <= written, sorted(sources - written)
    generated = {"plans/index.md", "teams/index.md", "managers/index.md", "teams/emea-west/index.md",
                 "teams/na-east/index.md", "managers/priya-shah/index.md", "managers/dana-brooks/index.md"}
    generated |= {f"plans/{plan_id}/index.md" for plan_id in PLAN_IDS}
    assert generated <= written, sorted(generated - written)
    assert not (docs / "templates").exists(), "the letter templates and their samples are sources, not pages"
    assert (docs / "assets" / "playbook.css").is_file()
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("${{", "")  # GitHub Actions expressions in a workflow the threat model shows
        assert "{{" not in text and "{%" not in text, f"{path.relative_to(docs)} still holds Jinja"
    assert '<pre id="example-written-warning"><code>' in (docs / "tools" / "written-warning.md").read_text()
    jordan = (docs / "plans" / "jordan-lee-pip-2026-10" / "index.md").read_text(encoding="utf-8")
    assert "# Jordan Lee: Performance improvement plan" in jordan


def test_the_export_builds_with_plain_mkdocs(exported):
    assert exported.site_build.returncode == 0, exported.site_build.output
    assert [line for line in exported.site_build.output.splitlines() if "WARNING" in line] == []
    page = Page(exported.site, JORDAN)
    for fact in ("Jordan Lee, Account Executive", "Sam Ortiz", "Performance improvement plan", "2026.2",
                 "Monday 5 October 2026 to Sunday 3 January 2027",
                 "Next: 60-day review on Fri 4 Dec 2026", "As of Friday 20 November 2026 (in 14 days)", "Cause: skill.",
                 "Check-ins every Monday and Thursday", "below 24% by Fri 4 Dec 2026: written warning",
                 "(logged 21)", "Conversation: Thursday 1 October 2026", "Clear agenda sent before every meeting",
                 "Presenting a PIP", "Agreement email", "Plan document", "Next letter: Written warning"):
        assert fact in page.text, f"{fact!r} is missing from the exported Jordan page"
    assert page.select("div.tabbed-set.tabbed-alternate")
    assert any(link.href.startswith("mailto:?subject=") for link in page.links)
    assert "../../diagnose/skill-coaching/" in [link.href for link in page.links]


def test_the_exported_site_reads_like_the_plugin_site(exported):
    assert exported.plugin_build.returncode == 0, exported.plugin_build.output
    assert exported.site_build.returncode == 0, exported.site_build.output
    assert site_urls(exported.site) == site_urls(exported.plugin_site)
    different = [url for url in site_urls(exported.site)
                 if Page(exported.site, url).text != Page(exported.plugin_site, url).text]
    assert different == []


def test_export_refuses_a_folder_that_is_not_empty(exported, tmp_path):
    target = tmp_path / "occupied"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = export(exported.root, target)
    assert result.returncode == 2, result.output
    assert "not empty" in result.output
    assert [path.name for path in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("target_exists", [False, True], ids=["new folder", "empty folder"])
def test_a_failed_export_leaves_nothing_behind_and_the_next_one_runs(tmp_path, target_exists):
    root = make_project_with_a_private_note(tmp_path / "project")
    broken = root / "playbook" / "zz-broken.md"  # rendered last, after every other page was written
    broken.write_text("# Broken\n\n{{ no_such_value }}\n", encoding="utf-8")
    target = tmp_path / "out" / "export"
    if target_exists:
        target.mkdir(parents=True)
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*") if "project" not in path.parts)

    failed = export(root, target)

    assert failed.returncode == 2 and "zz-broken.md" in failed.stderr and "nothing was exported" in failed.stderr
    assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*") if "project" not in path.parts) == before
    broken.unlink()
    again = export(root, target)
    assert again.returncode == 0, again.output
    assert (target / "mkdocs.yml").is_file() and (target / "docs" / "plans" / "index.md").is_file()
    assert [path.name for path in target.parent.iterdir()] == ["export"]


def test_a_playbook_export_has_no_hr_pages_in_its_files_nav_or_links(tmp_path):
    root = make_project(tmp_path / "project")
    target = tmp_path / "exported"
    result = in_process(["export", target, "--audience", "playbook", "--today", TODAY], cwd=root)
    assert result.returncode == 0, result.output
    hr_pages = ["compliance/index.md", "teams/index.md", "managers/index.md", "people/index.md"]
    assert [page for page in hr_pages if (target / "docs" / page).exists()] == []
    nav = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert [page for page in hr_pages if page in json.dumps(nav)] == []
    assert "plans/index.md" in json.dumps(nav)
    assert "compliance/index.md" not in (target / "docs" / "index.md").read_text(encoding="utf-8")


def test_exported_files_never_hold_a_private_note(exported):
    assert exported.export.returncode == 0, exported.export.output
    assert (exported.target / "docs" / "plans" / "jordan-lee-pip-2026-10" / "index.md").is_file()
    assert files_holding(exported.target, SECRET) == []
    assert files_holding(exported.target, "salary under review") == []
    assert SECRET not in exported.export.output
    if exported.site_build.returncode == 0:
        assert files_holding(exported.site, SECRET) == []


def zensical_command() -> str | None:
    beside = Path(sys.executable).with_name("zensical")
    if beside.is_file():
        return str(beside)
    return shutil.which("zensical")


def test_zensical_builds_the_export(exported):
    command = zensical_command()
    if command is None:
        pytest.skip("zensical is not installed beside this Python or on PATH")
    assert exported.export.returncode == 0, exported.export.output
    result = run([command, "build"], cwd=exported.target, timeout=180)
    assert result.returncode == 0, result.output
    assert (exported.target / "site" / JORDAN / "index.html").is_file(), result.output
    text = Page(exported.target / "site", JORDAN).text
    assert "Jordan Lee, Account Executive" in text
    assert "Next: 60-day review on Fri 4 Dec 2026" in text
    assert files_holding(exported.target / "site", SECRET) == []


MINIMAL_CONFIG = """\
site_name: Minimal playbook
docs_dir: playbook
theme:
  name: material
plugins:
  - search
  - playbook
"""


def test_export_of_a_minimal_config_keeps_what_the_pages_need(tmp_path):
    """The plugin adds the Markdown extensions its pages need; a plain build of the export needs them too."""
    root = make_project_with_a_private_note(tmp_path / "minimal", config=MINIMAL_CONFIG)
    plugin_build = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert plugin_build.returncode == 0, plugin_build.output
    assert Page(root / "site", JORDAN).select("div.admonition.info")  # "Next: ..." as the plugin publishes it

    target = tmp_path / "exported"
    result = export(root, target)
    assert result.returncode == 0, result.output
    site_build = mkdocs_build(target / "mkdocs.yml", tmp_path / "exported-site", today=None)
    assert site_build.returncode == 0, site_build.output
    page = Page(tmp_path / "exported-site", JORDAN)
    assert page.select("div.admonition.info"), "the next-due box is not rendered"
    assert "!!! info" not in page.html
    assert not page.select("div.pb-plan[markdown]"), "the details table is left as Markdown"
    assert "pb204" in Page(tmp_path / "exported-site", "reference/rules/").ids
