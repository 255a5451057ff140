"""Build report PDFs for the tests: CAICT-style pages drawn with reportlab's built-in STSong-Light font.

`ReportWriter` lays out headings, justified paragraphs with superscript footnote markers (`^[n]` in the
input), footnotes at the page foot, running header, page-number footer, watermark line, figure captions
with their 数据来源 lines, ruled tables with a unit note, a table of contents, a two-column page and pages
without text.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

WIDTH, HEIGHT = A4
MARGIN_X, TOP, BOTTOM = 72.0, 80.0, 78.0
BODY, SMALL, NOTE = 10.5, 9.0, 8.0
LEADING = 1.7
MARKER = re.compile(r"\^\[(\d{1,3})\]")
CLOSING = set("，。、；：？！）》”’%")  # never starts a line
_ATOM = re.compile(r"\^\[\d{1,3}\]|(?:(?!\^\[\d)[!-~])+| |.", re.S)


def width(text: str, size: float, font: str = FONT) -> float:
    """Printed width of `text` at `size`, footnote markers counted as superscripts."""
    total = 0.0
    for atom in _ATOM.findall(text):
        marker = MARKER.fullmatch(atom)
        total += pdfmetrics.stringWidth(marker.group(1), font, size * 0.6) if marker else \
            pdfmetrics.stringWidth(atom, font, size)
    return total


def wrap(text: str, size: float, first: float, rest: float, font: str = FONT) -> list[str]:
    """Break text into lines no wider than `first` (first line) and `rest`; Latin words stay whole."""
    lines, current, used, room = [], "", 0.0, first
    for atom in _ATOM.findall(text):
        advance = width(atom, size, font)
        breakable = atom != " " and atom not in CLOSING and not atom.startswith("^[")
        if current and used + advance > room and breakable:
            lines.append(current.rstrip(" "))
            current, used, room = "", 0.0, rest
        if atom == " " and not current:
            continue
        current += atom
        used += advance
    if current.strip():
        lines.append(current.rstrip(" "))
    return lines


@dataclass
class ReportWriter:
    """Lays report blocks out on A4 pages, drawing page furniture as each page closes."""

    header: str | None = None
    watermark: str | None = None
    page_numbers: bool = True
    first_number: int = 1
    footnote_style: str = "superscript"  # or "bracket": "[1] 数据来源：…"
    font: str = FONT  # a registered font name; STSong-Light is not embedded, a TrueType font is
    _buffer: io.BytesIO = field(default_factory=io.BytesIO)
    _canvas: canvas.Canvas | None = None
    _y: float = TOP
    _page: int = 0
    _notes: list[tuple[str, str]] = field(default_factory=list)
    _furniture: bool = True

    def __post_init__(self) -> None:
        self._canvas = canvas.Canvas(self._buffer, pagesize=A4, pageCompression=1)
        self._canvas.setFont(self.font, BODY)

    # -- pages -------------------------------------------------------------------------------------
    def _bottom(self, notes: list[tuple[str, str]] | None = None) -> float:
        notes = self._notes if notes is None else notes
        height = sum(len(wrap(text, SMALL, self._text_width, self._text_width, self.font)) * SMALL * 1.5
                     for _, text in notes)
        return HEIGHT - BOTTOM - (height + 10 if notes else 0)

    @property
    def _text_width(self) -> float:
        return WIDTH - 2 * MARGIN_X

    def page_break(self) -> None:
        """Close the current page (drawing its furniture and footnotes) and start a fresh one."""
        c = self._canvas
        if self._furniture:
            if self.header:
                c.setFont(self.font, SMALL)
                c.drawRightString(WIDTH - MARGIN_X, HEIGHT - 48, self.header)
                c.setLineWidth(0.5)
                c.line(MARGIN_X, HEIGHT - 54, WIDTH - MARGIN_X, HEIGHT - 54)
            if self.page_numbers:
                c.setFont(self.font, SMALL)
                c.drawCentredString(WIDTH / 2, 46, str(self.first_number + self._page))
            if self.watermark:
                c.setFont(self.font, 7)
                c.setFillGray(0.55)
                c.drawString(MARGIN_X, 26, self.watermark)
                c.setFillGray(0)
        if self._notes:
            y = self._bottom() + 8
            c.setLineWidth(0.5)
            c.line(MARGIN_X, HEIGHT - y + 4, MARGIN_X + 120, HEIGHT - y + 4)
            for number, text in self._notes:
                for i, line in enumerate(wrap(text, SMALL, self._text_width - 10, self._text_width - 10, self.font)):
                    y += SMALL * 1.5
                    if i == 0:
                        self._draw_note_number(number, y)
                    c.setFont(self.font, SMALL)
                    c.drawString(MARGIN_X + 10, HEIGHT - y, line)
        c.showPage()
        self._page += 1
        self._y = TOP
        self._notes = []
        self._furniture = True

    def _draw_note_number(self, number: str, y: float) -> None:
        c = self._canvas
        if self.footnote_style == "bracket":
            c.setFont(self.font, SMALL)
            c.drawRightString(MARGIN_X + 8, HEIGHT - y, f"[{number}]")
        else:
            c.setFont(self.font, SMALL * 0.6)
            c.drawString(MARGIN_X + 2, HEIGHT - y + SMALL * 0.4, number)

    def _room(self, height: float, notes: list[tuple[str, str]] = ()) -> None:
        if self._y + height > self._bottom(self._notes + list(notes)) and self._y > TOP:
            self.page_break()

    # -- drawing lines -----------------------------------------------------------------------------
    def _draw_line(self, line: str, x: float, size: float, *, justify_to: float | None = None) -> None:
        """Draw one line at the cursor as one text object; markers become raised small digits."""
        glyphs = len(MARKER.sub(r"\1", line))
        spacing = 0.0
        if justify_to and glyphs > 1:
            spacing = max(min((justify_to - width(line, size, self.font)) / (glyphs - 1), size * 0.2), 0.0)
        text = self._canvas.beginText(x, HEIGHT - self._y - size)
        text.setCharSpace(spacing)
        for piece in re.split(r"(\^\[\d{1,3}\])", line):
            marker = MARKER.fullmatch(piece)
            if marker:
                text.setFont(self.font, size * 0.6)
                text.setRise(size * 0.42)
                text.textOut(marker.group(1))
                text.setRise(0)
            elif piece:
                text.setFont(self.font, size)
                text.textOut(piece)
        self._canvas.drawText(text)

    # -- blocks ------------------------------------------------------------------------------------
    def heading(self, text: str, *, size: float = 14.0) -> None:
        """A heading on its own line(s), larger than the body."""
        lines = wrap(text, size, self._text_width, self._text_width, self.font)
        self._room(size * 2.2 + BODY * LEADING * 2)
        self._y += size * 0.6
        for line in lines:
            self._draw_line(line, MARGIN_X, size)
            self._y += size * 1.6
        self._y += size * 0.2

    def paragraph(self, text: str, *, footnotes: dict[str, str] | None = None, size: float = BODY,
                  x: float = MARGIN_X, column: float | None = None) -> None:
        """A justified body paragraph with a two-character first-line indent."""
        footnotes = footnotes or {}
        column = column or self._text_width
        lines = wrap(text, size, column - 2 * size, column, self.font)
        for i, line in enumerate(lines):
            notes = [(n, footnotes[n]) for n in MARKER.findall(line) if n in footnotes]
            self._room(size * LEADING, notes)
            self._notes.extend(notes)
            indent = 2 * size if i == 0 else 0.0
            last = i == len(lines) - 1
            self._draw_line(line, x + indent, size, justify_to=None if last else column - indent)
            self._y += size * LEADING

    def caption(self, text: str) -> None:
        """A figure or table caption (图 1 …), centred and small."""
        self._room(SMALL * 2)
        self._canvas.setFont(self.font, SMALL)
        self._canvas.drawCentredString(WIDTH / 2, HEIGHT - self._y - SMALL, text)
        self._y += SMALL * 2

    def note(self, text: str) -> None:
        """A small left-aligned line such as 数据来源：… or 单位：亿元."""
        for line in wrap(text, SMALL, self._text_width, self._text_width, self.font):
            self._room(SMALL * 1.8)
            self._draw_line(line, MARGIN_X, SMALL)
            self._y += SMALL * 1.8

    def figure(self, labels: list[str], *, height: float = 110.0) -> None:
        """A bar chart: frame, bars and small axis labels that are not body text."""
        self._room(height + 12)
        c = self._canvas
        top = HEIGHT - self._y
        left, right = MARGIN_X + 40, WIDTH - MARGIN_X - 40
        c.setLineWidth(0.5)
        c.rect(left, top - height, right - left, height - 4)
        step = (right - left) / max(len(labels), 1)
        for i, label in enumerate(labels):
            bar = (height - 30) * (0.4 + 0.5 * (i + 1) / len(labels))
            c.setFillGray(0.7)
            c.rect(left + i * step + step * 0.3, top - height + 16, step * 0.4, bar, fill=1, stroke=0)
            c.setFillGray(0)
            c.setFont(self.font, 6.5)
            c.drawCentredString(left + i * step + step / 2, top - height + 6, label)
        self._y += height + 8

    def table(self, rows: list[list[str]], *, unit_note: str | None = None, size: float = SMALL) -> None:
        """A ruled table; `unit_note` (单位：亿元) is printed right-aligned above it."""
        row_height = size * 2.2
        self._room(row_height * len(rows) + (size * 2 if unit_note else 0))
        c = self._canvas
        if unit_note:
            c.setFont(self.font, size)
            c.drawRightString(WIDTH - MARGIN_X, HEIGHT - self._y - size, unit_note)
            self._y += size * 2
        cols = max(len(r) for r in rows)
        col_width = self._text_width / cols
        c.setLineWidth(0.6)
        top = HEIGHT - self._y
        for i in range(len(rows) + 1):
            c.line(MARGIN_X, top - i * row_height, WIDTH - MARGIN_X, top - i * row_height)
        for j in range(cols + 1):
            c.line(MARGIN_X + j * col_width, top, MARGIN_X + j * col_width, top - len(rows) * row_height)
        c.setFont(self.font, size)
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                c.drawCentredString(MARGIN_X + (j + 0.5) * col_width, top - (i + 0.5) * row_height - size * 0.35, cell)
        self._y += row_height * len(rows) + size

    def toc(self, entries: list[tuple[str, int]], *, title: str = "目录") -> None:
        """A table of contents page: dot leaders and right-aligned page numbers."""
        self.heading(title, size=16)
        c = self._canvas
        for entry, page in entries:
            self._room(BODY * 2)
            baseline = HEIGHT - self._y - BODY
            c.setFont(self.font, BODY)
            c.drawString(MARGIN_X, baseline, entry)
            start = MARGIN_X + width(entry, BODY, self.font) + 4
            dots = int((WIDTH - MARGIN_X - 20 - start) / pdfmetrics.stringWidth("·", self.font, BODY))
            c.drawString(start, baseline, "·" * max(dots, 3))
            c.drawRightString(WIDTH - MARGIN_X, baseline, str(page))
            self._y += BODY * 2
        self.page_break()

    def columns(self, left: list[str], right: list[str], *, gutter: float = 24.0) -> None:
        """A page whose body is set in two columns: all of `left`, then all of `right`."""
        if self._y > TOP:
            self.page_break()
        column = (self._text_width - gutter) / 2
        for paragraphs, x in ((left, MARGIN_X), (right, MARGIN_X + column + gutter)):
            self._y = TOP
            for text in paragraphs:
                self.paragraph(text, x=x, column=column)
        self.page_break()

    def blank_page(self, *, furniture: bool = False) -> None:
        """A page with a drawn picture and no text at all (as a scanned page looks)."""
        if self._y > TOP:
            self.page_break()
        self._canvas.setFillGray(0.85)
        self._canvas.rect(MARGIN_X, 200, self._text_width, 400, fill=1, stroke=0)
        self._canvas.setFillGray(0)
        self._furniture = furniture
        self.page_break()

    def to_bytes(self) -> bytes:
        """Close the last page and return the PDF file."""
        if self._y > TOP or self._notes or self._page == 0:
            self.page_break()
        self._canvas.save()
        return self._buffer.getvalue()


def encrypted_pdf(text: str = "加密的报告") -> bytes:
    """A one-page PDF that needs a password to open."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, encrypt="secret")
    c.setFont(FONT, BODY)
    c.drawString(MARGIN_X, HEIGHT - TOP, text)
    c.showPage()
    c.save()
    return buffer.getvalue()


def embedded_font() -> str:
    """Register reportlab's bundled Vera TrueType font, which is embedded in the PDF (Latin letters only)."""
    import os

    import reportlab
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))
    return "Vera"
