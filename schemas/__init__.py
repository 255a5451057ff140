"""Records that every step of shuzi speaks: small frozen dataclasses, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Page:
    """A page of a document's normalized text.

    number: the page number (printed number for text exports when found, else 1-based index)
    start, end: character span of the page inside `Document.text`
    bbox_source: for PDFs, the page size (width, height) in points; None for text exports
    """

    number: int
    start: int
    end: int
    bbox_source: tuple[float, float] | None = None


@dataclass(frozen=True)
class TextBox:
    """Where a run of a PDF document's text sits on its page.

    start, end: span in `Document.text` (one printed line, or one table row)
    page: page number (1-based index in the file)
    top, bottom: vertical extent in points from the top of the page
    edges: left x of each character of the span, then the right x of the last (end - start + 1 values)
    """

    start: int
    end: int
    page: int
    top: float
    bottom: float
    edges: tuple[float, ...]


@dataclass(frozen=True)
class TableCell:
    """A numeric cell of a table read from a PDF.

    start, end: span of the cell's text in `Document.text`
    page: page number (1-based index in the file)
    row, column: the row header (first cell of the row) and the column header (first row), as printed
    unit: the unit from the header or the table's note ("亿元" from "单位：亿元"), else None
    bbox: (x0, top, x1, bottom) of the cell on the page
    """

    start: int
    end: int
    page: int
    row: str
    column: str
    unit: str | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Document:
    """One report, read and normalized.

    name: file name (e.g. `002_767eecd6bc8a868c.txt`), the document's key in the warehouse
    path: where it was read from
    sha256: hash of the file's bytes
    text: normalized text; paragraphs separated by "\\n"; every claim span indexes it
    pages: page spans of `text`; empty when the export carries no page information
    footnotes: footnote number -> footnote text (e.g. {"1": "数据来源：国家数据局"})
    title, publisher, published: front-matter facts when found
    kind: "text" or "pdf"
    boxes: for PDFs, where each line of `text` sits on its page (sorted by start)
    tables: for PDFs, the numeric cells of tables, whose rows are lines of `text`
    """

    name: str
    path: str
    sha256: str
    text: str
    pages: tuple[Page, ...] = ()
    footnotes: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    kind: str = "text"
    boxes: tuple[TextBox, ...] = ()
    tables: tuple[TableCell, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """Page number holding character `offset`, or None without page information."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return self.pages[-1].number if self.pages and offset >= self.pages[-1].start else None


@dataclass(frozen=True)
class Quantity:
    """A number as written, parsed exactly.

    start, end: span in the text it was found in; text[start:end] == raw
    raw: the surface text (number, magnitude, unit, qualifier words excluded)
    value, value_high: exact values in base units (value_high only for ranges)
    unit: canonical unit (CNY, USD, %, pp, x, 个, count, EB, ...)
    qualifier: exact | approx | over | under
    """

    start: int
    end: int
    raw: str
    value: Decimal
    unit: str
    value_high: Decimal | None = None
    qualifier: str = "exact"


@dataclass(frozen=True)
class Claim:
    """A numeric claim: a quantity with what it measures and where it was found.

    document: file name of the report
    page: page number or None
    start, end: span in `Document.text`; Document.text[start:end] == raw
    sentence: the sentence the claim came from
    raw, value, value_high, unit, qualifier: as in `Quantity`
    kind: level | growth | share | difference | multiple | other
    forecast: projection or target
    metric: the measured noun phrase (数字经济规模)
    subject: geography or entity (中国, 全球, 广州, ...)
    year, period: the calendar year and the time expression as written
    source: the source the text cites, normalized (中国信息通信研究院), else None
    extractor: name and version of the code that produced the claim
    bbox: (x0, top, x1, bottom) on the PDF page, when known
    """

    document: str
    page: int | None
    start: int
    end: int
    sentence: str
    raw: str
    value: Decimal
    unit: str
    value_high: Decimal | None = None
    qualifier: str = "exact"
    kind: str = "level"
    forecast: bool = False
    metric: str | None = None
    subject: str | None = None
    year: int | None = None
    period: str | None = None
    source: str | None = None
    extractor: str = ""
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class IngestProblem:
    """Why a document could not be ingested.

    path: the file
    stage: read | decode | extract | save
    error: the exception class name
    message: one line naming the file and what to do
    """

    path: str
    stage: str
    error: str
    message: str


