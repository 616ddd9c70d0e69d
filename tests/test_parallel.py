"""Plan pages and calendars rendered on several cores (`generator.parallel`): the same site as one process
renders, made in the workers."""

from __future__ import annotations

import fcntl
import gc
import json
import multiprocessing
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.plugins import CombinedEvent

import generator.parallel as parallel
import generator.render.site as site
from conftest import GROWTH, PIP
from generator.audience import Audience
from generator.build import build
from generator.cli import main
from generator.config import load_project
from generator.plugin import PlaybookPlugin
from sitekit import files_holding, make_project, snapshot

# How much the system lets a pipe hold (Linux), or nothing.
_PIPE_MAX = int(Path("/proc/sys/fs/pipe-max-size").read_text()) if Path("/proc/sys/fs/pipe-max-size").exists() else 0

NAMES = ["Alex Kim", "Bea Lund", "Cai Wen", "Dara Oni", "Eli Moss"]


def project(root):
    make_project(root, plans=None)
    for name in NAMES:
        ident = name.lower().replace(" ", "-")
        text = GROWTH.change("  name: Alex Kim\n  id: alex-kim", f"  name: {name}\n  id: {ident}")
        (root / "plans" / "emea-west").mkdir(parents=True, exist_ok=True)
        (root / "plans" / "emea-west" / f"{ident}-growth-2026-11.yaml").write_text(text, encoding="utf-8")
    (root / "plans" / "emea-west" / "jordan-lee-pip-2026-11.yaml").write_text(PIP, encoding="utf-8")
    return root


def _jobs(root: Path, jobs: int) -> Path:
    """The project's mkdocs.yml with the plugin's `jobs:` set."""
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      plans_dir: plans\n",
                                                                 f"      plans_dir: plans\n      jobs: {jobs}\n"),
                      encoding="utf-8")
    return config


def test_plan_pages_rendered_on_two_workers_are_those_one_process_renders(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SMALLEST", 1)  # these few plans are dealt out as thousands would be
    rendered_here = []
    real = site.render_plan
    monkeypatch.setattr(site, "render_plan", lambda plan, *args: rendered_here.append(plan.id) or real(plan, *args))
    config = load_project(project(tmp_path / "site") / "mkdocs.yml")
    one = build(config, today=date(2026, 11, 20), audience=Audience("all"), jobs=1)
    assert len(rendered_here) == len(NAMES) + 1
    rendered_here.clear()
    two = build(config, today=date(2026, 11, 20), audience=Audience("all"), jobs=2)
    assert rendered_here == []  # every plan page was made in a worker
    assert {uri: (page.front, page.body, page.key) for uri, page in two.pages.items()} == {
        uri: (page.front, page.body, page.key) for uri, page in one.pages.items()}
    assert two.assets == one.assets  # calendars and feeds too


def test_the_plugins_jobs_option_keeps_a_build_in_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    rendered_here = []
    real = site.render_plan
    monkeypatch.setattr(site, "render_plan", lambda plan, *args: rendered_here.append(plan.id) or real(plan, *args))
    root = project(tmp_path / "site")
    config = _jobs(root, 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(config), site_dir=str(root / "site")))
    assert sorted(rendered_here) == sorted(path.stem for path in (root / "plans").rglob("*.yaml"))


def test_jobs_must_be_a_number_of_workers(tmp_path, capsys):
    root = project(tmp_path / "site")
    config = _jobs(root, 0)
    assert main(["check", str(root / "plans"), "--config", str(config)]) == 2
    assert "jobs" in capsys.readouterr().err


def test_files_made_ahead_of_their_writer_keep_what_it_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SMALLEST", 1)  # these few files are made as thousands would be
    written = tmp_path / "site" / "plans" / "a" / "index.html"
    written.parent.mkdir(parents=True)
    written.write_text("the page", encoding="utf-8")
    ahead = tmp_path / "site" / "people" / "b" / "index.html"
    blocked = tmp_path / "site" / "a-file"
    blocked.write_text("kept", encoding="utf-8")
    wait = parallel.made_ahead([str(written), str(ahead), str(blocked / "c" / "index.html")])
    wait()
    wait()  # waiting again is harmless
    assert written.read_text(encoding="utf-8") == "the page"  # reached after the writer: never emptied
    assert ahead.is_file() and ahead.read_text(encoding="utf-8") == ""
    assert blocked.read_text(encoding="utf-8") == "kept"  # a path it cannot make is left to the writer


