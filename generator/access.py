"""Who opens which site: the access map of a set of built audience sites, made from the roster.

Each audience is built as a site of its own, into one folder per audience under a common root
(`PLAYBOOK_AUDIENCE=manager:priya-shah mkdocs build -d sites/manager/priya-shah`):

| site folder       | audience        | who opens it                                        |
| ----------------- | --------------- | --------------------------------------------------- |
| `all/`            | `all`           | HR                                                  |
| `manager/<id>/`   | `manager:<id>`  | that manager, and HR                                |
| `team/<team>/`    | `team:<team>`   | the team's manager on the roster, and HR            |
| `person/<id>/`    | `person:<id>`   | that person, and HR                                 |
| `playbook/`       | `playbook`      | everyone with an identity on the roster, and HR     |

A site is served at the address of its folder (`/manager/priya-shah/`). "HR" is the roster's `hr:`
list; a site whose people have no identity on the roster opens for HR only. A team site is for
the team's leader, not its members: they would see each other's plans.

The map is written two ways: an nginx configuration fragment that serves the sites and lets a
request through only when the identity header set by the sign-on proxy belongs to the site's
audience, and JSON (site address -> identities) for other gateways. Anything the map does not
name is refused. Neither authenticates anyone: the header is trusted, so nothing but the sign-on
proxy may reach the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .audience import Audience
from .config import Project
from .findings import Finding
from .model import Roster
from .roster import ROSTER_FILE, read_roster

DEFAULT_HEADER = "X-Auth-Request-Email"  # what oauth2-proxy sets in front of nginx
DEFAULT_LISTEN = "127.0.0.1:8080"
LAYOUT = "all/, playbook/, manager/<id>/, team/<team>/ and person/<id>/"
_SCOPED_FOLDERS = ("manager", "team", "person")
_HEADER_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_LISTEN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:[]-")
_NGINX_MAP_WORDS = frozenset({"default", "hostnames", "include", "volatile"})


class AccessError(Exception):
    """The map cannot be written; the message says what to change."""


def site_folder(audience: Audience) -> str:
    """Where an audience's site lives under the sites folder, and its address: `manager/priya-shah`."""
    return audience.kind if audience.id is None else f"{audience.kind}/{audience.id}"


@dataclass(frozen=True)
class SiteAccess:
    """One built site and the identities, besides HR's, that open it."""

    audience: Audience
    identities: tuple[str, ...]

    @property
    def folder(self) -> str:
        return site_folder(self.audience)

    @property
    def path(self) -> str:
        return f"/{self.folder}/"


@dataclass(frozen=True)
class AccessMap:
    """Every built site with who opens it; `hr` open them all."""

    sites: tuple[SiteAccess, ...]
    hr: tuple[str, ...]

    def openers(self, site: SiteAccess) -> list[str]:
        """Everyone who opens `site`, HR included, each once (identities compare ignoring case)."""
        return _unique(self.hr + site.identities)

    def for_hr_only(self) -> list[SiteAccess]:
        """The sites that no identity but HR's opens: their people have none on the roster."""
        return [site for site in self.sites if not site.identities and site.audience.kind != "all"]


