"""The rule registry: every check `playbook check` makes, as data.

A rule is a small function with a stable code, a severity, a one-line summary and a docstring
that says why the rule exists and how to fix the plan. The site's rules reference is generated
from this registry, so the code and its documentation cannot drift apart.

Plan rules take one typed `Plan` and a `Context` and yield `(path, message)` pairs, where the
path names the offending value (`("milestones", 2, "date")`); the checker turns the path into a
file position. Repository rules see every plan at once. Input rules (PB1xx) are reported while
the file is read and validated; they are registered here for their documentation.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Iterator, Literal

from ..config import Policy
from ..asof import as_of
from ..model import Plan, PublicPlan
from ..timeline import Timeline, build_timeline

Severity = Literal["error", "warning"]
Located = tuple  # (path into the record, message), or (path, message, severity) for this finding only


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the plan: the policy, the date of "today", and each plan's timeline."""

    policy: Policy
    today: date
    _timelines: dict = field(default_factory=dict, compare=False, repr=False)

    def timeline(self, plan: Plan) -> Timeline:
        """What is due, done or missed in `plan` as of today: computed once, read by every rule, and handed
        on to the rest of the run (`CheckResult.timelines`). It is the timeline of the record as of today,
        redacted (`generator.asof`), so whatever reads it later sees no fact after today and no private text."""
        key = id(plan)
        if key not in self._timelines:
            view = as_of(PublicPlan.of(plan), self.today)
            self._timelines[key] = (plan, build_timeline(view, self.today, self.policy.acknowledgement_days))
        return self._timelines[key][1]

    def timeline_if_built(self, plan: Plan) -> Timeline | None:
        found = self._timelines.get(id(plan))
        return found[1] if found is not None and found[0] is plan else None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    scope: Literal["input", "plan", "repository", "base"]
    check: Callable | None = None
    error_when: str | None = None  # a yes/no policy value that makes this warning an error
    severity_note: str | None = None  # when the rule yields a severity of its own for some plans

    @property
    def anchor(self) -> str:
        return self.code.lower()

    def severity_under(self, policy: Policy) -> Severity:
        """The rule's severity as `policy` sets it."""
        return "error" if self.error_when and getattr(policy, self.error_when) else self.severity

    @property
    def severity_shown(self) -> str:
        """The severity as the rules reference and `playbook rules` show it."""
        if self.error_when:
            return f"{self.severity} (error with `{self.error_when}: true`)"
        return f"{self.severity} ({self.severity_note})" if self.severity_note else self.severity


REGISTRY: dict[str, Rule] = {}


def _register(rule: Rule) -> Rule:
    if rule.code in REGISTRY:  # pragma: no cover - a programming error caught at import
        raise ValueError(f"rule code {rule.code} registered twice")
    REGISTRY[rule.code] = rule
    _in_scope.cache_clear()
    return rule


def plan_rule(code: str, name: str, summary: str, severity: Severity = "error", error_when: str | None = None,
              severity_note: str | None = None):
    """Register a function `(plan, context) -> Iterable[(path, message)]` as a rule. `error_when` names a
    yes/no policy value (a field of `Policy`) under which a warning is an error. A rule whose severity
    depends on the plan yields `(path, message, severity)` and says when in `severity_note`."""
    if error_when is not None and Policy.model_fields[error_when].annotation is not bool:  # pragma: no cover
        raise ValueError(f"rule {code}: `{error_when}` is not a yes/no policy value")

    def decorate(function: Callable[[Plan, Context], Iterable[Located]]):
        _register(Rule(code, name, severity, summary, inspect.getdoc(function) or "", "plan", function, error_when,
                       severity_note))
        return function

    return decorate


def repository_rule(code: str, name: str, summary: str, severity: Severity = "error"):
    """Register a function `(plan_files, context) -> Iterable[(plan_file, path, message)]` as a rule."""

    def decorate(function):
        _register(Rule(code, name, severity, summary, inspect.getdoc(function) or "", "repository", function))
        return function

    return decorate


def input_rule(code: str, name: str, summary: str, doc: str) -> None:
    """Document a rule that the loader or the model enforces while a file is read."""
    _register(Rule(code, name, "error", summary, inspect.cleandoc(doc), "input"))


def base_rule(code: str, name: str, summary: str, doc: str) -> None:
    """Document a rule that `playbook check --base REV` enforces by comparing a plan with its version at REV."""
    _register(Rule(code, name, "error", summary, inspect.cleandoc(doc), "base"))


def rules(scope: str | None = None) -> Iterator[Rule]:
    """The rules of `scope` (every rule when None), in the order of their codes."""
    return iter(_in_scope(scope))


@functools.cache
def _in_scope(scope: str | None) -> tuple[Rule, ...]:
    """`rules(scope)`, sorted once rather than once a plan: the registry changes only as modules register."""
    return tuple(rule for code, rule in sorted(REGISTRY.items()) if scope is None or rule.scope == scope)


# Importing the modules fills the registry.
from . import amendments, criteria, escalation, input, people, repository, roster, timetable  # noqa: E402,F401
