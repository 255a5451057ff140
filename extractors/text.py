"""Normalize text exports of PDFs: re-join hard wraps, drop page furniture, keep footnotes apart."""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from schemas import Page

from . import resources as r

# Full-width digits, letters and number signs become half-width, one character for one, so offsets
# never move; Chinese punctuation (，：；（）？！) stays as it is; a byte-order mark goes.
_HALFWIDTH = {**r.HALFWIDTH, 0xFEFF: None}

TERMINAL = "。！？；!?…"
CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’、"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[ \t]+|[ \t]+(?=[{CJK}])")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=[\d\ue000])[ \t]+(?=[%‰])")
PAGE_BREAK = "\ue000"  # stands where a page ended until the text is assembled
_SPACES = re.compile(r"[ \t]+")
_HEADING_MARK = re.compile(r"^#+\s*")

PAGE_NUMBER = re.compile(r"^[-—–\s]*(\d{1,3})[-—–\s]*$")
PAGE_LABEL = re.compile(r"^(?:第\s*(\d{1,3})\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|(\d{1,3})\s*/\s*\d{1,3}|[Pp]age\s*(\d{1,3}))$")
ROMAN_PAGE = re.compile(r"^[-—–\s]*[IVXivx]{1,5}[-—–\s]*$")
WATERMARK = re.compile(
    r"userid\s*:|docid\s*:|sgpjbg\.com|^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org)(?:/\S*)?$", re.I
)
_EDGE_NUMBER = re.compile(r"^\d{1,3}\s+|\s+\d{1,3}$")
FOOTNOTE_LINE = re.compile(
    r"^(?:\^?\[(\d{1,3})\]:?|(\d{1,2})(?=[\s　]*(?:数据来源|资料来源|来源|注)))[\s　]*(.+)$"
)
SPACED_FOOTNOTE = re.compile(r"^(\d{1,2}) {2,}(\S.*)$")
SUP_MARKER = re.compile(r"<sup>\s*(\d{1,3})\s*</sup>|\[\^(\d{1,3})\]")
EMPHASIS = re.compile(r"\*\*|__")
HEADING = re.compile(
    r"^(?:#+\s*|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)"
    r"|第[一二三四五六七八九十\d]+[章节部分篇]|图\s*\d|表\s*\d)"
)
# "3.各地数字经济发展" is a heading; "2021 年，…" and "18 家、…" are wrapped sentences.
NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*(?:[、.．]\s*|\s+)(?=[^\d\s年月日万亿千百个家%.，、])")
TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|-{4,})\s*[\dIVXivx]+\s*$")
# Figure and table captions and their source lines: they stand apart from the body text.
FIGURE_LINE = re.compile(r"^(?:(?:图|表)\s*\d+(?:[-.．]\d+)?(?!\d)\s*[^，。；\s][^，。；]*$|[(（]?(?:数据|资料)?来源\s*[:：])")
RULE = re.compile(r"^[-=_*—]{3,}$")


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text of a document with its pages and footnotes."""

    text: str
    pages: tuple[Page, ...]
    footnotes: dict[str, str]


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What to_halfwidth changes: a text without any of these is returned as it is (most text is).
_TO_CHANGE = re.compile("[" + "".join(re.escape(chr(code)) for code in _HALFWIDTH) + "\ud800-\udfff]")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and % to ASCII, and lone surrogates to U+FFFD, one character for one."""
    if not _TO_CHANGE.search(text):
        return text
    return _LONE_SURROGATE.sub("\ufffd", text.translate(_HALFWIDTH))


def tidy_spaces(text: str) -> str:
    """Drop spaces that touch Chinese text or sit between a number and %; squeeze the rest."""
    if " " not in text and "\t" not in text:
        return text.strip()  # the patterns below all need a space or a tab
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _SPACE_BEFORE_PERCENT.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _wrap_width(lines: list[str]) -> int | None:
    """The hard-wrap width of the export, or None when lines are whole paragraphs."""
    lengths = [len(line) for line in lines if len(line) >= 15]
    if len(lengths) < 20:
        return None
    width, _ = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if abs(n - width) <= 2)
    if near / len(lengths) < 0.3:
        return None
    return width


def _furniture_key(line: str) -> str:
    """A running header or footer without the page number printed beside it."""
    if not (line[:1].isdigit() or line[-1:].isdigit() or line.endswith("\n")):
        return line  # no number at either edge
    return _EDGE_NUMBER.sub("", line)


