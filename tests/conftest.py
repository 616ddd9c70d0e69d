"""Shared fixtures: the example plans the tests check against, one small valid plan per kind, and ways
to check a plan in-process (`generator.check.check_paths`) and through the real `playbook` command.

Each test takes a base plan, makes ONE change with `PlanText.change`, and asserts the code and the
line of what `playbook check` reports; `PlanText.line` finds the line of a snippet, so the expected
positions read from the YAML itself rather than from counted numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from generator.check import check_paths
from generator.config import Policy
from generator.findings import Finding
from sitekit import EXAMPLE_PLANS, Ran, in_process

TODAY = date(2026, 11, 20)  # the date the example plans are checked against


class PlanText(str):
    """The YAML text of a plan, with the two operations a test needs."""

    def change(self, old: str, new: str) -> "PlanText":
        """The plan with the one occurrence of `old` replaced by `new` (fails if `old` is not unique)."""
        count = self.count(old)
        assert count == 1, f"{old!r} occurs {count} times in the plan; make the change unambiguous"
        return PlanText(self.replace(old, new))

    def __add__(self, more: str) -> "PlanText":
        return PlanText(str(self) + more)

    def __radd__(self, before: str) -> "PlanText":
        return PlanText(before + str(self))

    def without(self, first_line: str) -> "PlanText":
        """The plan without the block that starts with the line `first_line` (and is indented under it)."""
        lines = self.splitlines(keepends=True)
        starts = [index for index, text in enumerate(lines) if text.rstrip("\n") == first_line]
        assert len(starts) == 1, f"{first_line!r} is not exactly one line of the plan"
        start = starts[0]
        indent = len(first_line) - len(first_line.lstrip())
        end = start + 1
        while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
            end += 1
        return PlanText("".join(lines[:start] + lines[end:]))

    def line(self, snippet: str) -> int:
        """The 1-based line of the one line that holds `snippet`."""
        lines = [number for number, text in enumerate(self.splitlines(), 1) if snippet in text]
        assert len(lines) == 1, f"{snippet!r} is on lines {lines}; make the snippet unambiguous"
        return lines[0]


# A formal PIP in its first week: signed, one check-in logged, no finding at all on TODAY.
PIP = PlanText("""\
kind: pip
status: active
person:
  name: Jordan Lee
  id: jordan-lee
  role: Account Executive
  team: emea-west
manager:
  name: Priya Shah
  id: priya-shah
hr_partner:
  name: Sam Ortiz
  id: sam-ortiz
diagnosis:
  cause: skill
  summary: Meetings stall between discovery and demo.
timetable:
  start: 2026-11-16
  days: 90
  check_ins:
    weekdays: [monday]
  reviews:
    - date: 2026-12-16
      title: 30-day review
    - date: 2027-02-14
      title: Final review
criteria:
  - id: discovery-to-demo
    metric: Discovery-to-demo conversion
    unit: "%"
    baseline: 18
    target: 30
    trigger:
      below: 24
      by: 2026-12-16
      then: written-warning
actions:
  - step: Review two recorded discovery calls a week with the manager.
    owner: person
    cadence: weekly
milestones:
  - date: 2026-12-16
    title: Discovery checklist in use
    targets: {discovery-to-demo: 24}
  - date: 2027-02-14
    title: Objectives met
    targets: {discovery-to-demo: 30}
escalation:
  - stage: conversation
    date: 2026-11-13
direct_reason: Weekly coaching since September, agreed at the first conversation, did not lift conversion.
consequences: A written warning may follow if the objectives are not met.
acknowledgement:
  person: 2026-11-16
  manager: 2026-11-16
log:
  - date: 2026-11-16
    kind: check-in
    note: Plan signed; agreed the week's call reviews.
""")

# A growth plan (Sales Improvement Program) with its history, one fortnightly check-in logged.
GROWTH = PlanText("""\
kind: growth
status: active
person:
  name: Alex Kim
  id: alex-kim
  role: Senior Account Executive
  team: emea-west
manager:
  name: Priya Shah
  id: priya-shah
timetable:
  start: 2026-11-16
  end: 2027-05-14
  check_ins:
    weekdays: [tuesday]
    every_weeks: 2
  reviews:
    - date: 2027-02-12
      title: Mid-point self-review
    - date: 2027-05-14
      title: Closing self-review
criteria:
  - id: multi-threading
    metric: Open opportunities with three or more engaged contacts
    unit: "%"
    baseline: 40
    target: 70
    history:
      - {period: 2026-Q3, value: 41, team: 27}
actions:
  - step: Map the buying committee for every opportunity above 50k.
    owner: person
milestones:
  - date: 2027-02-12
    title: Half the gap closed
    targets: {multi-threading: 55}
  - date: 2027-05-14
    title: Growth goals met
    targets: {multi-threading: 70}
log:
  - date: 2026-11-17
    kind: check-in
    note: Agreed the first three committee maps.
