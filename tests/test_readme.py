"""The README's console examples print what the README says they print.

Every ```console block of README.md is read as a terminal shows it: a `$ playbook ...` line, then the
lines it prints (stdout, then stderr). Each command that shows output runs in-process, in a copy of the
repository's mkdocs.yml, plans/ and playbook/ made a git repository whose last commit is the change the
`playbook diff` example describes. Its output must be what the README shows, except that a line ending
in `...` shows only how the line begins, and a commit id stands for whichever id the copy's commit got.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from sitekit import REPO

README = REPO / "README.md"
COMMIT_ID = re.compile(r"\b[0-9a-f]{7}\b")
# The change `playbook diff HEAD~1 HEAD` shows in the README: the last commit of the copy makes it.
DIFF_PLAN = "plans/emea-west/jordan-lee-pip-2026-10.yaml"
DIFF_BEFORE = "targets: {discovery-to-demo: 26, qualified-meetings: 5}"
DIFF_AFTER = "targets: {discovery-to-demo: 24, qualified-meetings: 5}"


@dataclass(frozen=True)
class Example:
    line: int  # where the command stands in README.md
    command: str
    output: list[str]


def examples(text: str) -> list[Example]:
    """Each `$ playbook` command of a console block that is followed by the lines it prints."""
    found: list[Example] = []
    in_console = False
    current: Example | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            in_console = line.strip() == "```console"
            current = None
            continue
        if not in_console:
            continue
        if line.startswith("$ "):
            current = Example(number, line[2:], [])
            found.append(current)
        elif current is not None:
            current.output.append(line)
    return [example for example in found if example.output]


def test_the_reader_finds_every_example_that_shows_output():
    shown = [example.command.split()[:2] for example in examples(README.read_text(encoding="utf-8"))]
    assert shown == [["playbook", "sites"], ["playbook", "check"], ["playbook", "new"], ["playbook", "letter"],
                     ["playbook", "diff"]]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Hana Release", "-c", "user.email=hr@example.com", *args], cwd=root,
                   check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path, monkeypatch) -> Path:
    """A copy of the repository's site, with the history the `diff` example reads, as the working folder."""
    root = tmp_path / "repository"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("plans", "playbook"):
        shutil.copytree(REPO / folder, root / folder)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The plans")
    plan = root / DIFF_PLAN
    assert DIFF_BEFORE in plan.read_text(encoding="utf-8")
    plan.write_text(plan.read_text(encoding="utf-8").replace(DIFF_BEFORE, DIFF_AFTER), encoding="utf-8")
    git(root, "commit", "-q", "-am", "A lower milestone target")
    monkeypatch.chdir(root)
    monkeypatch.delenv("PLAYBOOK_TODAY", raising=False)
    monkeypatch.delenv("PLAYBOOK_AUDIENCE", raising=False)
    return root


def matches(expected: str, got: str) -> bool:
    expected, got = COMMIT_ID.sub("<commit>", expected), COMMIT_ID.sub("<commit>", got)
    if expected.endswith("..."):
        return got.startswith(expected[:-3])
    return expected == got


@pytest.mark.parametrize("example", examples(README.read_text(encoding="utf-8")),
                         ids=lambda example: f"line-{example.line}")
def test_a_console_example_prints_what_the_readme_shows(example: Example, repository, capsys):
    words = shlex.split(example.command, comments=True)
    assert words[0] == "playbook", example.command
    main(words[1:])
    captured = capsys.readouterr()
    printed = (captured.out + captured.err).splitlines()
    assert len(printed) == len(example.output) and all(map(matches, example.output, printed)), (
        f"README.md:{example.line}: $ {example.command}\nshown:\n" + "\n".join(example.output)
        + "\nprinted:\n" + "\n".join(printed))

