"""Read a report PDF into page-aware text: lines, paragraphs, furniture, footnotes, captions and tables.

Characters come from pypdfium2 (fast) or pdfplumber; pdfplumber's table finder reads the pages that
carry ruling lines. Layout rules work on character boxes: lines by vertical overlap, columns by an empty
gutter, superscript footnote markers by size and baseline (written `^[n]` in the text), running headers
and footers by position and repetition, footnotes as numbered small lines at the page foot.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from statistics import median
from typing import NamedTuple

from schemas import Claim, Document, Page, TableCell, TextBox

from .errors import EmptyDocument, EncryptedPDF, ScannedPDF, UnreadableDocument
from .pdf_tables import Table, find_tables_pdfium, find_tables_plumber, table_claim, table_rows
from .registry import register
from .text import CJK, PAGE_NUMBER, TERMINAL, WATERMARK, to_halfwidth, tidy_spaces

NAME = register("pdf.v1")

HEADER_ZONE, FOOTER_ZONE = 0.08, 0.92  # fractions of the page height holding running headers and footers
MARGIN_ZONE = 0.15  # repeated lines this close to the top or bottom are furniture
_CJK_CHAR = re.compile(f"[{CJK}]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_MARKER_RUN = re.compile(r"^[\[(（]?(\d{1,3})[\])）]?$")
_FOOTNOTE_START = re.compile(
    r"^(?:\^\[(\d{1,3})\]|\[(\d{1,3})\]|[(（](\d{1,3})[)）]|(\d{1,3})(?=\s*(?:数据来源|资料来源|来源|注|参见|参考|[\u4e00-\u9fff《“])))"
    r"\s*(.*)$"
)
CAPTION = re.compile(r"^(?:图|表|图表)\s*\d+(?:[-.．]\d+)*")
SOURCE_LINE = re.compile(r"^[(（]?(?:数据|资料)?(?:来源|出处)\s*[:：]|^注\s*[:：]")
TOC_LEADER = re.compile(r"(?:[.·…‥_—\-]\s*){4,}\s*\d{1,3}$")
TOC_TITLE = re.compile(r"^目\s*录$")
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十\d]+[章节部分篇]"
    r"|\d+(?:\.\d+)*[、.．]?\s*(?=[\u4e00-\u9fff])|摘\s*要$|前\s*言$|结\s*语$|附\s*录)"
)
_ENDS = tuple(TERMINAL + "”’」』）)")


class Char(NamedTuple):
    """One printed character: its text, box (points from the page's top-left) and font size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass
class Line:
    """A line of one column of one page, with the x position of every character of its text."""

    page: int
    text: str
    edges: list[float]
    top: float
    bottom: float
    size: float
    left: float = 0.0  # the column's left and right edges
    right: float = 0.0
    kind: str = "body"  # body | heading | caption | source | label | table
    cells: list[tuple[int, int, dict]] = field(default_factory=list)  # numeric table cells: span in text, facts

    @property
    def x0(self) -> float:
        return self.edges[0] if self.edges else self.left

    @property
    def x1(self) -> float:
        return self.edges[-1] if self.edges else self.left


@dataclass
class PageLayout:
    """What one page yields before paragraphs are built."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


# -- opening ---------------------------------------------------------------------------------------------
def _open_pdfium(path: str, data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPDF(path, "is encrypted and needs a password; save a decrypted copy") from exc
        raise UnreadableDocument(path, "is damaged and cannot be parsed as a PDF; re-export or download it again") from exc


def _pdfium_chars(page) -> list[Char]:
    """Characters of a pypdfium2 page, skipping generated spaces and rotated text."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    raw, height = textpage.raw, page.get_height()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    chars = []
    try:
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code < 32 or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                continue
            if pdfium_c.FPDFText_GetCharAngle(raw, i) > 0.01 and abs(pdfium_c.FPDFText_GetCharAngle(raw, i) - 6.2832) > 0.01:
                continue
            pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            rect = pdfium_c.FS_RECTF()
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
            chars.append(Char(chr(code), rect.left, height - rect.top, max(rect.right, right.value),
                              height - rect.bottom, round(size, 2)))
    finally:
        textpage.close()
    return chars


def _plumber_chars(page) -> list[Char]:
    """Characters of a pdfplumber page, skipping rotated text."""
    return [Char(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], round(c["size"], 2))
            for c in page.chars if c.get("upright", True) and c["text"] >= " "]


