"""Nothing crosses an audience: what a build says about another plan comes only from its selection.

Each case is one a hostile reader tried: a `follows:` that names a colleague's plan, a blank audience
in a CI matrix, plans kept inside the docs folder, an export written into it, and the preview banner
under `mkdocs serve`.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import COACHING, PIP, TODAY
from generator.audience import Audience
from generator.build import build, prepare
from generator.cli import main
from generator.config import UsageError, load_project, resolve_audience
from sitekit import REPO, mkdocs_build

PIP_FILE = "plans/emea-west/jordan-lee-pip-2026-11.yaml"
COACHING_FILE = "plans/na-east/sam-rivera-coaching-2026-11.yaml"
# Jordan Lee's PIP in na-east follows his coaching plan from before he moved there, in emea-west: na-east's
# leaders may see the PIP, not the plan of his old team.
CROSSING = (PIP.change("  team: emea-west", "  team: na-east")
            .change("diagnosis:", "follows: jordan-lee-coaching-2026-10\ndiagnosis:"))
JORDAN_COACHING = (COACHING.change("  name: Sam Rivera\n  id: sam-rivera", "  name: Jordan Lee\n  id: jordan-lee")
                   .change("  team: na-east", "  team: emea-west")
                   .change("  start: 2026-11-16", "  start: 2026-10-05")
                   .change("    - date: 2026-12-14", "    - date: 2026-11-02")
                   .change("  - date: 2026-11-30\n", "  - date: 2026-10-19\n")
                   .change("  - date: 2026-12-14\n    title: Activity", "  - date: 2026-11-02\n    title: Activity")
                   .without("log:"))


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "playbook", root / "playbook")
    return root


def write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")


def test_a_follows_target_outside_the_audience_is_named_nowhere(project):
    write(project, "plans/na-east/jordan-lee-pip-2026-11.yaml", CROSSING)
    write(project, "plans/emea-west/jordan-lee-coaching-2026-10.yaml", JORDAN_COACHING)
    config = load_project(project / "mkdocs.yml")
    hr = build(config, today=TODAY, audience=Audience("all"))
    team = build(config, today=TODAY, audience=Audience("team", "na-east"))
    assert not hr.failed(), [finding.text() for finding in hr.findings]
    follows = {row["id"]: row["follows"] for row in json.loads(hr.assets["plans.json"])["plans"]}
    assert follows["jordan-lee-pip-2026-11"] == "jordan-lee-coaching-2026-10"  # HR sees the record as written
    [row] = json.loads(team.assets["plans.json"])["plans"]
    assert row["follows"] is None
    published = "".join(page.complete_markdown() for page in team.pages.values())
    published += "".join(str(content) for content in team.assets.values())
    assert "coaching-2026-10" not in published and "Mon 5 Oct 2026" not in published


def test_a_site_narrowed_from_hrs_build_names_no_follows_target_outside_it(project):
    """`playbook sites` selects each audience's plans from the build of every plan: the same rule holds."""
    from generator.build import narrowed

    write(project, "plans/na-east/jordan-lee-pip-2026-11.yaml", CROSSING)
    write(project, "plans/emea-west/jordan-lee-coaching-2026-10.yaml", JORDAN_COACHING)
    config = load_project(project / "mkdocs.yml")
    team = narrowed(build(config, today=TODAY, audience=Audience("all")), Audience("team", "na-east"))
    [row] = json.loads(team.assets["plans.json"])["plans"]
    assert row["follows"] is None
    assert [chosen.plan.follows for chosen in team.plans] == [None]
    published = "".join(page.complete_markdown() for page in team.pages.values())
    assert "coaching-2026-10" not in published