@dataclass(frozen=True)
class Evidence:
    """A figure in the reports that a checked claim was compared with.

    document, page, sentence: where the figure was stated
    raw, value, value_high, unit, qualifier: the figure as in `Claim`
    metric, subject, year: what the figure measures, as stored
    fact_id: the reconciled fact it belongs to, when the warehouse has facts
    fact_status: that fact's status (agreed | rounding | revised | conflict), else None
    preferred: False for a value a later report revised (deprecated in `fact_values`)
    score: metric similarity with the checked claim, 0..100
    mentions: how many report figures this one stands for (the same figure of the same fact, stated again)
    """

    document: str
    page: int | None
    sentence: str
    raw: str
    value: Decimal
    unit: str
    value_high: Decimal | None = None
    qualifier: str = "exact"
    metric: str | None = None
    subject: str | None = None
    year: int | None = None
    fact_id: str | None = None
    fact_status: str | None = None
    preferred: bool = True
    score: float = 0.0
    mentions: int = 1


@dataclass(frozen=True)
class Verdict:
    """What the reports say about one figure of a checked text.

    raw, value, value_high, unit, qualifier, metric, subject, year: the checked claim, as extracted
    verdict: supported | contradicted | conflicting | not_found | no_claim
    explanation: one sentence saying why, with the tolerance used and the figures compared
    evidence: the report figures the verdict rests on, best first
    """

    raw: str
    value: Decimal | None
    unit: str | None
    verdict: str
    explanation: str
    value_high: Decimal | None = None
    qualifier: str = "exact"
    metric: str | None = None
    subject: str | None = None
    year: int | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Fact:
    """One figure as the reports state it, however often and wherever it is repeated.

    id: stable hash of the fact key (metric_key, subject, year, period key, unit)
    metric: a readable metric, as the reports most often write it
    metric_key: the normalized metric the claims were grouped by (数字经济规模, 数字经济占GDP比重)
    subject, year, period, unit: as in `Claim`; period is the time expression most often written
    value, value_high: the preferred value (rank 1 in `FactValue`)
    status: agreed | rounding | revised | conflict
    mentions, documents: how many claims and how many reports state it
    period_key: the part of the period finer than a year ('' for a whole year; 预测 marks forecasts)
    block: the blocking key the fact was reconciled under (subject, year, period key, unit, aspect)
    """

    id: str
    metric: str
    metric_key: str
    subject: str | None
    year: int | None
    period: str | None
    unit: str
    value: Decimal
    status: str
    mentions: int
    documents: int
    block: str
    period_key: str = ""
    value_high: Decimal | None = None


@dataclass(frozen=True)
class FactValue:
    """One distinct value stated for a fact, with the reports that state it.

    id: stable hash of the fact id and the written value
    fact_id: the `Fact` it belongs to
    value, value_high, unit, qualifier: the value as in `Claim`
    status: agrees | rounding | revised | conflict, compared with the preferred value
    rank: 1 for the preferred value; deprecated (revised) values rank last
    deprecated: superseded by a later edition of the same publisher
    mentions: how many claims state it
    documents: names of the reports stating it, sorted
    """

    id: str
    fact_id: str
    value: Decimal
    unit: str
    status: str
    rank: int
    deprecated: bool
    mentions: int
    documents: tuple[str, ...]
    value_high: Decimal | None = None
    qualifier: str = "exact"