def _pdfium_trusted(page) -> bool:
    """False when a page draws text with a font the file does not embed: pdfium can drop some of its
    characters (single-glyph strings of predefined CJK CMaps such as STSong-Light's), pdfplumber reads them."""
    import pypdfium2.raw as pdfium_c

    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,), max_depth=2):
        font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
        if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
            return False
    return True


def read_pages(path: str, data: bytes, *, engine: str = "hybrid") -> list[PageLayout]:
    """Lines and tables of every page.

    engine: "hybrid" reads characters with pypdfium2 and hands pdfplumber only the pages with ruling lines
    (tables) or with fonts pdfium may misread; "pdfplumber" reads every page with pdfplumber; "pypdfium2"
    trusts pypdfium2 on every page (for measuring).
    """
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument(path, "is not a PDF (no %PDF header); rename it or export it again")
    raw_pages: list[tuple[int, float, float, list[Char] | None, list[Table]]] = []
    plumber_pages: dict[int, bool] = {}  # page index -> also read its characters with pdfplumber
    if engine in ("hybrid", "pypdfium2"):
        document = _open_pdfium(path, data)
        try:
            for index in range(len(document)):
                page = document[index]
                width, height = page.get_size()
                trusted = engine == "pypdfium2" or _pdfium_trusted(page)
                raw_pages.append((index + 1, width, height, _pdfium_chars(page) if trusted else None, []))
                if not trusted or find_tables_pdfium(page):
                    plumber_pages[index] = not trusted
                page.close()
        finally:
            document.close()
    if engine == "pdfplumber" or plumber_pages:
        with _open_plumber(path, data) as pdf:
            if engine == "pdfplumber":
                raw_pages = [(i + 1, float(p.width), float(p.height), None, []) for i, p in enumerate(pdf.pages)]
                plumber_pages = dict.fromkeys(range(len(pdf.pages)), True)
            for index, read_chars in plumber_pages.items():
                page = pdf.pages[index]
                number, width, height, chars, tables = raw_pages[index]
                raw_pages[index] = (number, width, height, _plumber_chars(page) if read_chars else chars,
                                    find_tables_plumber(page))
                page.close()
    if raw_pages and not any(chars for _, _, _, chars, _ in raw_pages):
        raise ScannedPDF(path, "has no text layer (scanned page images); run OCR on it first")
    body = _body_size([c for _, _, _, chars, _ in raw_pages for c in chars or ()])
    return [_layout_page(number, width, height, chars or [], tables, body)
            for number, width, height, chars, tables in raw_pages]


class _open_plumber:
    """pdfplumber.open with shuzi's named errors."""

    def __init__(self, path: str, data: bytes):
        self.path, self.data, self.pdf = path, data, None

    def __enter__(self):
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect

        try:
            self.pdf = pdfplumber.open(io.BytesIO(self.data))
            self.pdf.pages  # noqa: B018 - parses the page tree, where broken files fail
        except Exception as exc:  # pdfminer raises many kinds of errors on broken files
            cause = exc.args[0] if exc.args else None
            if isinstance(exc, PDFPasswordIncorrect) or isinstance(cause, PDFPasswordIncorrect):
                raise EncryptedPDF(self.path, "is encrypted and needs a password; save a decrypted copy") from exc
            raise UnreadableDocument(self.path, "is damaged and cannot be parsed as a PDF; re-export it") from exc
        return self.pdf

    def __exit__(self, *exc) -> None:
        self.pdf.close()


