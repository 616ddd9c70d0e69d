"""`playbook sites OUT` (`generator/sites.py`): every audience's site from one check, the same as
`mkdocs build` makes for that audience, split into shards, and rebuilt only where a plan changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from sitekit import BIN, GOOD, MKDOCS, REPO, TODAY, environment, make_project, run

ALEX = "plans/emea-west/alex-kim-growth-2026-10.yaml"
SITES = {"all", "manager/priya-shah", "manager/dana-brooks", "team/emea-west", "team/na-east",
         "person/alex-kim", "person/jordan-lee", "person/sam-rivera"}
EVERY = ["--audience", "all", "--audience", "manager:*", "--audience", "team:*", "--audience", "person:*"]


def sites(root, out, *options, jobs="1"):
    return main(["sites", str(out), "--config", str(root / "mkdocs.yml"), "--today", TODAY, "--jobs", jobs, *options])


def statuses(stderr: str, out) -> dict[str, str]:
    """The site folder (relative to OUT) of each line `playbook sites` reported, and what it did."""
    found = {}
    for line in stderr.splitlines():
        status, _, rest = line.partition(" ")
        if status in ("built", "unchanged", "failed"):
            folder = Path(rest.strip().split("  ")[0]).resolve()
            found[folder.relative_to(out.resolve()).as_posix()] = status
    return found


def written(out) -> set[str]:
    return {path.parent.relative_to(out).as_posix() for path in out.glob("**/sitemap.xml")}


def search_entries(site) -> list[tuple[str, str, str]]:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return sorted((doc["location"], doc["title"], doc["text"]) for doc in index["docs"])


def pages(site) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*.html")}


@pytest.fixture(scope="module")
def every_site(tmp_path_factory):
    """Every audience's site of the example plans, on two workers: the project and OUT."""
    folder = tmp_path_factory.mktemp("sites")
    root = make_project(folder / "project", GOOD)
    assert sites(root, folder / "out", *EVERY, jobs="2") == 0
    return root, folder / "out"


@pytest.mark.parametrize("audience", ["manager:priya-shah", "team:na-east", "all"])
def test_a_site_is_the_one_mkdocs_build_makes_for_its_audience(every_site, tmp_path, audience):
    root, out = every_site
    assert written(out) == SITES
    result = run([MKDOCS, "build", "--strict", "-f", root / "mkdocs.yml", "-d", tmp_path / "alone"],
                 cwd=root, today=TODAY, env={"PLAYBOOK_AUDIENCE": audience})
    assert result.returncode == 0, result.output
    ours = out / audience.replace(":", "/")
    assert pages(ours) == pages(tmp_path / "alone")
    assert search_entries(ours) == search_entries(tmp_path / "alone")
    assert (ours / "plans.json").read_bytes() == (tmp_path / "alone/plans.json").read_bytes()