def _furniture(lines: list[str]) -> set[str]:
    """Short lines repeated across the document, page numbers aside: running headers and footers."""
    counts = Counter(_furniture_key(line) for line in lines if 0 < len(line) <= 40)
    return {
        key
        for key, n in counts.items()
        if n >= 3 and len(key) >= 4 and not key.endswith(tuple(TERMINAL + "，、：")) and "来源" not in key
        and not PAGE_NUMBER.match(key) and not HEADING.match(key) and not NUMBERED_HEADING.match(key)
    }


def _page_band(lines: list[str], index: int) -> bool:
    """A short title-like line next to a page number: the header or footer band of a page."""
    line = lines[index]
    if len(line) > 30 or line.endswith(tuple(TERMINAL + "，、：")) or PAGE_NUMBER.match(line):
        return False
    near = [j for j in range(max(0, index - 3), min(len(lines), index + 4)) if j != index and lines[j]]
    before = [j for j in near if j < index][-1:]
    after = [j for j in near if j > index][:1]
    return any(PAGE_NUMBER.match(lines[j]) or PAGE_LABEL.match(lines[j]) for j in before + after)


def _is_heading(line: str, width: int | None) -> bool:
    if line.endswith(tuple(TERMINAL + "，、：:")):
        return False
    if len(line) <= 40 and (HEADING.match(line) or NUMBERED_HEADING.match(line) and not re.search(r"[，。；]", line)):
        return True
    return width is not None and len(line) < 0.6 * width and not re.search(r"[，。、]", line)


# Characters that make a glued number a figure (1倍, 3家, 5年) rather than a footnote marker.
_UNIT_STARTS = "".join(sorted(
    {word[0] for word in (*r.CLASSIFIERS, *r.MEASURES, *r.CURRENCIES, *r.MAGNITUDES)} | set("倍成余多大年月日号届期季十")
))


@functools.lru_cache(maxsize=1024)
def _marker(number: str) -> re.Pattern:
    """A footnote number printed as a flattened superscript: glued to the text it annotates."""
    return re.compile(
        rf"(?<=[\u4e00-\u9fff%‰”」）)])(?<![第前近约超达为至])"
        rf"{number}(?=[，。；：、,;:\u4e00-\u9fff]|$)(?![{re.escape(_UNIT_STARTS)}])"
        rf"|(?<=[。；！？]){number}(?=(?:19|20)\d{{2}}\s*年|$)"
    )


def link_footnote_marker(number: str, recent: list[str]) -> bool:
    """Write the glued marker of footnote `number` as ^[number] in the nearest of `recent` (last first)."""
    pattern = _marker(number)
    for i in range(len(recent) - 1, max(-1, len(recent) - 8), -1):
        found = list(pattern.finditer(recent[i]))
        if found:
            line, at = recent[i], found[-1]
            # A marker printed after 。 annotates the sentence that 。 closes: it goes before the 。.
            cut = at.start() - 1 if at.start() and line[at.start() - 1] in "。；！？" else at.start()
            recent[i] = f"{line[:cut]}^[{number}]{line[cut:at.start()]}{line[at.end():]}"
            return True
    return False


def join_wrapped(lines: list[str]) -> str:
    """Re-join hard-wrapped lines; a number cut by the wrap (45. / 5万亿元) is made whole again."""
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        cut_number = joined[-1:] in "0123456789.," and joined and line[:1] in "0123456789.%"
        joined += ("" if cut_number else " ") + line
    return joined


def _watermark(line: str) -> bool:
    """A download site's stamp: every form WATERMARK knows writes a colon or a dot."""
    return (":" in line or "." in line) and WATERMARK.search(line) is not None


def _toc_line(line: str) -> bool:
    """A table-of-contents entry: leader dots, then a page number."""
    return ("...." in line or "……" in line or "····" in line or "----" in line) and TOC_LINE.search(line) is not None


def _markdown_footnotes(line: str) -> str:
    """<sup>1</sup> and [^1] become ^[1]; bold and italic marks go."""
    line = SUP_MARKER.sub(lambda m: f"^[{m.group(1) or m.group(2)}]", line)
    return EMPHASIS.sub("", line)


