"""Letters state only what the record shows: `playbook letter` and `playbook pdf` against small plans
whose facts are worked out by hand.

The plan below is the base PIP (start Monday 2026-11-16, 90 days, Monday check-ins) with a second
criterion, a declined signature and a recorded agreement email. At the 30-day review on Wednesday
2026-12-16, discovery-to-demo conversion was 20% (its line: below 24%, then a written warning);
qualified meetings were 3, but that trigger (below 4, then a final warning) is judged only at the
final review on 2027-02-14.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import COACHING, GROWTH, PIP, PlanText
from sitekit import EXAMPLE_PLANS, REPO

TWO_TRIGGERS = (PIP
                .change("      then: written-warning\n", "      then: written-warning\n"
                        "  - id: qualified-meetings\n    metric: Qualified first meetings per week\n"
                        "    unit: meetings\n    baseline: 3\n    target: 5\n    trigger:\n"
                        "      below: 4\n      by: 2027-02-14\n      then: final-warning\n")
                .change("    targets: {discovery-to-demo: 24}", "    targets: {discovery-to-demo: 24, qualified-meetings: 4}")
                .change("    targets: {discovery-to-demo: 30}", "    targets: {discovery-to-demo: 30, qualified-meetings: 5}")
                .change("  person: 2026-11-16\n", "  person: {declined: 2026-11-16, witness: sam-ortiz}\n")
                .change("    date: 2026-11-13\n", "    date: 2026-11-13\n  - stage: agreement-email\n    date: 2026-11-14\n")
                .change("consequences:", "support:\n  - {what: Call review with the sales director, date: 2026-11-20}\n"
                        "  - {what: Seat in the January discovery workshop, date: 2027-01-20}\n"
                        "  - Weekly pipeline review\nconsequences:"))
REVIEWED = TWO_TRIGGERS + ("  - date: 2026-12-16\n    kind: review\n    note: 30-day review.\n"
                           "    results: {discovery-to-demo: 20, qualified-meetings: 3}\n")
PLAN_ID = "jordan-lee-pip-2026-11"
RELATIVE = re.compile(r"\bin \d+ days?\b|\btomorrow\b|\byesterday\b|\bnext (week|month)\b|\blast (week|month)\b|"
                      r"\bdays? ago\b", re.IGNORECASE)


@pytest.fixture
def project(tmp_path):
    """A project folder as a user has it, and a way to write its plans."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")

    def write(text: str, name: str = f"emea-west/{PLAN_ID}.yaml") -> Path:
        path = tmp_path / "plans" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return tmp_path

    return write


def letter(cli, root, template, today, plan=PLAN_ID, *more):
    return cli("letter", plan, template, "--today", today, *more, cwd=root)


def section(text: str, heading: str) -> str:
    """The text under a heading in capitals, up to the next one."""
    start = text.index(heading) + len(heading)
    following = re.search(r"\n[A-Z][A-Z ,'’-]{3,}\n", text[start:])
    return text[start:start + following.start()] if following else text[start:]


def test_a_written_warning_names_only_the_trigger_crossed_at_a_held_review(project, cli):
    result = letter(cli, project(REVIEWED), "written-warning", "2026-12-17")
    assert result.returncode == 0, result.stderr
    why = section(result.stdout, "WHY THIS WARNING IS GIVEN")
    assert "Discovery-to-demo conversion" in why and "20%" in why and "Wednesday 16 December 2026" in why
    assert "Qualified first meetings per week" not in why  # its trigger is not due until the final review
    assert "Date: Thursday 17 December 2026" in result.stdout
    assert "Qualified first meetings per week: below 4 meetings at the final review on Sunday 14 February 2027" \
        in result.stdout


def test_a_warning_before_the_review_that_decides_it_is_not_offered(project, cli):
    root = project(TWO_TRIGGERS)
    result = letter(cli, root, "written-warning", "2026-12-15")
    assert result.returncode == 1 and result.stdout == ""
    assert "judged at the review on Wed 16 Dec 2026" in result.stderr
    # The review is due today and not yet logged: still not offered.
    assert letter(cli, root, "written-warning", "2026-12-16").returncode == 1


def test_a_declined_signature_is_named_as_declined_with_its_witness(project, cli):
    result = letter(cli, project(REVIEWED), "written-warning", "2026-12-17")
    steps = section(result.stdout, "THE STEPS TAKEN SO FAR")
    assert "Monday 16 November 2026: Jordan Lee declined to sign the plan, in front of a witness (Sam Ortiz)" in steps
    assert "Monday 16 November 2026: plan signed by Priya Shah" in steps
    assert "acknowledged by both" not in result.stdout and "signed by Jordan" not in result.stdout


