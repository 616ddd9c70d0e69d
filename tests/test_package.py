"""Playbook as a package a company installs: one version, `playbook init`, the repository's schema copy, the
shipped playbook with a site's own files over it, `pages: false`, and the plugin inside a third-party MkDocs
site (INHERIT:, search, tags, awesome-pages, macros, gen-files), exported too.

The wheel itself, built and installed into a fresh virtual environment, is `.ci/package-check` (marked slow).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

import generator
from generator.cli import main
from generator.schema import schema_text
from sitekit import BIN, GOOD, REPO, Page, fetch, mkdocs_build, mkdocs_serve, text_of

TODAY = "2026-11-20"
GUIDE_TITLE = (REPO / "playbook" / "guide" / "index.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
STARTER_WORKFLOW = REPO / "generator" / "starter" / "files" / ".github" / "workflows" / "plans.yml"


@pytest.fixture
def playbook(monkeypatch, capsys):
    """The `playbook` command in-process, run in a folder: returns (exit status, stdout, stderr)."""
    monkeypatch.delenv("PLAYBOOK_TODAY", raising=False)
    monkeypatch.delenv("PLAYBOOK_AUDIENCE", raising=False)

    def run(folder: Path, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.chdir(folder)
        status = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def repository(tmp_path, playbook) -> Path:
    """A plans repository as `playbook init` makes it, as of TODAY."""
    status, _, err = playbook(tmp_path, "init", "plans-repo", "--today", TODAY)
    assert status == 0, err
    return tmp_path / "plans-repo"


def built_page(root: Path, url: str) -> Page:
    result = mkdocs_build(root / "mkdocs.yml")
    assert result.returncode == 0, result.output
    return Page(root / "site", url)


# --- one version --------------------------------------------------------------------------------------------


def test_the_version_is_said_once_and_the_changelog_names_it(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"playbook (mkdocs-playbook) {generator.__version__}"
    assert metadata.version("mkdocs-playbook") == generator.__version__
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(generator.__version__)}\b", changelog, re.M)


def test_every_pin_in_the_documentation_names_this_release():
    documents = [REPO / "README.md", *sorted((REPO / "playbook").rglob("*.md"))]
    pins = {(path.relative_to(REPO).as_posix(), pin) for path in documents
            for pin in re.findall(r"mkdocs-playbook==([\w.]+)", path.read_text(encoding="utf-8"))}

    assert pins and {pin for _, pin in pins} == {generator.__version__}, sorted(pins)


# --- playbook init ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_init_makes_a_repository_that_passes_check_and_builds_at_once(repository, playbook):
    assert playbook(repository, "check", "--today", TODAY, "--strict")[0] == 0
    assert playbook(repository, "schema", "--check")[0] == 0
    page = built_page(repository, "plans/alex-kim-growth/")
    assert "Alex Kim: Growth plan" in page.title
    # The shipped playbook is in the site, though the repository holds none of it.
    assert not any((repository / "docs").rglob("*.md"))
    assert Page(repository / "site", "guide/").text.startswith(GUIDE_TITLE)


@pytest.mark.slow
def test_init_empty_makes_a_repository_with_no_plan_that_builds(tmp_path, playbook):
    assert playbook(tmp_path, "init", "repo", "--empty", "--today", TODAY)[0] == 0
    root = tmp_path / "repo"

    assert not list((root / "plans").rglob("*.yaml"))
    assert playbook(root, "check", "--today", TODAY)[0] == 0
    assert "No plans yet" in built_page(root, "plans/").text


@pytest.mark.parametrize("day", ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24",
                                 "2026-11-25", "2026-11-26", "2028-02-29"])
def test_the_example_plan_passes_the_strict_check_whatever_the_day_of_init(tmp_path, playbook, day):
    assert playbook(tmp_path, "init", "repo", "--today", day)[0] == 0

    status, out, err = playbook(tmp_path / "repo", "check", "--strict", "--today", day)

    assert (status, out) == (0, ""), out + err


def test_init_holds_the_kit_for_hr(repository):
    names = {path.relative_to(repository).as_posix() for path in repository.rglob("*") if path.is_file()}

    assert {"mkdocs.yml", "README.md", ".github/workflows/plans.yml", ".github/CODEOWNERS.example",
            ".github/pull_request_template.md", ".pre-commit-config.yaml", ".playbook/plan.schema.json",
            "plans/example-team/alex-kim-growth.yaml"} <= names
    readme = (repository / "README.md").read_text(encoding="utf-8")
    for heading in ("## Add a plan", "## Change a plan", "## Publish one site per audience"):
        assert heading in readme
    config = (repository / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"pip_max_days: 90 +# ", config), "the policy is commented"


def test_init_pins_the_workflow_and_the_hook_to_this_release(repository):
    pin = f"mkdocs-playbook=={generator.__version__}"
    workflow = yaml.safe_load((repository / ".github/workflows/plans.yml").read_text(encoding="utf-8"))
    installs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
                if "pip install" in step.get("run", "")]
    assert installs and all(pin in run for run in installs)

    hooks = yaml.safe_load((repository / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = hooks["repos"][0]["hooks"]
    assert hook["additional_dependencies"] == [pin] and hook["entry"] == "playbook check"
    validated = subprocess.run([BIN / "pre-commit", "validate-config", ".pre-commit-config.yaml"],
                               cwd=repository, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_the_starter_workflow_is_this_repository_workflow_but_for_what_it_installs():
    def steps(path: Path) -> list[str]:
        text = path.read_text(encoding="utf-8").split("name: plans\n", 1)[1]
        return [line for line in text.splitlines() if "pip install" not in line]

    assert steps(STARTER_WORKFLOW) == steps(REPO / ".github" / "workflows" / "plans.yml")


def test_the_starter_pull_request_template_is_this_repository_template():
    starter = REPO / "generator" / "starter" / "files" / ".github" / "pull_request_template.md"
    assert starter.read_text(encoding="utf-8") == (REPO / ".github" / "pull_request_template.md").read_text(
        encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, playbook):
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "notes.md").write_text("mine\n", encoding="utf-8")

    status, _, err = playbook(tmp_path, "init", "repo")

    assert status == 2 and "not an empty folder" in err
    assert [path.name for path in (tmp_path / "repo").iterdir()] == ["notes.md"]


# --- the schema copy --------------------------------------------------------------------------------------


def test_new_points_the_plan_at_the_repository_schema(repository, playbook):
    status, out, _ = playbook(repository / "plans", "new", "pip", "--person", "Jordan Lee", "--team", "emea-west",
                              "--manager", "priya-shah", "--hr-partner", "sam-ortiz", "--start", "2026-12-01")
    assert status == 0
    plan = repository / "plans" / out.strip()
    first = plan.read_text(encoding="utf-8").splitlines()[0]
    reference = first.removeprefix("# yaml-language-server: $schema=")

    assert reference != first and not Path(reference).is_absolute()
    assert (plan.parent / reference).resolve() == (repository / ".playbook" / "plan.schema.json").resolve()


def test_new_outside_an_initialised_repository_writes_the_schema_copy_and_points_there(tmp_path, playbook):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - playbook\n", encoding="utf-8")

    status, out, err = playbook(tmp_path, "new", "growth", "--person", "Alex Kim", "--team", "t",
                                "--manager", "priya-shah")

    assert status == 0 and ".playbook/plan.schema.json" in err
    assert (tmp_path / ".playbook" / "plan.schema.json").read_text(encoding="utf-8") == schema_text()
    assert "$schema=../../.playbook/plan.schema.json" in (tmp_path / out.strip()).read_text(encoding="utf-8")
    assert "site-packages" not in (tmp_path / out.strip()).read_text(encoding="utf-8")


def test_schema_check_says_when_the_copy_is_older_than_the_package(repository, playbook):
    copy = repository / ".playbook" / "plan.schema.json"
    copy.write_text(schema_text().replace('"kind"', '"kind_v0"', 1), encoding="utf-8")

    status, _, err = playbook(repository, "schema", "--check")
    assert status == 1 and "older than the schema of mkdocs-playbook" in err and "--write" in err

    assert playbook(repository, "schema", "--write")[0] == 0
    assert copy.read_text(encoding="utf-8") == schema_text()
    assert playbook(repository, "schema", "--check")[0] == 0


# --- the shipped playbook, with the site's own files over it ------------------------------------------------

OWN_TEMPLATE = """\
---
title: Plan document
kinds: [growth, coaching, pip]
document: true
---
ACME PLAN for {{ plan.person.name }}, from {{ plan.timetable.start|longdate }}.
"""


@pytest.mark.slow
def test_a_template_in_docs_replaces_the_shipped_one_in_letter_and_site(repository, playbook):
    (repository / "docs" / "templates").mkdir()
    (repository / "docs" / "templates" / "plan-document.md").write_text(OWN_TEMPLATE, encoding="utf-8")

    status, out, _ = playbook(repository, "letter", "alex-kim-growth", "plan-document", "--today", TODAY)
    assert status == 0 and out.startswith("ACME PLAN for Alex Kim, from Friday 20 November 2026.")
    # The other templates still come from the package.
    assert playbook(repository, "letter", "alex-kim-growth", "nope")[2].count("growth-kickoff") == 1

    page = built_page(repository, "plans/alex-kim-growth/")
    assert "ACME PLAN for Alex Kim" in page.html
    assert "ACME PLAN" in Page(repository / "site", "tools/plan-document/").html


OWN_PAGE = "# Our way\n\nHow we coach at Acme.\n"


def _coaching_site(root: Path, extra_options: str = "") -> Path:
    """A site with a page of its own and one coaching plan (diagnosis: will), `pages: false`."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(OWN_PAGE, encoding="utf-8")
    (root / "plans" / "na-east").mkdir(parents=True)
    shutil.copy(GOOD / "na-east" / "sam-rivera-coaching-2026-11.yaml", root / "plans" / "na-east")
    (root / "mkdocs.yml").write_text(f"""\
site_name: Acme
theme:
  name: material
plugins:
  - search
  - playbook:
      pages: false
{extra_options}""", encoding="utf-8")
    return root