def test_a_site_whose_files_were_made_ahead_is_the_site_mkdocs_writes_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    monkeypatch.chdir(root)
    paths_made = []
    real = parallel.made_ahead

    def recorded(paths, last=None):
        paths_made.extend(paths)
        return real(paths_made, last)

    monkeypatch.setattr(parallel, "made_ahead", recorded)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "ahead")))
    monkeypatch.setattr(parallel, "made_ahead", lambda paths, last=None: lambda: None)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "alone")))

    def tree(folder):
        return {path.relative_to(folder).as_posix(): path.read_bytes()
                for path in folder.rglob("*") if path.is_file() and path.name != "sitemap.xml.gz"}

    ahead, alone = tree(tmp_path / "ahead"), tree(tmp_path / "alone")
    assert ahead == alone
    made = {Path(path).relative_to(tmp_path / "ahead").as_posix() for path in paths_made}
    assert {f"plans/{path.stem}/index.html" for path in (root / "plans").rglob("*.yaml")} <= made
    assert {f"plans/{path.stem}/plan.ics" for path in (root / "plans").rglob("*.yaml")} <= made
    assert "people/alex-kim/index.html" in made and all(ahead[path] for path in made)  # none left empty


def test_a_copied_plan_file_not_yet_edited_has_a_page_and_a_calendar_of_its_own(tmp_path, monkeypatch):
    """A copy of a plan file, made to start the next plan, has the same bytes under another name (the plan's id):
    rendered on the workers, each file's page and calendar still name its own plan."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    folder = root / "plans" / "emea-west"
    (folder / "alex-kim-growth-2027-02.yaml").write_bytes((folder / "alex-kim-growth-2026-11.yaml").read_bytes())
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out")))
    for own, other in [("alex-kim-growth-2026-11", "alex-kim-growth-2027-02"),
                       ("alex-kim-growth-2027-02", "alex-kim-growth-2026-11")]:
        page = (tmp_path / "out" / "plans" / own / "index.html").read_text(encoding="utf-8")
        calendar = (tmp_path / "out" / "plans" / own / "plan.ics").read_text(encoding="utf-8")
        assert f"Plan id</td><td>{own}</td>" in page and other not in page
        assert own in calendar and other not in calendar

def test_a_build_lets_go_of_each_generated_pages_html_once_the_page_is_finished(tmp_path, monkeypatch):
    """A large build holds each page once: as its finished HTML (MkDocs's), not also as what was rendered."""
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    monkeypatch.chdir(root)
    held = []
    real = PlaybookPlugin.on_post_build

    def at_the_end(plugin, **kwargs):  # the last pages are written, and MkDocs still holds every page
        gc.collect()
        assert plugin.result.pages and all(page.body == "" for page in plugin.result.pages.values())
        held.extend(thing.uri for thing in gc.get_objects() if isinstance(thing, site.Page) and thing.body)
        return real(plugin, **kwargs)

    monkeypatch.setattr(PlaybookPlugin, "on_post_build", at_the_end)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "built")))
    assert held == []  # nothing else (a page's replaced methods among them) keeps the rendered HTML


