"""The roster, `plans/_roster.yaml`: who is in which team, and who may open which site.

    people:                    # optional: each person, manager or HR partner, by id
      priya-shah: {identity: priya.shah@example.com}
      jordan-lee: {identity: jordan.lee@example.com}
    teams:
      emea-west:
        manager: priya-shah
        name: EMEA West        # optional: how pages name the team
        members: [jordan-lee, alex-kim]
    hr: [hr-team@example.com]  # optional: the identities that open every site

The teams let the dashboard show who has no growth plan; the identities (what the sign-on passes
on: an e-mail address or a subject) are read by `playbook access` only, and never published.

It is optional. Files whose names start with `_` are not plans, so `playbook check` does not read
it as one; it is read here with the same loader, and a problem in it is a located finding (PB119,
PB120 for an identity that is not one, PB121 for an identity given twice).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .audience import Audience
from .findings import Finding
from .load import LoadError, Problem, load_file
from .model import Roster

ROSTER_FILE = "_roster.yaml"


def read_roster(plans_dir: Path, shown: Path, max_bytes: int,
                root: Path | None = None) -> tuple[Roster | None, list[Finding]]:
    """The roster in `plans_dir`, if there is one, and the problems found in it. Like a plan, it is
    refused unread when it is a link out of `root` (the project) or not a regular file."""
    path = plans_dir / ROSTER_FILE
    if not path.exists():
        return None, []
    where = str(shown / ROSTER_FILE)
    try:
        document = load_file(path, max_bytes=max_bytes, root=root)
    except LoadError as exc:
        problem = exc.problem
        return None, [Finding(where, problem.line, problem.col, "PB119", "error", f"roster: {problem.message}")]
    except OSError as exc:
        return None, [Finding(where, 1, 1, "PB119", "error", f"roster: cannot read: {exc.strerror or exc}")]
    findings = [Finding(where, p.line, p.col, "PB119", "error", f"roster: {_unquoted(p)}") for p in document.problems]
    try:
        roster = Roster.model_validate(document.data)
    except ValidationError as exc:
        for error in exc.errors(include_input=False):
            path_ = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
            line, col = document.where(path_)
            code = error["type"] if error["type"].startswith("PB") else "PB119"
            findings.append(Finding(where, line, col, code, "error",
                                    f"roster: {_dotted(path_) or 'the file'}: {error['msg']}"))
        return None, findings
    for path_, message in _shared_identities(roster):
        line, col = document.where(path_)
        findings.append(Finding(where, line, col, "PB121", "error", f"roster: {_dotted(path_)}: {message}"))
    return (None, sorted(findings)) if findings else (roster, [])


def _dotted(path: tuple) -> str:
    return ".".join(map(str, path))


def _shared_identities(roster: Roster):
    """(path, message) for each identity the roster gives a second time, compared ignoring case.

    The message names where the identity was first given, never the identity itself."""
    first: dict[str, tuple] = {}
    for person_id, person in roster.people.items():
        if person.identity is None:
            continue
        path = ("people", person_id, "identity")
        seen = first.setdefault(person.identity.lower(), path)
        if seen != path:
            yield path, f"the same identity as `{_dotted(seen)}`: an identity opens one person's sites"
    hr_seen: dict[str, int] = {}
    for index, identity in enumerate(roster.hr):
        earlier = hr_seen.setdefault(identity.lower(), index)
        if earlier != index:
            yield ("hr", index), f"the same identity as `hr.{earlier}`: list each HR identity once"


def _unquoted(problem: Problem) -> str:
    """A problem with one of the roster's values, named by its rule rather than by the value (the
    roster is not a plan, and a finding repeats none of its content)."""
    if problem.path is None:
        return problem.message
    from .rules import REGISTRY

    summary = REGISTRY[problem.code].summary
    return f"{summary[0].lower()}{summary[1:]}"


def members_for(roster: Roster | None, audience: Audience) -> list[str] | None:
    """The roster's people this audience may see (None without a roster)."""
    if roster is None:
        return None
    if audience.kind == "all":
        teams = roster.teams.values()
    elif audience.kind == "team":
        teams = [roster.teams[audience.id]] if audience.id in roster.teams else []
    elif audience.kind == "manager":
        teams = [team for team in roster.teams.values() if team.manager == audience.id]
    else:
        return None
    return sorted({member for team in teams for member in team.members})