@pytest.mark.slow
def test_pages_false_publishes_the_plans_and_the_site_own_pages_and_no_dead_link(tmp_path):
    root = _coaching_site(tmp_path / "site-src")

    page = built_page(root, "plans/sam-rivera-coaching-2026-11/")

    assert "Recommended response: Focus." in page.text
    assert not page.links_to("diagnose/will-focus/")
    assert not (root / "site" / "guide").exists() and not (root / "site" / "diagnose").exists()
    assert Page(root / "site", "").text == "Our way How we coach at Acme."


@pytest.mark.slow
def test_pages_false_links_to_a_response_page_the_site_has_itself(tmp_path):
    root = _coaching_site(tmp_path / "site-src")
    (root / "docs" / "diagnose").mkdir()
    (root / "docs" / "diagnose" / "will-focus.md").write_text("# Focus, our way\n", encoding="utf-8")

    page = built_page(root, "plans/sam-rivera-coaching-2026-11/")

    assert page.links_to("diagnose/will-focus/")


# --- inside a third-party MkDocs site ------------------------------------------------------------------------

THIRD_PARTY_FILES = {
    "base.yml": """\
site_name: Acme handbook
theme:
  name: material
markdown_extensions:
  - admonition
  - toc:
      permalink: true
""",
    "mkdocs.yml": """\
INHERIT: base.yml
plugins:
  - search
  - tags
  - awesome-pages
  - macros
  - gen-files:
      scripts:
        - scripts/gen_pages.py
  - playbook:
      today: 2026-11-20
""",
    "main.py": """\
def define_env(env):
    env.variables["company"] = "Acme"
""",
    "scripts/gen_pages.py": """\
import mkdocs_gen_files

with mkdocs_gen_files.open("generated/about.md", "w") as handle:
    handle.write("# About\\n\\nMade by a script.\\n")
""",
    "docs/index.md": "# Acme handbook\n\nWelcome to {{ company }}. Read [travel](handbook/travel.md) and "
                     "[the guide](guide/index.md).\n",
    "docs/handbook/.pages": "title: The handbook\n",
    "docs/handbook/travel.md": "---\ntags:\n  - policy\n---\n# Travel\n\nBook through the portal.\n",
    "docs/handbook/letters.md": "# Our check-in note\n\n{{ template_example('check-in-note') }}\n",
}