# -- one page --------------------------------------------------------------------------------------------
def _body_size(chars: list[Char]) -> float:
    sizes = Counter(round(c.size * 2) / 2 for c in chars if not c.text.isspace())
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _columns(chars: list[Char], width: float, height: float, body: float) -> list[list[Char]]:
    """Split a page's characters at an empty vertical gutter near the middle, else one column."""
    inner = [c for c in chars if HEADER_ZONE * height < c.top and c.bottom < FOOTER_ZONE * height
             and c.size >= 0.7 * body and not c.text.isspace()]
    if len(inner) < 40:
        return [chars]
    cover = [0] * (int(width) + 2)
    for c in inner:
        for x in range(max(int(c.x0), 0), min(int(c.x1) + 1, len(cover))):
            cover[x] += 1
    best, run_start = None, None
    for x in range(int(width * 0.3), int(width * 0.7) + 1):
        if cover[x] == 0:
            run_start = x if run_start is None else run_start
            if x - run_start + 1 >= body and (best is None or x - run_start > best[1] - best[0]):
                best = (run_start, x)
        else:
            run_start = None
    if best is None:
        return [chars]
    gutter = (best[0] + best[1]) / 2
    on_left = sum(1 for c in inner if (c.x0 + c.x1) / 2 < gutter)
    if min(on_left, len(inner) - on_left) < 0.2 * len(inner):
        return [chars]
    return [[c for c in chars if (c.x0 + c.x1) / 2 < gutter], [c for c in chars if (c.x0 + c.x1) / 2 >= gutter]]


def _group_lines(chars: list[Char], body: float) -> list[list[Char]]:
    """Characters into lines by vertical overlap; small characters join the line whose band they sit in."""
    big = sorted((c for c in chars if c.size >= 0.7 * body), key=lambda c: c.top + c.bottom)
    small = sorted((c for c in chars if c.size < 0.7 * body), key=lambda c: c.top + c.bottom)
    bands: list[list] = []  # [top, bottom, chars]
    for group in (big, small):
        for c in group:
            mid = (c.top + c.bottom) / 2
            for band in reversed(bands[-4:] if group is big else bands):
                if band[0] - 0.5 <= mid <= band[1] + 0.5:
                    band[2].append(c)
                    break
            else:
                bands.append([c.top, c.bottom, [c]])
    bands.sort(key=lambda b: b[0])
    return [sorted(b[2], key=lambda c: c.x0) for b in bands]


def _line_text(chars: list[Char]) -> tuple[str, list[float], float]:
    """Text of a line with footnote markers as ^[n], the x edge of every character, and the line's font size."""
    sizes = Counter(round(c.size, 1) for c in chars if not c.text.isspace())
    size = sizes.most_common(1)[0][0] if sizes else chars[0].size
    baseline = median(c.bottom for c in chars if abs(c.size - size) < 0.2) if sizes else chars[0].bottom
    out: list[tuple[str, float, float]] = []  # (text, x0, x1) per output character
    i = 0
    while i < len(chars):
        c = chars[i]
        if c.size <= 0.8 * size and c.bottom < baseline - 0.2 * size and not c.text.isspace():
            j = i
            while j < len(chars) and chars[j].size <= 0.8 * size and chars[j].bottom < baseline - 0.2 * size:
                j += 1
            run = "".join(ch.text for ch in chars[i:j]).strip()
            number = _MARKER_RUN.match(to_halfwidth(run))
            after_letter = out and out[-1][0].isascii() and out[-1][0].isalpha()
            text = f"^[{number.group(1)}]" if number and not after_letter else to_halfwidth(run)
            out.extend((t, chars[i].x0, chars[j - 1].x1) for t in text)
            i = j
            continue
        if c.text.isspace():
            _space(out, c.x0)
        else:
            if out and c.x0 - out[-1][2] > 0.25 * size:
                _space(out, out[-1][2])
            out.extend((t, c.x0, c.x1) for t in to_halfwidth(c.text))
        i += 1
    while out and out[-1][0] == " ":
        out.pop()
    text = "".join(t for t, _, _ in out)
    edges = [x0 for _, x0, _ in out] + ([out[-1][2]] if out else [])
    return text, edges, size