def _unique(identities: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for identity in identities:
        seen.setdefault(identity.lower(), identity)
    return sorted(seen.values(), key=str.lower)


def find_sites(sites_dir: Path) -> list[Audience]:
    """The audiences whose sites are in `sites_dir`; AccessError for anything else there."""
    if not sites_dir.is_dir():
        raise AccessError(f"{sites_dir}: no such folder")
    found: list[Audience] = []
    for entry in sorted(sites_dir.iterdir()):
        if entry.name in ("all", "playbook"):
            found.append(_site(entry, entry.name))
        elif entry.name in _SCOPED_FOLDERS and entry.is_dir() and not entry.is_symlink():
            found += [_site(site, f"{entry.name}:{site.name}") for site in sorted(entry.iterdir())]
        else:
            raise AccessError(f"{entry}: not an audience's site; the sites folder holds {LAYOUT}")
    if not found:
        raise AccessError(f"{sites_dir}: no site in it; the sites folder holds {LAYOUT}")
    return found


def _site(folder: Path, audience_text: str) -> Audience:
    try:
        audience = Audience.parse(audience_text)
    except ValueError:
        raise AccessError(f"{folder}: not an audience's site (folder names are ids such as priya-shah); "
                          f"the sites folder holds {LAYOUT}") from None
    if folder.is_symlink() or not folder.is_dir():
        raise AccessError(f"{folder}: a site is a folder, not a file or a link")
    return audience


def access_map(roster: Roster, audiences: Iterable[Audience]) -> AccessMap:
    """Who opens each of these sites, by the roster."""
    everyone = tuple(_unique(person.identity for person in roster.people.values() if person.identity))

    def identities(audience: Audience) -> tuple[str, ...]:
        if audience.kind == "all":
            return ()
        if audience.kind == "playbook":
            return everyone
        if audience.kind == "team":
            team = roster.teams.get(audience.id)
            holder = team.manager if team else None
        else:
            holder = audience.id
        identity = roster.identity(holder)
        return (identity,) if identity else ()

    return AccessMap(tuple(SiteAccess(audience, identities(audience)) for audience in audiences),
                     tuple(_unique(roster.hr)))


def audiences_for(roster: Roster) -> list[Audience]:
    """The sites the roster calls for: HR's, the playbook, each team and its manager, and each person
    with an identity (the site of a person without one would open for HR only, who have `all`)."""
    managers = sorted({team.manager for team in roster.teams.values()})
    return ([Audience("all"), Audience("playbook")]
            + [Audience("manager", manager) for manager in managers]
            + [Audience("team", team) for team in sorted(roster.teams)]
            + [Audience("person", person) for person, entry in sorted(roster.people.items()) if entry.identity])


def shards(audiences: list[Audience], count: int) -> list[list[str]]:
    """`audiences` dealt into at most `count` shards of nearly equal size, for a CI matrix."""
    return [[str(audience) for audience in audiences[start::count]] for start in range(min(count, len(audiences)))]


def project_roster(project: Project) -> tuple[Roster | None, list[Finding]]:
    """The project's roster, or its findings; AccessError when there is none."""
    shown = project.shown(project.plans_dir)
    roster, findings = read_roster(project.plans_dir, shown, project.settings.policy.max_file_bytes, project.root)
    if roster is None and not findings:
        raise AccessError(f"no roster at {shown / ROSTER_FILE}: who opens which site is read from its identities")
    return roster, findings


# --------------------------------------------------------------------------------------------
# Publishing the map
# --------------------------------------------------------------------------------------------

def header_variable(header: str) -> str:
    """nginx's variable for a request header: X-Auth-Request-Email -> $http_x_auth_request_email."""
    if not 1 <= len(header) <= 64 or not _HEADER_CHARACTERS.issuperset(header) or header[0] == "-":
        raise AccessError(f"--header: {header[:64]!r} is not a header name such as {DEFAULT_HEADER} "
                          "(letters, digits and dashes)")
    return "$http_" + header.lower().replace("-", "_")


def access_json(access: AccessMap, *, header: str = DEFAULT_HEADER) -> str:
    """The map as JSON: the header to read, and each site's address with the identities that open it."""
    header_variable(header)
    sites = {site.path: access.openers(site) for site in access.sites}
    return json.dumps({"header": header, "identities_ignore_case": True, "sites": sites}, indent=2) + "\n"


def nginx_config(access: AccessMap, *, root: Path, header: str = DEFAULT_HEADER,
                 listen: str = DEFAULT_LISTEN) -> str:
    """An nginx fragment for the `http` block: two maps and a server that serves the sites under `root`."""
    variable = header_variable(header)
    root_text = str(root)
    if not root.is_absolute() or any(not c.isprintable() or c in '"\\$' for c in root_text):
        raise AccessError(f"--root: {root_text!r} is not an absolute path nginx can read "
                          "(no quotes, backslashes or `$`)")
    if not listen or not _LISTEN_CHARACTERS.issuperset(listen):
        raise AccessError(f"--listen: {listen[:64]!r} is not an address such as {DEFAULT_LISTEN}")
    allowed = [f"{site.folder} {identity}" for site in access.sites for identity in _unique(site.identities)]
    lines = [
        "# Who opens which site: written by `playbook access --format nginx` from the roster.",
        "# Include it in nginx's `http` block, behind the sign-on proxy only: the proxy authenticates",
        f"# each request and sets {header}; this server trusts that header, so nothing but the",
        f"# proxy may reach {listen}. Identities compare ignoring case, as nginx's `map` does.",
        "# The fragment sets the map hash sizes its maps need: set them nowhere else in the http block.",
        "",
        f"map_hash_bucket_size {_bucket_size(allowed + list(access.hr))};",
        f"map_hash_max_size {max(2048, 4 * (len(allowed) + len(access.hr)))};",
        "",
        "# 1 for HR: they open every site.",
        f"map {variable} $playbook_hr {{",
        "    default 0;",
        *(f'    "{_map_key(identity)}" 1;' for identity in access.hr),
        "}",
        "",
        "# 1 when the identity opens the site the request is for ($playbook_site, set by its location).",
        f'map "$playbook_site {variable}" $playbook_allowed {{',
        "    default $playbook_hr;",
        *(f'    "{key}" 1;' for key in allowed),
        "}",
        "",
        "server {",
        f"    listen {listen};",
        f'    root "{root_text}";',
        "    merge_slashes on;  # //person/x/ is /person/x/, and is checked as such",
        "    disable_symlinks on from=$document_root;",
        "    autoindex off;",
        "    server_tokens off;",
        '    add_header Cache-Control "private" always;  # no cache shared between audiences',
        "",
        "    # Anything outside every site is refused; locations compare exactly, case included.",
        "    location / {",
        "        return 404;",
        "    }",
    ]
    for site in access.sites:
        lines += [
            "",
            f"    location ^~ {site.path} {{",
            f'        set $playbook_site "{site.folder}";',
            "        if ($playbook_allowed != 1) {",
            "            return 403;",
            "        }",
            "    }",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _map_key(identity: str) -> str:
    """An identity as a key of nginx's `map`, where a few words are the map's own parameters."""
    return "\\" + identity if identity in _NGINX_MAP_WORDS else identity


def _bucket_size(keys: list[str]) -> int:
    """A `map_hash_bucket_size` that holds the longest key (nginx refuses to start otherwise)."""
    needed = max((len(key) for key in keys), default=0) + 32
    size = 64
    while size < needed:
        size *= 2
    return size

