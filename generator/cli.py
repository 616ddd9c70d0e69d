"""The command-line adapter: `playbook init | check | rules | schema | new | export | sites | ...`.

Each command parses its arguments, calls the core, prints, and returns an exit status:
0 clean, 1 findings that fail, 2 a usage or I/O error. No input makes it print a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from . import __version__
from . import findings as formats
from .check import check_paths, cycle_collection_paused
from .config import Project, UsageError, load_project, parse_date_option, resolve_audience, resolve_today

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit status for usage errors is 2, as is ours
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _project(args) -> Project:
    """The project of --config, else of the nearest mkdocs.yml above the working folder."""
    return load_project(args.config)


def cmd_check(args) -> int:
    with cycle_collection_paused():  # its records are dropped before the collector runs again
        return _check(args)


def _check(args) -> int:
    project = _project(args)
    settings = project.settings
    today = resolve_today(args.today, settings.today)
    if args.base is not None and not args.base.strip():
        raise UsageError("--base: the revision is empty; name one (`--base origin/main`), or leave out --base")
    paths = [Path(p) for p in args.paths] or [project.shown(project.plans_dir)]
    result = check_paths(paths, settings.policy, today, project.root)
    if not args.paths:  # the whole plans folder: its roster too
        from .roster import read_roster

        result.findings = sorted(result.findings + read_roster(project.plans_dir, paths[0],
                                                               settings.policy.max_file_bytes, project.root)[1])
    if args.base is not None:
        from .gitrepo import GitError
        from .lock import findings_against

        try:
            result.findings = sorted(result.findings + findings_against(args.base, project.plans_dir,
                                                                        result.plan_files, settings.policy, today))
        except GitError as exc:
            raise UsageError(f"--base: {exc}") from None
    strict = args.strict or settings.strict
    found = result.findings
    if args.format == "json":
        sys.stdout.write(formats.format_json(found))
    elif args.format == "github":
        sys.stdout.write(formats.format_github(found))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file and formats.exceeds_github_cap(found):
            try:
                with open(summary_file, "a", encoding="utf-8") as handle:
                    handle.write(formats.github_summary(found))
            except OSError as exc:
                raise UsageError(f"{summary_file}: cannot write the step summary: {exc.strerror}") from None
    else:
        sys.stdout.write(formats.format_text(found))
    print(formats.summary(found, result.files_checked, strict), file=sys.stderr)
    return EXIT_FINDINGS if result.failed(strict) else EXIT_CLEAN


def cmd_rules(args) -> int:
    from .rules import rules

    listed = list(rules())
    if args.format == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary} for r in listed]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_CLEAN
    width = max(len(rule.name) for rule in listed)
    for rule in listed:
        print(f"{rule.code}  {rule.severity:<7}  {rule.name:<{width}}  {rule.summary}")
    return EXIT_CLEAN


def cmd_schema(args) -> int:
    from .schema import REPOSITORY_SCHEMA, repository_schema_state, schema_text, write_repository_schema

    if not (args.check or args.write):
        sys.stdout.write(schema_text())
        return EXIT_CLEAN
    root = _project(args).root
    shown = root / REPOSITORY_SCHEMA
    if args.write:
        try:
            print(write_repository_schema(root))
        except OSError as exc:
            raise UsageError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        return EXIT_CLEAN
    state = repository_schema_state(root)
    if state == "current":
        print(f"{shown} is the schema of mkdocs-playbook {__version__}", file=sys.stderr)
        return EXIT_CLEAN
    reason = "is missing" if state == "missing" else f"is older than the schema of mkdocs-playbook {__version__}"
    print(f"{shown} {reason}: run `playbook schema --write` and commit it", file=sys.stderr)
    return EXIT_FINDINGS


def cmd_init(args) -> int:
    from .starter import create_repository

    today = resolve_today(args.today)
    written = create_repository(Path(args.directory), today=today, example=not args.empty)
    print(f"wrote {len(written)} files to {args.directory}; next: read {Path(args.directory) / 'README.md'}",
          file=sys.stderr)
    return EXIT_CLEAN


def cmd_new(args) -> int:
    from .new import write_new_plan

    project = _project(args)
    settings = project.settings
    today = resolve_today(args.today, settings.today)
    start = parse_date_option(args.start, "--start") if args.start else today
    written, notes = write_new_plan(
        kind=args.kind,
        person_name=args.person,
        person_id=args.person_id,
        team=args.team,
        manager_id=args.manager,
        hr_partner_id=args.hr_partner,
        role=args.role,
        start=start,
        plans_dir=project.shown(project.plans_dir),
        policy=settings.policy,
        output=Path(args.output) if args.output else None,
        root=project.root,
    )
    for note in notes:
        print(formats.visible(f"playbook: {note}"), file=sys.stderr)
    print(formats.visible(str(written)))
    print(formats.visible(f"next: fill in every TODO, then run `playbook check {written}`"), file=sys.stderr)
    return EXIT_CLEAN


def cmd_export(args) -> int:
    from .export import export_site

    project = _project(args)
    target = Path(args.directory)
    today = resolve_today(args.today, project.settings.today)
    audience = resolve_audience(args.audience, project.settings.audience)
    if args.format in ("json", "csv"):
        from .export import PLANS_CSV, PLANS_JSON, export_json

        print(export_json(project, target, today=today, audience=audience,
                          name=PLANS_JSON if args.format == "json" else PLANS_CSV))
        return EXIT_CLEAN
    count = export_site(project, target, today=today, audience=audience)
    print(formats.visible(f"wrote {count} files to {target} (build it with `mkdocs build -f {target / 'mkdocs.yml'}`)"),
          file=sys.stderr)
    return EXIT_CLEAN


def cmd_sites(args) -> int:
    from .findings import format_text
    from .sites import SitesFailed, build_sites, parse_shard

    project = _project(args)
    today = resolve_today(args.today, project.settings.today)
    shard = parse_shard(args.shard) if args.shard else (1, 1)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give at least 1")

    def report(result) -> None:
        detail = f"{result.seconds:.1f} s" if result.status == "built" else result.message or "content unchanged"
        folder = os.path.relpath(result.folder) if result.folder.is_relative_to(Path.cwd()) else result.folder
        print(f"{result.status:9} {folder}  {result.audience}, {result.plans} plan{'s' if result.plans != 1 else ''} "
              f"({detail})", file=sys.stderr)

    try:
        results = build_sites(project, Path(args.directory), args.audience, today=today, shard=shard,
                              jobs=args.jobs or project.settings.jobs, cache=Path(args.cache) if args.cache else None,
                              report=report)
    except SitesFailed as exc:
        sys.stderr.write(format_text(exc.whole.failing()))
        print(f"playbook: {exc}; no site was written", file=sys.stderr)
        return EXIT_FINDINGS
    counts = {status: sum(r.status == status for r in results) for status in ("built", "unchanged", "failed")}
    print(f"{len(results)} sites: {counts['built']} built, {counts['unchanged']} unchanged, {counts['failed']} failed",
          file=sys.stderr)
    return EXIT_FINDINGS if counts["failed"] else EXIT_CLEAN


def cmd_diff(args) -> int:
    """Say in words what changed in the plans between two revisions, or a revision and the work tree."""
    from .diff import FORMATS, diff_plans
    from .gitrepo import GitError

    project = _project(args)
    try:
        comparison = diff_plans(project.root, project.plans_dir, args.base, args.head,
                                policy=project.settings.policy)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(FORMATS[args.format](comparison))
    return EXIT_CLEAN  # a diff is information, not a failure


def _due_letter(args):
    """The plan's letter when its record shows it due; otherwise the reason on stderr and exit status 1."""
    from .build import BuildError, NotFound, prepare_letter

    project = _project(args)
    today = resolve_today(args.today, project.settings.today)
    audience = resolve_audience(args.audience, project.settings.audience)
    try:
        prepared = prepare_letter(project, args.plan, args.template, today=today, audience=audience)
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    except BuildError as exc:
        print(f"playbook: {formats.visible_lines(str(exc))}", file=sys.stderr)
        return EXIT_FINDINGS
    if prepared.letter is None:
        print(formats.visible(f"{prepared.template.title} for {prepared.plan.id} is not offered: "
                              f"{prepared.readiness.reason}"), file=sys.stderr)
        return EXIT_FINDINGS
    for note in prepared.letter.notes:
        print(formats.visible(f"note for HR, not part of the letter: {note}"), file=sys.stderr)
    return prepared


