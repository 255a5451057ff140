"""PDF reading: layout, furniture, footnotes, captions, tables, boxes and errors, on PDFs drawn in the tests."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.claims import extract_claims
from extractors.errors import EncryptedPDF, ScannedPDF, UnreadableDocument
from extractors.loaders import load_document
from extractors.pdf import load_pdf_document, place_claims
from pdf_factory import ReportWriter, embedded_font, encrypted_pdf

HEADER = "中国数字经济发展研究报告（2024年）"
WATERMARK = "userid:692645,docid:174184,date:2024-09-07,sgpjbg.com"
FIRST = ("2024年，我国数字经济规模达到59.2万亿元，同比名义增长9.69%^[1]。数字经济占GDP比重达到44.3%，"
         "较上年提升1.8个百分点，数字经济在国民经济中的地位更加稳固，支撑作用更加明显，对稳增长的贡献继续增强。")
SECOND = ("千兆宽带用户1.63亿户，在固定宽带接入用户占比达到25.7%^[2]。5G基站总数达到425.1万个，"
          "比上年末净增87.4万个，占移动基站总数的33.6%，5G网络覆盖所有地级市城区和县城城区。")
LATIN = "IDC 与 Gartner 发布的 Open Data Index 显示，AI PC 出货量达到1.2亿台，同比增长35%。"
NOTES = {"1": "数据来源：国家统计局", "2": "数据来源：工业和信息化部"}


def filler(n: int) -> list[str]:
    """Body paragraphs without figures, enough to fill pages."""
    return [f"第{i + 1}段讨论数字化转型的路径与方法，企业需要结合自身条件稳步推进，" * 4 + "以取得实效。" for i in range(n)]


def read(data: bytes, name: str = "report.pdf", **options):
    return load_pdf_document(name, data, sha256="0" * 64, **options)


@pytest.fixture(scope="module")
def report() -> bytes:
    """Four pages: a contents page, body with footnotes and a figure, a table page, and a page split over a break."""
    w = ReportWriter(header=HEADER, watermark=WATERMARK)
    w.toc([("一、数字经济发展总体态势", 1), ("二、数字产业化", 3), ("三、产业数字化", 5)])
    w.heading("一、数字经济发展总体态势")
    w.paragraph(FIRST, footnotes=NOTES)
    w.paragraph(SECOND, footnotes=NOTES)
    w.paragraph(LATIN)
    w.figure(["2019", "2020", "2021", "2022", "2023"])
    w.note("数据来源：中国信息通信研究院")
    w.caption("图 1 我国数字经济规模（万亿元）")
    for text in filler(8):
        w.paragraph(text)
    w.caption("表 1 数字经济规模与增速")
    w.table([["指标", "2023年", "2024年"], ["数字经济规模", "53.9", "59.2"], ["数字产业化规模", "10.1", "10.5"]],
            unit_note="单位：万亿元")
    w.table([["指标", "2024年"], ["数字经济增速（%）", "9.69"]])
    return w.to_bytes()


@pytest.fixture(scope="module")
def document(report):
    return read(report)


@pytest.fixture(scope="module")
def paragraphs(document) -> list[str]:
    return document.text.split("\n")


def test_body_paragraphs_are_whole_lines_without_spaces_between_chinese_characters(paragraphs):
    assert FIRST in paragraphs and SECOND in paragraphs
    assert "一、数字经济发展总体态势" in paragraphs


def test_spaces_between_latin_words_are_kept_and_spaces_beside_chinese_dropped(paragraphs):
    assert "IDC与Gartner发布的Open Data Index显示，AI PC出货量达到1.2亿台，同比增长35%。" in paragraphs


@pytest.mark.parametrize("furniture", [HEADER, WATERMARK, "userid", "目录", "····", "二、数字产业化"])
def test_running_header_watermark_and_contents_are_removed(document, furniture):
    assert furniture not in document.text


def test_page_numbers_are_removed(paragraphs):
    assert not [p for p in paragraphs if p.strip().isdigit()]


def test_superscript_markers_become_explicit_and_link_to_page_foot_footnotes(document):
    assert "9.69%^[1]。" in document.text and "25.7%^[2]。" in document.text
    assert document.footnotes == NOTES
    assert not [note for note in NOTES.values() if note in document.text]


def test_footnote_marker_is_not_glued_to_the_number(document):
    claims = {c.raw: c for c in extract_claims(document)}
    assert claims["9.69%"].value == Decimal("9.69") and claims["25.7%"].value == Decimal("25.7")
    assert claims["25.7%"].source and "工业和信息化部" in claims["25.7%"].source


def test_captions_and_source_lines_are_paragraphs_of_their_own(paragraphs):
    assert "数据来源：中国信息通信研究院" in paragraphs
    assert "图1我国数字经济规模（万亿元）" in paragraphs or "图 1 我国数字经济规模（万亿元）" in paragraphs


def test_chart_labels_are_not_text(document):
    assert "2019 2020" not in document.text and "20192020" not in document.text


def test_paragraph_continues_across_a_page_break(document, paragraphs):
    for text in filler(8):
        assert text in paragraphs
    spans = [(document.text.index(text), document.text.index(text) + len(text)) for text in filler(8)]
    assert [(s, e) for s, e in spans if document.page_at(s) != document.page_at(e - 1)]


def test_table_cells_become_claims_with_header_metric_year_and_note_unit(document):
    claims = place_claims(document, extract_claims(document))
    table = {(c.metric, c.year): c for c in claims if c.extractor.startswith("tables")}
    level = table[("数字经济规模", 2024)]
    assert level.value == Decimal("59.2e12") and level.unit == "CNY" and level.kind == "level"
    assert table[("数字产业化规模", 2023)].value == Decimal("10.1e12")
    growth = table[("数字经济增速", 2024)]
    assert growth.value == Decimal("9.69") and growth.unit == "%" and growth.kind == "growth"
    assert not [c for c in claims if not c.extractor.startswith("tables") and c.raw in ("53.9", "10.1")]


def test_every_claim_has_its_span_page_and_box(document):
    claims = place_claims(document, extract_claims(document))
    assert len(claims) > 10
    sizes = {p.number: p.bbox_source for p in document.pages}
    for claim in claims:
        assert document.text[claim.start:claim.end] == claim.raw
        assert claim.page in sizes and claim.bbox is not None
        x0, top, x1, bottom = claim.bbox
        width, height = sizes[claim.page]
        assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height
        assert document.page_at(claim.start) == claim.page


def test_claim_box_covers_the_printed_number(document):
    claims = {c.raw: c for c in place_claims(document, extract_claims(document))}
    x0, top, x1, bottom = claims["59.2万亿元"].bbox
    assert 20 < x1 - x0 < 60 and 8 < bottom - top < 14  # six glyphs at 10.5 pt on one line


@pytest.mark.parametrize("engine", ["hybrid", "pdfplumber"])
def test_engines_agree(report, document, engine):
    assert read(report, engine=engine).text == document.text


def two_columns() -> bytes:
    w = ReportWriter(header=HEADER)
    w.columns(["左栏第一段，数字经济规模达到59.2万亿元。" * 3, "左栏第二段。" * 6],
              ["右栏第一段，产业数字化规模达到48.3万亿元。" * 3, "右栏第二段。" * 6])
    return w.to_bytes()


def test_two_columns_are_read_one_after_the_other():
    paragraphs = read(two_columns()).text.split("\n")
    assert paragraphs == ["左栏第一段，数字经济规模达到59.2万亿元。" * 3, "左栏第二段。" * 6,
                          "右栏第一段，产业数字化规模达到48.3万亿元。" * 3, "右栏第二段。" * 6]


def test_a_page_without_text_keeps_its_place():
    w = ReportWriter(header=HEADER)
    w.paragraph(FIRST, footnotes=NOTES)
    w.blank_page()
    w.paragraph(SECOND, footnotes=NOTES)
    document = read(w.to_bytes())
    assert [p.number for p in document.pages] == [1, 2, 3]
    assert document.pages[1].start == document.pages[1].end
    assert document.text.split("\n") == [FIRST, SECOND]


def test_bracketed_footnotes_at_the_page_foot_are_read_too():
    w = ReportWriter(footnote_style="bracket")
    w.paragraph(FIRST, footnotes=NOTES)
    document = read(w.to_bytes())
    assert document.footnotes == {"1": NOTES["1"]} and document.text == FIRST


def test_footnote_numbers_restarting_on_a_page_link_to_that_page_foot():
    w = ReportWriter()
    w.paragraph(FIRST.replace("^[1]", "") + "数字经济规模达到59.2万亿元^[1]。", footnotes={"1": "数据来源：国家统计局"})
    w.page_break()
    w.paragraph(FIRST.replace("^[1]", "") + "产业数字化规模达到48.3万亿元^[1]。", footnotes={"1": "数据来源：国家数据局"})
    document = read(w.to_bytes())
    first, second = document.text.split("\n")
    assert first.endswith("增强。数字经济规模达到59.2万亿元^[1]。") and second.endswith("增强。产业数字化规模达到48.3万亿元^[2]。")
    assert document.footnotes == {"1": "数据来源：国家统计局", "2": "数据来源：国家数据局"}
    boxes = [box for box in document.boxes if "^[2]" in document.text[box.start:box.end]]
    assert len(boxes) == 1 and len(boxes[0].edges) == boxes[0].end - boxes[0].start + 1


def test_cover_title_that_repeats_as_running_header_is_kept():
    w = ReportWriter(header=HEADER)
    w.heading(HEADER, size=20)
    for text in filler(12):
        w.paragraph(text)
    document = read(w.to_bytes())
    assert document.title == HEADER and document.text.split("\n")[0] == HEADER
    assert document.text.count(HEADER) == 1


def test_image_only_pdf_asks_for_ocr():
    w = ReportWriter(page_numbers=False)
    w.blank_page()
    with pytest.raises(ScannedPDF, match="OCR"):
        read(w.to_bytes(), name="scan.pdf")


def test_encrypted_pdf_asks_for_a_decrypted_copy():
    with pytest.raises(EncryptedPDF, match="locked.pdf.*password"):
        read(encrypted_pdf(), name="locked.pdf")


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%broken", b"hello, not a pdf", b"%PDF-1.7\n" + b"\x00" * 300],
                         ids=["header-only", "not-pdf", "zeros"])
def test_broken_files_are_unreadable_documents(data):
    with pytest.raises(UnreadableDocument, match="broken.pdf"):
        load_document("broken.pdf", data)


def test_truncated_pdf_is_an_unreadable_document(report):
    with pytest.raises(UnreadableDocument, match="cut.pdf"):
        read(report[: len(report) // 3], name="cut.pdf")


def chars(spec: str, *, x: float = 72.0) -> list:
    """Characters of one line from a spec: plain text at 10.5 pt; text in {braces} small and raised; in
    <angle brackets> small on the baseline."""
    from extractors.pdf_pages import Char

    out, mode = [], "body"
    for ch in spec:
        if ch in "{<":
            mode = "raised" if ch == "{" else "small"
            continue
        if ch in "}>":
            mode = "body"
            continue
        size, bottom = (10.5, 110.0) if mode == "body" else (6.0, 105.0) if mode == "raised" else (6.0, 110.0)
        advance = size if ord(ch) > 0x2000 else size / 2
        out.append(Char(ch, x, bottom - size, x + advance, bottom, size))
        x += advance
    return out


@pytest.mark.parametrize("spec, expected", [
    ("占比达到25.7%{5}。", "占比达到25.7%^[5]。"),
    ("增长9.69%{12}，", "增长9.69%^[12]，"),
    ("来源于报告{[3]}。", "来源于报告^[3]。"),
    ("来源于报告{③}。", "来源于报告^[3]。"),
    ("规模达到59.2万亿元<1>。", "规模达到59.2万亿元^[1]。"),
    ("面积100m{2}", "面积100m2"),
    ("规模 59.2 万亿元", "规模59.2万亿元"),
    ("Open Data Index", "Open Data Index"),
])
def test_line_text_turns_superscripts_into_markers(spec, expected):
    from extractors.pdf_pages import _line_text

    assert _line_text(chars(spec))[0] == expected


def test_characters_printed_twice_for_bold_are_read_once():
    from extractors.pdf_pages import _line_text

    doubled = sorted(chars("一、总体态势") + chars("一、总体态势", x=72.4), key=lambda c: c.x0)
    assert _line_text(doubled)[0] == "一、总体态势"


def test_line_edges_give_every_character_a_position():
    from extractors.pdf_pages import _line_text

    text, edges, size = _line_text(chars("增长9.69%{12}，"))
    assert len(edges) == len(text) + 1 and edges == sorted(edges) and size == 10.5


def embedded_report() -> bytes:
    """A Latin-script report in an embedded TrueType font, which the hybrid reads with pypdfium2."""
    w = ReportWriter(header="Digital Economy Report 2024", watermark=WATERMARK, font=embedded_font())
    for i in range(12):
        w.paragraph(f"Paragraph {i + 1}: the digital economy reached 59.2 trillion yuan in 2024, up 9.69 percent "
                    f"year on year^[{i + 1}], while broadband users numbered 1.63 billion across the country.",
                    footnotes={str(i + 1): f"Source: statistics bulletin number {i + 1}"})
    return w.to_bytes()


def test_hybrid_reads_embedded_fonts_with_pypdfium2_and_agrees_with_pdfplumber():
    import pypdfium2 as pdfium

    from extractors.pdf_pages import _pdfium_trusted

    data = embedded_report()
    assert _pdfium_trusted(pdfium.PdfDocument(data)[0])
    hybrid, plumber = read(data), read(data, engine="pdfplumber")
    assert hybrid.text == plumber.text and hybrid.footnotes == plumber.footnotes
    paragraphs = hybrid.text.split("\n")
    assert len(paragraphs) == 12 and paragraphs[0].startswith("Paragraph 1: the digital economy reached 59.2 trillion")
    assert "year on year^[1], while" in paragraphs[0] and hybrid.footnotes["12"] == "Source: statistics bulletin number 12"
    assert "Digital Economy Report" not in hybrid.text and "userid" not in hybrid.text


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("数字经济规模达到万亿元同比增长，。、；：（）《》“”")),
                          st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,2})?%?", fullmatch=True),
                          st.from_regex(r" [A-Za-z]{1,8} ", fullmatch=True)), min_size=1, max_size=120))
def test_any_paragraph_reads_back_as_written(pieces):
    from extractors.text import tidy_spaces

    paragraph = tidy_spaces("".join(pieces))
    if not paragraph or paragraph[0] in "，。、；：）》”":
        return
    w = ReportWriter(page_numbers=False)
    w.paragraph(paragraph)
    assert read(w.to_bytes()).text == paragraph