def _space(out: list[tuple[str, float, float]], x: float) -> None:
    """Append a space unless it would touch Chinese text or sit before a percent sign (as tidy_spaces does)."""
    if out and out[-1][0] != " " and not _CJK_CHAR.match(out[-1][0]):
        out.append((" ", x, x))


def _drop_cjk_spaces(line: Line) -> None:
    """Remove spaces left before Chinese characters or % (the next character decides)."""
    keep = [i for i, ch in enumerate(line.text)
            if not (ch == " " and i + 1 < len(line.text) and (_CJK_CHAR.match(line.text[i + 1]) or line.text[i + 1] in "%‰"))]
    if len(keep) < len(line.text):
        line.text = "".join(line.text[i] for i in keep)
        line.edges = [line.edges[i] for i in keep] + [line.edges[-1]]


def _layout_page(number: int, width: float, height: float, chars: list[Char], tables: list[Table],
                 body: float) -> PageLayout:
    layout = PageLayout(number, width, height, tables=tables)
    if tables:
        chars = [c for c in chars if not any(t.contains(c.x0, c.top, c.x1, c.bottom) for t in tables)]
    for column in _columns(chars, width, height, body):
        lines = []
        for group in _group_lines(column, body):
            text, edges, size = _line_text(group)
            if not text.strip():
                continue
            line = Line(number, text, edges, min(c.top for c in group), max(c.bottom for c in group), size)
            _drop_cjk_spaces(line)
            lines.append(line)
        left, right = _edges(lines, body)
        for line in lines:
            line.left, line.right = left, right
        layout.lines.extend(lines)
    return layout


def _edges(lines: list[Line], body: float, *, least: int = 4) -> tuple[float, float]:
    """Left and right edges of a column: the commonest line start and the 80th percentile line end of
    body-size lines; (nan, nan) when fewer than `least` such lines say so."""
    wide = [ln for ln in lines if len(ln.text) >= 10 and abs(ln.size - body) < 1]
    if len(wide) < least:
        return float("nan"), float("nan")
    left = Counter(round(ln.x0) for ln in wide).most_common(1)[0][0]
    ends = sorted(ln.x1 for ln in wide)
    return float(left), ends[int(0.8 * (len(ends) - 1))]


# -- the document ----------------------------------------------------------------------------------------
_PAGE_MARK = re.compile(r"^(?:第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|[IVXLivxl]{1,6})$")


def _margin(line: Line, page: PageLayout, zone: float) -> str | None:
    if line.bottom <= zone * page.height:
        return "top"
    if line.top >= (1 - zone) * page.height:
        return "bottom"
    return None


def _drop_furniture(pages: list[PageLayout], body: float) -> None:
    """Remove watermark lines, page numbers, and lines repeated near the top or bottom of many pages."""
    def key(line: Line, page: PageLayout) -> tuple[str, str] | None:
        where = _margin(line, page, MARGIN_ZONE)
        if where is None or _FOOTNOTE_START.match(line.text) or SOURCE_LINE.match(line.text):
            return None
        return where, re.sub(r"\d+", "#", line.text.replace(" ", ""))

    counts = Counter(k for page in pages for k in {key(line, page) for line in page.lines} if k)
    enough = max(2, round(0.3 * len(pages)))
    for page in pages:
        page.lines = [
            line for line in page.lines
            if not (WATERMARK.search(line.text) or counts.get(key(line, page), 0) >= enough
                    or _margin(line, page, 1 - FOOTER_ZONE) and _running(line, body))
        ]


