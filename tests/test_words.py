"""Counted nouns and articles: one pluraliser and one article helper (generator/words.py), and the messages,
pages, log lines and documents that used to say "a active pip", "1 plans published", "the plan is draft",
"the plans of jordan-lee" and "Plan document" above "PERFORMANCE IMPROVEMENT PLAN"."""

from __future__ import annotations

import logging
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.audience import Audience
from generator.build import build
from generator.config import load_project
from generator.words import article, plural, with_article
from conftest import FILE_NAMES, PIP
from sitekit import REPO

PLAN_ID = "jordan-lee-pip-2026-11"


@pytest.mark.parametrize("count, noun, expected", [
    (0, "plan", "0 plans"), (1, "plan", "1 plan"), (3, "plan", "3 plans"), (1, "check-in", "1 check-in"),
    (2, "check-in", "2 check-ins"), (2, "day", "2 days"), (2, "entry", "2 entries"), (2, "witness", "2 witnesses"),
])
def test_plural_agrees_with_the_count(count, noun, expected):
    assert plural(count, noun) == expected


@pytest.mark.parametrize("word, expected", [
    ("active", "an"), ("extended", "an"), ("agreement email", "an"), ("draft", "a"), ("closed", "a"),
    ("written warning", "a"), ("PIP", "a"), ("hour", "an"), ("unit", "a"), ("one-off", "a"),
])
def test_article_follows_the_sound_of_the_word(word, expected):
    assert article(word) == expected
    assert with_article(word) == f"{expected} {word}"


def test_an_unsigned_active_pip_is_an_active_pip(check):
    finding = check(PIP.without("acknowledgement:")).only("PB404")
    assert finding.message.startswith("an active pip needs an `acknowledgement`")


@pytest.fixture
def project(tmp_path) -> Path:
    """A project as a user has it: the repository's mkdocs.yml and playbook, and one draft-free PIP."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    plan = tmp_path / "plans" / FILE_NAMES["pip"]
    plan.parent.mkdir(parents=True)
    plan.write_text(PIP, encoding="utf-8")
    return tmp_path


def test_a_draft_has_no_meeting_to_prepare(project, cli):
    plan = project / "plans" / FILE_NAMES["pip"]
    plan.write_text(PIP.change("status: active", "status: draft").without("acknowledgement:"), encoding="utf-8")
    result = cli("letter", PLAN_ID, "check-in-note", "--today", "2026-11-20", cwd=project)
    assert result.returncode == 1
    assert "the plan is a draft:" in result.output and "is draft" not in result.output


def test_the_plan_document_is_headed_by_its_own_title_only(project, cli):
    result = cli("letter", PLAN_ID, "plan-document", "--format", "html", "--today", "2026-11-20", cwd=project)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"<h1>(.*?)</h1>", result.stdout) == ["PERFORMANCE IMPROVEMENT PLAN"]
    assert "Plan document" not in result.stdout


def test_a_persons_site_names_the_person_not_their_id(project):
    result = build(load_project(project / "mkdocs.yml"), today=date(2026, 11, 20),
                   audience=Audience.parse("person:jordan-lee"))
    assert "This site holds the plans of Jordan Lee; drafts are not shown" in result.pages["plans/index.md"].complete_markdown()
    home = result.render_markdown_page((project / "playbook" / "index.md").read_text(encoding="utf-8"), "index.md")
    assert "This build shows the plans of Jordan Lee" in home and "jordan-lee" not in home


def test_a_build_of_one_plan_says_1_plan_published(project, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.playbook"):
        mkdocs_build(config)
    published = [record.getMessage() for record in caplog.records if "published" in record.getMessage()]
    assert published == ["playbook: 1 plan published for the audience `all`, as of 2026-11-20"]