def cmd_letter(args) -> int:
    """Print a plan's letter when the record shows it due; otherwise say why not (exit 1)."""
    from .render.document import document_title, plan_document
    from .render.jinja import markdown_text

    prepared = _due_letter(args)
    if isinstance(prepared, int):
        return prepared
    letter = prepared.letter
    if args.format == "html":
        sys.stdout.write(plan_document(letter, prepared.plan))
    elif args.format == "markdown":
        subject = f"**Subject:** {markdown_text(letter.subject)}\n\n" if letter.subject else ""
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", letter.body)), default=0))  # nothing inside closes it
        title = markdown_text(document_title(letter, prepared.plan))
        sys.stdout.write(formats.visible_lines(f"# {title}\n\n{subject}{fence}text\n{letter.body}{fence}\n"))
    else:
        sys.stdout.write(formats.visible_lines((f"Subject: {letter.subject}\n\n" if letter.subject else "")
                                               + letter.body))
    print(formats.visible(f"{prepared.readiness.reason}; dated {letter.date}"), file=sys.stderr)
    return EXIT_CLEAN


def cmd_pdf(args) -> int:
    """Write a plan's signed document (or another of its letters) as a PDF."""
    from .render.document import PdfUnavailable, pdf_bytes, plan_document

    prepared = _due_letter(args)
    if isinstance(prepared, int):
        return prepared
    try:
        data = pdf_bytes(plan_document(prepared.letter, prepared.plan))
    except PdfUnavailable as exc:
        raise UsageError(str(exc)) from None
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    print(formats.visible(f"wrote {args.output} ({len(data)} bytes)"), file=sys.stderr)
    return EXIT_CLEAN