@pytest.fixture
def third_party_site(tmp_path) -> Path:
    pytest.importorskip("mkdocs_macros")
    pytest.importorskip("mkdocs_gen_files")
    pytest.importorskip("mkdocs_awesome_pages_plugin")
    root = tmp_path / "handbook"
    for name, text in THIRD_PARTY_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    plan = (GOOD / "na-east" / "sam-rivera-coaching-2026-11.yaml").read_text(encoding="utf-8")
    # Text a template engine would evaluate, in a plan: the site shows it as written.
    plan = plan.replace("  name: Sam Rivera", '  name: "Sam {{ 7 * 191 }} Rivera"', 1)
    plan = re.sub(r"(?m)^  summary: .*$", "  summary: 'Calls fell {{ 7 * 191 }} {% raw %} {# a'", plan, count=1)
    (root / "plans" / "na-east").mkdir(parents=True)
    (root / "plans" / "na-east" / "sam-rivera-coaching-2026-11.yaml").write_text(plan, encoding="utf-8")
    return root


@pytest.mark.slow
def test_the_plugin_builds_inside_a_third_party_site(third_party_site):
    root = third_party_site
    plan = built_page(root, "plans/sam-rivera-coaching-2026-11/")
    site = root / "site"

    assert "Welcome to Acme." in Page(site, "").text  # macros renders the site's own pages
    # The tags plugin shows a page's tags above it (its tags.json export exists only in newer Material releases).
    assert Page(site, "handbook/travel/").text == "policy Travel Book through the portal."
    assert "The handbook" in [text_of(label) for label in Page(site, "").select("nav label")]  # awesome-pages
    assert "Made by a script." in Page(site, "generated/about/").text
    assert Page(site, "guide/").text.startswith(GUIDE_TITLE)  # the shipped playbook, beside the site's pages
    # Playbook's page values reach the site's own pages through macros.
    assert "Check-in" in Page(site, "handbook/letters/").text
    # Macros evaluates no text from a plan.
    assert "1337" not in plan.html
    assert "Sam {{ 7 * 191 }} Rivera" in plan.text and "Calls fell {{ 7 * 191 }} {% raw %} {# a" in plan.text
    assert plan.links_to("diagnose/will-focus/")