def test_mkdocs_reads_the_playbooks_pages_while_the_plan_pages_are_rendered(tmp_path, monkeypatch):
    """A build does not wait for every plan page before MkDocs goes on: each worker holds its first plan page
    back until MkDocs has read one of the playbook's own pages, and none of them waits in vain. The site is the
    one a build in one process writes."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    read_one = tmp_path / "mkdocs-read-a-playbook-page"
    waits = tmp_path / "waits"
    real_page, real_render = site.render_plan, PlaybookPlugin._render_page
    held_back = []

    def render_plan(plan, *args):  # in a worker
        if not held_back:
            held_back.append(plan.id)
            for _ in range(500):
                if read_one.exists():
                    break
                time.sleep(0.01)
            with open(waits, "a", encoding="utf-8") as out:
                out.write(f"{read_one.exists()}\n")
        return real_page(plan, *args)

    def render_page(self, markdown, *, page, config, files):  # in this process
        if page.file.src_uri not in self.result.pages:
            read_one.touch()
        return real_render(self, markdown, page=page, config=config, files=files)

    monkeypatch.setattr(site, "render_plan", render_plan)
    monkeypatch.setattr(PlaybookPlugin, "on_page_markdown", CombinedEvent(render_page, PlaybookPlugin._problems_first))
    root = project(tmp_path / "site")
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "two")))
    held = waits.read_text(encoding="utf-8").split()  # one line for each worker that rendered a plan page
    assert held and set(held) == {"True"}

    monkeypatch.undo()
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(_jobs(root, 1)), site_dir=str(tmp_path / "one")))
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")


def test_a_template_that_fails_on_a_worker_fails_the_build_with_its_line(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    template = root / "playbook" / "templates" / "agreement-email.md"
    broken = '{% if plan.id == "jordan-lee-pip-2026-11" %}{{ plan.person.nickname }}{% endif %}'  # not the sample
    template.write_text(template.read_text(encoding="utf-8").replace(
        "Hi {{ plan.person.first_name }},", f"Hi {broken},"), encoding="utf-8")
    line = template.read_text(encoding="utf-8").splitlines().index(f"Hi {broken},") + 1
    monkeypatch.chdir(root)
    with pytest.raises(Abort):
        mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out")))
    # Named at the failing plan's own page, not at whichever page was read when its part of the work came back.
    assert "Error building page 'plans/jordan-lee-pip-2026-11/index.md'" in caplog.text
    assert (f"playbook: playbook/templates/agreement-email.md:{line}: a value the template uses is missing for plan "
            "`jordan-lee-pip-2026-11`") in caplog.text
    assert "Traceback" not in caplog.text
    assert multiprocessing.active_children() == []  # no worker is left behind


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("text, message", [
    ("---\nkinds: [pip]\n---\nHello\n", "playbook/templates/broken.md:1: front matter needs a `title`"),
    ('---\ntitle: Broken\nkinds: [pip]\nemail: true\nsubject: "{{ plan.id"\n---\nHello\n',
     "a template's subject is not valid Jinja"),
], ids=["no title", "subject not Jinja"])
def test_a_template_that_cannot_be_read_fails_the_build_with_its_file(tmp_path, monkeypatch, caplog, jobs, text,
                                                                     message):
    """A letter template that cannot be read fails the build where the workers would start, with what is wrong
    and no traceback, on one process or on several."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    (root / "playbook" / "templates" / "broken.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    with pytest.raises(Abort):
        mkdocs_build(load_config(str(_jobs(root, jobs)), site_dir=str(tmp_path / "out")))
    assert f"playbook: {message}" in caplog.text
    assert "Traceback" not in caplog.text
    assert multiprocessing.active_children() == []


def test_another_plugin_reading_a_plan_pages_file_finds_its_front_matter(tmp_path, monkeypatch):
    """A plan page's file, read by another plugin before MkDocs reads the page, holds the page's front matter
    (its title), whether or not the page was rendered yet."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    (root / "hooks.py").write_text(
        "def on_nav(nav, config, files):\n"
        "    page = files.get_file_from_path('plans/jordan-lee-pip-2026-11/index.md')\n"
        "    with open('seen.md', 'w', encoding='utf-8') as out:\n"
        "        out.write(page.content_string)\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hooks.py\n", encoding="utf-8")
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(config), site_dir=str(tmp_path / "out")))
    seen = (root / "seen.md").read_text(encoding="utf-8")
    assert seen.startswith("---\ntitle: \"Jordan Lee: Performance improvement plan\"")


_SEEN_HOOKS = """
import json
from mkdocs.plugins import event_priority
seen = {}
URI = "plans/jordan-lee-pip-2026-11/index.md"
def on_page_content(html, page, config, files):
    if page.file.src_uri == URI:
        seen["read"] = html
@event_priority(150)
def on_page_context(context, page, config, nav):
    if page.file.src_uri == URI:
        seen["written"] = page.content
