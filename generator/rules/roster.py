"""PB119: the roster (`plans/_roster.yaml`), read beside the plans."""

from . import input_rule

input_rule("PB119", "roster-invalid", "The roster file cannot be read", """
    `plans/_roster.yaml` lists each team's manager and members, so that the compliance dashboard
    can show who has no growth plan. It is read with the same safe loader as plans, and has one
    shape: `teams: {team-id: {manager: id, name: text, members: [ids]}}`.

    **Fix:** correct the value at the line and column given.
""")
