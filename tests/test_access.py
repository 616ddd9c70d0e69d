"""Who opens which site: `playbook access` turns the roster into an access map, and a real nginx serving
real builds lets each identity into its own sites only.

The sites are built with `mkdocs build --strict` per audience, into the documented layout
(`sites/person/<id>/`, ...), from the three example plans and a roster with identities. Debian's
nginx is started on 127.0.0.1 with the generated fragment; the identity header stands in for the
sign-on proxy. Requests are sent with http.client, so that their paths reach the server as written.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest

from generator.cli import main
from sitekit import GOOD, MKDOCS, environment, free_port, in_process, make_project, stop

HEADER = "X-Auth-Request-Email"
NGINX = os.environ.get("PLAYBOOK_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"

JORDAN, ALEX, SAM = "jordan.lee@sso.example.org", "alex.kim@sso.example.org", "sam.rivera@sso.example.org"
PRIYA, DANA, HR = "priya.shah@sso.example.org", "dana.brooks@sso.example.org", "people-team@sso.example.org"
IDENTITIES = (JORDAN, ALEX, SAM, PRIYA, DANA, HR)

ROSTER = f"""\
people:
  jordan-lee: {{identity: {JORDAN}}}
  alex-kim: {{identity: {ALEX}}}
  sam-rivera: {{identity: {SAM}}}
  priya-shah: {{identity: {PRIYA}}}
  dana-brooks: {{identity: {DANA}}}
teams:
  emea-west: {{manager: priya-shah, members: [jordan-lee, alex-kim]}}
  na-east: {{manager: dana-brooks, members: [sam-rivera]}}
hr: [{HR}]
"""

# Each site with a plan page that only it holds (the `all` site holds them all).
SITES = {
    "all": "plans/jordan-lee-pip-2026-10/",
    "playbook": "",
    "manager/priya-shah": "plans/alex-kim-growth-2026-10/",
    "manager/dana-brooks": "plans/sam-rivera-coaching-2026-11/",
    "team/emea-west": "plans/jordan-lee-pip-2026-10/",
    "team/na-east": "plans/sam-rivera-coaching-2026-11/",
    "person/jordan-lee": "plans/jordan-lee-pip-2026-10/",
    "person/alex-kim": "plans/alex-kim-growth-2026-10/",
    "person/sam-rivera": "plans/sam-rivera-coaching-2026-11/",
    "person/priya-shah": "",  # managers have sites of their own too, empty while they have no plan
    "person/dana-brooks": "",
}


# --------------------------------------------------------------------------------------------
# The sites, the map, the server
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("access") / "project", GOOD)
    (root / "plans" / "_roster.yaml").write_text(ROSTER, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites(project) -> Path:
    """Every audience's site, built as the threat-model page says: the roster's audiences dealt into
    shards (`playbook audiences --shards 2`), each shard a job that runs one `mkdocs build` per audience."""
    listed = in_process(["audiences", "--shards", "2"], project)
    assert listed.returncode == 0, listed.stderr
    target = project / "sites"

    def build_shard(audiences: list[str]) -> None:
        for audience in audiences:
            env = environment("2026-11-20")
            env["PLAYBOOK_AUDIENCE"] = audience
            done = subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(target / audience.replace(":", "/", 1))],
                                  cwd=project, env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"{audience}:\n{done.stdout}{done.stderr}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(build_shard, json.loads(listed.stdout)))
    return target


@pytest.mark.slow
def test_the_roster_calls_for_a_site_per_team_manager_and_person_with_an_identity(sites):
    built = {"all", "playbook"} | {f"{kind}/{site.name}" for kind in ("manager", "team", "person")
                                   for site in (sites / kind).iterdir()}
    assert built == set(SITES) and all((sites / folder / "index.html").is_file() for folder in SITES)


def access(project: Path, sites: Path, capsys, *options: str) -> tuple[int, str, str]:
    """`playbook access SITES ...` in-process: (exit status, stdout, stderr)."""
    status = main(["access", str(sites), "--config", str(project / "mkdocs.yml"), *options])
    out, err = capsys.readouterr()
    return status, out, err


@contextlib.contextmanager
def nginx(fragment: str, folder: Path) -> Iterator[int]:
    """Debian's nginx in the foreground, as this user, with its own prefix, configuration, pid and logs in
    `folder`, serving `fragment` (made with `--listen 127.0.0.1:<port>`, the port it yields)."""
    if not Path(NGINX).is_file():
        pytest.fail(f"no nginx at {NGINX}: apt-get install nginx (or set PLAYBOOK_NGINX)")
    port = free_port()
    folder.mkdir(parents=True)
    (folder / "access.conf").write_text(fragment.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};"),
                                        encoding="utf-8")
    temp_paths = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in
                           ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(f"""\