def on_post_build(config):
    with open("seen.json", "w", encoding="utf-8") as out:
        json.dump(seen, out)
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_plan_pages_html_is_there_for_other_plugins_as_pages_are_read_or_written(tmp_path, monkeypatch, jobs):
    """A plan page's HTML is put in as the page is written, so that the build goes on while it is rendered; with
    a plugin that reads the pages' HTML as they are read, it is put in then, as MkDocs does. The site is the same
    either way, and a plugin reading the pages as they are written finds their HTML in both."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    config = _jobs(root, jobs)
    (root / "read.py").write_text(_SEEN_HOOKS, encoding="utf-8")
    (root / "written.py").write_text(_SEEN_HOOKS.replace("def on_page_content", "def _not_an_event"),
                                     encoding="utf-8")
    plain = config.read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(config), site_dir=str(tmp_path / "alone")))
    seen = {}
    for hooks in ("written", "read"):
        config.write_text(plain + f"\nhooks:\n  - {hooks}.py\n", encoding="utf-8")
        mkdocs_build(load_config(str(config), site_dir=str(tmp_path / hooks)))
        seen[hooks] = json.loads((root / "seen.json").read_text(encoding="utf-8"))
    html = seen["read"]["read"]
    assert "Jordan Lee" in html and "<h2" in html
    assert seen["read"]["written"] == seen["written"]["written"] == html
    assert "read" not in seen["written"]

    def site(name):
        return {path: digest for path, digest in snapshot(tmp_path / name).items() if path != "sitemap.xml.gz"}

    assert site("alone") == site("written") == site("read")


def _built_into(root: Path, out: Path, dirty: bool = False) -> None:
    """`mkdocs build` (or `build --dirty`) of the project at `root` into `out`, the plugin started as MkDocs's own
    command starts it (a dirty build warns that it is one: not strict)."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=not dirty)
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()


