"""Split normalized text into paragraphs and sentences, keeping their offsets."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# A run of 。！？；!? with its closing quotes, or a newline; written to open with one character class, so the
# engine skips to the next mark at once.
_SENTENCE_END = re.compile(r"[。！？；!?\n](?:(?<=\n)|[。！？；!?]*[”’」』）)]*)")


@dataclass(frozen=True)
class Span:
    """A piece of text with its span in the document text."""

    start: int
    end: int
    text: str


def split_paragraphs(text: str) -> list[Span]:
    """Paragraphs are the lines of the normalized text."""
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append(Span(pos, pos + len(line), line))
        pos += len(line) + 1
    return spans


def split_sentences(text: str, *, offset: int = 0) -> list[Span]:
    """Sentences end at 。！？； (and their closing quotes) or a newline."""
    return [Span(offset + start, offset + end, piece) for start, end, piece in _sentences(text)]


@functools.lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[int, int, str], ...]:
    """The sentences of `text` as (start, end, text), found once per text: reports of a series repeat paragraphs."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group() != "\n" else match.start()
        piece = text[start:end]
        if piece and not piece.isspace():
            spans.append((start, end, piece))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text), text[start:]))
    return tuple(spans)