def normalize_text(raw: str) -> NormalizedText:
    """Turn a hard-wrapped text export into paragraphs, pages and footnotes."""
    lines = [to_halfwidth(line).strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    width = _wrap_width(lines)
    unwrapped = width is None and any(len(line) > 120 for line in lines)  # one line per paragraph
    furniture = _furniture(lines)
    footnotes: dict[str, str] = {}
    paragraphs: list[str] = []
    page_numbers: list[int] = []  # printed number of each page, in order; PAGE_BREAK marks its end
    current: list[str] = []

    def mark_page(number: int) -> None:
        page_numbers.append(number)
        if current:
            current[-1] += PAGE_BREAK
        elif paragraphs:
            paragraphs[-1] += PAGE_BREAK
        else:
            page_numbers.pop()

    deferred: list[str] = []  # figure captions and source lines met in the middle of a sentence

    def close() -> None:
        if current:
            paragraphs.append(tidy_spaces(join_wrapped(current)))
            current.clear()
        paragraphs.extend(deferred)
        deferred.clear()

    def linked(number: str) -> bool:
        return link_footnote_marker(number, current) or link_footnote_marker(number, paragraphs)

    skip_to = 0
    for index, line in enumerate(lines):
        if index < skip_to or not line or _watermark(line) or RULE.match(line) or ROMAN_PAGE.match(line):
            continue
        if _toc_line(line):
            continue
        if _furniture_key(line) in furniture:
            edge = _EDGE_NUMBER.search(line)
            if edge:
                mark_page(int(edge.group()))
            continue
        label = PAGE_LABEL.match(line)
        if label:
            mark_page(int(next(g for g in label.groups() if g)))
            continue
        if current and _page_band(lines, index) and not current[-1].endswith(tuple(TERMINAL)):
            continue  # a running header or footer printed once, cutting a sentence at a page break
        if "\f" in line:
            head, _, line = line.rpartition("\f")
            if head.strip():
                current.append(head.strip())
            mark_page(page_numbers[-1] + 1 if page_numbers else 1)
            line = line.strip()
            if not line:
                continue
        explicit = SUP_MARKER.match(line) is not None
        line = _markdown_footnotes(line)
        number = PAGE_NUMBER.match(line)
        if number:
            following = next((j for j in range(index + 1, min(index + 4, len(lines))) if lines[j]), None)
            if following is not None and not PAGE_NUMBER.match(lines[following]) and linked(number.group(1)):
                footnotes[number.group(1)] = tidy_spaces(lines[following])
                skip_to = following + 1
                continue
            mark_page(int(number.group(1)))
            continue
        note = FOOTNOTE_LINE.match(line)
        if note and (explicit or not current or "来源" in line[:12]):
            key = note.group(1) or note.group(2)
            if note.group(2):
                linked(key)
            footnotes[key] = tidy_spaces(note.group(3))
            continue
        spaced = SPACED_FOOTNOTE.match(line)
        if spaced and linked(spaced.group(1)):
            footnotes[spaced.group(1)] = tidy_spaces(spaced.group(2))
            continue
        marked_heading = line.startswith("#")
        if marked_heading:
            line = _HEADING_MARK.sub("", line)
        if FIGURE_LINE.match(line):
            if current and not current[-1].endswith(tuple(TERMINAL + "”")):
                deferred.append(tidy_spaces(line))
                continue
            close()
            paragraphs.append(tidy_spaces(line))
            continue
        if marked_heading or _is_heading(line, width):
            close()
            paragraphs.append(tidy_spaces(line))
            continue
        current.append(line)
        ends_sentence = line.endswith(tuple(TERMINAL + "”"))
        short = width is None or len(line) < width - 2
        alone = unwrapped and len(current) == 1 and len(line) <= 30 and not re.search(r"[，、；：,;:]", line)
        if ends_sentence and short or alone:
            close()  # unwrapped exports: a short line on its own is a paragraph (cover, byline, date)
    close()
    return _assemble([p for p in paragraphs if p.replace(PAGE_BREAK, "")], page_numbers, footnotes)


def _assemble(paragraphs: list[str], page_numbers: list[int], footnotes: dict[str, str]) -> NormalizedText:
    """Join paragraphs with newlines and turn page-break marks into page spans."""
    marked = "\n".join(paragraphs)
    pieces = marked.split(PAGE_BREAK)
    text = "".join(pieces)
    pages: list[Page] = []
    start = pos = 0
    for number, piece in zip(page_numbers, pieces):
        pos += len(piece)
        if pos > start:
            pages.append(Page(number=number, start=start, end=pos))
            start = pos
    if pages and start < len(text):
        pages.append(Page(number=pages[-1].number + 1, start=start, end=len(text)))
    return NormalizedText(text=text, pages=tuple(pages), footnotes=footnotes)