def test_steps_are_the_recorded_escalation_dates(project, cli):
    steps = section(letter(cli, project(REVIEWED), "written-warning", "2026-12-17").stdout, "THE STEPS TAKEN SO FAR")
    lines = [line.strip("- ") for line in steps.strip().splitlines() if line.startswith("- ")]
    assert lines == ["Friday 13 November 2026: conversation held", "Saturday 14 November 2026: agreement email sent",
                     "Monday 16 November 2026: Jordan Lee declined to sign the plan, in front of a witness (Sam Ortiz)",
                     "Monday 16 November 2026: plan signed by Priya Shah", "Wednesday 16 December 2026: 30-day review held"]


def test_support_counts_only_what_was_given_by_the_letters_date(project, cli):
    support = section(letter(cli, project(REVIEWED), "written-warning", "2026-12-17").stdout, "THE SUPPORT GIVEN SO FAR")
    given, _, agreed = support.partition("The plan also provides for")
    assert "1 check-in held, as logged" in given
    assert "Call review with the sales director" in given
    # Dated 2027-01-20: the record as of the letter's date does not hold it, given or agreed.
    assert "January discovery workshop" not in support
    assert "Weekly pipeline review" in agreed


def test_a_final_warning_asked_for_before_any_written_warning_is_refused(project, cli):
    final_review = REVIEWED + ("  - date: 2027-02-14\n    kind: review\n    note: Final review.\n"
                               "    results: {discovery-to-demo: 25, qualified-meetings: 3}\n")
    root = project(final_review)
    result = letter(cli, root, "final-warning", "2027-02-14")
    assert result.returncode == 1
    assert "a final warning comes only after a written warning is recorded" in result.stderr
    recorded = final_review.change("    date: 2026-11-14\n",
                                   "    date: 2026-11-14\n  - stage: written-warning\n    date: 2026-12-18\n")
    result = letter(cli, project(recorded), "final-warning", "2027-02-14")
    assert result.returncode == 0, result.stderr
    assert "Friday 18 December 2026" in result.stdout  # the written warning it follows


def test_a_sent_letter_is_dated_and_filled_as_of_the_day_it_was_sent(project, cli):
    sent = REVIEWED.change("    date: 2026-11-14\n", "    date: 2026-11-14\n  - stage: written-warning\n    date: 2026-12-18\n")
    later = sent + ("  - date: 2027-01-04\n    kind: check-in\n    note: Pipeline review.\n"
                    "    results: {discovery-to-demo: 27}\n")
    result = letter(cli, project(later), "written-warning", "2027-01-10")
    assert result.returncode == 0, result.stderr
    assert "Date: Friday 18 December 2026" in result.stdout
    assert "27%" not in result.stdout and "4 January 2027" not in result.stdout
    assert "sent on Fri 18 Dec 2026" in result.stderr



