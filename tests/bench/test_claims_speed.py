"""How fast claims are assembled: metric, subject, year, kind and source of every figure of a report.

Run on demand: python -m pytest tests/bench/test_claims_speed.py --benchmark-only
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors import metric, nlp, subject
from extractors.claims import extract_claims
from extractors.loaders import load_document

REPORT = Path(__file__).resolve().parents[2] / "corpus" / "001_b63f1c14d1deefda.txt"


@pytest.fixture(scope="module")
def document():
    document = load_document(str(REPORT), REPORT.read_bytes())
    extract_claims(document)  # loads jieba's dictionary and spaCy once, outside the timing
    return document


def _cold(document) -> int:
    for cached in (nlp.words, nlp.entities, subject.actor_of, subject._place_groups):
        cached.cache_clear()
    return len(extract_claims(document))


def test_assemble_the_claims_of_a_report(benchmark, document):
    assert benchmark.pedantic(_cold, args=(document,), rounds=3, iterations=1) > 100


def test_metric_of_one_sentence(benchmark, document):
    from extractors.numbers import extract_quantities

    text = "2024年，我国数字经济规模稳步提升至59.2万亿元，同比名义增长9.69%，高于同期GDP名义增速5.5个百分点。"
    quantities = extract_quantities(text)
    assert benchmark(metric.metric_for, text, quantities, 1, "growth", metric.Context(topic="数字经济规模"))