daemon off;
master_process off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"};
events {{ worker_connections 64; }}
http {{
    access_log {folder / "access.log"};
{temp_paths}
    include {folder / "access.conf"};
}}
""", encoding="utf-8")
    log = folder / "error.log"
    command = [NGINX, "-p", f"{folder}/", "-c", str(folder / "nginx.conf"), "-e", str(log)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited with {process.returncode}:\n{log.read_text() if log.exists() else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not listen on {port} within 20 s:\n{log.read_text()}")
                time.sleep(0.05)
        yield port
    finally:
        stop(process)


@pytest.fixture(scope="module")
def server(project, sites, tmp_path_factory) -> Iterator[int]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):  # a module's fixture has no capsys
        assert main(["access", str(sites), "--config", str(project / "mkdocs.yml")]) == 0
    with nginx(output.getvalue(), tmp_path_factory.mktemp("nginx") / "server") as port:
        yield port


def get(port: int, path: str, identity: str | None) -> tuple[int, bytes]:
    """GET `path` exactly as written, with the identity header when one is given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        if identity is not None:
            connection.putheader(HEADER, identity)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def opens(port: int, identity: str | None, folder: str) -> bool:
    """Whether `identity` opens the site in `folder`: its home and its plan page, or neither."""
    home, _ = get(port, f"/{folder}/", identity)
    page, body = get(port, f"/{folder}/{SITES[folder]}", identity)
    assert home == page, f"/{folder}/ answered {home} but its page {page}"
    assert home in (200, 403), home
    assert (home == 200) == (b"mkdocs" in body.lower())  # an answer of 403 carries no page of the site
    return home == 200


def open_sites(port: int, identity: str | None) -> set[str]:
    return {folder for folder in SITES if opens(port, identity, folder)}


# --------------------------------------------------------------------------------------------
# Who opens what, through the real server
# --------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_person_opens_their_own_site_and_no_one_elses(server):
    assert open_sites(server, JORDAN) == {"person/jordan-lee", "playbook"}
    assert open_sites(server, SAM) == {"person/sam-rivera", "playbook"}


@pytest.mark.slow
def test_a_manager_opens_their_site_and_their_teams_and_no_other_managers(server):
    assert open_sites(server, PRIYA) == {"manager/priya-shah", "team/emea-west", "person/priya-shah", "playbook"}
    assert open_sites(server, DANA) == {"manager/dana-brooks", "team/na-east", "person/dana-brooks", "playbook"}


@pytest.mark.slow
def test_hr_opens_every_site(server):
    assert open_sites(server, HR) == set(SITES)


@pytest.mark.slow
@pytest.mark.parametrize("identity", [
    None, "", "mallory@sso.example.org", "jordan.lee@sso.example.org.evil.example", f"{HR}, {JORDAN}",
    f"x{HR}", "sso.example.org", "default", "*",
])
def test_an_unknown_identity_opens_nothing(server, identity):
    assert open_sites(server, identity) == set()


@pytest.mark.slow
def test_identities_compare_ignoring_case_as_the_roster_check_does(server):
    assert open_sites(server, JORDAN.upper()) == {"person/jordan-lee", "playbook"}