def test_a_letter_keeps_the_templates_text_and_the_plans_values_exactly_as_written(project, cli):
    """Neither HR's own words in a template nor a value from the plan is read as HTML: `&para`, `&amp;` and `<b>`
    reach the letter, its subject and its note for HR as they were typed."""
    root = project(REVIEWED.change("  name: Jordan Lee\n", "  name: Jordan &amp; Lee <b>\n"))
    template = root / "playbook" / "templates" / "agreement-email.md"
    text = template.read_text(encoding="utf-8")
    text = text.replace('subject: "Our agreed plan, ', 'subject: "Q&A &para; our agreed plan, ')
    text = text.replace("Hi {{ plan.person.first_name }},", "Hi {{ plan.person.name }}, Q&A: terms&para; fish &chips "
                        "&amp; more &not; here.{% filter note_for_hr %}Check &lt;this&gt; first{% endfilter %}")
    template.write_text(text, encoding="utf-8")
    result = letter(cli, root, "agreement-email", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert "Hi Jordan &amp; Lee <b>, Q&A: terms&para; fish &chips &amp; more &not; here." in result.stdout
    assert "Q&A &para; our agreed plan, Jordan" in result.stdout
    assert "Check &lt;this&gt; first" in result.stdout + result.stderr

def test_growth_plans_have_no_warning_letters(project, cli):
    root = project(GROWTH, "emea-west/alex-kim-growth-2026-11.yaml")
    result = letter(cli, root, "written-warning", "2026-12-17", "alex-kim-growth-2026-11")
    assert result.returncode == 1 and "for pip plans" in result.stderr


def test_unknown_plans_and_templates_exit_2(project, cli):
    root = project(REVIEWED)
    result = letter(cli, root, "written-warning", "2026-12-17", "jordan-lee-pip-2026-12")
    assert result.returncode == 2 and "did you mean `jordan-lee-pip-2026-11`" in result.stderr
    result = letter(cli, root, "warning", "2026-12-17")
    assert result.returncode == 2 and "written-warning" in result.stderr and "Traceback" not in result.stderr


def test_the_shared_example_is_not_due_for_a_written_warning_on_2026_11_20(cli, tmp_path):
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    shutil.copytree(EXAMPLE_PLANS / "good", tmp_path / "plans")
    result = letter(cli, tmp_path, "written-warning", "2026-11-20", "jordan-lee-pip-2026-10")
    assert result.returncode == 1 and result.stdout == ""
    assert "not due" in result.stderr and "Fri 4 Dec 2026" in result.stderr


@pytest.mark.parametrize("template, plan, today", [
    ("written-warning", REVIEWED, "2026-12-17"),
    ("plan-document", REVIEWED, "2026-12-17"),
    ("agreement-email", REVIEWED, "2026-12-17"),
    ("presenting-a-pip", REVIEWED, "2026-12-17"),
    ("check-in-note", REVIEWED, "2026-12-17"),
    ("performance-report", REVIEWED, "2026-12-17"),
])
def test_letters_and_documents_use_absolute_dates_only(project, cli, template, plan, today):
    result = letter(cli, project(plan), template, today)
    assert result.returncode == 0, result.stderr
    assert not RELATIVE.search(result.stdout), RELATIVE.search(result.stdout).group(0)


def test_formats_markdown_and_html_carry_the_same_letter(project, cli):
    root = project(REVIEWED)
    text = letter(cli, root, "written-warning", "2026-12-17").stdout
    markdown = letter(cli, root, "written-warning", "2026-12-17", PLAN_ID, "--format", "markdown").stdout
    html = letter(cli, root, "written-warning", "2026-12-17", PLAN_ID, "--format", "html").stdout
    assert markdown.startswith("# Written warning") and "in front of a witness (Sam Ortiz)" in markdown
    assert html.startswith("<!DOCTYPE html>") and "in front of a witness (Sam Ortiz)" in html
    assert text.split("\n\n", 1)[1].split("\n")[0] in markdown


# --------------------------------------------------------------------------------------------
# The plan document, and its PDF
# --------------------------------------------------------------------------------------------

COACHING_BEFORE = (COACHING.change("  name: Sam Rivera\n  id: sam-rivera", "  name: Jordan Lee\n  id: jordan-lee")
                   .change("  team: na-east", "  team: emea-west")
                   .change("  name: Dana Brooks\n  id: dana-brooks", "  name: Priya Shah\n  id: priya-shah")
                   .change("  start: 2026-11-16\n  days: 28", "  start: 2026-10-12\n  days: 28")
                   .change("  - date: 2026-12-14\n      title: Four-week review", "  - date: 2026-11-09\n      title: Four-week review")
                   .change("  - date: 2026-11-30\n    title: Day plan", "  - date: 2026-10-26\n    title: Day plan")
                   .change("  - date: 2026-12-14\n    title: Activity", "  - date: 2026-11-09\n    title: Activity")
                   .without("log:")
                   .change("status: active", "status: closed")
                   + "outcome:\n  date: 2026-11-09\n  result: escalated\n  decision: retained\n")
TERMINATION = "consequences: Further action may follow, up to and including termination of employment.\n"
DOCUMENT = (PlanText("kind: pip\nfollows: jordan-lee-coaching-2026-10\n") + REVIEWED.removeprefix("kind: pip\n")
            ).change("consequences: A written warning may follow if the objectives are not met.\n", TERMINATION)


def test_the_plan_document_holds_every_part_hr_needs(project, cli):
    project(COACHING_BEFORE, "emea-west/jordan-lee-coaching-2026-10.yaml")
    root = project(DOCUMENT)
    result = letter(cli, root, "plan-document", "2026-11-16")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    # An introduction, and the informal plan that came before, with its dates.
    assert "Meetings stall between discovery and demo." in text
    assert "Monday 12 October 2026" in text and "Monday 9 November 2026" in text
    # The length and the dates: `days: 90` from 16 November ends on 14 February, the 91st calendar day.
    assert "runs from Monday 16 November 2026 to Sunday 14 February 2027, 91 calendar days." in text
    assert "90 days" not in text
    # Objectives with baselines, targets and triggers.
    assert "from 18% at the start of the plan to 30%" in text and "below 24%" in text
    assert "from 3 meetings" in text and "below 4 meetings" in text
    # Support and the meeting schedule.
    assert "Weekly pipeline review" in text and "Check-ins on Monday, every week" in text
    assert "Wednesday 16 December 2026: 30-day review" in text
    # Consequences in HR's wording, comments, and three signature lines.
    assert "up to and including termination of employment" in text
    assert "COMMENTS" in text
    for who in ("Employee: Jordan Lee", "Manager: Priya Shah", "HR partner: Sam Ortiz"):
        assert re.search(rf"{who}\s+Signature: _+\s+Date: _+", text), who


def test_the_pdf_holds_the_document_and_never_leaves_the_signatures_alone(project, cli, tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pip install -e '.[test]' installs pypdf")
    pytest.importorskip("weasyprint", reason="pip install -e '.[test]' installs WeasyPrint")
    project(COACHING_BEFORE, "emea-west/jordan-lee-coaching-2026-10.yaml")
    root = project(DOCUMENT)
    output = tmp_path / "plan.pdf"
    result = cli("pdf", PLAN_ID, "-o", output, "--today", "2026-11-16", cwd=root)
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in pypdf.PdfReader(output).pages]
    text = "\n".join(pages)
    for expected in ("PERFORMANCE IMPROVEMENT PLAN", "Jordan Lee", "91 calendar", "up to and including termination",
                     "Employee: Jordan Lee", "HR partner: Sam Ortiz"):
        assert expected in text, expected
    assert not RELATIVE.search(text)
    signatures = next(index for index, page in enumerate(pages) if "SIGNATURES" in page)
    page = pages[signatures]
    assert "CONSEQUENCES" in page and "COMMENTS" in page, "the signatures are not on the page of the terms they sign"
    assert "Search" not in text and "Table of contents" not in text  # the document, not the site around it


# What HR's form holds beyond the terms: when it was issued, which version, the steps before it, how each
# number is read, what follows success, and the rights the law gives.

MEASURED = DOCUMENT.change("    target: 30\n", "    target: 30\n    measure:\n"
                           "      source: CRM opportunity report\n"
                           "      period: each calendar month\n"
                           "      counted: discovery calls held that led to a demo within 21 days\n")
AMENDED = MEASURED + ("amendments:\n  - date: 2026-12-18\n    summary: Demo window counted as 30 days, not 21.\n"
                      "    changes: [criteria]\n    acknowledgement: {person: 2026-12-18, manager: 2026-12-19}\n")
STRAIGHT_TO_PIP = REVIEWED.change("consequences: A written warning may follow if the objectives are not met.\n",
                                  TERMINATION)


def test_the_plan_document_says_when_it_was_issued_and_which_version_it_is(project, cli):
    project(COACHING_BEFORE, "emea-west/jordan-lee-coaching-2026-10.yaml")
    root = project(AMENDED)
    before = letter(cli, root, "plan-document", "2026-12-17").stdout
    after = letter(cli, root, "plan-document", "2026-12-21").stdout

    assert "Issued: Thursday 17 December 2026" in before
    assert "Version: 1, in force from Monday 16 November 2026" in before and "VERSION HISTORY" not in before
    assert "Version: 2, in force from Friday 18 December 2026" in after
    history = section(after, "VERSION HISTORY")
    assert "Version 2, Friday 18 December 2026: Demo window counted as 30 days, not 21. It changes the criteria." \
        in history
    assert "signed by Priya Shah on Saturday 19 December 2026" in history


def test_the_plan_document_states_how_each_number_is_measured(project, cli):
    project(COACHING_BEFORE, "emea-west/jordan-lee-coaching-2026-10.yaml")
    objectives = section(letter(cli, project(MEASURED), "plan-document", "2026-11-16").stdout, "OBJECTIVES")

    assert ("How it is measured. Source: CRM opportunity report. Period: each calendar month. "
            "What counts: discovery calls held that led to a demo within 21 days.") in objectives


def test_a_pip_with_no_coaching_plan_before_it_lists_the_earlier_steps_and_the_reason(project, cli):
    text = letter(cli, project(STRAIGHT_TO_PIP), "plan-document", "2026-11-16").stdout

    earlier = section(text, "EARLIER STEPS")
    assert "- Friday 13 November 2026: conversation held" in earlier
    assert "- Saturday 14 November 2026: agreement email sent" in earlier
    assert "No informal coaching plan came before this one. The reason: Weekly coaching since September" in earlier
    assert "EARLIER STEPS" not in letter(cli, project(DOCUMENT), "plan-document", "2026-11-16").stdout  # it followed one


def test_the_plan_document_says_what_follows_success_and_the_rights_the_law_gives(project, cli):
    text = letter(cli, project(STRAIGHT_TO_PIP), "plan-document", "2026-11-16").stdout

    assert "The improvement has to last" in section(text, "WHEN THE OBJECTIVES ARE MET")
    rights = section(text, "YOUR RIGHTS")
    assert "bring a companion" in rights and "may appeal" in rights and "speak to Sam Ortiz" in rights
    assert text.startswith("PERFORMANCE IMPROVEMENT PLAN\n") and "CONFIDENTIAL" in text
    assert text.index("CONSEQUENCES") < text.index("SIGNATURES")


def test_the_printed_plan_has_a_running_header_page_numbers_and_its_kind_as_title(project, cli, tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pip install -e '.[test]' installs pypdf")
    pytest.importorskip("weasyprint", reason="pip install -e '.[test]' installs WeasyPrint")
    output = tmp_path / "plan.pdf"
    result = cli("pdf", PLAN_ID, "-o", output, "--today", "2026-11-16", cwd=project(STRAIGHT_TO_PIP))
    assert result.returncode == 0, result.stderr

    reader = pypdf.PdfReader(output)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert f"Jordan Lee · {PLAN_ID}" in page and "Confidential" in page, number
        assert f"Page {number} of {len(pages)}" in page
    assert reader.metadata.title == "Performance improvement plan: Jordan Lee"


def test_a_name_cannot_break_out_of_the_running_header(project, cli):
    hostile = STRAIGHT_TO_PIP.change("  name: Jordan Lee\n", '  name: "Jo \\" } </style><b>x</b>"\n')
    result = letter(cli, project(hostile), "plan-document", "2026-11-16", PLAN_ID, "--format", "html")
    assert result.returncode == 0, result.stderr
    html = result.stdout

    assert "Jo &quot; } &lt;/style&gt;&lt;b&gt;x&lt;/b&gt;" in html  # shown as written, in the body
    style = html[html.index("<style>"):html.index("</style>")]
    assert "</style><b>" not in html and "<b>x" not in html
    assert '"' not in style.split("@top-left", 1)[1].split("content:", 1)[1].split(";", 1)[0].strip()[1:-1]


# --------------------------------------------------------------------------------------------
# What a letter prints is inert: no fence closes early, no terminal control reaches the screen
# --------------------------------------------------------------------------------------------

FENCED = DOCUMENT.change("  summary: Meetings stall between discovery and demo.\n",
                         '  summary: "Meetings stall.\\n```\\n<img src=x onerror=alert(1)>\\n# Fired\\n````` x"\n')
ESCAPES = DOCUMENT.change("  name: Jordan Lee\n", '  name: "Jordan\\e[2J\\e]0;pwned\\a \\u202eeeL"\n')


def test_a_markdown_letter_is_one_fence_whatever_backticks_its_text_holds(project, cli):
    import markdown

    root = project(FENCED)
    project(COACHING_BEFORE, "emea-west/jordan-lee-coaching-2026-10.yaml")
    result = letter(cli, root, "plan-document", "2026-12-17", PLAN_ID, "--format", "markdown")

    assert result.returncode == 0, result.stderr
    html = markdown.markdown(result.stdout, extensions=["pymdownx.superfences"])
    assert "<img" not in html and "<h1>Fired" not in html
    assert html.count("<pre") == 1 and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "````` x" in html


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_a_letter_on_a_terminal_shows_control_and_bidi_characters_escaped(project, cli, form):
    root = project(ESCAPES)
    project(COACHING_BEFORE.change("  name: Jordan Lee\n", '  name: "Jordan\\e[2J\\e]0;pwned\\a \\u202eeeL"\n'),
            "emea-west/jordan-lee-coaching-2026-10.yaml")
    result = letter(cli, root, "plan-document", "2026-12-17", PLAN_ID, "--format", form)

    assert result.returncode == 0, result.stderr
    written = result.stdout + result.stderr
    assert not any(c in written for c in "\x1b\x07\u202e"), written
    assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout
