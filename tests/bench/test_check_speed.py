"""How fast `shuzi check` answers: loading the warehouse, one claim in-process, a large warehouse, the shell.

Run on demand: python -m pytest tests/bench/test_check_speed.py --benchmark-only
"""
from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.verdict import check_text
from flows.pipeline import extract_document, list_documents
from schemas import Claim, Document
from warehouse import open_warehouse, save_document
from warehouse.facts import reconcile_warehouse
from warehouse.lookup import open_lookup

ROOT = Path(__file__).resolve().parents[2]
CLAIM = "2024年我国数字经济规模达到59.2万亿元"
DOMAINS = ("数字经济", "数字产业化", "产业数字化", "云计算", "人工智能", "工业互联网", "电子商务", "软件业务", "大数据", "物联网")
ASPECTS = (("规模", "CNY", "万亿元"), ("同比名义增速", "%", "%"), ("占GDP比重", "%", "%"), ("企业数量", "家", "家"))
PLACES = ("我国", "广东省", "江苏省", "浙江省", "山东省", "北京市", "上海市", "四川省")


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "shuzi.db"
    db = open_warehouse(path)
    for result in map(extract_document, list_documents([ROOT / "corpus"])):
        save_document(db, result.document, list(result.claims))
    reconcile_warehouse(db)
    db.close()
    return path


def synthetic_report(index: int, size: int) -> tuple[Document, list[Claim]]:
    """A report of `size` one-figure sentences over many metrics, places and years."""
    combos = itertools.islice(itertools.cycle(itertools.product(PLACES, DOMAINS, ASPECTS, range(2010, 2025))),
                              index * size, (index + 1) * size)
    sentences, claims, pos = [], [], 0
    for n, (place, domain, (aspect, unit, written), year) in enumerate(combos):
        value = Decimal(100 + (n * 7) % 900) / 10
        raw = f"{value}{written}"
        sentence = f"{year}年，{place}{domain}{aspect}达到{raw}。"
        start = pos + sentence.index(raw)
        scale = Decimal(10) ** 12 if written == "万亿元" else Decimal(1)
        claims.append(Claim(document=f"r{index}.txt", page=1, start=start, end=start + len(raw), sentence=sentence,
                            raw=raw, value=value * scale, unit=unit, metric=f"{domain}{aspect}",
                            subject=place.rstrip("省市").replace("我国", "中国"), year=year, period=f"{year}年"))
        sentences.append(sentence)
        pos += len(sentence) + 1
    text = "\n".join(sentences)
    document = Document(name=f"r{index}.txt", path=f"/r{index}.txt", sha256=hashlib.sha256(text.encode()).hexdigest(),
                        text=text)
    return document, claims


@pytest.fixture(scope="module")
def large_db(tmp_path_factory) -> Path:
    """Twenty synthetic reports, 40 000 figures, no facts: the fallback path at scale."""
    path = tmp_path_factory.mktemp("large") / "shuzi.db"
    db = open_warehouse(path)
    for index in range(20):
        save_document(db, *synthetic_report(index, 2000))
    db.close()
    return path


def test_load_corpus_warehouse(benchmark, corpus_db):
    lookup = benchmark.pedantic(open_lookup, args=(corpus_db,), rounds=5, iterations=1)
    assert len(lookup) > 500


def test_one_claim_in_process(benchmark, corpus_db):
    lookup = open_lookup(corpus_db)
    check_text(CLAIM, lookup.find)  # the extractors load their word lists outside the measured rounds
    overall, _ = benchmark(check_text, CLAIM, lookup.find)
    assert overall == "supported"


def test_one_claim_against_a_large_warehouse(benchmark, large_db):
    lookup = open_lookup(large_db)
    text = "2019年，广东省云计算同比名义增速达到12.3%"
    check_text(text, lookup.find)
    overall, verdicts = benchmark(check_text, text, lookup.find)
    assert verdicts and overall in ("supported", "contradicted")


def test_from_the_shell(benchmark, corpus_db):
    def run() -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "flows.cli", "check", CLAIM, "--db", str(corpus_db)],
                       cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - started

    seconds = benchmark.pedantic(run, rounds=3, iterations=1)
    assert seconds > 0