@pytest.mark.slow
@pytest.mark.parametrize("path", [
    "/person/jordan-lee/../sam-rivera/",
    "/person/jordan-lee/../../all/",
    "//person/sam-rivera/",
    "/person//sam-rivera/",
    "/person/jordan-lee/%2e%2e/sam-rivera/",
    "/person/jordan-lee/%2E%2E/%2e%2E/all/",
    "/person/jordan-lee/..%2Fsam-rivera/",
    "/person/jordan-lee%2F..%2Fsam-rivera/",
    "/person/jordan-lee/%2e%2e%2fsam-rivera/",
    "/person%2Fsam-rivera/",
    "/person%2fsam-rivera/plans/sam-rivera-coaching-2026-11/",
    "%2Fperson%2Fsam-rivera%2F",
    "/PERSON/sam-rivera/",
    "/Person/jordan-lee/",
    "/person/Jordan-Lee/",
    "/person/sam-rivera",
    "/person/",
    "/",
    "/sites/person/sam-rivera/",
    "/../person/sam-rivera/",
    "/person/jordan-lee/../../../etc/passwd",
    "/person/jordan-lee/./../sam-rivera/",
    "/person/jordan-lee/%252e%252e/sam-rivera/",
])
def test_path_tricks_are_refused_and_never_serve_another_audiences_file(server, path):
    status, body = get(server, path, JORDAN)
    assert status in (400, 403, 404), (status, body[:200])
    assert b"mkdocs" not in body.lower() and b"sam-rivera" not in body and b"root:" not in body


@pytest.mark.slow
def test_the_tricks_lead_jordan_to_their_own_site_only_when_the_path_is_inside_it(server):
    # The same spellings that stay inside Jordan's site open it: the server normalises, then checks.
    home = get(server, "/person/jordan-lee/", JORDAN)
    assert home[0] == 200
    for path in ("/person/jordan-lee/plans/../", "//person//jordan-lee/", "/person/jordan-lee/%2e/",
                 "/person/sam-rivera/../jordan-lee/", "/person/sam-rivera/%2e%2e/jordan-lee/"):
        assert get(server, path, JORDAN) == home, path


@pytest.mark.slow
def test_a_link_inside_a_site_to_another_site_is_not_followed(server, sites):
    link = sites / "person" / "jordan-lee" / "sam"
    link.symlink_to(sites / "person" / "sam-rivera")
    try:
        status, body = get(server, "/person/jordan-lee/sam/", JORDAN)
    finally:
        link.unlink()
    assert status in (403, 404) and b"sam-rivera" not in body