def test_a_follows_target_past_retention_is_named_nowhere(project):
    closed = JORDAN_COACHING.change("status: active", "status: closed")
    closed += "outcome: {date: 2024-01-05, result: not-met, decision: retained}\n"
    write(project, "plans/na-east/jordan-lee-pip-2026-11.yaml", CROSSING)
    write(project, "plans/emea-west/jordan-lee-coaching-2026-10.yaml", closed)
    config = load_project(project / "mkdocs.yml")
    run = prepare(config, today=TODAY, audience=Audience("all"))
    assert [chosen.plan.follows for chosen in run.plans] == [None]


@pytest.mark.parametrize("value", ["", "  ", "\n"])
def test_a_blank_audience_is_a_usage_error_not_hrs_site(monkeypatch, value):
    monkeypatch.setenv("PLAYBOOK_AUDIENCE", value)
    with pytest.raises(UsageError, match="PLAYBOOK_AUDIENCE is set but empty"):
        resolve_audience(None, "all")


def test_a_blank_audience_fails_the_build(project):
    write(project, PIP_FILE, PIP)
    done = mkdocs_build(project / "mkdocs.yml", env={"PLAYBOOK_AUDIENCE": ""})
    assert done.returncode == 1 and "PLAYBOOK_AUDIENCE is set but empty" in done.output
    assert not (project / "site" / "plans.json").exists()


def test_an_unknown_audience_id_fails_the_build_with_a_suggestion(project):
    write(project, PIP_FILE, PIP)
    done = mkdocs_build(project / "mkdocs.yml", env={"PLAYBOOK_AUDIENCE": "team:emea-wst"})
    assert done.returncode == 1 and "no team `emea-wst` in the plans or the roster; did you mean `emea-west`?" \
        in done.output


def test_plans_inside_the_docs_folder_are_refused(project, capsys, monkeypatch):
    write(project, "playbook/plans/emea-west/jordan-lee-pip-2026-11.yaml", PIP)
    config = (project / "mkdocs.yml").read_text().replace("plans_dir: plans", "plans_dir: playbook/plans")
    (project / "mkdocs.yml").write_text(config)
    done = mkdocs_build(project / "mkdocs.yml")
    assert done.returncode == 1 and "is inside docs_dir" in done.output
    monkeypatch.chdir(project)
    assert main(["agenda", "--today", str(TODAY)]) == 2
    assert "is inside docs_dir" in capsys.readouterr().err


@pytest.mark.parametrize("inside", ["playbook/export", "plans/export"])
def test_an_export_into_the_docs_or_plans_folder_is_refused(project, capsys, monkeypatch, inside):
    write(project, PIP_FILE, PIP)
    monkeypatch.chdir(project)
    for args in (["export", inside], ["export", inside, "--format", "json"]):
        assert main([*args, "--today", str(TODAY)]) == 2
        assert "choose a folder outside the project's sources" in capsys.readouterr().err
        assert not (project / inside).exists()


def test_the_preview_banner_lists_only_the_audiences_own_plans(project):
    """Under `mkdocs serve` for one person, another person's broken plan is counted, never named."""
    from generator.plugin import _problems_banner

    write(project, PIP_FILE, PIP.change("  - date: 2027-02-14\n    title: Objectives met",
                                        "  - date: 2027-03-14\n    title: Objectives met"))
    write(project, COACHING_FILE, COACHING.change("  - date: 2026-12-14\n    title: Activity",
                                                  "  - date: 2027-01-14\n    title: Activity"))
    config = load_project(project / "mkdocs.yml")
    mine = build(config, today=TODAY, audience=Audience("person", "sam-rivera"), preview=True)
    banner = _problems_banner(mine).replace("\\", "")  # the Markdown escapes of the finding's text
    assert "sam-rivera-coaching" in banner
    assert "jordan-lee" not in banner and "2027-03-14" not in banner
    assert "more problem" in banner and "this audience does not see" in banner
    hr = _problems_banner(build(config, today=TODAY, audience=Audience("all"), preview=True)).replace("\\", "")
    assert "jordan-lee" in hr and "more problem" not in hr
