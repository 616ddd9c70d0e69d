"""The suite itself: it passes on a busy machine, and runs the CLI in this process unless a test needs another.

No test asserts a number of seconds (growth.py compares the cost of an input with that of one four times
larger instead; speed is measured in benchmarks/). A test that starts the installed `playbook` command in a
process of its own says why it must.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CLOCKS = re.compile(r"\btime\.(perf_counter|time|monotonic)\(")
# Waiting for a server to answer is not a measurement: sitekit's `Server.wait_for` and the nginx fixture of
# test_access.py each have a deadline.
CLOCKS_ALLOWED = {"sitekit.py", "test_access.py"}
# Tests that need the installed command in a process of its own: bytes that are not UTF-8 as arguments.
PROCESS_ALLOWED = {"test_hostile.py"}
STARTS_PLAYBOOK = re.compile(r"\b(run|Popen)\(\s*\[[^\]]*(PLAYBOOK\b|with_name\(\"playbook\"\)|\"playbook\")")


def sources() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(TESTS.rglob("*.py"))}


def test_no_test_reads_a_clock():
    found = [name for name, text in sources().items() if CLOCKS.search(text) and name not in CLOCKS_ALLOWED]
    assert found == []


def test_no_test_starts_the_playbook_command_without_needing_a_process():
    found = [name for name, text in sources().items()
             if STARTS_PLAYBOOK.search(text) and name not in PROCESS_ALLOWED]
    assert found == []
