"""The roster's identities: `playbook check` reads `plans/_roster.yaml` and refuses an identity that is
not one (PB120) or that two entries share (PB121), at the line and column of the value, without
repeating it. Each test makes one change to a valid roster (the `PlanText.change` idiom).
"""

from __future__ import annotations

import json
import string

from hypothesis import given, strategies as st

from conftest import PIP, PlanText
from generator.cli import main
from generator.model import identity_problem

ROSTER = PlanText("""\
people:
  jordan-lee:
    identity: jordan.lee@sso.example.org
  priya-shah:
    identity: "auth0|5f7c8ec7c33c6c004bbafe82"
  sam-ortiz:
    identity: sam.ortiz@sso.example.org
teams:
  emea-west:
    manager: priya-shah
    members: [jordan-lee]
hr:
  - sam.ortiz@sso.example.org
  - people-team@sso.example.org
""")


def check_roster(tmp_path, capsys, roster: str) -> tuple[int, list[dict], str]:
    """`playbook check --format json` of a project whose plans folder holds one valid plan and `roster`."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Roster\n", encoding="utf-8")
    plans = tmp_path / "plans"
    (plans / "emea-west").mkdir(parents=True, exist_ok=True)
    (plans / "emea-west" / "jordan-lee-pip-2026-11.yaml").write_text(PIP, encoding="utf-8")
    (plans / "_roster.yaml").write_text(roster, encoding="utf-8")
    status = main(["check", "--config", str(tmp_path / "mkdocs.yml"), "--format", "json", "--today", "2026-11-20"])
    out, err = capsys.readouterr()
    return status, json.loads(out), out + err


def test_a_roster_with_identities_passes(tmp_path, capsys):
    status, found, _ = check_roster(tmp_path, capsys, ROSTER)
    assert (status, found) == (0, [])


def test_identities_are_optional_and_the_old_shape_still_reads(tmp_path, capsys):
    status, found, _ = check_roster(tmp_path, capsys, "teams:\n  emea-west:\n    manager: priya-shah\n"
                                                      "    members: [jordan-lee]\n")
    assert (status, found) == (0, [])


def only(found: list[dict], code: str) -> dict:
    assert [f["code"] for f in found] == [code], found
    return found[0]


def test_pb120_an_identity_with_a_space_is_refused_where_it_is_written(tmp_path, capsys):
    roster = ROSTER.change("jordan.lee@sso.example.org", "jordan lee@sso.example.org")
    status, found, output = check_roster(tmp_path, capsys, roster)
    finding = only(found, "PB120")
    assert status == 1
    assert (finding["line"], finding["col"]) == (roster.line("jordan lee@"), 15)
    assert finding["path"].endswith("_roster.yaml") and "a space" in finding["message"]
    assert "jordan lee@" not in output


def test_pb120_an_hr_identity_that_is_not_an_address_is_refused_in_the_list(tmp_path, capsys):
    roster = ROSTER.change("  - people-team@sso.example.org", "  - people-team@sso")
    finding = only(check_roster(tmp_path, capsys, roster)[1], "PB120")
    assert (finding["line"], finding["col"]) == (roster.line("people-team@sso"), 5)
    assert "one `@` and a domain" in finding["message"]


def test_pb120_a_very_long_identity_is_refused_by_its_length(tmp_path, capsys):
    roster = ROSTER.change("jordan.lee@sso.example.org", "j" * 300_000 + "@sso.example.org")
    finding = only(check_roster(tmp_path, capsys, roster)[1], "PB120")
    assert "1 to 254 characters" in finding["message"]


def test_pb120_an_identity_must_be_text(tmp_path, capsys):
    roster = ROSTER.change("jordan.lee@sso.example.org", "[jordan]")
    finding = only(check_roster(tmp_path, capsys, roster)[1], "PB119")
    assert finding["line"] == roster.line("[jordan]") and "identity" in finding["message"]


def test_pb121_two_people_with_one_identity_differing_in_case_are_refused_at_the_second(tmp_path, capsys):
    roster = ROSTER.change("sam.ortiz@sso.example.org\nteams", "Jordan.Lee@SSO.example.org\nteams")
    status, found, output = check_roster(tmp_path, capsys, roster)
    finding = only(found, "PB121")
    assert status == 1
    assert (finding["line"], finding["col"]) == (roster.line("Jordan.Lee@SSO"), 15)
    assert "people.jordan-lee.identity" in finding["message"]
    assert "Jordan.Lee@SSO" not in output and "jordan.lee@sso" not in finding["message"]


def test_pb121_an_hr_identity_listed_twice_is_refused(tmp_path, capsys):
    roster = ROSTER.change("  - people-team@sso.example.org", "  - people-team@sso.example.org\n"
                                                                "  - PEOPLE-TEAM@sso.example.org")
    finding = only(check_roster(tmp_path, capsys, roster)[1], "PB121")
    assert (finding["line"], finding["col"]) == (roster.line("PEOPLE-TEAM"), 5)
    assert "hr.1" in finding["message"]


def test_an_hr_identity_may_be_a_persons_own(tmp_path, capsys):
    # sam-ortiz is an HR partner on the roster and in `hr:`: one person, one identity.
    assert ROSTER.count("sam.ortiz@sso.example.org") == 2
    assert check_roster(tmp_path, capsys, ROSTER)[:2] == (0, [])


_LOCAL = st.text(alphabet=string.ascii_letters + string.digits + "._+-", min_size=1, max_size=40)
_LABEL = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=20)


@given(first=st.sampled_from(string.ascii_letters + string.digits), local=_LOCAL,
       labels=st.lists(_LABEL, min_size=2, max_size=4))
def test_every_plain_email_address_is_an_identity(first, local, labels):
    assert identity_problem(f"{first}{local}@{'.'.join(labels)}") is None


@given(before=st.text(max_size=30), bad=st.sampled_from(' "\'\\$;{}#~\t\né,<>'), after=st.text(max_size=30))
def test_no_identity_holds_a_character_a_server_configuration_could_read(before, bad, after):
    assert identity_problem(f"a{before}{bad}{after}") is not None
