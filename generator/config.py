"""One configuration for the CLI and the site: the `playbook` plugin's entry in `mkdocs.yml`.

    plugins:
      - playbook:
          plans_dir: plans
          audience: all            # or PLAYBOOK_AUDIENCE; see generator.audience
          today: 2026-11-20        # or PLAYBOOK_TODAY; default: the real date
          strict: false            # warnings fail the build too
          policy:
            pip_max_days: 90

The options are declared once, in `Settings`; the MkDocs plugin takes the same names. The CLI
reads `mkdocs.yml` with MkDocs's own YAML loader, so `INHERIT:` and `!ENV` mean to `playbook
check` what they mean to `mkdocs build`, and it finds the file by walking up from the working
folder, as git finds its repository. Policy values are numbers a company may set differently;
each rule reads them from here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from .audience import Audience
from .dates import parse_day
from .model import WEEKDAYS, Kind, Weekday
from .workdays import WorkingCalendar, supported_countries

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class UsageError(Exception):
    """A problem with how the tool was called or configured (exit status 2)."""


class NewPlanDefaults(BaseModel):
    """What `playbook new` writes for one kind of plan."""

    model_config = ConfigDict(extra="forbid")

    days: int = Field(ge=1, le=3660)
    review_every_days: int = Field(ge=1, le=3660)
    check_in_weekdays: list[Weekday] = Field(min_length=1)
    check_in_every_weeks: int = Field(1, ge=1, le=52)


NEW_PLAN_DEFAULTS: dict[str, dict[str, Any]] = {
    "pip": {"days": 90, "review_every_days": 30, "check_in_weekdays": ["monday", "thursday"]},
    "coaching": {"days": 28, "review_every_days": 14, "check_in_weekdays": ["monday", "thursday"]},
    "growth": {"days": 180, "review_every_days": 90, "check_in_weekdays": ["tuesday"], "check_in_every_weeks": 2},
}


class Holidays(BaseModel):
    """The company's calendar of days off: a country's weekend and public holidays."""

    model_config = ConfigDict(extra="forbid")

    country: str = Field(description="The country, as its ISO 3166 code: GB, US, DE, ...")
    subdivision: str | None = Field(None, description="A state, province or nation within it: ENG, CA, BY, ...")

    @field_validator("country", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        if isinstance(value, bool):  # YAML 1.1 reads NO (Norway) as false
            raise ValueError("write the country code in quotes: YAML reads NO as false")
        return value

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if value.upper() not in supported_countries():
            raise ValueError(f"`{value}` is not an ISO 3166 country code the holidays package knows")
        return value.upper()

    @field_validator("subdivision")
    @classmethod
    def _known_subdivision(cls, value: str | None, info) -> str | None:
        country = info.data.get("country")
        if value is None or country is None:
            return value
        known = supported_countries()[country]
        if value.upper() not in known:
            raise ValueError(f"`{value}` is not a subdivision of {country}: one of {', '.join(known)}")
        return value.upper()


_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class ListBounds(BaseModel):
    """How many items each of a plan's long lists may hold: every later stage (the timeline, the
    pages, the calendar) does work for each item, so a bound on the count keeps it in seconds."""

    model_config = ConfigDict(extra="forbid")

    reviews: int = Field(500, ge=1, le=100_000)
    milestones: int = Field(500, ge=1, le=100_000)
    criteria: int = Field(500, ge=1, le=100_000)
    log: int = Field(5000, ge=1, le=100_000)


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
    retention_days: int = Field(
        730, ge=1, le=36600,
        description="A closed plan leaves every build this many days after its outcome date, and "
                    "`playbook check` warns that it is due for deletion or archiving.")
    pip_requires_earlier_plan: bool = Field(
        False, description="When true, a PIP with neither `follows` (the coaching plan before it) nor a "
                           "`direct_reason` is an error (PB411), not a warning.")
    special_category_words: list[Annotated[str, StringConstraints(min_length=1, max_length=80)]] = Field(
        [], max_length=500,
        description="Words or phrases, besides the built-in list, that mark special-category personal data in a "
                    "plan (PB410): for example a local word for a health condition.")
    max_file_bytes: int = Field(1024 * 1024, ge=1024, le=64 * 1024 * 1024, description="A plan file larger than this is refused.")
    max_list_items: ListBounds = Field(
        default_factory=ListBounds,
        description="The most reviews, milestones, criteria and log entries one plan may hold; a longer list is "
                    "refused (PB122) at its first item past the bound.")
    witness_may_be_manager: bool = Field(
        False, description="Whether the manager who runs a plan may witness the employee's refusal to sign it (PB412).")
    new: dict[Kind, NewPlanDefaults] = Field(default_factory=lambda: {kind: NewPlanDefaults(**values) for kind, values
                                                                       in NEW_PLAN_DEFAULTS.items()},
                                             description="What `playbook new` writes, per kind of plan.")
    holidays: Holidays | None = Field(
        None, description="The company's days off, `{country: GB, subdivision: ENG}`: `playbook new` puts reviews "
                          "and milestones on working days, and PB211 warns about a meeting on a day off.")
    check_in_time: str | None = Field(
        None, description="The time check-ins start, `HH:MM`: calendars then hold them as timed events "
                          "(with `timezone`) instead of all-day ones.")
    timezone: str | None = Field(None, description="The IANA time zone of `check_in_time`, e.g. Europe/London.")

    @field_validator("check_in_time")
    @classmethod
    def _clock_time(cls, value: str | None) -> str | None:
        if value is not None and not _CLOCK.fullmatch(value):
            raise ValueError(f"`{value}` is not a time of day: use HH:MM, e.g. 09:30")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"`{value}` is not an IANA time zone, e.g. Europe/London") from None
        return value

    @model_validator(mode="after")
    def _time_with_zone(self) -> "Policy":
        if (self.check_in_time is None) != (self.timezone is None):
            raise ValueError("give `check_in_time` and `timezone` together")
        return self

    @property
    def calendar(self) -> WorkingCalendar:
        """The working days the rules and `playbook new` go by."""
        given = self.holidays
        return WorkingCalendar.of(given.country, given.subdivision) if given else WorkingCalendar()

    @property
    def check_in_clock(self) -> tuple[time, str] | None:
        """When check-ins start and in which zone, if the policy says."""
        if self.check_in_time is None or self.timezone is None:
            return None
        hours, minutes = map(int, self.check_in_time.split(":"))
        return time(hours, minutes), self.timezone

    @field_validator("new", mode="before")
    @classmethod
    def _over_the_defaults(cls, given: Any) -> Any:
        """`new: {growth: {days: 120}}` changes that one value; every other kind and value keeps its default."""
        if not isinstance(given, dict):
            return given
        merged: dict[Any, Any] = {kind: dict(values) for kind, values in NEW_PLAN_DEFAULTS.items()}
        for kind, values in given.items():
            if isinstance(values, dict) and kind in merged:
                merged[kind].update(values)
            else:
                merged[kind] = values  # an unknown kind or a non-mapping: the model says what is wrong
        return merged


class Settings(BaseModel):
    """The plugin's options, as the CLI and the plugin both read them: declared here and only here."""

    model_config = ConfigDict(extra="forbid")

    plans_dir: str = "plans"
    audience: str = "all"
    today: date | None = None
    strict: bool = False
    # The shipped playbook's pages (guide, tools, coaching, reference) in the site. False: only the site's
    # own pages and the plan pages; the shipped templates still fill the plans' letters.
    pages: bool = True
    # Where released playbook versions are published (`mike deploy`), e.g. "/" for the host the site is
    # served from: a plan page links to <versions_url><playbook_version>/. Unset, no host is known to
    # hold the releases, and the page names the version without a link (which would be a 404).
    versions_url: str | None = None
    # Worker processes a build renders its plan pages on (from 200 plans). Unset: the cores this process may
    # run on. 1: everything in the build's own process (a host that runs MkDocs beside threads of its own).
    jobs: int | None = Field(None, ge=1, le=256)
    policy: Policy = Field(default_factory=Policy)

    @field_validator("today", mode="before")
    @classmethod
    def _strict_day(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_day(value) if value.strip() else None
        if isinstance(value, date) or value is None:
            return value
        raise ValueError("use a date written YYYY-MM-DD")

    @field_validator("today")
    @classmethod
    def _day_in_bounds(cls, value: date | None) -> date | None:
        return None if value is None else parse_day(value.isoformat())

    @field_validator("audience")
    @classmethod
    def _known_audience(cls, value: str) -> str:
        return str(Audience.parse(value))


def settings_from(options: dict[str, Any], source: str) -> Settings:
    try:
        return Settings.model_validate(options)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc']))}: {error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        )
        raise UsageError(f"{source}: playbook plugin options: {problems}") from None


@dataclass(frozen=True)
class EnvTag:
    """An `!ENV` value as written (a variable name, or a list of names and a default), kept unread."""

    value: Any


def _mkdocs_loader(keep_env_tags: bool):
    """MkDocs's own loader (`!ENV`, `INHERIT:`); `!relative` needs a running build, so it reads as None."""
    from mkdocs.utils.yaml import get_yaml_loader

    loader = get_yaml_loader()
    loader.add_constructor("!relative", lambda loader, node: None)
    if keep_env_tags:
        loader.add_constructor("!ENV", lambda loader, node: EnvTag(
            loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_scalar(node)))
    return loader


def read_mkdocs_yml(config_path: Path, *, keep_env_tags: bool = False) -> dict[str, Any]:
    """The whole mkdocs.yml as MkDocs reads it, inherited files merged in, without validating it.

    With `keep_env_tags`, `!ENV` values stay `EnvTag`s, for a publisher that writes the file again.
    """
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config_path, "rb") as handle:
            config = yaml_load(handle, _mkdocs_loader(keep_env_tags))
    except OSError as exc:
        raise UsageError(f"{config_path}: cannot read: {exc.strerror or exc}") from None
    except (ConfigurationError, yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{config_path}: {exc}") from None
    if not isinstance(config, dict):
        raise UsageError(f"{config_path}: not a mapping of settings")
    return config


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The options given to the `playbook` plugin in an mkdocs.yml (empty if it is not listed)."""
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins or []:
        if entry == "playbook":
            return {}
        if isinstance(entry, dict) and "playbook" in entry:
            return dict(entry["playbook"] or {})
    return {}


def find_config(start: Path) -> Path | None:
    """The nearest mkdocs.yml in `start` or a folder above it."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
    return None


@dataclass(frozen=True)
class Project:
    """A site's sources: where its mkdocs.yml is, what it says, and the folders it names."""

    config_file: Path | None
    config: dict[str, Any]  # the mkdocs.yml as read, for publishers that write one
    settings: Settings

    @property
    def root(self) -> Path:
        return self.config_file.parent if self.config_file else Path(".")

    @property
    def docs_dir(self) -> Path:
        return self.root / str(self.config.get("docs_dir") or "docs")

    @property
    def plans_dir(self) -> Path:
        return self.root / self.settings.plans_dir

    def shown(self, path: Path) -> Path:
        """A path as the user would type it from the working folder."""
        try:
            return Path(os.path.relpath(path))
        except ValueError:  # another drive
            return path


def load_project(given: str | Path | None = None, start: Path | None = None) -> Project:
    """The project of `--config FILE`, else of the nearest mkdocs.yml, else defaults in the working folder."""
    if given:
        path = Path(given)
        if not path.is_file():
            raise UsageError(f"{given}: no such configuration file")
    else:
        path = find_config(start or Path.cwd())
        if path is None:
            return Project(None, {}, Settings())
        path = Path(os.path.relpath(path)) if path.is_relative_to(Path.cwd().resolve()) else path
    config = read_mkdocs_yml(path)
    return Project(path, config, settings_from(plugin_options(config), str(path)))


def _first_given(given: Any, variable: str) -> tuple[Any, str] | None:
    for candidate, source in ((given, f"--{variable.split('_')[-1].lower()}"), (os.environ.get(variable), variable)):
        if candidate not in (None, ""):
            return candidate, source
    return None


def parse_date_option(value: str, source: str) -> date:
    try:
        return parse_day(value)
    except ValueError as exc:
        raise UsageError(f"{source}: {exc}") from None


def resolve_today(given: date | str | None, configured: date | None = None) -> date:
    """Today for every date-dependent result: --today, then PLAYBOOK_TODAY, then config, then the clock."""
    found = _first_given(given, "PLAYBOOK_TODAY")
    if found is None:
        return configured or date.today()
    value, source = found
    return parse_date_option(value.isoformat() if isinstance(value, date) else value, source)


RELEASE_VARIABLE = "MIKE_DOCS_VERSION"  # set by `mike deploy` while it builds a release


def resolve_audience(given: str | None, configured: str = "all") -> Audience:
    """The audience of a build: --audience, then PLAYBOOK_AUDIENCE, then config, then `all`.

    A release of the playbook (built by `mike deploy`) is always built for the `playbook` audience:
    plans are live data, and a plan frozen into an old version would outlive its retention and its
    audience rules.
    """
    if os.environ.get(RELEASE_VARIABLE):
        return Audience("playbook")
    # Set but blank is a mistake (a CI matrix entry without its value), never "the default": the default
    # is HR's site, which holds every plan.
    for value, source in ((given, "--audience"), (os.environ.get("PLAYBOOK_AUDIENCE"), "PLAYBOOK_AUDIENCE")):
        if value is not None and not str(value).strip():
            raise UsageError(f"{source} is set but empty: name the audience (all, playbook, manager:<id>, "
                             "team:<team> or person:<id>)")
    value, source = _first_given(given, "PLAYBOOK_AUDIENCE") or (configured, "audience")
    try:
        return Audience.parse(value)
    except ValueError as exc:
        raise UsageError(f"{source}: {exc}") from None


__all__ = ["Policy", "Project", "Settings", "UsageError", "WEEKDAYS", "load_project", "resolve_audience",
           "resolve_today"]