@pytest.mark.slow
def test_export_of_a_third_party_site_copies_the_gen_files_script_and_builds(third_party_site, tmp_path,
                                                                             playbook):
    target = tmp_path / "export"

    status, _, err = playbook(third_party_site, "export", target, "--today", TODAY)

    assert status == 0, err
    assert (target / "scripts" / "gen_pages.py").is_file() and (target / "main.py").is_file()
    assert (target / "docs" / "handbook" / ".pages").is_file()
    result = mkdocs_build(target / "mkdocs.yml")
    assert result.returncode == 0, result.output
    assert "Made by a script." in Page(target / "site", "generated/about/").text
    assert "Welcome to Acme." in Page(target / "site", "").text


def test_export_says_why_it_cannot_carry_a_gen_files_script_outside_the_project(third_party_site, tmp_path,
                                                                               playbook):
    outside = tmp_path / "shared_gen.py"
    outside.write_text("", encoding="utf-8")
    config = third_party_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("scripts/gen_pages.py", str(outside)),
                      encoding="utf-8")

    status, _, err = playbook(third_party_site, "export", tmp_path / "export", "--today", TODAY)

    assert status == 2
    assert f"gen-files scripts names `{outside}`, outside the project folder" in err
    assert not (tmp_path / "export").exists()


# --- the wheel ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_wheel_installs_into_a_fresh_environment_and_works(tmp_path):
    """.ci/package-check: build, install (not editable), init, check, build, new, override a template."""
    pytest.importorskip("build", reason="the `release` extra (build, twine) is not installed")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PACKAGE_CHECK_PYTHON": sys.executable}
    done = subprocess.run(["bash", REPO / ".ci" / "package-check", tmp_path], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "package-check: all good" in done.stdout


@pytest.mark.slow
def test_the_preview_shows_a_failing_plans_text_on_the_site_own_pages_as_written(third_party_site, tmp_path):
    """Under `mkdocs serve`, the problems banner quotes plan text on every page; macros renders none of it."""
    plan = third_party_site / "plans" / "na-east" / "sam-rivera-coaching-2026-11.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(re.sub(r"(?m)^  summary: .*$", "  summary: 'TODO {% raw %} {{ 7 * 191 }}'", text, count=1),
                    encoding="utf-8")

    with mkdocs_serve(third_party_site, tmp_path / "serve.log") as server:
        server.wait_for("", "error PB116")
        page = fetch(server.root_url)

    assert "Welcome to Acme." in page
    assert "{% raw %} {{ 7" in page and "1337" not in page
    assert "Macro Rendering Error" not in page and "Macro Syntax Error" not in page
