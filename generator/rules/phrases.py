"""Finding words and phrases in plan text, in time linear in the text.

Text is read as a sequence of lowercase words (letters only), and a phrase of n words matches n
consecutive words: "union member" matches "a union member since 2019" but not "reunion members".
No regular expression is built from a list a company writes, so no list can make a check slow.
"""

from __future__ import annotations

import re
from typing import Iterable

_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    """The words of `text`, case-folded, in order."""
    return _WORD.findall(text.casefold())


class Phrases:
    """A set of phrases, each one or more words, to look for in text."""

    def __init__(self, phrases: Iterable[str]):
        self._phrases = {tuple(words(phrase)) for phrase in phrases} - {()}
        self._lengths = sorted({len(phrase) for phrase in self._phrases})
        self._first_words = frozenset(phrase[0] for phrase in self._phrases)

    def found_in(self, text: str) -> bool:
        """Whether any phrase occurs in `text` as whole, consecutive words."""
        found = words(text)
        if self._first_words.isdisjoint(found):  # most text: no word can begin a phrase
            return False
        return any(tuple(found[start:start + length]) in self._phrases
                   for start, word in enumerate(found) if word in self._first_words for length in self._lengths)
