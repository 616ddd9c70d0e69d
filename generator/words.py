"""Counted nouns and articles, made one way for every message, page and letter.

    plural(1, "plan") -> "1 plan"        plural(3, "plan") -> "3 plans"
    plural(2, "day", "days ahead")       (an irregular or longer plural form, given whole)
    article("active") -> "an"            with_article("active pip") -> "an active pip"

Jinja templates have the same as filters: `{{ count|plural("check-in") }}`, `{{ status|with_article }}`.
"""

from __future__ import annotations

# Words that begin with a vowel letter but a consonant sound ("a unit", "a one-off"), and the reverse
# ("an hour"). Prefixes, lower case.
_CONSONANT_SOUND = ("one", "once", "uni", "use", "usu", "eu", "ewe")
_VOWEL_SOUND = ("hour", "honest", "honour", "heir")


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`count` and the noun in the number that agrees with it: "1 plan", "0 plans", "3 check-ins"."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {plural_form or _plural_of(noun)}"


def _plural_of(noun: str) -> str:
    if noun[-1:] == "y" and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def article(word: str) -> str:
    """The indefinite article that goes before `word`: "an active plan", "a draft", "a PIP"."""
    text = word.strip().lower()
    if text.startswith(_VOWEL_SOUND):
        return "an"
    if text.startswith(_CONSONANT_SOUND):
        return "a"
    return "an" if text[:1] in ("a", "e", "i", "o", "u") else "a"


def with_article(phrase: str) -> str:
    """`phrase` after the article it takes: "an active pip", "a draft"."""
    return f"{article(phrase)} {phrase}"
