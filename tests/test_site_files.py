"""A site's files laid out ahead of its writer, from the last build's site (`generator.site_files`): the site is the
one a build into an empty folder makes, the writer's files are never touched, and nothing of the last site shows
where this build has not written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

import generator.parallel as parallel
import generator.site_files as site_files
from generator.site_files import lay_out
from sitekit import files_holding, make_project, snapshot


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _last_site(site: Path, files: dict[str, str]) -> Path:
    """`site` holding `files` (path: text), set aside as a build sets the last site aside."""
    for relative, text in files.items():
        _write(site / relative, text)
    return Path(parallel.set_aside(str(site)))


def _laid_out(site: Path, wanted: list[str], last: Path | None) -> None:
    lay_out([os.fsencode(site / relative) for relative in wanted], os.fsencode(last) if last else None)


def _files(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
            for path in site.rglob("*") if path.is_file()}


def test_the_last_sites_folders_and_files_are_taken_empty_and_the_rest_removed(tmp_path):
    site = tmp_path / "site"
    last = _last_site(site, {
        "index.html": "home, last build",
        "plans/alex-kim/index.html": "Alex's growth plan",
        "plans/alex-kim/plan.ics": "BEGIN:VCALENDAR",
        "plans/alex-kim/old-letter.html": "a letter this build no longer makes",
        "plans/sam-poe-pip/index.html": "Sam Poe's PIP",  # a plan this audience no longer sees
        "people/alex-kim/index.html": "Alex",
        "old-page.html": "old",
    })
    folder = (last / "plans" / "alex-kim").stat().st_ino
    page = (last / "plans" / "alex-kim" / "index.html").stat().st_ino
    wanted = ["plans/alex-kim/index.html", "plans/alex-kim/plan.ics", "plans/bea-lund/index.html",
              "people/alex-kim/index.html", "index.html"]
    _laid_out(site, wanted, last)
    assert _files(site) == dict.fromkeys(wanted, "")  # every one made, none showing the last site's text
    assert (site / "plans" / "alex-kim").stat().st_ino == folder  # taken, not made again
    assert (site / "plans" / "alex-kim" / "index.html").stat().st_ino == page
    assert not last.exists()
    assert not files_holding(site, "Sam Poe") and not (site / "plans" / "sam-poe-pip").exists()


def test_where_folders_cannot_be_moved_without_replacing_the_files_are_taken_one_by_one(tmp_path, monkeypatch):
    monkeypatch.setattr(site_files, "_RENAME", None)  # a system without `renameat2`
    site = tmp_path / "site"
    last = _last_site(site, {"plans/alex-kim/index.html": "Alex's growth plan", "plans/alex-kim/old.html": "old",
                             "plans/sam-poe-pip/index.html": "Sam Poe's PIP"})
    page = (last / "plans" / "alex-kim" / "index.html").stat().st_ino
    wanted = ["plans/alex-kim/index.html", "plans/bea-lund/index.html"]
    _laid_out(site, wanted, last)
    assert _files(site) == dict.fromkeys(wanted, "")
    assert (site / "plans" / "alex-kim" / "index.html").stat().st_ino == page
    assert not last.exists() and not files_holding(site, "Sam Poe")


def test_what_the_writer_made_first_stays_as_it_wrote_it(tmp_path):
    site = tmp_path / "site"
    last = _last_site(site, {
        "plans/alex-kim/index.html": "last build",
        "plans/alex-kim/old.html": "last build",
        "people/alex-kim/index.html": "last build",
        "people/bea-lund/index.html": "last build",
        "index.html": "last build",
    })
    _write(site / "plans" / "alex-kim" / "index.html", "written")  # a folder the writer has begun to fill
    _write(site / "index.html", "written")
    (site / "people").mkdir()  # a folder the writer has made, empty yet: it may be about to make a file in it
    made = (site / "people").stat().st_ino
    wanted = ["plans/alex-kim/index.html", "people/alex-kim/index.html", "people/bea-lund/index.html", "index.html"]
    _laid_out(site, wanted, last)
    assert _files(site) == {"plans/alex-kim/index.html": "written", "index.html": "written",
                            "people/alex-kim/index.html": "", "people/bea-lund/index.html": ""}
    assert (site / "people").stat().st_ino == made  # not replaced by the last site's: it was never removed


def test_links_in_the_last_site_are_neither_followed_nor_taken(tmp_path):
    elsewhere = _write(tmp_path / "elsewhere" / "index.html", "not the site's")
    kept = _write(tmp_path / "backup" / "index.html", "a backup made with hard links")
    site = tmp_path / "site"
    last = _last_site(site, {"plans/a/other.html": "last build", "plans/c/other.html": "last build"})
    (last / "plans" / "a" / "index.html").symlink_to(elsewhere)
    (last / "plans" / "b").symlink_to(elsewhere.parent, target_is_directory=True)
    os.link(kept, last / "plans" / "c" / "index.html")
    _laid_out(site, ["plans/a/index.html", "plans/b/index.html", "plans/c/index.html"], last)
    assert _files(site) == {"plans/a/index.html": "", "plans/b/index.html": "", "plans/c/index.html": ""}
    assert not any(path.is_symlink() for path in site.rglob("*"))
    assert elsewhere.read_text(encoding="utf-8") == "not the site's"
    assert kept.read_text(encoding="utf-8") == "a backup made with hard links"


def test_a_path_that_cannot_be_made_is_left_and_the_rest_made(tmp_path):
    site = tmp_path / "site"
    last = _last_site(site, {"plans/a/index.html": "last build"})
    _write(site / "people", "a file where the writer will want a folder")
    _laid_out(site, ["people/a/index.html", "plans/a/index.html", "plans/b/index.html"], last)
    assert _files(site) == {"people": "a file where the writer will want a folder", "plans/a/index.html": "",
                            "plans/b/index.html": ""}
    assert not last.exists()


def test_without_a_last_site_the_files_are_made_empty(tmp_path):
    site = tmp_path / "site"
    _laid_out(site, ["plans/a/index.html", "index.html"], None)
    assert _files(site) == {"plans/a/index.html": "", "index.html": ""}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_writes_into_the_last_sites_files_and_is_the_site_a_first_build_makes(tmp_path, monkeypatch,
                                                                                        jobs):
    monkeypatch.setattr(parallel, "SMALLEST", 1)  # these few files are laid out as thousands would be
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = make_project(tmp_path / "project")
    config_file = root / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace(
        "      plans_dir: plans\n", f"      plans_dir: plans\n      jobs: {jobs}\n"), encoding="utf-8")
    monkeypatch.chdir(root)

    def built(out: Path) -> None:
        config = load_config(str(config_file), site_dir=str(out))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()

    built(tmp_path / "first")
    out = tmp_path / "out"
    built(out)
    pages = sorted(path for folder in ("plans", "people") for path in (out / folder).rglob("*") if path.is_file())
    assert len(pages) > 10
    numbers = {path: path.stat().st_ino for path in pages}
    _write(out / "plans" / "a-plan-since-removed" / "index.html", "Sam Poe's PIP")
    built(out)
    assert {path: path.stat().st_ino for path in pages} == numbers  # written into, not made again
    stamped = "sitemap.xml.gz"  # holds the time it was written
    assert snapshot(out).pop(stamped) and snapshot(out) | {stamped: ""} == snapshot(tmp_path / "first") | {stamped: ""}
    assert not files_holding(out, "Sam Poe") and not list(out.glob(".*"))