def _running(line: Line, body: float) -> bool:
    """A line in the header or footer band that is a page number, or is set smaller than the body and is
    not a footnote: furniture even on a page of its own."""
    if PAGE_NUMBER.match(line.text) or _PAGE_MARK.match(line.text):
        return True
    return line.size < 0.95 * body and not _FOOTNOTE_START.match(line.text) and not SOURCE_LINE.match(line.text)


def _take_footnotes(page: PageLayout, body: float, footnotes: dict[str, str]) -> None:
    """Move the numbered small lines at the page foot into `footnotes`."""
    lines = sorted(page.lines, key=lambda ln: ln.top)
    first = len(lines)
    while first and lines[first - 1].size < 0.95 * body and lines[first - 1].kind != "table":
        first -= 1
    start = next((i for i in range(first, len(lines)) if _FOOTNOTE_START.match(lines[i].text)), None)
    if start is None or lines[start].top < 0.4 * page.height:
        return
    number = None
    for line in lines[start:]:
        found = _FOOTNOTE_START.match(line.text)
        if found:
            number = next(g for g in found.groups()[:4] if g)
            footnotes[number] = found.group(5)
        else:
            footnotes[number] += line.text
    taken = {id(line) for line in lines[start:]}
    page.lines = [line for line in page.lines if id(line) not in taken]
    for number_, text in footnotes.items():
        footnotes[number_] = tidy_spaces(text)


def _far_number(line: Line) -> bool:
    """True when the line ends in a page number set apart by leaders or a wide gap, as in a contents page."""
    found = re.search(r"(\d{1,3})$", line.text)
    if not found or found.start() == 0:
        return False
    i = found.start()
    return TOC_LEADER.search(line.text) is not None or line.edges[i] - line.edges[i - 1] > 2.5 * line.size


def _drop_contents(pages: list[PageLayout]) -> None:
    """Remove table-of-contents pages' entries and titles."""
    for page in pages:
        titled = any(TOC_TITLE.match(line.text.replace(" ", "")) for line in page.lines)
        entries = sum(1 for line in page.lines if _far_number(line))
        if titled and entries or entries >= 3:
            page.lines = [line for line in page.lines
                          if not (_far_number(line) or TOC_TITLE.match(line.text.replace(" ", "")))]


def _classify(line: Line, body: float) -> str:
    text, short = line.text, line.x1 < line.right - 2 * line.size
    if line.kind == "table":
        return "table"
    if CAPTION.match(text) and (short or line.size < 0.95 * body) and not text.endswith(("。", "，")):
        return "caption"
    if SOURCE_LINE.match(text) and (short or line.size < 0.95 * body):
        return "source"
    if line.size >= 1.12 * body:
        return "heading"
    if line.size < 0.9 * body and (len(text) <= 8 or _sparse(line)):
        return "label"
    if short and HEADING_START.match(text) and not text.endswith(_ENDS + ("，", "、", "：")):
        return "heading"
    return "body"


def _sparse(line: Line) -> bool:
    """True for chart labels: most of the line's width is gaps between scattered words."""
    gaps = sum(b - a - line.size for a, b in zip(line.edges, line.edges[1:]) if b - a > 2 * line.size)
    return gaps > 0.5 * (line.x1 - line.x0)


def _continues(prev: Line, line: Line, body: float) -> bool:
    """Whether `line` carries on the paragraph that `prev` ended."""
    if abs(line.size - prev.size) > 0.15 * body:
        return False
    if line.x0 > line.left + 0.9 * line.size:
        return False  # first-line indent
    if prev.x1 < prev.right - 1.5 * prev.size:
        return False  # a short line ends its paragraph
    return not (prev.text.endswith(_ENDS) and HEADING_START.match(line.text))


