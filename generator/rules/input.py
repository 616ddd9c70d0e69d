"""PB1xx: rules about the file itself, enforced while it is read (`generator.load`) and validated
against the model (`generator.model`). They are listed here so that each has its documentation."""

from . import input_rule

input_rule("PB100", "yaml-syntax", "The file is not valid YAML", """
    The file could not be parsed as YAML: a missing colon, a bad indent, an unclosed quote or
    bracket. Nothing else can be checked until it parses.

    **Fix:** look at the line and column given; the message names what the parser expected.
    Indent with spaces, never tabs.
""")

input_rule("PB101", "not-utf8", "The file is not UTF-8 text", """
    Plans are text files in UTF-8, the encoding every editor and Git host agrees on. A file saved
    in another encoding would show names with broken accents on the site.

    **Fix:** save the file as UTF-8 (most editors offer it in "Save with encoding").
""")

input_rule("PB102", "file-too-large", "The file is larger than the size bound", """
    A plan is a few kilobytes. A file over the bound (1 MiB by default, `policy.max_file_bytes`)
    is almost certainly not a plan, and reading it would slow every build.

    **Fix:** keep one plan per file; move attachments out of the repository.
""")

input_rule("PB103", "several-documents", "The file holds more than one YAML document", """
    Each plan is one file and each file one plan, so that a plan's history in Git is the history
    of one file. A `---` line starts a second document.

    **Fix:** move the second plan into its own file, or remove the `---`.
""")

input_rule("PB104", "duplicate-key", "A key is given twice in the same mapping", """
    YAML parsers silently keep the last of two equal keys, so half of what was written would be
    lost without a word. The second key is reported; the first one is the one that is read.

    **Fix:** merge the two entries into one.
""")

input_rule("PB105", "tag", "A YAML tag (`!something`) is used", """
    Tags ask a parser to build objects of a given type; in the wrong parser that runs code.
    Plans hold plain values only: text, numbers, dates, lists and mappings.

    **Fix:** remove the tag; write the value plainly.
""")

input_rule("PB106", "anchor-alias", "A YAML anchor (`&a`) or alias (`*a`) is used", """
    Anchors and aliases let a few lines expand into gigabytes (the "billion laughs" attack), and
    they hide a value's real content from a reviewer reading the pull request.

    **Fix:** write the repeated value out in full each time.
""")

input_rule("PB107", "too-deep", "Values are nested deeper than the bound", """
    A plan is at most five levels deep. Deeper nesting is either a mistake or an attempt to
    exhaust the reader.

    **Fix:** flatten the structure to the plan format.
""")

input_rule("PB108", "ambiguous-scalar", "A value reads differently in YAML 1.1 and YAML 1.2", """
    YAML 1.1, which many tools still use, reads `no` as false, `1:20` as the number 80 and `010`
    as 8. A manager who writes `title: no` or `baseline: 010` must not get a different value
    from the one they see, so such plain values are refused wherever they appear.

    **Fix:** quote the value if you mean text (`"no"`); write numbers in plain decimal (`10`).
""")

input_rule("PB109", "impossible-date", "A date that does not exist (2026-02-30)", """
    Review and milestone dates drive the calendar, the agenda and every warning letter. A date
    that does not exist is a typo that would otherwise surface in front of an employee.

    **Fix:** correct the date; dates are written `YYYY-MM-DD`.
""")

input_rule("PB110", "not-a-mapping", "The file is not a mapping of plan fields", """
    A plan file holds one mapping (`kind: pip`, `status: active`, ...). An empty file, a list or
    a bare value is not a plan.

    **Fix:** start from `playbook new` or from an example plan.
""")

input_rule("PB111", "unknown-field", "A field that the plan format does not define", """
    A typo such as `consequence:` for `consequences:` would otherwise pass silently and leave the
    plan without its consequences. Every field the format knows is listed in the plan-format
    reference.

    **Fix:** correct the spelling (the message suggests the closest field), or remove the field.
    Free notes belong in `private:`, which is never published.
""")

input_rule("PB112", "missing-field", "A required field is missing", """
    Every plan needs its timetable, criteria and milestones, plus the people it concerns; without
    them it is not a plan anyone can follow or hold to. The position given is the mapping that
    lacks the field.

    **Fix:** add the field (see the plan-format reference for its shape).
""")

input_rule("PB113", "invalid-value", "A value of the wrong type or outside its allowed values", """
    A baseline must be a number, a date a date, a status one of the listed words. Values that do
    not fit would break the progress charts, the calendar and the templates.

    **Fix:** write the value in the type the message asks for; quote text that looks like a number.
""")

input_rule("PB114", "not-a-slug", "An id or name used in a path is not a slug", """
    Ids become URLs and file names. Only lowercase letters, digits and dashes are allowed (at
    most 80 characters, starting with a letter or digit), so that nothing like `../` can point a
    page outside the site.

    **Fix:** use a slug such as `casey-morgan`.
""")

input_rule("PB115", "empty-list", "A list that needs at least one item is empty", """
    Check-in days, review dates, criteria, actions and milestones are what make a plan a plan:
    without at least one of each, nobody knows what is expected or when it is reviewed.

    **Fix:** add at least one item.
""")

input_rule("PB116", "placeholder", "A placeholder from `playbook new` is still in the plan", """
    `playbook new` writes a skeleton whose blanks start with `TODO`. A plan that still holds one
    would publish a blank in a document an employee signs.

    **Fix:** replace each `TODO` with the real value.
""")

input_rule("PB117", "number-out-of-range", "A number beyond plus or minus 10^12", """
    No baseline, target or result in a plan comes near a million millions. A number beyond that
    is a typo or an attempt to break the tools that read plans: integers of thousands of digits
    cannot even be converted, and a value such as `1.0e+400` is infinite, so every progress sum
    made from it would be too.

    **Fix:** write the real value; numbers in a plan lie between -10^12 and 10^12.
""")

input_rule("PB118", "too-many-findings", "More findings in one file than are shown", """
    A plan with mistakes has a few findings, perhaps a few dozen. A file with hundreds is not a
    plan but something else (a data dump, a damaged file, an attempt to flood the CI log), and
    listing every finding would bury the ones that matter. The first 200 are shown, by
    position, then this one at the place where the list stops.

    **Fix:** fix the findings shown (often a few mistakes repeated), then check again.
""")

input_rule("PB122", "list-too-long", "A list holds more items than the policy allows", """
    A plan has a handful of reviews and milestones, a few criteria, and some hundreds of log
    entries over its life. Every item is work for each later stage (the timeline, the pages, the
    calendar, the agenda), so a list of thousands is an attack on the build or a damaged file.
    The bounds are policy (`max_list_items`: 500 reviews, milestones and criteria, 5000 log
    entries by default); the finding points at the first item past the bound.

    **Fix:** split the plan, or move old log entries to an archived plan; raise the bound in
    `mkdocs.yml` only if a real plan needs it.
""")

input_rule("PB123", "not-a-plan-file", "A link out of the project, or not a regular file", """
    A plan is a regular file inside the project. A symbolic link whose real path leaves the
    project would publish a file from elsewhere on the machine (a key, a password file) as if
    it were a plan, and a FIFO or a device would stop every command that reads it. Neither is
    read, so nothing of its content reaches a finding or a page.

    **Fix:** copy the plan into the plans folder as a file, or remove the link.
""")
