"""Regex scans that jump to where a match can start, for patterns the regex engine cannot skip ahead in."""
from __future__ import annotations

import re
from collections.abc import Iterator

_SPACE = re.compile(r"\s")


def matches_near(pattern: re.Pattern, text: str, anchor: re.Pattern, *, reach: int) -> Iterator[re.Match]:
    """The matches of `pattern.finditer(text)`, searching only from `reach` characters before each `anchor` hit.

    Every match of `pattern` must be non-empty and hold an `anchor` hit with at most `reach` characters other
    than whitespace before it in the match; the engine then skips the text between hits at the speed of the
    anchor's scan.
    """
    pos = 0
    while (hit := anchor.search(text, pos)) is not None:
        found = pattern.search(text, _back(text, hit.start(), reach, pos))
        if found is None:
            return
        yield found
        pos = found.end()


def _back(text: str, end: int, count: int, floor: int) -> int:
    """The position `count` characters other than whitespace before `end`, and not before `floor`."""
    start = max(floor, end - count)
    if not _SPACE.search(text, start, end):
        return start
    start = end
    while count and start > floor:
        start -= 1
        if not text[start].isspace():
            count -= 1
    return start