def test_a_site_keeps_the_sites_own_settings_as_mkdocs_build_does(tmp_path):
    """Timed check-ins and a site without the shipped pages: each narrowed site is rendered as its build is."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        '        # check_in_time: "09:30"\n        # timezone: Europe/London\n',
        '        check_in_time: "09:30"\n        timezone: Europe/London\n').replace(
        "      plans_dir: plans\n", "      plans_dir: plans\n      pages: false\n")
    config = config[:config.index("\nnav:")] + "\n"  # the site's own pages only: no nav of the shipped ones
    root = make_project(tmp_path / "project", GOOD, config=config)
    shutil.rmtree(root / "playbook")
    (root / "playbook").mkdir()
    (root / "playbook" / "index.md").write_text("# Our plans\n", encoding="utf-8")
    assert sites(root, tmp_path / "out", "--audience", "manager:priya-shah") == 0
    result = run([MKDOCS, "build", "--strict", "-f", root / "mkdocs.yml", "-d", tmp_path / "alone"],
                 cwd=root, today=TODAY, env={"PLAYBOOK_AUDIENCE": "manager:priya-shah"})
    assert result.returncode == 0, result.output
    ours = tmp_path / "out" / "manager" / "priya-shah"
    assert pages(ours) == pages(tmp_path / "alone")
    calendar = (ours / "plans/jordan-lee-pip-2026-10/plan.ics").read_bytes()
    assert calendar == (tmp_path / "alone/plans/jordan-lee-pip-2026-10/plan.ics").read_bytes()
    assert b"TZID=Europe/London" in calendar


def test_shards_split_the_audiences_between_them(tmp_path):
    root = make_project(tmp_path / "project", GOOD)
    shards = []
    for index in (1, 2, 3):
        out = tmp_path / f"shard-{index}"
        assert sites(root, out, *EVERY, "--shard", f"{index}/3") == 0
        shards.append(written(out))
    assert set().union(*shards) == SITES and sum(map(len, shards)) == len(SITES)
    assert all(len(shard) in (2, 3) for shard in shards)


def test_a_rerun_rebuilds_only_the_sites_that_hold_the_edited_plan(tmp_path, capsys):
    root = make_project(tmp_path / "project", GOOD)
    out = tmp_path / "out"
    assert sites(root, out, *EVERY) == 0
    assert set(statuses(capsys.readouterr().err, out).values()) == {"built"}
    assert sites(root, out, *EVERY) == 0
    assert set(statuses(capsys.readouterr().err, out).values()) == {"unchanged"}

    plan = root / ALEX
    plan.write_text(plan.read_text(encoding="utf-8").replace("role: Senior", "role: Principal"), encoding="utf-8")
    assert sites(root, out, *EVERY) == 0
    done = statuses(capsys.readouterr().err, out)
    assert {folder for folder, status in done.items() if status == "built"} == {
        "all", "manager/priya-shah", "team/emea-west", "person/alex-kim"}
    assert "Principal" in (out / "person/alex-kim/plans/alex-kim-growth-2026-10/index.html").read_text(encoding="utf-8")


def test_patterns_name_only_audiences(tmp_path, capsys):
    root = make_project(tmp_path / "project", GOOD)
    assert sites(root, tmp_path / "out", "--audience", "boss:*") == 2
    assert "manager:*, team:* or person:*" in capsys.readouterr().err
    assert sites(root, tmp_path / "out", "--audience", "all", "--shard", "4/3") == 2
    assert sites(root, root / "playbook" / "out", "--audience", "all") == 2
    assert not (tmp_path / "out").exists()


def test_plans_that_fail_the_check_write_no_site(tmp_path, capsys):
    root = make_project(tmp_path / "project", GOOD)
    plan = root / ALEX
    plan.write_text(plan.read_text(encoding="utf-8").replace("kind: growth", "kind: growht"), encoding="utf-8")
    assert sites(root, tmp_path / "out", *EVERY) == 1
    error = capsys.readouterr().err
    assert "alex-kim-growth-2026-10.yaml:" in error and "no site was written" in error
    assert not (tmp_path / "out").exists() or not written(tmp_path / "out")


def test_the_threat_model_workflow_builds_every_listed_site_once_across_its_shards(tmp_path, capsys):
    """The CI workflow the threat-model page publishes: the roster's audiences dealt into shards, and
    each shard's build step run by a shell as its job would run it."""
    page = (REPO / "playbook/reference/threat-model.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(page.split("```yaml\n", 1)[1].split("```", 1)[0])
    [step] = [step for step in workflow["jobs"]["build"]["steps"] if step.get("name", "").startswith("Build each")]
    root = make_project(tmp_path / "project", GOOD)
    (root / "plans/_roster.yaml").write_text(ROSTER, encoding="utf-8")
    assert main(["audiences", "--shards", "2", "--config", str(root / "mkdocs.yml")]) == 0
    shards = json.loads(capsys.readouterr().out)
    for audiences in shards:
        env = environment(TODAY, {"AUDIENCES": " ".join(audiences), "PATH": f"{BIN}:{os.environ['PATH']}"})
        done = subprocess.run(["bash", "-c", step["run"]], cwd=root, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    listed = {audience.replace(":", "/") for shard in shards for audience in shard}
    assert listed >= {"all", "playbook", "manager/priya-shah", "team/na-east", "person/jordan-lee"}
    assert written(root / "sites") == listed


ROSTER = """\
people:
  jordan-lee: {identity: jordan.lee@sso.example.org}
  alex-kim: {identity: alex.kim@sso.example.org}
  sam-rivera: {identity: sam.rivera@sso.example.org}
  priya-shah: {identity: priya.shah@sso.example.org}
  dana-brooks: {identity: dana.brooks@sso.example.org}
teams:
  emea-west: {manager: priya-shah, members: [jordan-lee, alex-kim]}
  na-east: {manager: dana-brooks, members: [sam-rivera]}
hr: [people-team@sso.example.org]
"""


def test_a_named_audience_must_be_known(tmp_path, capsys):
    root = make_project(tmp_path / "project", GOOD)
    assert sites(root, tmp_path / "out", "--audience", "manager:priya-shha") == 2
    assert "did you mean `priya-shah`" in capsys.readouterr().err


def test_a_rerun_renders_only_the_plans_that_changed(tmp_path, monkeypatch, capsys):
    import generator.render.site as site

    rendered = []
    real = site.render_plan
    monkeypatch.setattr(site, "render_plan", lambda plan, *args: rendered.append(plan.id) or real(plan, *args))
    root = make_project(tmp_path / "project", GOOD)
    out = tmp_path / "out"
    assert sites(root, out, "--audience", "all") == 0
    assert sorted(rendered) == sorted(path.stem for path in (root / "plans").rglob("*.yaml"))
    rendered.clear()
    plan = root / ALEX
    plan.write_text(plan.read_text(encoding="utf-8").replace("role: Senior", "role: Principal"), encoding="utf-8")
    shutil.rmtree(out / "all")  # the site is written again whole; its other plans' pages come from the cache
    assert sites(root, out, "--audience", "all") == 0
    assert rendered == ["alex-kim-growth-2026-10"]
    assert "Principal" in (out / "all/plans/alex-kim-growth-2026-10/index.html").read_text(encoding="utf-8")


def test_the_page_cache_holds_no_private_text_and_a_damaged_entry_is_rendered_again(tmp_path, capsys):
    root = make_project(tmp_path / "project", GOOD)
    plan = root / ALEX
    plan.write_text(plan.read_text(encoding="utf-8") + "private: SECRET-CACHE-NOTE\n", encoding="utf-8")
    out = tmp_path / "out"
    assert sites(root, out, "--audience", "all") == 0
    entries = [path for path in (out / ".cache" / "pages").rglob("*") if path.is_file()]
    assert entries and not any(b"SECRET-CACHE-NOTE" in path.read_bytes() for path in entries)
    made = {name: (out / "all/plans/alex-kim-growth-2026-10" / name).read_bytes() for name in ("index.html", "plan.ics")}
    for path in entries:
        path.write_bytes(path.read_bytes().replace(b"Alex", b"Alec"))  # damaged: rendered again
    shutil.rmtree(out / "all")
    assert sites(root, out, "--audience", "all") == 0
    assert made == {name: (out / "all/plans/alex-kim-growth-2026-10" / name).read_bytes() for name in made}
