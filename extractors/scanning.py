"""Regex scans that jump to where a match can start, for patterns the regex engine cannot skip ahead in."""
from __future__ import annotations

import re
from collections.abc import Iterator

_SPACE = re.compile(r"\s")


def matches_near(pattern: re.Pattern, text: str, anchor: re.Pattern, *, reach: int, spaced: bool = False,
                 opens: re.Pattern | None = None) -> Iterator[re.Match]:
    """The matches of `pattern.finditer(text)`, searching only from `reach` characters before each `anchor` hit.

    Every match of `pattern` must be non-empty and hold an `anchor` hit with at most `reach` characters before
    it in the match (not counting whitespace when `spaced`); the engine then skips the text between hits at
    the speed of the anchor's scan. `opens` matches one character a match can open with: then only those
    places up to the hit are tried, and a hit that opens no match costs no search through the rest of the text.
    """
    pos = 0
    while (hit := anchor.search(text, pos)) is not None:
        at = hit.start()
        start = max(pos, at - reach)
        if spaced and _SPACE.search(text, start, at):
            start = _back(text, at, reach, pos)
        if opens is None:
            found = pattern.search(text, start)
            if found is None:
                return
        else:
            found = next(filter(None, (pattern.match(text, o.start()) for o in opens.finditer(text, start, at + 1))),
                         None)
            if found is None:
                pos = at + 1  # no match starts in reach of this hit: the next one holds a later hit
                continue
        yield found
        pos = found.end()


def _back(text: str, end: int, count: int, floor: int) -> int:
    """The position `count` characters other than whitespace before `end`, and not before `floor`."""
    start = end
    while count and start > floor:
        start -= 1
        if not text[start].isspace():
            count -= 1
    return start