@pytest.mark.slow
def test_every_answer_forbids_shared_caches(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    try:
        for identity, status in ((JORDAN, 200), (SAM, 403)):
            connection.request("GET", "/person/jordan-lee/", headers={HEADER: identity})
            response = connection.getresponse()
            response.read()
            assert (response.status, response.getheader("Cache-Control")) == (status, "private")
    finally:
        connection.close()


@pytest.mark.slow
def test_no_identity_reaches_any_built_file_of_any_audience_or_an_export(project, sites, tmp_path, capsys):
    config = str(project / "mkdocs.yml")
    assert main(["export", str(tmp_path / "site"), "--config", config, "--audience", "all", "--today", "2026-11-20"]) == 0
    assert main(["export", str(tmp_path / "json"), "--config", config, "--format", "json", "--today", "2026-11-20"]) == 0
    files = [path for folder in (sites, tmp_path) for path in folder.rglob("*") if path.is_file()]
    assert len(files) > 100 and (tmp_path / "json" / "plans.json").is_file()
    for path in files:
        text = path.read_bytes().lower()
        assert not [identity for identity in IDENTITIES if identity.encode() in text], path


@pytest.mark.slow
def test_a_manager_who_moves_team_loses_the_old_teams_site_at_the_next_map(project, sites, tmp_path, capsys):
    roster = project / "plans" / "_roster.yaml"
    moved = ROSTER.replace("emea-west: {manager: priya-shah", "emea-west: {manager: dana-brooks").replace(
        "na-east: {manager: dana-brooks", "na-east: {manager: priya-shah")
    assert moved != ROSTER
    roster.write_text(moved, encoding="utf-8")
    try:
        status, fragment, _ = access(project, sites, capsys)
    finally:
        roster.write_text(ROSTER, encoding="utf-8")
    assert status == 0
    with nginx(fragment, tmp_path / "nginx") as port:
        assert open_sites(port, PRIYA) == {"manager/priya-shah", "team/na-east", "person/priya-shah", "playbook"}
        assert open_sites(port, DANA) == {"manager/dana-brooks", "team/emea-west", "person/dana-brooks", "playbook"}


@pytest.mark.slow
def test_a_person_who_leaves_the_roster_opens_nothing_at_the_next_map(project, sites, tmp_path, capsys):
    roster = project / "plans" / "_roster.yaml"
    roster.write_text(ROSTER.replace(f"  jordan-lee: {{identity: {JORDAN}}}\n", ""), encoding="utf-8")
    try:
        status, fragment, err = access(project, sites, capsys)
    finally:
        roster.write_text(ROSTER, encoding="utf-8")
    assert status == 0 and "open to HR only (no identity on the roster): person:jordan-lee" in err
    with nginx(fragment, tmp_path / "nginx") as port:
        assert open_sites(port, JORDAN) == set()
        assert "person/jordan-lee" in open_sites(port, HR)


# --------------------------------------------------------------------------------------------
# The map itself, and what `playbook access` refuses
# --------------------------------------------------------------------------------------------

def site_folders(root: Path, *folders: str) -> Path:
    for folder in folders:
        (root / folder).mkdir(parents=True)
        (root / folder / "index.html").write_text(f"<p>{folder}</p>\n", encoding="utf-8")
    return root


@pytest.fixture
def small(tmp_path) -> Path:
    """A project with the roster and no plans: the map needs only the roster and the sites' folders."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Access\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "_roster.yaml").write_text(ROSTER, encoding="utf-8")
    return tmp_path


def test_the_json_map_names_each_site_with_everyone_who_opens_it(small, capsys):
    sites = site_folders(small / "sites", "all", "playbook", "manager/priya-shah", "team/na-east", "team/nordics",
                         "person/jordan-lee", "person/noor-ali")
    status, out, err = access(small, sites, capsys, "--format", "json", "--header", "X-Forwarded-Email")
    assert status == 0
    assert json.loads(out) == {
        "header": "X-Forwarded-Email",
        "identities_ignore_case": True,
        "sites": {
            "/all/": [HR],
            "/manager/priya-shah/": [HR, PRIYA],
            "/person/jordan-lee/": [JORDAN, HR],
            "/person/noor-ali/": [HR],
            "/playbook/": [ALEX, DANA, JORDAN, HR, PRIYA, SAM],
            "/team/na-east/": [DANA, HR],
            "/team/nordics/": [HR],
        },
    }
    assert "2 sites open to HR only (no identity on the roster): person:noor-ali, team:nordics" in err


def test_the_nginx_map_reads_the_header_it_is_given(small, capsys):
    sites = site_folders(small / "sites", "person/jordan-lee")
    status, out, _ = access(small, sites, capsys, "--header", "X-Forwarded-Email", "--root", "/srv/playbook sites")
    assert status == 0
    assert "map $http_x_forwarded_email $playbook_hr {" in out and "x_auth_request" not in out
    assert 'root "/srv/playbook sites";' in out and "location ^~ /person/jordan-lee/ {" in out


@pytest.mark.parametrize("folder, message", [
    ("people/jordan-lee", "not an audience's site"),
    ("person/Jordan-Lee", "not an audience's site"),
    ("person/..hidden", "not an audience's site"),
    ("all.bak", "not an audience's site"),
])
def test_a_folder_that_is_no_audiences_site_is_refused(small, capsys, folder, message):
    sites = site_folders(small / "sites", "person/jordan-lee", folder)
    status, out, err = access(small, sites, capsys)
    assert (status, out) == (2, "") and message in err and "person/<id>/" in err


def test_a_linked_site_is_refused(small, capsys):
    sites = site_folders(small / "sites", "person/jordan-lee")
    (sites / "person" / "alex-kim").symlink_to(sites / "person" / "jordan-lee")
    status, out, err = access(small, sites, capsys)
    assert (status, out) == (2, "") and "not a file or a link" in err


@pytest.mark.parametrize("options, message", [
    (["--header", "X_Auth_Email"], "--header"),
    (["--header", "X-Auth\r\nX-Evil: 1"], "--header"),
    (["--root", "relative/sites"], "--root"),
    (["--root", '/srv/"sites'], "--root"),
    (["--root", "/srv/$sites"], "--root"),
    (["--listen", "127.0.0.1:8080; include /etc/passwd"], "--listen"),
])
def test_options_that_would_change_the_configuration_are_refused(small, capsys, options, message):
    sites = site_folders(small / "sites", "person/jordan-lee")
    status, out, err = access(small, sites, capsys, *options)
    assert (status, out) == (2, "") and message in err


def test_without_a_roster_there_is_no_map(small, capsys):
    (small / "plans" / "_roster.yaml").unlink()
    status, out, err = access(small, site_folders(small / "sites", "all"), capsys)
    assert (status, out) == (2, "") and "no roster at" in err


def test_a_roster_with_a_bad_identity_writes_no_map_and_says_where(small, capsys):
    roster = small / "plans" / "_roster.yaml"
    roster.write_text(ROSTER.replace(JORDAN, "jordan lee@sso.example.org"), encoding="utf-8")
    status, out, err = access(small, site_folders(small / "sites", "all"), capsys)
    assert (status, out) == (1, "")
    assert "_roster.yaml:2:26: error PB120" in err and "mend them first" in err


def organisation(people: int, team_size: int = 10) -> tuple[str, list[str]]:
    """A roster of `people` with identities, in teams of `team_size` with their manager, and five HR
    identities; and the folders of every site it can have."""
    lines = ["people:"]
    teams = ["teams:"]
    folders = ["all", "playbook"]
    for team in range(people // team_size):
        manager = f"manager-{team:04d}"
        members = [f"person-{team * team_size + n:05d}" for n in range(team_size)]
        lines += [f"  {who}: {{identity: {who}@sso.example.org}}" for who in [manager, *members]]
        teams.append(f"  team-{team:04d}: {{manager: {manager}, members: [{', '.join(members)}]}}")
        folders += [f"manager/{manager}", f"team/team-{team:04d}"] + [f"person/{who}" for who in members]
    hr = "hr: [" + ", ".join(f"hr-{n}@sso.example.org" for n in range(5)) + "]"
    return "\n".join(lines + teams + [hr]) + "\n", folders


@pytest.mark.slow
def test_the_map_of_a_five_thousand_person_organisation_runs_in_nginx(small, tmp_path, capsys):
    roster, folders = organisation(5000)
    (small / "plans" / "_roster.yaml").write_text(roster, encoding="utf-8")
    sites = small / "sites"
    for folder in folders:
        (sites / folder).mkdir(parents=True)
    for folder in ("person/person-04321", "person/person-04322"):
        (sites / folder / "index.html").write_text(f"<p>{folder}</p>\n", encoding="utf-8")
    status, fragment, err = access(small, sites, capsys)
    assert (status, err) == (0, "")
    assert len(folders) == 6002 and fragment.count("location ^~ ") == 6002  # 5,000 people, 500 managers and teams
    with nginx(fragment, tmp_path / "nginx") as port:
        assert get(port, "/person/person-04321/", "person-04321@sso.example.org")[0] == 200
        assert get(port, "/person/person-04322/", "person-04321@sso.example.org")[0] == 403
        assert get(port, "/person/person-04322/", "hr-3@sso.example.org")[0] == 200


def audiences(project: Path, capsys, *options: str) -> tuple[int, str, str]:
    status = main(["audiences", "--config", str(project / "mkdocs.yml"), *options])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_audiences_are_dealt_into_shards_that_hold_each_once(small, capsys):
    status, listed, _ = audiences(small, capsys)
    assert status == 0
    one_a_line = listed.splitlines()
    assert one_a_line[:2] == ["all", "playbook"] and len(one_a_line) == len(SITES)
    status, out, _ = audiences(small, capsys, "--shards", "4")
    dealt = json.loads(out)
    assert status == 0 and [len(shard) for shard in dealt] == [3, 3, 3, 2]
    assert sorted(sum(dealt, [])) == sorted(one_a_line)
    assert len(json.loads(audiences(small, capsys, "--shards", "50")[1])) == len(SITES)  # no empty shard


@pytest.mark.parametrize("shards", ["0", "257", "-1"])
def test_a_number_of_shards_out_of_bounds_is_refused(small, capsys, shards):
    status, out, err = audiences(small, capsys, "--shards", shards)
    assert (status, out) == (2, "") and "--shards" in err


def test_without_a_good_roster_there_are_no_audiences(small, capsys):
    roster = small / "plans" / "_roster.yaml"
    roster.write_text(ROSTER.replace(f"hr: [{HR}]", f"hr: [{HR}, {HR.upper()}]"), encoding="utf-8")
    status, out, err = audiences(small, capsys)
    assert (status, out) == (1, "") and "_roster.yaml:10:35: error PB121" in err
    roster.unlink()
    status, out, err = audiences(small, capsys)
    assert (status, out) == (2, "") and "no roster at" in err
