"""A versioned playbook: releases with real `mike` in a temporary git repository hold no plan record.

Plans are live data: a plan frozen into an old release would outlive its retention and its
audience rules. `mike deploy` builds every release for the `playbook` audience, whatever the
configuration says, and plan pages live only in the current build, which links each plan to the
release it was issued under.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitekit import BIN, GOOD, Page, environment, make_project, mkdocs_build

MIKE = BIN / "mike"
PEOPLE = ("Jordan Lee", "jordan-lee", "Alex Kim", "alex-kim", "Sam Rivera", "sam-rivera", "Priya Shah",
          "Dana Brooks", "Sam Ortiz")


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Hana Release", "GIT_AUTHOR_EMAIL": "hr@example.com",
           "GIT_COMMITTER_NAME": "Hana Release", "GIT_COMMITTER_EMAIL": "hr@example.com"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def mike(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = environment("2026-11-20")
    env["PLAYBOOK_AUDIENCE"] = "all"  # a release must ignore it
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # mike runs the `mkdocs` beside it
    return subprocess.run([str(MIKE), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    if not MIKE.is_file():
        pytest.fail("mike is not installed: pip install -e '.[test]'")
    root = make_project(tmp_path_factory.mktemp("versions") / "site", GOOD)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Hana Release")
    git(root, "config", "user.email", "hr@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Playbook 2026.1")
    for version in ("2026.1", "2026.2"):
        done = mike(root, "deploy", "--update-aliases", version, "latest")
        assert done.returncode == 0, done.stdout + done.stderr
    done = mike(root, "set-default", "latest")
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_both_releases_are_listed_with_the_latest_alias(released):
    versions = json.loads(git(released, "show", "gh-pages:versions.json"))
    assert [entry["version"] for entry in versions] == ["2026.2", "2026.1"]
    assert versions[0]["aliases"] == ["latest"] and versions[1]["aliases"] == []
    assert "latest/" in git(released, "show", "gh-pages:index.html")  # the default redirects to it


def test_each_release_carries_materials_version_selector(released):
    for version in ("2026.1", "2026.2"):
        home = BeautifulSoup(git(released, "show", f"gh-pages:{version}/index.html"), "html.parser")
        config = json.loads(home.select_one("script#__config").get_text())
        assert config["version"]["provider"] == "mike" and config["version"]["default"] == "latest"


def test_no_plan_record_is_anywhere_on_gh_pages(released):
    files = git(released, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert any(name.startswith("2026.2/tools/") for name in files)
    assert not [name for name in files if "/plans/" in name and not name.endswith("plans/index.html")]
    for name in files:
        blob = subprocess.run(["git", "show", f"gh-pages:{name}"], cwd=released, capture_output=True,
                              check=True).stdout
        for person in PEOPLE:
            assert person.encode() not in blob, f"{person} in gh-pages:{name}"
    listing = git(released, "show", "gh-pages:2026.2/plans/index.html")
    assert "publishes no plan" in listing


def test_a_plan_page_names_its_playbook_version_without_a_link_where_no_releases_are_said_to_be(released,
                                                                                                tmp_path):
    done = mkdocs_build(released / "mkdocs.yml", site_dir=tmp_path / "current")
    assert done.returncode == 0, done.output
    page = Page(tmp_path / "current", "plans/jordan-lee-pip-2026-10/")
    assert [row[1] for row in page.rows("") if row[0] == "Playbook version"] == [
        "2026.2 (the playbook this plan was issued under)"]
    assert [link.href for link in page.links if link.text == "2026.2"] == []


def test_a_plan_page_links_to_the_playbook_version_it_was_issued_under(released, tmp_path):
    config = released / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      plans_dir: plans\n", "      plans_dir: plans\n      versions_url: /\n"),
                      encoding="utf-8")
    try:
        done = mkdocs_build(config, site_dir=tmp_path / "current")
    finally:
        config.write_text(text, encoding="utf-8")
    assert done.returncode == 0, done.output
    page = Page(tmp_path / "current", "plans/jordan-lee-pip-2026-10/")
    assert [link.href for link in page.links if link.text == "2026.2"] == ["/2026.2/"]