def _paragraphs(lines: list[Line], body: float) -> list[list[Line]]:
    """Lines into paragraphs; captions and source lines that interrupt a paragraph follow it."""
    out: list[list[Line]] = []
    current: list[Line] = []
    deferred: list[list[Line]] = []

    def close() -> None:
        if current:
            out.append(current[:])
            current.clear()
        out.extend(deferred)
        deferred.clear()

    for line in lines:
        kind = line.kind
        if kind == "label":
            continue
        if kind in ("caption", "source"):
            if current and not current[-1].text.endswith(_ENDS):
                deferred.append([line])
            else:
                close()
                out.append([line])
            continue
        if kind in ("heading", "table"):
            close()
            previous = out[-1] if out else None
            if (kind == "heading" and previous and previous[-1].kind == "heading" and previous[-1].page == line.page
                    and abs(previous[-1].size - line.size) < 0.5 and line.top - previous[-1].bottom < line.size):
                previous.append(line)
            else:
                out.append([line])
            continue
        if current and _continues(current[-1], line, body):
            current.append(line)
        else:
            close()
            current.append(line)
    close()
    return out


def _table_lines(page: PageLayout) -> list[Line]:
    """Each table row as a line of tab-separated cells, with its numeric cells kept for claims."""
    lines = []
    for table in page.tables:
        for (text, cells), row in zip(table_rows(table), table.rows):
            boxes = [box for _, box in row if box]
            top = min((b[1] for b in boxes), default=table.bbox[1])
            bottom = max((b[3] for b in boxes), default=table.bbox[3])
            edges, pos = [], 0
            for cell_text, box in row:
                x0, x1 = (box[0], box[2]) if box else (table.bbox[0], table.bbox[0])
                step = (x1 - x0) / max(len(cell_text), 1)
                edges.extend(x0 + k * step for k in range(len(cell_text) + 1))
            edges = edges[:len(text)] + [table.bbox[2]]
            edges += [table.bbox[2]] * (len(text) + 1 - len(edges))
            line = Line(page.number, text, edges, top, bottom, 0.0, table.bbox[0], table.bbox[2], kind="table")
            line.cells = [(s, e, {**facts, "page": page.number}) for s, e, facts in cells]
            lines.append(line)
    return lines


def load_pdf_document(path: str, data: bytes, *, sha256: str, engine: str = "hybrid") -> Document:
    """A report PDF as a normalized `Document` with page spans, footnotes, line boxes and table cells."""
    pages = read_pages(path, data, engine=engine)
    sizes = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    title = _title(pages, body)
    measured = [ln for page in pages for ln in page.lines if ln.left == ln.left]
    left, right = _edges(measured or [ln for page in pages for ln in page.lines], body, least=1)
    for page in pages:
        for line in page.lines:
            if line.left != line.left:  # nan: too few lines on the page to measure its column
                line.left, line.right = (left, right) if left == left else (line.x0, line.x1)
    _drop_furniture(pages, body)
    footnotes: dict[str, str] = {}
    for page in pages:
        _take_footnotes(page, body, footnotes)
    _drop_contents(pages)
    ordered: list[Line] = []
    for page in pages:
        page_lines = page.lines + _table_lines(page)
        for line in page_lines:
            line.kind = _classify(line, body)
        ordered.extend(sorted(page_lines, key=lambda ln: (ln.left > page.width / 2 and ln.kind != "table", ln.top)))
    text, boxes, cells, firsts = _assemble(_paragraphs(ordered, body))
    if not text.strip():
        raise EmptyDocument(path, "has pages but no body text (only furniture or figures); check the file")
    return Document(
        name=PurePath(path).name, path=path, sha256=sha256, text=text, pages=_page_spans(pages, firsts, len(text)),
        footnotes=footnotes, title=title, kind="pdf", boxes=tuple(boxes), tables=tuple(cells),
    )


def _title(pages: list[PageLayout], body: float) -> str | None:
    """The largest line set well above the body size before any body text on the first page with text."""
    for page in pages[:3]:
        if not page.lines:
            continue
        lines = sorted(page.lines, key=lambda ln: ln.top)
        cover = []
        for line in lines:
            if abs(line.size - body) < 0.5 and len(line.text) > 12:
                break
            cover.append(line)
        candidates = [ln for ln in cover if 2 <= len(ln.text) <= 60 and ln.size >= 1.3 * body]
        return max(candidates, key=lambda ln: ln.size).text if candidates else None
    return None


