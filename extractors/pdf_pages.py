"""Read a PDF's pages into lines: characters from pypdfium2 or pdfplumber, columns split at an empty
gutter, lines by vertical overlap, superscript footnote markers by size and baseline (written `^[n]`).

pdfplumber's table finder reads the pages that carry ruling lines; their characters stay out of the lines.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median
from typing import NamedTuple

from .errors import EncryptedPDF, ScannedPDF, UnreadableDocument
from .pdf_tables import Table, find_tables_pdfium, find_tables_plumber
from .text import CJK, to_halfwidth

HEADER_ZONE, FOOTER_ZONE = 0.08, 0.92  # fractions of the page height holding running headers and footers
_CJK_CHAR = re.compile(f"[{CJK}]")
_MARKER_RUN = re.compile(r"^[\[(（]?(\d{1,3})[\])）]?$")
_CIRCLED = {0x2460 + i: str(i + 1) for i in range(20)}  # ① … ⑳ mark footnotes too


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


def _pdfminer_chars(path: str, data: bytes, wanted: set[int]) -> dict[int, list[Char]]:
    """Characters of the wanted pages (0-based) read with pdfminer directly: pdfplumber's own reader without
    its layout objects and per-character dictionaries, about twice as fast."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    class Collector(PDFTextDevice):
        """Records each upright horizontal character's box, as pdfminer's LTChar would compute it."""

        chars: list[tuple[str, float, float, float, float, float]] = []

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = ""
            adv = font.char_width(cid) * fontsize * scaling
            a, b, c, d, e, f = matrix
            if text >= " " and not font.is_vertical() and a * d * scaling > 0 and b * c <= 0:
                low = font.get_descent() * fontsize + rise
                high = low + fontsize
                x0, x1 = sorted((e + c * low, a * adv + c * high + e))
                y0, y1 = sorted((f + d * low, b * adv + d * high + f))
                self.chars.append((text, x0, y0, x1, y1, y1 - y0))
            return adv

    found: dict[int, list[Char]] = {}
    try:
        resources = PDFResourceManager(caching=True)
        device = Collector(resources)
        interpreter = PDFPageInterpreter(resources, device)
        for index, page in enumerate(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data))))):
            if index not in wanted:
                continue
            device.chars = []
            interpreter.process_page(page)
            left, top = page.mediabox[0], page.mediabox[3]
            found[index] = [Char(t, x0 - left, top - y1, x1 - left, top - y0, round(size, 2))
                            for t, x0, y0, x1, y1, size in device.chars]
    except PDFPasswordIncorrect as exc:
        raise EncryptedPDF(path, "is encrypted and needs a password; save a decrypted copy") from exc
    except Exception as exc:  # pdfminer raises many kinds of errors on broken files
        raise UnreadableDocument(path, "is damaged and cannot be parsed as a PDF; re-export it") from exc
    return found


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

    engine: "hybrid" reads characters with pypdfium2, with pdfminer on pages whose fonts pdfium may misread,
    and hands pdfplumber only the pages with ruling lines (tables); "pdfplumber" reads every page with
    pdfplumber; "pypdfium2" trusts pypdfium2 on every page (for measuring).
    """
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument(path, "is not a PDF (no %PDF header); rename it or export it again")
    raw_pages: list[tuple[int, float, float, list[Char] | None, list[Table]]] = []
    table_pages: set[int] = set()
    if engine in ("hybrid", "pypdfium2"):
        document = _open_pdfium(path, data)
        try:
            for index in range(len(document)):
                page = document[index]
                width, height = page.get_size()
                trusted = engine == "pypdfium2" or _pdfium_trusted(page)
                raw_pages.append((index + 1, width, height, _pdfium_chars(page) if trusted else None, []))
                if find_tables_pdfium(page):
                    table_pages.add(index)
                page.close()
        finally:
            document.close()
        untrusted = {i for i, (_, _, _, chars, _) in enumerate(raw_pages) if chars is None}
        if untrusted:
            for index, chars in _pdfminer_chars(path, data, untrusted).items():
                raw_pages[index] = raw_pages[index][:3] + (chars, [])
    if engine == "pdfplumber" or table_pages:
        with _open_plumber(path, data) as pdf:
            if engine == "pdfplumber":
                raw_pages = [(i + 1, float(p.width), float(p.height), None, []) for i, p in enumerate(pdf.pages)]
                table_pages = set(range(len(pdf.pages)))
            for index in sorted(table_pages):
                page = pdf.pages[index]
                number, width, height, chars, _ = raw_pages[index]
                raw_pages[index] = (number, width, height, chars if chars is not None else _plumber_chars(page),
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
    best, reach = None, 0.0  # widest stretch of the middle of the page that no character covers
    for x0, x1 in sorted((c.x0, c.x1) for c in inner):
        gap = (max(reach, 0.3 * width), min(x0, 0.7 * width))
        if gap[1] - gap[0] >= body and (best is None or gap[1] - gap[0] > best[1] - best[0]):
            best = gap
        reach = max(reach, x1)
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
    chars = _dedupe(chars)
    sizes = Counter(round(c.size, 1) for c in chars if not c.text.isspace())
    size = sizes.most_common(1)[0][0] if sizes else chars[0].size
    baseline = median(c.bottom for c in chars if abs(c.size - size) < 0.2) if sizes else chars[0].bottom
    out: list[tuple[str, float, float]] = []  # (text, x0, x1) per output character
    i = 0
    while i < len(chars):
        c = chars[i]
        if _superscript(c, size, baseline) and not c.text.isspace():
            j = i
            while j < len(chars) and _superscript(chars[j], size, baseline):
                j += 1
            run = "".join(ch.text for ch in chars[i:j]).strip()
            number = _MARKER_RUN.match(to_halfwidth(run).translate(_CIRCLED))
            exponent = out and out[-1][0] == "m" and run in ("2", "3")  # m², km³
            text = f"^[{number.group(1)}]" if number and not exponent else to_halfwidth(run)
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
    out = [o for k, o in enumerate(out) if not (o[0] == " " and (k + 1 == len(out) or _CJK_CHAR.match(out[k + 1][0])
                                                                or out[k + 1][0] in "%‰"))]
    text = "".join(t for t, _, _ in out)
    edges = [x0 for _, x0, _ in out] + ([out[-1][2]] if out else [])
    return text, edges, size


def _dedupe(chars: list[Char]) -> list[Char]:
    """Drop characters printed twice at nearly the same place (fake bold, shadowed headings)."""
    kept: list[Char] = []
    for c in chars:
        if kept and any(k.text == c.text and abs(k.x0 - c.x0) < 0.25 * (c.x1 - c.x0) and abs(k.top - c.top) < 0.3 * c.size
                        for k in kept[-3:]):
            continue
        kept.append(c)
    return kept


def _superscript(c: Char, size: float, baseline: float) -> bool:
    """Set small and raised above the line's baseline, or much smaller than the line (markers set on it)."""
    return c.size <= 0.8 * size and c.bottom < baseline - 0.2 * size or c.size <= 0.65 * size and c.text.isdigit()


def _space(out: list[tuple[str, float, float]], x: float) -> None:
    """Append a space unless it would touch Chinese text or sit before a percent sign (as tidy_spaces does)."""
    if out and out[-1][0] != " " and not _CJK_CHAR.match(out[-1][0]):
        out.append((" ", x, x))


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
            lines.append(Line(number, text, edges, min(c.top for c in group), max(c.bottom for c in group), size))
        left, right = column_edges(lines, body)
        for line in lines:
            line.left, line.right = left, right
        layout.lines.extend(lines)
    return layout


def column_edges(lines: list[Line], body: float, *, least: int = 4) -> tuple[float, float]:
    """Left and right edges of a column: the commonest line start and the 80th percentile line end of
    body-size lines; (nan, nan) when fewer than `least` such lines say so."""
    wide = [ln for ln in lines if len(ln.text) >= 10 and abs(ln.size - body) < 1]
    if len(wide) < least:
        return float("nan"), float("nan")
    starts = Counter(round(ln.x0) for ln in wide)
    left = min(x for x, n in starts.items() if n >= 0.2 * len(wide))  # first-line indents start further right
    ends = sorted(ln.x1 for ln in wide)
    return float(left), ends[int(0.8 * (len(ends) - 1))]