def cmd_agenda(args) -> int:
    """Print what the running plans owe: overdue, today and the next days (exit 0: it informs)."""
    from .agenda import FORMATS, collect

    project = _project(args)
    today = resolve_today(args.today, project.settings.today)
    if not 0 <= args.days <= 3660:
        raise UsageError(f"--days: {args.days} is not a number of days from 0 to 3660")
    audience = resolve_audience(args.audience, project.settings.audience)
    agenda = collect(project, today, args.days, audience=audience, manager=args.manager, hr_partner=args.hr_partner)
    if agenda.failed:
        print(formats.summary(agenda.check.findings, agenda.check.files_checked, agenda.strict), file=sys.stderr)
        print("playbook: the agenda needs plans that pass the check; run `playbook check` for the list",
              file=sys.stderr)
        return EXIT_FINDINGS
    sys.stdout.write(FORMATS[args.format](agenda))
    for note in agenda.notes:
        print(f"playbook: {formats.visible(note)}", file=sys.stderr)
    return EXIT_CLEAN


def _roster(args):
    """The project's roster; None (after printing its findings on stderr) when it has problems."""
    from .access import project_roster

    roster, found = project_roster(_project(args))
    if found:
        sys.stderr.write(formats.format_text(found))
        print("playbook: the roster has problems (above); mend them first", file=sys.stderr)
    return roster


def cmd_access(args) -> int:
    """Print who opens which built site, from the roster: an nginx fragment or JSON (exit 1: roster findings)."""
    from .access import AccessError, access_json, access_map, find_sites, nginx_config

    sites = Path(args.sites)
    try:
        roster = _roster(args)
        if roster is None:
            return EXIT_FINDINGS
        access = access_map(roster, find_sites(sites))
        if args.format == "json":
            sys.stdout.write(access_json(access, header=args.header))
        else:
            root = Path(args.root) if args.root else sites.resolve()
            sys.stdout.write(nginx_config(access, root=root, header=args.header, listen=args.listen))
    except AccessError as exc:
        raise UsageError(str(exc)) from None
    hr_only = access.for_hr_only()
    if hr_only:
        print(f"playbook: {len(hr_only)} site{'s' if len(hr_only) != 1 else ''} open to HR only (no identity on "
              f"the roster): {', '.join(str(site.audience) for site in hr_only)}", file=sys.stderr)
    return EXIT_CLEAN