def _assemble(paragraphs: list[list[Line]]) -> tuple[str, list[TextBox], list[TableCell], dict[int, int]]:
    """Join paragraphs with newlines, recording each line's box and each table cell's span."""
    parts: list[str] = []
    boxes: list[TextBox] = []
    cells: list[TableCell] = []
    firsts: dict[int, int] = {}
    pos = 0
    for paragraph in paragraphs:
        if parts:
            parts.append("\n")
            pos += 1
        for i, line in enumerate(paragraph):
            if i and _ASCII_WORD.match(parts[-1][-1:]) and _ASCII_WORD.match(line.text[:1]):
                parts.append(" ")
                pos += 1
            boxes.append(TextBox(pos, pos + len(line.text), line.page, line.top, line.bottom, tuple(line.edges)))
            for start, end, facts in line.cells:
                cells.append(TableCell(pos + start, pos + end, facts["page"], facts["row"], facts["column"],
                                       facts["unit"], facts["bbox"]))
            firsts.setdefault(line.page, pos)
            parts.append(line.text)
            pos += len(line.text)
    return "".join(parts), boxes, cells, firsts


def _page_spans(pages: list[PageLayout], firsts: dict[int, int], length: int) -> tuple[Page, ...]:
    """Contiguous page spans: each page runs from its first character to the next page's first."""
    spans = []
    starts = [firsts.get(page.number) for page in pages]
    for i, page in enumerate(pages):
        later = [s for s in starts[i + 1:] if s is not None]
        end = later[0] if later else length
        start = starts[i] if starts[i] is not None else end
        start = min(max(start, spans[-1].end if spans else 0), end)
        spans.append(Page(page.number, start, end, (page.width, page.height)))
    return tuple(spans)


# -- claims ----------------------------------------------------------------------------------------------
def place_claims(document: Document, claims: list[Claim]) -> list[Claim]:
    """For a PDF: table claims in place of sentence claims on table rows, and every claim's page and box."""
    if document.kind != "pdf" or not document.boxes:
        return claims
    text = document.text
    rows = {(text.rfind("\n", 0, cell.start) + 1) for cell in document.tables}
    kept = [c for c in claims if text.rfind("\n", 0, c.start) + 1 not in rows]
    for cell in document.tables:
        row_start = text.rfind("\n", 0, cell.start) + 1
        row_end = text.find("\n", cell.end)
        claim = table_claim(document, cell, text[row_start:row_end if row_end != -1 else len(text)])
        if claim:
            kept.append(claim)
    starts = [box.start for box in document.boxes]
    placed = []
    for claim in sorted(kept, key=lambda c: c.start):
        if claim.bbox is None:
            box = _claim_box(document, starts, claim.start, claim.end)
            if box:
                claim = replace(claim, page=box[0], bbox=box[1])
        placed.append(claim)
    return placed


def _claim_box(document: Document, starts: list[int], start: int, end: int):
    """(page, (x0, top, x1, bottom)) of a text span, from the boxes of the lines it covers on its first page."""
    i = bisect_right(starts, start) - 1
    if i < 0:
        return None
    first = document.boxes[i]
    x0s, x1s, tops, bottoms = [], [], [], []
    for box in document.boxes[i:]:
        if box.start >= end or box.page != first.page:
            break
        lo, hi = max(start, box.start) - box.start, min(end, box.end) - box.start
        if hi <= lo:
            continue
        x0s.append(box.edges[lo])
        x1s.append(box.edges[hi] if hi < len(box.edges) - 1 else box.edges[-1])
        tops.append(box.top)
        bottoms.append(box.bottom)
    if not x0s:
        return None
    return first.page, (round(min(x0s), 1), round(min(tops), 1), round(max(x1s), 1), round(max(bottoms), 1))
