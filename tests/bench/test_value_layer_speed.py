"""How fast the value layer reads a report: normalizing a text export and finding every quantity in it.

Run on demand: python -m pytest tests/bench/test_value_layer_speed.py --benchmark-only
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.numbers import extract_quantities
from extractors.sentences import split_paragraphs, split_sentences
from extractors.text import normalize_text

REPORT = Path(__file__).resolve().parents[2] / "corpus" / "004_db2215ef242d37e4.txt"


@pytest.fixture(scope="module")
def raw() -> str:
    return REPORT.read_text(encoding="utf-8")


def test_normalize_a_report(benchmark, raw):
    normalized = benchmark(normalize_text, raw)
    assert normalized.text


def test_find_every_quantity_of_a_report(benchmark, raw):
    sentences = [s.text for p in split_paragraphs(normalize_text(raw).text) for s in split_sentences(p.text)]

    def find_all() -> int:
        return sum(len(extract_quantities(sentence)) for sentence in sentences)

    assert benchmark(find_all) > 100


@pytest.mark.parametrize("text", [
    "一二三四五六七八九十百千万亿" * 2000,
    "1," * 10000,
    "12万亿元至13万亿元、" * 2000,
], ids=["numeral-run", "comma-run", "range-list"])
def test_long_runs_stay_linear(benchmark, text):
    benchmark(extract_quantities, text)
