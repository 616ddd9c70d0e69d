"""The record as of a date (generator/asof.py), and the letters it makes true by construction.

Every plan here is small and worked out by hand. The base PIP starts Monday 2026-11-16 and runs 90
days to Sunday 2027-02-14; at its 30-day review on Wednesday 2026-12-16 discovery-to-demo conversion
was 20%, below its line of 24%, which calls for a written warning. The warning was recorded on
Friday 2026-12-18. On Friday 2027-01-08 an amendment, signed that day by both, extended the plan by
two weeks, to Sunday 2027-02-28.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import COACHING, GROWTH, PIP, PlanText
from generator import build as pipeline
from generator import timeline as timeline_module
from generator.asof import as_of
from generator.cli import main
from generator.model import Plan, PublicPlan
from generator.load import load_bytes
from sitekit import REPO, Page, mkdocs_build
from test_gitrepo import GitRepo

PLAN_ID = "jordan-lee-pip-2026-11"
PLAN_FILE = f"plans/emea-west/{PLAN_ID}.yaml"

WARNED = (PIP
          .change("    date: 2026-11-13\n", "    date: 2026-11-13\n  - stage: written-warning\n    date: 2026-12-18\n")
          + "  - date: 2026-12-16\n    kind: review\n    note: 30-day review.\n"
            "    results: {discovery-to-demo: 20}\n")
EXTENDED = (WARNED
            .change("status: active", "status: extended")
            .change("  days: 90\n", "  days: 104\n")
            + "amendments:\n  - date: 2027-01-08\n    summary: Two weeks added after leave.\n"
              "    changes: [timetable]\n    acknowledgement: {person: 2027-01-08, manager: 2027-01-08}\n")


def record(text: str) -> PublicPlan:
    plan = Plan.model_validate(load_bytes(text.encode()).data)
    return PublicPlan.of(plan.model_copy(update={"id": plan.id or PLAN_ID}))


@pytest.fixture
def project(tmp_path):
    """A project folder as a user has it (the repository's mkdocs.yml and playbook), no plans yet."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "playbook", root / "playbook")
    return root


def write(root: Path, text: str, name: str = PLAN_FILE) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def playbook(root: Path, capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    """The CLI, in-process, from `root`."""
    monkeypatch.chdir(root)
    monkeypatch.delenv("PLAYBOOK_TODAY", raising=False)
    monkeypatch.delenv("PLAYBOOK_AUDIENCE", raising=False)
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def history(root: Path) -> GitRepo:
    """The project as a repository: the warning committed on its day, the amendment on its own."""
    repo = GitRepo(root)
    write(root, WARNED)
    repo.commit("Jordan's PIP, written warning recorded", day="2026-12-18")
    write(root, EXTENDED)
    repo.commit("Extension", day="2027-01-08")
    return repo


# --- the view ---------------------------------------------------------------------------------------------------


def test_every_fact_after_the_day_is_absent_and_the_status_follows():
    plan = record(EXTENDED.change("status: extended", "status: closed")
                  + "rebuttal: {date: 2027-01-04, text: I disagree with the 30-day figure.}\n"
                    "outcome: {date: 2027-02-28, result: met, decision: retained}\n")
    on = as_of(plan, date(2026, 12, 17))
    assert [entry.date for entry in on.log] == [date(2026, 11, 16), date(2026, 12, 16)]
    assert [step.stage for step in on.escalation] == ["conversation"]
    assert (on.amendments, on.rebuttal, on.outcome, on.status) == ([], None, None, "active")
    # After the amendment the plan was extended; after the outcome, closed.
    assert as_of(plan, date(2027, 1, 8)).status == "extended"
    assert as_of(plan, date(2027, 2, 28)).status == "closed"
    # Before both signed, there is no acknowledgement.
    assert as_of(plan, date(2026, 11, 15)).acknowledgement is None


def test_an_amendment_signed_later_is_unsigned_until_then():
    plan = record(EXTENDED.change("acknowledgement: {person: 2027-01-08, manager: 2027-01-08}",
                                  "acknowledgement: {person: 2027-01-12, manager: 2027-01-08}"))
    assert as_of(plan, date(2027, 1, 10)).amendments[0].acknowledgement is None
    assert as_of(plan, date(2027, 1, 10)).status == "active"  # no acknowledged extension yet
    assert as_of(plan, date(2027, 1, 12)).amendments[0].acknowledgement is not None


def test_a_fact_dated_after_today_is_a_finding(check):
    assert "PB215" not in check(WARNED, today=date(2026, 12, 18)).codes
    report = check(WARNED, today=date(2026, 12, 17))
    [finding] = [finding for finding in report.findings if finding.code == "PB215"]
    assert finding.line == WARNED.line("    date: 2026-12-18")
    assert "written-warning step dated 2026-12-18, after today (2026-12-17)" in finding.message


# --- terms as they stood ----------------------------------------------------------------------------------------


def test_a_letter_dated_before_an_amendment_states_the_terms_as_they_stood(project, capsys, monkeypatch):
    history(project)
    code, out, err = playbook(project, capsys, monkeypatch, "letter", PLAN_ID, "written-warning", "--today", "2027-01-20")
    assert code == 0, err
    assert "Date: Friday 18 December 2026" in out
    assert "runs from Monday 16 November 2026 to Sunday 14 February 2027, 91 calendar days" in out
    assert "28 February 2027" not in out and "105 calendar days" not in out


def test_without_history_that_letter_is_refused_and_says_why(project, capsys, monkeypatch):
    write(project, EXTENDED)  # not a repository
    code, out, err = playbook(project, capsys, monkeypatch, "letter", PLAN_ID, "written-warning", "--today", "2027-01-20")
    assert (code, out) == (1, "")
    assert "the plan's terms were amended on Fri 8 Jan 2027, after this letter's date (Fri 18 Dec 2026)" in err
    assert "the plans are not in a git repository" in err
    assert "is in the repository's history" not in err


def test_in_a_shallow_clone_the_refusal_names_fetch_depth(project, tmp_path, capsys, monkeypatch):
    history(project)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(clone)], check=True,
                   env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    code, _, err = playbook(clone, capsys, monkeypatch, "letter", PLAN_ID, "written-warning", "--today", "2027-01-20")
    assert code == 1 and "shallow clone" in err and "`fetch-depth: 0`" in err


def test_an_amendment_committed_with_the_plan_leaves_no_earlier_terms(project, capsys, monkeypatch):
    repo = GitRepo(project)
    write(project, EXTENDED)
    repo.commit("Jordan's PIP, as it is now", day="2027-01-08")
    code, _, err = playbook(project, capsys, monkeypatch, "letter", PLAN_ID, "written-warning", "--today", "2027-01-20")
    assert code == 1
    assert "already holds the amendment (it was committed together with the plan)" in err


def test_the_page_shows_the_sent_letter_the_same_way(project):
    history(project)
    done = mkdocs_build(project / "mkdocs.yml", today="2027-01-20")
    assert done.returncode == 0, done.output
    page = Page(project / "site", f"plans/{PLAN_ID}/")
    warning = page.code("letter-written-warning")
    assert "runs from Monday 16 November 2026 to Sunday 14 February 2027, 91 calendar days" in warning
    # The page itself is as of today: extended, to the new end.
    assert "Sunday 28 February 2027" in page.text


# --- letters that follow from the record ------------------------------------------------------------------------


CLOSED_MET = (COACHING.change("status: active", "status: closed")
              + "  - {date: 2026-12-14, kind: review, note: Four-week review., results: {outbound-calls: 31}}\n"
                "outcome: {date: 2026-12-14, result: met, decision: retained}\n")
COACHING_FILE = "plans/na-east/sam-rivera-coaching-2026-11.yaml"
COACHING_ID = "sam-rivera-coaching-2026-11"


def test_a_closing_letter_only_once_the_outcome_is_recorded(project, capsys, monkeypatch):
    write(project, CLOSED_MET, COACHING_FILE)
    code, out, err = playbook(project, capsys, monkeypatch, "letter", COACHING_ID, "closing-letter", "--today", "2026-12-10")
    assert (code, out) == (1, "")
    assert "due when the plan closes with its objectives met" in err
    code, out, err = playbook(project, capsys, monkeypatch, "letter", COACHING_ID, "closing-letter", "--today", "2026-12-20")
    assert code == 0, err
    assert "closed on Monday 14 December 2026 with its objectives met" in out


def test_a_closing_letter_for_a_record_that_contradicts_itself_is_refused(project, capsys, monkeypatch):
    write(project, CLOSED_MET.change("results: {outbound-calls: 31}", "results: {outbound-calls: 29}"), COACHING_FILE)
    code, out, err = playbook(project, capsys, monkeypatch, "letter", COACHING_ID, "closing-letter", "--today", "2026-12-20")
    assert (code, out) == (1, "")
    assert "the record contradicts itself" in err and "Outbound calls per day: 29 calls on Mon 14 Dec 2026" in err


def test_no_warning_after_the_end_and_the_reason_names_what_is_missing(project, capsys, monkeypatch):
    write(project, PIP)  # the 30-day review of 2026-12-16, which decides the trigger, never recorded
    code, out, err = playbook(project, capsys, monkeypatch, "letter", PLAN_ID, "written-warning", "--today", "2027-02-20")
    assert (code, out) == (1, "")
    assert "the plan ended on Sun 14 Feb 2027 and no warning is sent after its end" in err
    assert "the review of Wed 16 Dec 2026, which decides Discovery-to-demo conversion, was never recorded" in err
    assert "the outcome is not recorded" in err


def test_a_growth_agreement_email_sums_up_the_first_meeting(project, capsys, monkeypatch):
    growth = PlanText(GROWTH)
    plan_id = "alex-kim-growth-2026-11"
    without_log = growth.without("log:")
    write(project, without_log, f"plans/emea-west/{plan_id}.yaml")
    code, out, err = playbook(project, capsys, monkeypatch, "letter", plan_id, "agreement-email", "--today", "2026-11-20")
    assert (code, out) == (1, "")
    assert "due once the first meeting of the plan is recorded" in err and "escalation" not in err
    write(project, growth, f"plans/emea-west/{plan_id}.yaml")
    code, out, err = playbook(project, capsys, monkeypatch, "letter", plan_id, "agreement-email", "--today", "2026-11-20")
    assert code == 0, err
    assert "growth plan" in out and "sums up what was agreed at the first meeting" in err


def test_no_conversation_script_for_a_closed_plan(project, capsys, monkeypatch):
    write(project, CLOSED_MET, COACHING_FILE)
    code, out, err = playbook(project, capsys, monkeypatch, "letter", COACHING_ID, "first-conversation", "--today", "2026-12-20")
    assert (code, out) == (1, "")
    assert "the plan closed on Mon 14 Dec 2026: there is no conversation left to hold" in err
    # Before the close, the same plan was running, and the script is there.
    code, out, err = playbook(project, capsys, monkeypatch, "letter", COACHING_ID, "first-conversation", "--today", "2026-11-20")
    assert code == 0, err


def test_no_shipped_plan_has_a_note_for_hr_in_any_letter_at_any_date(tmp_path, monkeypatch):
    """Every template, every shipped plan, a day a week over each plan's life and each day a fact is dated."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "plans", root / "plans")
    shutil.copytree(REPO / "playbook", root / "playbook")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    from generator.config import load_project
    from generator.audience import Audience
    from generator.render.letters import Letters

    project = load_project(root / "mkdocs.yml")
    letters = Letters(project.docs_dir / "templates")
    run = pipeline.prepare(project, today=date(2027, 6, 30), audience=Audience("all"))
    made = notes = 0
    for chosen in run.plans:
        plan = chosen.plan
        days = {plan.timetable.start + (plan.timetable.last_day - plan.timetable.start) * k // 10 for k in range(12)}
        days |= {entry.date for entry in plan.log} | {step.date for step in plan.escalation}
        for day in sorted(d for d in days if d <= run.today):
            view = as_of(plan, day)
            timeline = timeline_module.build_timeline(view, day)
            for template in letters.fitting(plan):
                ready, filled = letters.prepare(template.name, view, timeline, earlier=chosen.earlier)
                if filled is None:
                    continue
                made += 1
                notes += len(filled.notes)
                for text in (filled.body, filled.subject, filled.mailto()):
                    assert "FOR HR" not in text.upper().replace("%20", " "), (plan.id, template.name, day)
                    assert all(note not in text for note in filled.notes)
    assert made > 100


# --- one path for every command --------------------------------------------------------------------------------


BROKEN_ROSTER = "teams:\n  emea-west:\n    manager: Priya Shah\n"


def test_letter_and_agenda_fail_on_a_broken_roster_as_the_build_does(project, capsys, monkeypatch):
    write(project, WARNED)
    write(project, BROKEN_ROSTER, "plans/_roster.yaml")
    code, out, err = playbook(project, capsys, monkeypatch, "letter", PLAN_ID, "written-warning", "--today", "2026-12-20")
    assert (code, out) == (1, "") and "1 problem in the plans" in err
    code, out, err = playbook(project, capsys, monkeypatch, "agenda", "--today", "2026-12-20")
    assert (code, out) == (1, "")
    assert mkdocs_build(project / "mkdocs.yml", today="2026-12-20").returncode == 1


def test_agenda_for_a_manager_sees_what_that_managers_site_holds(project, capsys, monkeypatch):
    write(project, WARNED)
    write(project, COACHING, COACHING_FILE)
    code, out, _ = playbook(project, capsys, monkeypatch, "agenda", "--today", "2026-11-20", "--days", "30",
                            "--manager", "dana-brooks", "--format", "json")
    assert code == 0 and PLAN_ID not in out and COACHING_ID in out
    code, _, err = playbook(project, capsys, monkeypatch, "agenda", "--today", "2026-11-20", "--manager", "dana-brook")
    assert code == 2 and "did you mean `dana-brooks`?" in err


def test_one_timeline_per_plan_in_a_build_and_an_agenda(project, monkeypatch):
    """The check builds each plan's timeline as of today, and every later stage reads that one."""
    for name in ("emea-west/jordan-lee-pip-2026-11", "na-east/sam-rivera-coaching-2026-11",
                 "emea-west/alex-kim-growth-2026-11"):
        text = {"pip": WARNED, "coaching": COACHING, "growth": GROWTH}[name.split("-")[-3]]
        write(project, text, f"plans/{name}.yaml")
    built: list[str] = []
    original = timeline_module.build_timeline

    def counted(plan, *args, **kwargs):
        built.append(plan.id)
        return original(plan, *args, **kwargs)

    for module in ("generator.timeline", "generator.rules", "generator.build", "generator.readiness"):
        monkeypatch.setattr(f"{module}.build_timeline", counted)
    from generator.config import load_project
    from generator.audience import Audience
    from generator.agenda import collect

    project_ = load_project(project / "mkdocs.yml")
    outcome = pipeline.build(project_, today=date(2026, 12, 20), audience=Audience("all"))
    plans = sorted(chosen.plan.id for chosen in outcome.plans)
    assert outcome.site is not None and len(plans) == 3
    # The tool pages fill templates from the playbook's samples, which have timelines of their own.
    assert sorted(plan_id for plan_id in built if plan_id in plans) == plans
    built.clear()
    collect(project_, date(2026, 12, 20), 7)
    assert len(built) == 3 and len(set(built)) == 3