def cmd_audiences(args) -> int:
    """Print the audiences the roster calls for, one a line, or dealt into shards for a CI matrix (JSON)."""
    from .access import AccessError, audiences_for, shards

    if args.shards is not None and not 1 <= args.shards <= 256:
        raise UsageError(f"--shards: {args.shards} is not a number of shards from 1 to 256")
    try:
        roster = _roster(args)
    except AccessError as exc:
        raise UsageError(str(exc)) from None
    if roster is None:
        return EXIT_FINDINGS
    audiences = audiences_for(roster)
    if args.shards is None:
        sys.stdout.write("".join(f"{audience}\n" for audience in audiences))
    else:
        sys.stdout.write(json.dumps(shards(audiences, args.shards)) + "\n")
    return EXIT_CLEAN


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="playbook", description="Plans and playbooks as code.")
    parser.add_argument("--version", action="version", version=f"playbook (mkdocs-playbook) {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def audience_option(sub):
        sub.add_argument("--audience", metavar="AUDIENCE",
                         help="all, manager:<id>, team:<team>, person:<id> or playbook: only the plans it may see "
                              "(default: PLAYBOOK_AUDIENCE, else the plugin's `audience` option, else all)")

    def common(sub, *, today: bool = True):
        sub.add_argument("--config", metavar="FILE",
                         help="the mkdocs.yml to read (default: the nearest one in this folder or above)")
        if today:
            sub.add_argument("--today", metavar="DATE", help="the date to check against (default: PLAYBOOK_TODAY or the real date)")

    check = add("check", cmd_check, "Check plan files and report every problem with its place.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="plan files or folders (default: the plans folder)")
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--base", metavar="REV",
                       help="compare each plan with its version at this git revision: the terms of a plan "
                            "acknowledged there change only with an acknowledged amendment (PB701)")
    common(check)

    listing = add("rules", cmd_rules, "List every rule with its code and summary.")
    listing.add_argument("--format", choices=("text", "json"), default="text")

    init = add("init", cmd_init,
               "Create a plans repository: mkdocs.yml, plans/, the workflow, hooks and review rules.")
    init.add_argument("directory", metavar="DIR", help="an empty or new folder")
    init.add_argument("--empty", action="store_true", help="no example plan in plans/")
    init.add_argument("--today", metavar="DATE",
                      help="the example plan starts on this day (default: PLAYBOOK_TODAY or the real date)")

    schema = add("schema", cmd_schema,
                 "Print the plan format's JSON Schema (draft-07), or check the repository's copy of it.")
    schema_action = schema.add_mutually_exclusive_group()
    schema_action.add_argument("--check", action="store_true",
                               help="exit 1 when .playbook/plan.schema.json differs from this package's schema")
    schema_action.add_argument("--write", action="store_true",
                               help="write this package's schema to .playbook/plan.schema.json")
    common(schema, today=False)

    new = add("new", cmd_new, "Write a new plan skeleton with its dates filled in.")
    new.add_argument("kind", choices=("growth", "coaching", "pip"))
    new.add_argument("--person", required=True, metavar="NAME", help='the person\'s full name, e.g. "Jordan Lee"')
    new.add_argument("--person-id", metavar="SLUG", help="default: made from the name (jordan-lee)")
    new.add_argument("--team", required=True, metavar="SLUG")
    new.add_argument("--manager", required=True, metavar="SLUG", help="the manager's id")
    new.add_argument("--hr-partner", metavar="SLUG", help="the HR partner's id (pip)")
    new.add_argument("--role", metavar="TEXT")
    new.add_argument("--start", metavar="DATE", help="default: today")
    new.add_argument("--output", metavar="FILE", help="default: plans/<team>/<person>-<kind>-<yyyy-mm>.yaml")
    common(new)

    diff = add("diff", cmd_diff, "Say in words what changed in the plans, plan by plan.")
    diff.add_argument("base", nargs="?", metavar="BASE",
                      help="the revision to compare from (default: where HEAD left main)")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="the revision to compare to (default: the work tree)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="markdown: a pull-request comment; json: for other tools")
    common(diff, today=False)

    letter = add("letter", cmd_letter, "Print a plan's filled letter, script or document when its record shows it due.")
    letter.add_argument("plan", metavar="PLAN", help="the plan's id, e.g. jordan-lee-pip-2026-10")
    letter.add_argument("template", metavar="TEMPLATE",
                        help="a template, e.g. written-warning: the site's own in <docs_dir>/templates/, "
                             "else the playbook's")
    letter.add_argument("--format", choices=("text", "markdown", "html"), default="text")
    audience_option(letter)
    common(letter)

    pdf = add("pdf", cmd_pdf, "Write a plan's document to sign (or another template) as a PDF.")
    pdf.add_argument("plan", metavar="PLAN", help="the plan's id")
    pdf.add_argument("-o", "--output", metavar="FILE", required=True, help="the PDF file to write")
    pdf.add_argument("--template", metavar="TEMPLATE", default="plan-document",
                     help="the template to print (default: plan-document)")
    audience_option(pdf)
    common(pdf)

    agenda = add("agenda", cmd_agenda, "List what the running plans owe: overdue, due today and due soon.")
    agenda.add_argument("--days", type=int, default=7, metavar="N", help="how many days ahead to look (default: 7)")
    agenda.add_argument("--manager", metavar="ID", help="only the plans this manager runs")
    agenda.add_argument("--hr-partner", metavar="ID", help="only the plans with this HR partner")
    agenda.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    audience_option(agenda)
    common(agenda)

    export = add("export", cmd_export, "Write the whole site's pages and a plain mkdocs.yml to a folder.")
    export.add_argument("directory", metavar="DIR")
    export.add_argument("--format", choices=("site", "json", "csv"), default="site",
                        help="site: every page and a plain mkdocs.yml; json: plans.json only, as the site publishes it; "
                             "csv: plans.csv only, a row per plan")
    audience_option(export)
    common(export)

    access = add("access", cmd_access, "Write who opens which built site, from the roster's identities.")
    access.add_argument("sites", metavar="SITES",
                        help="the built sites: all/, playbook/, manager/<id>/, team/<team>/, person/<id>/")
    access.add_argument("--format", choices=("nginx", "json"), default="nginx",
                        help="nginx: a fragment for the http block that serves the sites; json: address -> identities")
    access.add_argument("--header", default="X-Auth-Request-Email", metavar="NAME",
                        help="the request header in which the sign-on proxy passes the identity")
    access.add_argument("--root", metavar="PATH", help="where the server finds the sites (default: SITES)")
    access.add_argument("--listen", default="127.0.0.1:8080", metavar="ADDRESS",
                        help="where nginx listens; only the sign-on proxy may reach it (default: 127.0.0.1:8080)")
    common(access, today=False)

    audiences = add("audiences", cmd_audiences, "List the audiences whose sites the roster calls for.")
    audiences.add_argument("--shards", type=int, metavar="N",
                           help="deal them into N shards, printed as JSON for a CI matrix")
    common(audiences, today=False)

    sites = add("sites", cmd_sites, "Build the site of each audience named, from one check of the plans.")
    sites.add_argument("directory", metavar="OUT",
                       help="sites go to OUT/all/, OUT/manager/<id>/, OUT/team/<team>/, OUT/person/<id>/")
    sites.add_argument("--audience", metavar="PATTERN", action="append", required=True,
                       help="all, playbook, manager:<id>, team:<team>, person:<id>, or manager:*, team:*, "
                            "person:* for each one with a plan; give it several times")
    sites.add_argument("--shard", metavar="I/N", help="build only the I-th of N shares of the audiences (a CI matrix)")
    sites.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: the plugin's `jobs`, else the cores this process may use)")
    sites.add_argument("--cache", metavar="DIR",
                       help="where the content key of each site, and each plan page rendered, is kept (default: "
                            "OUT/.cache); a site whose key has not changed is not built again, a plan whose page "
                            "has not changed is not rendered again")
    common(sites)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except UsageError as exc:  # it may quote what was typed or read: a name, a path, a revision
        print(f"playbook: error: {formats.visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
