"""Split normalized text into paragraphs and sentences, keeping their offsets."""
from __future__ import annotations

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
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group() != "\n" else match.start()
        piece = text[start:end]
        if piece and not piece.isspace():
            spans.append(Span(offset + start, offset + end, piece))
        start = match.end()
    if text[start:].strip():
        spans.append(Span(offset + start, offset + len(text), text[start:]))
    return spans