@pytest.mark.parametrize("smallest", [parallel.SMALLEST, 1], ids=["removed beside", "taken from"])
def test_a_build_into_the_last_builds_site_removes_what_mkdocs_removes_and_nothing_else(tmp_path, monkeypatch,
                                                                                        smallest):
    """The last build's site is set aside (`parallel.set_aside`), its files taken for this build's where it had
    them and the rest removed beside the build (`parallel.made_ahead`): what is left is the site a build into an
    empty folder makes, with the folder's hidden files and links as MkDocs leaves them."""
    monkeypatch.setattr(parallel, "SMALLEST", smallest)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    monkeypatch.chdir(root)
    _built_into(root, tmp_path / "fresh")
    out = tmp_path / "out"
    _built_into(root, out)
    (out / "plans" / "a-plan-since-removed").mkdir()
    (out / "plans" / "a-plan-since-removed" / "index.html").write_text("Sam Poe's PIP", encoding="utf-8")
    (out / "old-page.html").write_text("old", encoding="utf-8")
    (out / ".git").mkdir()  # a deploy branch's checkout: hidden, kept
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / ".playbook-removing-x1").mkdir()  # left by a build that was stopped while removing
    (out / ".playbook-removing-x1" / "index.html").write_text("old", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("not the site's", encoding="utf-8")
    (out / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    _built_into(root, out)
    assert not list(out.glob(".playbook-removing-*"))
    (out / "linked").unlink()  # MkDocs leaves a link to a folder (it cannot remove it as a folder), as before
    assert (tmp_path / "elsewhere" / "keep.txt").read_text(encoding="utf-8") == "not the site's"
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    shutil.rmtree(out / ".git")
    assert snapshot(out).keys() == snapshot(tmp_path / "fresh").keys()
    assert not files_holding(out, "Sam Poe")
    # `build --dirty` keeps the last build's files, and so does the plugin.
    (out / "old-page.html").write_text("old", encoding="utf-8")
    _built_into(root, out, dirty=True)
    assert (out / "old-page.html").read_text(encoding="utf-8") == "old"


def test_a_failed_build_leaves_no_removal_going_on(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = project(tmp_path / "site")
    monkeypatch.chdir(root)
    out = tmp_path / "out"
    _built_into(root, out)
    plan = root / "plans" / "emea-west" / "jordan-lee-pip-2026-11.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("kind: pip", "kind: pipp"), encoding="utf-8")
    with pytest.raises(Abort):
        _built_into(root, out)
    assert list(out.iterdir()) == []  # the last site is gone, as MkDocs removes it, and nothing of the removal
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("starts", [True, False], ids=["removed beside", "process cannot start"])
@pytest.mark.parametrize("made", [[], ["index.html", "plans/alex-kim/index.html"]], ids=["nothing made", "made"])
def test_the_last_sites_pages_are_gone_once_the_build_waits(tmp_path, monkeypatch, starts, made):
    """Whether or not the process could start, and whether or not it made files from the last site, nothing of
    the last site is left once the build has waited for it: not even in the hidden folder it was moved into."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    site_dir = tmp_path / "out"
    (site_dir / "plans" / "sam-poe-pip").mkdir(parents=True)
    (site_dir / "plans" / "sam-poe-pip" / "index.html").write_text("Sam Poe's PIP", encoding="utf-8")
    (site_dir / "index.html").write_text("home", encoding="utf-8")
    (site_dir / ".nojekyll").write_text("", encoding="utf-8")
    if not starts:
        def refused(*args, **kwargs):
            raise OSError("no processes left")
        monkeypatch.setattr(parallel.subprocess, "Popen", refused)
    last = parallel.set_aside(str(site_dir))
    assert sorted(path.name for path in site_dir.iterdir() if path != Path(last)) == [
        ".nojekyll"]  # moved aside at once: MkDocs finds nothing of its own to remove
    assert Path(last).name.startswith(parallel.REMOVING)
    wait = parallel.made_ahead([str(site_dir / path) for path in made], last)
    wait()
    wait()  # waiting again is harmless
    left = sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file())
    assert left == (sorted([".nojekyll", *made]) if starts else [".nojekyll"])
    assert not files_holding(site_dir, "Sam Poe") and not files_holding(site_dir, "home")


def test_a_site_folder_with_nothing_of_mkdocs_is_not_set_aside(tmp_path):
    assert parallel.set_aside(str(tmp_path / "none yet")) is None
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".git").mkdir()
    assert parallel.set_aside(str(tmp_path / "out")) is None
    assert [path.name for path in (tmp_path / "out").iterdir()] == [".git"]


def _text_of(size: int) -> str:
    return "p" * size


def _pipe_holds(pool) -> int:
    return fcntl.fcntl(pool._outqueue._reader.fileno(), fcntl.F_GETPIPE_SZ)


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ") or parallel.RESULTS_PIPE > _PIPE_MAX,
                    reason="only Linux lets a pipe hold more, up to /proc/sys/fs/pipe-max-size")
def test_a_workers_part_fits_in_the_pipe_that_brings_it_back():
    """A part's pages are a few hundred kilobytes, and a pipe holds 64 KiB unless told otherwise: the pool's results
    pipe holds a whole part, so that a worker hands it over and goes on while the publisher is busy. What does not
    fit still arrives whole."""
    with multiprocessing.get_context("fork").Pool(2) as pool:
        before = _pipe_holds(pool)
        parallel._widen_results_pipe(pool)
        assert before < 400_000 <= parallel.RESULTS_PIPE == _pipe_holds(pool)
        sizes = [0, 400_000, 3 * parallel.RESULTS_PIPE]
        assert list(pool.imap(_text_of, sizes, chunksize=1)) == [_text_of(size) for size in sizes]


def test_a_pipe_the_system_will_not_widen_is_left_as_it_is(monkeypatch):
    """Over a user's limit of pipe memory the system refuses the size: the pool works with the pipe it has."""
    def refused(*args):
        raise PermissionError("over the user's limit")

    monkeypatch.setattr(parallel, "fcntl", type("Refusing", (), {"F_SETPIPE_SZ": 1031, "fcntl": staticmethod(refused)}))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        parallel._widen_results_pipe(pool)
        assert list(pool.imap(_text_of, [5, 200_000])) == [_text_of(5), _text_of(200_000)]
    parallel._widen_results_pipe(object())  # no pool's pipe to widen: nothing happens
