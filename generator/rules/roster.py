"""PB119-PB121: the roster (`plans/_roster.yaml`), read beside the plans."""

from . import input_rule

input_rule("PB119", "roster-invalid", "The roster file cannot be read", """
    `plans/_roster.yaml` lists each team's manager and members, so that the compliance dashboard
    can show who has no growth plan, and the identities that `playbook access` turns into the
    web server's rules. It is read with the same safe loader as plans, and has one shape:
    `people: {id: {identity: text}}`, `teams: {team-id: {manager: id, name: text, members: [ids]}}`
    and `hr: [identities]`.

    **Fix:** correct the value at the line and column given.
""")

input_rule("PB120", "identity-invalid", "An identity on the roster is not an e-mail address or a sign-on subject", """
    An identity is what the sign-on proxy passes on for a person, and the web server compares it
    with the roster's to decide who opens which site. It is an e-mail address (`name@example.com`)
    or a subject (`auth0|5f7c8ec7`): ASCII letters, digits and `. _ + - @ | : = /`, starting with
    a letter or digit, at most 254 characters. Anything else (a space, a quote, a second `@`) is
    a typo that would lock the person out, or text that does not belong in a server's
    configuration. The finding does not repeat the identity.

    **Fix:** copy the identity as the sign-on shows it; write an international domain in its
    `xn--` form.
""")

input_rule("PB121", "identity-duplicate", "Two entries of the roster have the same identity", """
    An identity opens the sites of one person. If two people on the roster had the same identity
    (compared ignoring case, as e-mail addresses and the web server compare them), whoever signs
    in with it would open both people's sites. An identity listed twice under `hr:` is a copy.
    An HR identity may also be the identity of a person under `people:`: that is the same person.

    **Fix:** give each person their own identity, and list each HR identity once.
""")