""")

# An informal coaching plan for an activity ("will") gap, two check-ins logged.
COACHING = PlanText("""\
kind: coaching
status: active
person:
  name: Sam Rivera
  id: sam-rivera
  role: Sales Development Representative
  team: na-east
manager:
  name: Dana Brooks
  id: dana-brooks
diagnosis:
  cause: will
  summary: Outbound activity fell to a third of the team's level.
timetable:
  start: 2026-11-16
  days: 28
  check_ins:
    weekdays: [monday, thursday]
  reviews:
    - date: 2026-12-14
      title: Four-week review
criteria:
  - id: outbound-calls
    metric: Outbound calls per day
    unit: calls
    baseline: 2
    target: 30
actions:
  - step: Follow the prospecting day outline.
    owner: person
    cadence: daily
milestones:
  - date: 2026-11-30
    title: Day plan followed for two weeks
    targets: {outbound-calls: 20}
  - date: 2026-12-14
    title: Activity at the agreed level
    targets: {outbound-calls: 30}
log:
  - {date: 2026-11-16, kind: check-in, note: Built the day outline together.}
  - {date: 2026-11-19, kind: check-in, note: 14 calls a day.}
""")

BASE_PLANS = {"pip": PIP, "growth": GROWTH, "coaching": COACHING}
FILE_NAMES = {
    "pip": "emea-west/jordan-lee-pip-2026-11.yaml",
    "growth": "emea-west/alex-kim-growth-2026-11.yaml",
    "coaching": "na-east/sam-rivera-coaching-2026-11.yaml",
}


@dataclass
class Report:
    """What `check_paths` found, with the questions tests ask of it."""

    findings: list[Finding]
    plan_files: list = field(default_factory=list)  # the plans that validated, as typed records

    @property
    def codes(self) -> set[str]:
        return {finding.code for finding in self.findings}

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    def lines(self, code: str) -> list[int]:
        """The lines where `code` was reported, in order."""
        return [finding.line for finding in self.findings if finding.code == code]

    def at(self, code: str) -> list[tuple[int, int]]:
        """The (line, col) positions where `code` was reported, in order."""
        return [(finding.line, finding.col) for finding in self.findings if finding.code == code]

    def only(self, code: str) -> Finding:
        """The one finding with `code` (fails if there are none or several)."""
        found = [finding for finding in self.findings if finding.code == code]
        assert len(found) == 1, f"expected one {code}, got {self.findings}"
        return found[0]


@pytest.fixture
def example_plans() -> Path:
    """The example plans the tests check against (tests/examples/plans): `good/` must pass and each file
    in `bad/` must fail where its first line says."""
    assert EXAMPLE_PLANS.is_dir(), f"the example plans are missing at {EXAMPLE_PLANS}"
    return EXAMPLE_PLANS


@pytest.fixture
def shared_examples(example_plans) -> Path:
    """`example_plans` under its first name, which older tests still use."""
    return example_plans


@pytest.fixture
def pip_plan() -> PlanText:
    return PIP


@pytest.fixture
def growth_plan() -> PlanText:
    return GROWTH


@pytest.fixture
def coaching_plan() -> PlanText:
    return COACHING


@pytest.fixture
def plans_dir(tmp_path) -> Path:
    path = tmp_path / "plans"
    path.mkdir()
    return path


@pytest.fixture
def write_plan(plans_dir):
    """Write plan text (str or bytes) under the tmp `plans/` folder; returns the file's path."""

    def write(text: str | bytes, name: str = FILE_NAMES["pip"]) -> Path:
        path = plans_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def check(write_plan):
    """Write one plan to a real file and check it in-process: `check(text)` -> Report.

    `others` maps further file names to plan texts written beside it (for the rules across plans).
    """

    def run(text: str | bytes, name: str | None = None, *, today: date = TODAY, policy: Policy | None = None,
            others: dict[str, str] | None = None) -> Report:
        if name is None:  # the habit: plans/<team>/<person>-<kind>-<yyyy-mm>.yaml
            kind = next((kind for kind in BASE_PLANS if str(text).startswith(f"kind: {kind}\n")), "pip")
            name = FILE_NAMES[kind]
        paths = [write_plan(text, name)]
        paths += [write_plan(other, other_name) for other_name, other in (others or {}).items()]
        result = check_paths(paths, policy or Policy(), today)
        return Report(result.findings, result.plan_files)

    return run


@pytest.fixture
def cli(tmp_path):
    """Run the `playbook` command in-process, in the test's tmp folder: `cli("check", "plans")`."""

    def run(*args, env: dict[str, str] | None = None, cwd: Path | None = None) -> Ran:
        return in_process(args, cwd or tmp_path, env)

    return run


@pytest.fixture(scope="session")
def playbook():
    """`playbook ARGS` in-process, for fixtures wider than one test."""
    return in_process
