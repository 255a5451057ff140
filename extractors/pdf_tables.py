"""Tables in PDFs: find ruled tables, read their cells, and turn numeric cells into claims.

A numeric cell's metric comes from its row and column headers, its year from a header that is a year,
and its unit from the header ("（亿元）", "增速(%)") or a note beside the table ("单位：亿元").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from schemas import Claim, Document, TableCell

from .numbers import extract_quantities
from .registry import register
from .text import tidy_spaces, to_halfwidth

NAME = register("tables.v1")

UNIT_NOTE = re.compile(r"单位\s*[:：]\s*([^\s，,；;）)]{1,8})")
_UNIT_IN_HEADER = re.compile(r"[(（]\s*(?:单位\s*[:：]\s*)?([^()（）]{1,8}?)\s*[)）]\s*$")
_YEAR = re.compile(r"^((?:19|20)\d{2})\s*(?:年(?:底|末)?)?\s*([EeFf预]?)$")
_NUMBER = re.compile(r"^[-+−]?\d[\d,]*(?:\.\d+)?$")
_GROWTH = re.compile(r"增速|增长|增幅|增长率|同比|环比|降幅")
_FORECAST = re.compile(r"预计|预测|[EeFf预]$")


@dataclass
class Table:
    """A ruled table on a page: its box, its cells' text and boxes, and the unit note printed beside it."""

    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[str, tuple[float, float, float, float] | None]]]
    unit: str | None = None

    def contains(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        """True when a character box lies inside the table."""
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        return self.bbox[0] <= cx <= self.bbox[2] and self.bbox[1] <= cy <= self.bbox[3]


def find_tables_pdfium(page) -> bool:
    """True when a pypdfium2 page has enough thin ruling lines to hold a table."""
    import pypdfium2.raw as pdfium_c

    across = down = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if top - bottom < 2.5 and right - left > 15:
            across += 1
        elif right - left < 2.5 and top - bottom > 6:
            down += 1
        if across >= 3 and down >= 2:
            return True
    return False


def find_tables_plumber(page) -> list[Table]:
    """Ruled tables of a pdfplumber page with at least two rows and two columns."""
    if len(page.edges) < 5:
        return []
    tables = []
    for found in page.find_tables():
        rows = []
        for row in found.rows:
            cells = []
            for box in row.cells:
                text = page.within_bbox(box).extract_text() if box else ""
                cells.append((tidy_spaces(to_halfwidth(text.replace("\n", " "))), box and tuple(box)))
            rows.append(cells)
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        tables.append(Table(tuple(found.bbox), rows, _unit_note(page, found.bbox)))
    return tables


def _unit_note(page, bbox: tuple[float, float, float, float]) -> str | None:
    """A "单位：亿元" note printed just above or below the table."""
    x0, top, x1, bottom = bbox
    for box in ((0, max(top - 30, 0), page.width, top), (0, bottom, page.width, min(bottom + 24, page.height))):
        note = UNIT_NOTE.search(to_halfwidth(page.within_bbox(box).extract_text() or ""))
        if note:
            return note.group(1)
    return None


def table_rows(table: Table) -> list[tuple[str, list[tuple[int, int, dict]]]]:
    """Each row as text (cells joined by tabs) and its numeric cells: (start, end, facts) within that text."""
    header = [text for text, _ in table.rows[0]]
    out = []
    for r, row in enumerate(table.rows):
        parts, cells, pos = [], [], 0
        for c, (text, box) in enumerate(row):
            if c:
                pos += 1
            if r and c and text and _numeric(text):
                column = header[c] if c < len(header) else ""
                cells.append((pos, pos + len(text), {"row": row[0][0], "column": column, "bbox": box,
                                                     "unit": _header_unit(column) or _header_unit(row[0][0]) or table.unit}))
            parts.append(text)
            pos += len(text)
        out.append(("\t".join(parts), cells))
    return out


def _numeric(text: str) -> bool:
    quantities = extract_quantities(text)
    return bool(_NUMBER.match(text.rstrip("%％")) or quantities and quantities[0].start == 0 and quantities[0].end == len(text))


def _header_unit(header: str) -> str | None:
    found = _UNIT_IN_HEADER.search(header or "")
    return found.group(1) if found else None


def _label(header: str) -> str:
    return _UNIT_IN_HEADER.sub("", header or "").strip()


def _cell_quantity(raw: str, unit: str | None):
    """(value, value_high, unit, qualifier) of a cell: its own unit, else the header's or the note's."""
    for text in (raw, raw + (unit or "")):
        found = extract_quantities(text)
        if found and found[0].start == 0 and found[0].end >= len(raw):
            q = found[0]
            return q.value, q.value_high, q.unit, q.qualifier
    if _NUMBER.match(raw):
        return Decimal(raw.replace(",", "").replace("−", "-")), None, "count", "exact"
    return None


def table_claim(document: Document, cell: TableCell, sentence: str) -> Claim | None:
    """The claim a numeric table cell states, or None when its text is not a quantity."""
    raw = document.text[cell.start:cell.end]
    quantity = _cell_quantity(raw, cell.unit)
    if quantity is None:
        return None
    value, high, unit, qualifier = quantity
    year = period = None
    labels = []
    for header in (cell.row, cell.column):
        label = _label(header)
        found = _YEAR.match(label)
        if found:
            year, period = int(found.group(1)), label
        elif label:
            labels.append(label)
    words = "".join(labels)
    kind = {"pp": "difference", "x": "multiple"}.get(unit, "level")
    if unit == "%":
        kind = "growth" if _GROWTH.search(words) else "share"
    return Claim(
        document=document.name, page=cell.page, start=cell.start, end=cell.end, sentence=sentence, raw=raw,
        value=value, value_high=high, unit=unit, qualifier=qualifier, kind=kind,
        forecast=bool(period and _FORECAST.search(period)) or bool(re.search("预计|预测", words)),
        metric=words or None, year=year, period=period, extractor=NAME, bbox=cell.bbox,
    )
