"""Read a report PDF into a `Document`: paragraphs built from page lines, running headers and footers
removed by position and repetition, page numbers, watermarks and contents pages dropped, page-foot
footnotes linked to their `^[n]` markers (numbers restarted on a page are renumbered after the document's
last), captions and 数据来源 lines kept apart from body sentences,
table rows as lines whose numeric cells become claims, and a box for every claim.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from pathlib import PurePath

from schemas import Claim, Document, Page, TableCell, TextBox

from .errors import EmptyDocument
from .pdf_pages import FOOTER_ZONE, Line, PageLayout, column_edges, read_pages
from .pdf_tables import table_claim, table_rows
from .registry import register
from .text import PAGE_NUMBER, TERMINAL, WATERMARK, tidy_spaces

NAME = register("pdf.v1")

MARGIN_ZONE = 0.15  # repeated lines this close to the top or bottom are furniture
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_FOOTNOTE_START = re.compile(
    r"^(?:\^\[(\d{1,3})\]|\[(\d{1,3})\]|[(（](\d{1,3})[)）]|(\d{1,3}|[①-⑳])(?=\s*(?:数据来源|资料来源|来源|注|参见|参考|[\u4e00-\u9fff《“])))"
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
_CIRCLED = {0x2460 + i: str(i + 1) for i in range(20)}


_PAGE_MARK = re.compile(r"^(?:第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|[IVXLivxl]{1,6})$")


def _margin(line: Line, page: PageLayout, zone: float) -> str | None:
    if line.bottom <= zone * page.height:
        return "top"
    if line.top >= (1 - zone) * page.height:
        return "bottom"
    return None


def _drop_furniture(pages: list[PageLayout], body: float) -> None:
    """Remove watermark lines, page numbers, and lines repeated near the top or bottom of many pages."""
    def key(line: Line, page: PageLayout) -> tuple[str, float, str] | None:
        where = _margin(line, page, MARGIN_ZONE)
        if where is None or len(line.text) > 60 or _FOOTNOTE_START.match(line.text) or SOURCE_LINE.match(line.text):
            return None
        return where, round(line.size), re.sub(r"\d+", "#", line.text.replace(" ", ""))  # a title set larger differs

    counts = Counter(k for page in pages for k in {key(line, page) for line in page.lines} if k)
    enough = max(2, round(0.3 * len(pages)))
    for page in pages:
        page.lines = [
            line for line in page.lines
            if not (WATERMARK.search(line.text) or counts.get(key(line, page), 0) >= enough
                    or counts.get(key(line, page), 0) >= 3 and _margin(line, page, 1 - FOOTER_ZONE)
                    or _margin(line, page, 1 - FOOTER_ZONE) and _running(line, body))
        ]


def _running(line: Line, body: float) -> bool:
    """A line in the header or footer band that is a page number, or is set smaller than the body and is
    not a footnote: furniture even on a page of its own."""
    if PAGE_NUMBER.match(line.text) or _PAGE_MARK.match(line.text):
        return True
    return line.size < 0.95 * body and not _FOOTNOTE_START.match(line.text) and not SOURCE_LINE.match(line.text)


def _take_footnotes(page: PageLayout, body: float) -> dict[str, str]:
    """Remove the numbered small lines at the page foot and return them as footnote number -> text."""
    lines = sorted(page.lines, key=lambda ln: ln.top)
    first = len(lines)
    while first and lines[first - 1].size < 0.95 * body and lines[first - 1].kind != "table":
        first -= 1
    start = next((i for i in range(first, len(lines)) if _FOOTNOTE_START.match(lines[i].text)), None)
    if start is None or lines[start].top < 0.4 * page.height:
        return {}
    notes: dict[str, str] = {}
    number = ""
    for line in lines[start:]:
        found = _FOOTNOTE_START.match(line.text)
        if found:
            number = next(g for g in found.groups()[:4] if g).translate(_CIRCLED)
            notes[number] = found.group(5)
        else:
            notes[number] += line.text
    taken = {id(line) for line in lines[start:]}
    page.lines = [line for line in page.lines if id(line) not in taken]
    return {number: tidy_spaces(text) for number, text in notes.items()}


def _renumber(page: PageLayout, old: str, new: str) -> None:
    """Rewrite the page's ^[old] markers as ^[new], keeping every character's x position."""
    before, after = f"^[{old}]", f"^[{new}]"
    for line in page.lines:
        while before in line.text:
            i = line.text.index(before)
            x0, x1 = line.edges[i], line.edges[i + len(before)]
            steps = [x0 + (x1 - x0) * k / len(after) for k in range(len(after))]
            line.text = line.text[:i] + after + line.text[i + len(before):]
            line.edges = line.edges[:i] + steps + line.edges[i + len(before):]


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
        numbers = [int(re.search(r"\d+$", line.text).group()) for line in page.lines if _far_number(line)]
        listing = len(numbers) >= 3 and len(numbers) >= 0.5 * len(page.lines) and numbers == sorted(numbers)
        if titled and numbers or listing:
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
    left, right = column_edges(measured or [ln for page in pages for ln in page.lines], body, least=1)
    for page in pages:
        for line in page.lines:
            if line.left != line.left:  # nan: too few lines on the page to measure its column
                line.left, line.right = (left, right) if left == left else (line.x0, line.x1)
    _drop_furniture(pages, body)
    footnotes: dict[str, str] = {}
    for page in pages:
        for number, note in _take_footnotes(page, body).items():
            if footnotes.get(number, note) != note:  # numbering restarts on this page
                renumbered = str(max(int(n) for n in footnotes) + 1)
                _renumber(page, number, renumbered)
                number = renumbered
            footnotes[number] = note
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
            if i and (_ASCII_WORD.match(parts[-1][-1:]) or parts[-1][-1:] in "%‰") and _ASCII_WORD.match(line.text[:1]):
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
