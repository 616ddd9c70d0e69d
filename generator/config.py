"""One configuration for the CLI and the site: the `playbook` plugin's entry in `mkdocs.yml`.

    plugins:
      - playbook:
          plans_dir: plans
          today: 2026-11-20        # or PLAYBOOK_TODAY; default: the real date
          strict: false            # warnings fail the build too
          policy:
            pip_max_days: 90

Policy values are numbers a company may set differently; each rule reads them from here.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .model import WEEKDAYS, Weekday


class UsageError(Exception):
    """A problem with how the tool was called or configured (exit status 2)."""


class NewPlanDefaults(BaseModel):
    """What `playbook new` writes for one kind of plan."""

    model_config = ConfigDict(extra="forbid")

    days: int = Field(ge=1, le=3660)
    review_every_days: int = Field(ge=1, le=3660)
    check_in_weekdays: list[Weekday] = Field(min_length=1)
    check_in_every_weeks: int = Field(1, ge=1, le=52)


def _default_new() -> dict[str, NewPlanDefaults]:
    return {
        "pip": NewPlanDefaults(days=90, review_every_days=30, check_in_weekdays=["monday", "thursday"]),
        "coaching": NewPlanDefaults(days=28, review_every_days=14, check_in_weekdays=["monday", "thursday"]),
        "growth": NewPlanDefaults(days=180, review_every_days=90, check_in_weekdays=["tuesday"],
                                  check_in_every_weeks=2),
    }


class Policy(BaseModel):
    """Company policy the rules enforce. Every value has a default and can be set in `mkdocs.yml`."""

    model_config = ConfigDict(extra="forbid")

    pip_min_days: int = Field(30, ge=1, le=3660, description="A PIP shorter than this gives too little time to improve.")
    pip_max_days: int = Field(90, ge=1, le=3660, description="A PIP longer than this is no longer a plan but a sentence.")
    pip_extension_max_days: int = Field(
        30, ge=0, le=3660, description="How many days beyond `pip_max_days` an `extended` PIP may run.")
    pip_max_weeks_between_check_ins: int = Field(
        1, ge=1, le=52, description="A PIP meets at least this often: 1 means every week.")
    acknowledgement_days: int = Field(
        7, ge=0, le=3660, description="Both parties sign a PIP no later than this many days after its start.")
    max_file_bytes: int = Field(1024 * 1024, ge=1024, le=64 * 1024 * 1024, description="A plan file larger than this is refused.")
    new: dict[str, NewPlanDefaults] = Field(default_factory=_default_new)


class Settings(BaseModel):
    """The plugin's options, as the CLI and the plugin both read them."""

    model_config = ConfigDict(extra="forbid")

    plans_dir: str = "plans"
    today: date | None = None
    strict: bool = False
    policy: Policy = Field(default_factory=Policy)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for our key only: its other tags (`!ENV`, `!!python/name`) become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def plugin_options(config_path: Path) -> dict[str, Any]:
    """The options given to the `playbook` plugin in an mkdocs.yml (empty if it is not listed)."""
    try:
        with open(config_path, encoding="utf-8") as handle:
            config = yaml.load(handle, Loader=_ConfigLoader) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{config_path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{config_path}: not valid YAML: {exc}") from None
    plugins = config.get("plugins") if isinstance(config, dict) else None
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins or []:
        if entry == "playbook":
            return {}
        if isinstance(entry, dict) and "playbook" in entry:
            return dict(entry["playbook"] or {})
    return {}


def settings_from(options: dict[str, Any], source: str) -> Settings:
    try:
        return Settings.model_validate(options)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc']))}: {error['msg']}" for error in exc.errors()
        )
        raise UsageError(f"{source}: playbook plugin options: {problems}") from None


def load_settings(config_path: Path | None) -> Settings:
    """Settings from an mkdocs.yml, or the defaults when there is none."""
    if config_path is None:
        return Settings()
    return settings_from(plugin_options(config_path), str(config_path))


def resolve_today(given: date | str | None, configured: date | None = None) -> date:
    """Today for every date-dependent result: --today, then PLAYBOOK_TODAY, then config, then the clock."""
    for candidate, source in ((given, "--today"), (os.environ.get("PLAYBOOK_TODAY"), "PLAYBOOK_TODAY")):
        if candidate in (None, ""):
            continue
        if isinstance(candidate, date):
            return candidate
        try:
            return date.fromisoformat(candidate.strip())
        except ValueError:
            raise UsageError(f"{source}: `{candidate}` is not a date (use YYYY-MM-DD)") from None
    return configured or date.today()


__all__ = ["Policy", "Settings", "UsageError", "WEEKDAYS", "load_settings", "resolve_today"]
