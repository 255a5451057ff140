"""How fast Chinese search answers, through Python and Datasette, and what the index costs an ingest.

Run on demand: python -m pytest tests/bench/test_search_speed.py --benchmark-only
"""
from __future__ import annotations

import asyncio
import hashlib
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from flows.pipeline import extract_document, list_documents
from schemas import Claim, Document
from warehouse import open_warehouse, save_document
from warehouse.browse import warehouse_datasette
from warehouse.search import search_claims

ROOT = Path(__file__).resolve().parents[2]
TOPICS = ("数字经济", "数字产业化", "产业数字化", "云计算", "人工智能", "工业互联网", "电子商务", "软件业务", "大数据", "物联网")
VERBS = ("规模达到", "同比增长", "占GDP比重为", "企业数量超过", "投资额增长")
PLACES = ("我国", "广东省", "江苏省", "浙江省", "山东省", "北京市", "上海市", "四川省")
LARGE_REPORTS, CLAIMS_PER_REPORT = 200, 250


def synthetic_report(number: int) -> tuple[Document, list[Claim]]:
    """A report of CLAIMS_PER_REPORT one-figure sentences over rotating places, topics and verbs."""
    combos = itertools.islice(itertools.cycle(itertools.product(PLACES, TOPICS, VERBS)), number, None)
    sentences, claims, offset = [], [], 0
    for i, (place, topic, verb) in zip(range(CLAIMS_PER_REPORT), combos):
        raw = f"{(number * 7 + i) % 900 + 10}.{i % 10}万亿元"
        sentence = f"{2015 + i % 10}年，{place}{topic}{verb}{raw}，发展态势持续向好。"
        start = offset + sentence.index(raw)
        claims.append(Claim(document=f"r{number}.txt", page=None, start=start, end=start + len(raw),
                            sentence=sentence, raw=raw, value=Decimal(raw[:-3]) * Decimal("1e12"), unit="CNY",
                            metric=f"{topic}{verb[:2]}", subject=place, year=2015 + i % 10, extractor="bench.v1"))
        sentences.append(sentence)
        offset += len(sentence) + 1
    text = "\n".join(sentences)
    return Document(name=f"r{number}.txt", path=f"/bench/r{number}.txt",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), text=text), claims


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "shuzi.db"
    db = open_warehouse(path)
    for result in map(extract_document, list_documents([ROOT / "corpus"])):
        save_document(db, result.document, list(result.claims))
    db.close()
    return path


@pytest.fixture(scope="module")
def large_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("large") / "shuzi.db"
    db = open_warehouse(path)
    for number in range(LARGE_REPORTS):
        document, claims = synthetic_report(number)
        save_document(db, document, claims)
    db.close()
    return path


@pytest.mark.parametrize("query", ["数字经济规模", "增长"])
def test_search_bundled_corpus(benchmark, corpus_db, query):
    db = sqlite_utils.Database(corpus_db)
    found = benchmark(search_claims, db, query, limit=1000)
    assert found


@pytest.mark.parametrize("query", ["数字经济规模", "增长", "广东省 人工智能"])
def test_search_50k_claims(benchmark, large_db, query):
    db = sqlite_utils.Database(large_db)
    found = benchmark(search_claims, db, query, limit=100)
    assert len(found) == 100


@pytest.mark.parametrize("path", [
    "/shuzi/claims.json?_search=数字经济规模&_size=50",
    "/shuzi/search_claims.json?q=增长&_size=50",
    "/shuzi/claim_details.json?_size=50",
])
def test_datasette_50k_claims(benchmark, large_db, path):
    ds = warehouse_datasette(large_db)

    def get():
        return asyncio.run(ds.client.get(path))

    response = benchmark(get)
    assert response.status_code == 200 and response.json()["rows"]


@pytest.mark.parametrize("indexed", [True, False])
def test_saving_a_report_with_and_without_the_index(benchmark, tmp_path, indexed):
    db = open_warehouse(tmp_path / "shuzi.db")
    if not indexed:
        for trigger in ("claims_fts_insert", "claims_fts_delete", "claims_fts_update"):
            db.execute(f"DROP TRIGGER {trigger}")
    reports = itertools.cycle([synthetic_report(n) for n in range(4)])
    benchmark(lambda: save_document(db, *next(reports)))
    assert db["claims"].count == 4 * CLAIMS_PER_REPORT
