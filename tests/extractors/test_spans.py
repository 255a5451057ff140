from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.chinese_numbers import extract_chinese_quantities
from extractors.claims import extract_claims
from extractors.loaders import load_document
from extractors.numbers import extract_quantities
from extractors.text import normalize_text

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# Text made of the pieces figures are written with, so the generator reaches the number rules often.
PIECES = st.sampled_from([
    "0", "1", "2", "9", "16.4", "1,100", "２０２４", "．", "％", "%", "-", "−", "~", "至", "/", "×", "+", ".",
    "万", "亿", "万亿", "千", "百", "十", "一", "两", "三", "半", "成", "分之", "余", "多", "级", "位数", "番", "翻",
    "元", "美元", "个", "家", "台（套）", "个百分点", "倍", "年", "个月", "岁", "小时", "EB", "Gbps", "kg", "标准煤",
    "约", "近", "超过", "不足", "以上", "左右", "第", "《", "》", "“", "”", "^[", "]", "的", "中，", "对", "调查",
    "。", "，", "、", "和", "\n", " ", "　", "<sup>", "</sup>", "**", "#", ".....", "数据来源：",
])
FIGURE_TEXT = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), FIGURE_TEXT))
def test_quantity_spans_hold_on_any_string(text):
    for quantity in extract_quantities(text) + extract_chinese_quantities(text):
        assert text[quantity.start:quantity.end] == quantity.raw


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(FIGURE_TEXT, max_size=8).map("\n\n".join)))
def test_normalizer_never_raises_and_pages_cover_the_text(text):
    normalized = normalize_text(text)
    assert all(0 <= page.start <= page.end <= len(normalized.text) for page in normalized.pages)


@pytest.mark.parametrize("text", [
    "#小时0余标准煤　亿万《",
    "近16.4多/kg1/。调查9　家02余",
    "0/0Gbps以上第左右",
    "一二三四五六七八九十百千万亿" * 200,
    "1," * 2000,
])
def test_inputs_that_once_crashed(text):
    for quantity in extract_quantities(text):
        assert text[quantity.start:quantity.end] == quantity.raw


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_every_corpus_claim_spans_its_raw(path):
    document = load_document(str(path), path.read_bytes())
    claims = extract_claims(document)
    assert claims
    for claim in claims:
        assert document.text[claim.start:claim.end] == claim.raw
