"""What a large build keeps in memory: each plan's record, not the document it was read from, and no
freed page HTML; and what the cycle collector walks (`generator.memory`)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

import generator.parallel as parallel
import generator.plugin as plugin_module
from conftest import GROWTH, PIP
from generator.audience import Audience
from generator.build import build, prepare
from generator.check import check_paths
from generator.config import Policy, load_project
from generator.load import Document
from sitekit import make_project

GLIBC = bool(getattr(os, "confstr", None) and os.confstr("CS_GNU_LIBC_VERSION"))


def _site_of_two_plans(root: Path) -> Path:
    """A site with a PIP and a growth plan in one team."""
    make_project(root, plans=None)
    team = root / "plans" / "emea-west"
    team.mkdir(parents=True)
    (team / "jordan-lee-pip-2026-11.yaml").write_text(PIP, encoding="utf-8")
    (team / "alex-kim-growth-2026-11.yaml").write_text(GROWTH, encoding="utf-8")
    return root


def test_a_check_keeps_each_plans_record_and_no_document(tmp_path):
    """The documents (every value's position) of a check are let go of file by file; a finding made after the
    file's own check reads the file's document again, and is still placed on its line."""
    kind = PIP.split("\n", 1)[0]
    following = PIP.change(kind + "\n", f"{kind}\nfollows: nobodys-plan\n")  # PB603, a rule across plans
    (tmp_path / "jordan-lee-pip-2026-11.yaml").write_text(following, encoding="utf-8")
    (tmp_path / "alex-kim-growth-2026-11.yaml").write_text(GROWTH, encoding="utf-8")
    result = check_paths([tmp_path], Policy(), date(2026, 11, 20))
    gc.collect()
    assert [thing for thing in gc.get_objects() if isinstance(thing, Document)] == []
    assert len(result.plan_files) == 2
    assert [(finding.code, finding.line, finding.col) for finding in result.findings] == [
        ("PB603", following.line("follows:"), 10)]
    document = result.plan_files[1].document()  # read again from the bytes checked
    assert document.data["follows"] == "nobodys-plan"
    assert document.where(("follows",)) == (following.line("follows:"), 10)


FREED = textwrap.dedent("""
    from generator.memory import freed_returned

    def resident():
        with open("/proc/self/status") as status:
            return int(status.read().split("VmRSS:")[1].split()[0]) // 1024

    # Page-sized blocks, each between two small ones that stay (as a page's HTML lies between headlines).
    pages, kept = [], []
    for number in range(3000):
        pages.append(("%06d" % number) * 3500)
        kept.append(("%06d" % number) * 200)
    full = resident()
    del pages
    freed = resident()
    returned = freed_returned()
    print(full, freed, resident(), returned)
""")


@pytest.mark.skipif(not GLIBC or not Path("/proc/self/status").exists(), reason="glibc's malloc_trim, on Linux")
def test_freed_page_html_goes_back_to_the_system():
    """60 MiB of freed page-sized blocks, each between blocks still in use: the heap keeps them until
    `freed_returned`, and then the process is 40 MiB smaller or more."""
    done = subprocess.run([sys.executable, "-c", FREED], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent.parent)
    full, freed, returned, could = done.stdout.split()
    assert could == "True"
    assert int(freed) > int(full) - 20  # freeing alone leaves them with the process
    assert int(returned) < int(freed) - 40


def test_a_build_returns_freed_page_html_as_it_goes(tmp_path, monkeypatch):
    """A build gives memory back every RETURN_EVERY generated pages it finishes; a preview does not need to."""
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-20")
    root = _site_of_two_plans(tmp_path / "site")
    monkeypatch.chdir(root)
    calls = []
    monkeypatch.setattr(plugin_module, "RETURN_EVERY", 2)
    monkeypatch.setattr(plugin_module, "freed_returned", lambda: calls.append(1) or True)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "built"))
    mkdocs_build(config)
    finished = sum(1 for page in config.plugins["playbook"].result.pages.values() if page.body == "")
    assert finished >= 6 and len(calls) == finished // 2


@pytest.mark.parametrize("later", [True, False], ids=["rendering while MkDocs goes on", "rendered first"])
def test_no_collector_pass_walks_a_run_before_it_is_set_aside(tmp_path, monkeypatch, later):
    """From the check until the workers fork, a build on many cores makes its records with the collector paused:
    each pass would walk every record made so far (0.7 s of a 5,000-plan build, on one core while the other
    waited), only for the records to be set aside once they are made. The collector is on again after."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)
    root = _site_of_two_plans(tmp_path / "site")
    project = load_project(root / "mkdocs.yml")
    events = []
    real_long_lived = parallel.long_lived
    monkeypatch.setattr(parallel, "long_lived", lambda: events.append("set aside") or real_long_lived())

    def seen(phase, info):
        if phase == "start":
            events.append("pass")

    gc.callbacks.append(seen)
    try:
        made = build(project, today=date(2026, 11, 20), audience=Audience("all"), jobs=2, later=later)
        made.rendered()
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()
    assert "set aside" in events and "pass" not in events[:events.index("set aside")]
    assert gc.isenabled()


def test_a_run_on_many_cores_is_set_aside_from_the_collector_until_the_next_run(tmp_path, monkeypatch):
    """The records a build renders from stay out of the cycle collector's passes (here and in the forked
    workers) for the rest of the build; the next run gives them back, so a process that builds again frees
    what the last build left."""
    monkeypatch.setattr(parallel, "SMALLEST", 1)  # these few plans are dealt out as thousands would be
    root = _site_of_two_plans(tmp_path / "site")
    project = load_project(root / "mkdocs.yml")
    try:
        first = build(project, today=date(2026, 11, 20), audience=Audience("all"), jobs=2)
        assert gc.get_freeze_count() > 0
        record = first.plans[0].plan
        assert not any(record is thing for thing in gc.get_objects())  # set aside: no pass walks it
        del first, record
        prepare(project, today=date(2026, 11, 20), audience=Audience("all"))
        assert gc.get_freeze_count() == 0
        one_process = build(project, today=date(2026, 11, 20), audience=Audience("all"), jobs=1)
        assert gc.get_freeze_count() == 0  # nothing forked, nothing set aside
        assert any(one_process.plans[0].plan is thing for thing in gc.get_objects())
    finally:
        gc.unfreeze()
