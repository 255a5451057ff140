"""`check`'s lookup index: same verdicts as reading every figure, figures counted not repeated, shape versions."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.verdict import CONFLICTING, SHOWN, SUPPORTED, check_text, judge
from schemas import Claim, Document
from warehouse import open_warehouse, save_document
from warehouse.facts import reconcile_warehouse
from warehouse.indexed_lookup import IndexedLookup
from warehouse.lookup import Lookup, load_lookup, open_lookup
from warehouse.lookup_index import refresh_lookup_index

LABELLED = Path(__file__).resolve().parent.parent / "data" / "check_claims.jsonl"
CASES = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
SENTENCE = "2024年，我国数字经济规模达到{raw}。"


def report(index: int, raw: str, value: str) -> tuple[Document, list[Claim]]:
    """A one-sentence report stating the 2024 digital-economy size as `raw`."""
    text = f"第{index}号报告。\n" + SENTENCE.format(raw=raw)
    start = text.index(raw)
    document = Document(name=f"r{index:03}.txt", path=f"/reports/r{index:03}.txt",
                        sha256=hashlib.sha256(text.encode()).hexdigest(), text=text, publisher=f"研究所{index}",
                        published="2025年3月")
    claim = Claim(document=document.name, page=1, start=start, end=start + len(raw),
                  sentence=SENTENCE.format(raw=raw), raw=raw, value=Decimal(value), unit="CNY",
                  metric="数字经济规模", subject="中国", year=2024, period="2024年", extractor="test.v1")
    return document, [claim]


@pytest.fixture(scope="module")
def restated(tmp_path_factory) -> Path:
    """Forty reports restating 59.2万亿元, two that round it to 59万亿元, three that say 58.1万亿元."""
    path = tmp_path_factory.mktemp("restated") / "shuzi.db"
    db = open_warehouse(path)
    figures = [("59.2万亿元", "59.2e12")] * 40 + [("59万亿元", "59e12")] * 2 + [("58.1万亿元", "58.1e12")] * 3
    for index, (raw, value) in enumerate(figures):
        save_document(db, *report(index, raw, value))
    reconcile_warehouse(db)
    db.close()
    return path


def test_corpus_warehouse_is_read_through_its_index(corpus_warehouse):
    assert isinstance(open_lookup(corpus_warehouse), IndexedLookup)


@pytest.mark.parametrize("case", [c for c in CASES if "known_miss" not in c], ids=lambda c: c["text"][:24])
def test_index_gives_the_verdicts_of_every_figure_in_memory(corpus_warehouse, in_memory, case):
    indexed, _ = check_text(case["text"], open_lookup(corpus_warehouse).find)
    loaded, _ = check_text(case["text"], in_memory.find)
    assert indexed == loaded == case["expected"]


@pytest.fixture(scope="module")
def in_memory(corpus_warehouse) -> Lookup:
    with sqlite3.connect(corpus_warehouse) as conn:
        return load_lookup(conn)


def test_a_restated_figure_is_one_evidence_with_its_count(restated):
    found = open_lookup(restated).find(Claim(
        document="<text>", page=None, start=0, end=0, sentence="2024年我国数字经济规模达到59.2万亿元",
        raw="59.2万亿元", value=Decimal("59.2e12"), unit="CNY", metric="数字经济规模", subject="中国", year=2024))
    counts = {e.raw: e.mentions for e in found}
    assert counts == {"59.2万亿元": 40, "59万亿元": 2, "58.1万亿元": 3}


def test_a_figure_many_reports_cite_yields_a_bounded_verdict(restated):
    overall, [verdict] = check_text("2024年我国数字经济规模达到59.2万亿元", open_lookup(restated).find)
    assert overall == CONFLICTING  # three reports say 58.1万亿元
    assert len(verdict.evidence) <= SHOWN
    assert "42 of 45 figures in the reports agree" in verdict.explanation


def test_judging_many_figures_stays_near_linear():
    """Twenty thousand figures, half of them distinct values: quadratic comparing would take hours."""
    import time

    from schemas import Evidence

    claim = Claim(document="<text>", page=None, start=0, end=0, sentence="数字经济规模超过50万亿元", raw="50万亿元",
                  value=Decimal("50e12"), unit="CNY", qualifier="over", metric="数字经济规模", subject="中国",
                  year=2024)
    evidence = [Evidence(document=f"r{i}.txt", page=1, sentence=f"第{i}句", raw=f"{40 + i % 10000 / 1000}万亿元",
                         value=Decimal(40 + i % 10000 / 1000).quantize(Decimal("0.001")) * 10 ** 12, unit="CNY",
                         metric="数字经济规模", subject="中国", year=2024, fact_id="f", score=90.0)
                 for i in range(20000)]
    started = time.process_time()
    verdict = judge(claim, evidence)
    assert time.process_time() - started < 10
    assert verdict.verdict == CONFLICTING and len(verdict.evidence) <= SHOWN


def test_an_index_of_another_shape_is_not_used_and_is_rebuilt(copy_warehouse, restated):
    copy = copy_warehouse(restated, "old.db")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE lookup_meta SET value = '1' WHERE key = 'version'")
    assert isinstance(open_lookup(copy), Lookup)
    db = open_warehouse(copy)
    save_document(db, *report(99, "59.2万亿元", "59.2e12"))
    reconcile_warehouse(db)
    db.close()
    lookup = open_lookup(copy)
    assert isinstance(lookup, IndexedLookup) and len(lookup) == 46
    overall, [verdict] = check_text("2024年我国数字经济规模达到59.2万亿元", lookup.find)
    assert "43 of 46 figures" in verdict.explanation


def test_a_report_stored_since_the_last_reconcile_leaves_the_index_aside(copy_warehouse, restated):
    copy = copy_warehouse(restated, "new.db")
    db = open_warehouse(copy)
    save_document(db, *report(98, "59.2万亿元", "59.2e12"))
    db.close()
    assert isinstance(open_lookup(copy), Lookup)
    overall, _ = check_text("2024年我国数字经济规模达到59.2万亿元", open_lookup(copy).find)
    assert overall in (SUPPORTED, CONFLICTING)


@pytest.mark.parametrize(("text", "hint"), [
    ("2023年我国数字经济规模达到59.2万亿元", "59.2万亿元 is the figure for 2024"),
    ("2023年我国数字经济规模约59万亿元", "59万亿元 is the figure for 2024"),
    ("2023年我国数字经济规模达到62.1万亿元", None),
    ("2023年我国数字经济规模达到59.2亿元", None),
])
def test_other_years_are_read_for_the_figures_that_agree(restated, text, hint):
    overall, [verdict] = check_text(text, open_lookup(restated).find)
    assert overall == "not_found" and "the reports give it for 2024" in verdict.explanation
    assert (hint in verdict.explanation) if hint else ("is the figure for" not in verdict.explanation)


def _index(path: Path) -> dict[str, list]:
    """The index's phrasings (by their words), postings, counts and figures."""
    with sqlite3.connect(path) as conn:
        words = {i: (f, s, n) for i, f, s, n in conn.execute("SELECT * FROM lookup_words")}
        return {
            "postings": sorted((f, g, words[i], n) for f, g, i, n in conn.execute("SELECT * FROM lookup_postings")),
            "grams": sorted(conn.execute("SELECT * FROM lookup_grams")),
            "families": sorted(conn.execute("SELECT * FROM lookup_families")),
            "claims": sorted((*row[:4], words[row[4]], *row[5:]) for row in conn.execute(
                "SELECT * FROM lookup_claims")),
        }


def test_an_index_kept_report_by_report_is_the_one_rebuilt(tmp_path):
    path = tmp_path / "kept.db"
    db = open_warehouse(path)
    figures = [("59.2万亿元", "59.2e12")] * 3 + [("58.1万亿元", "58.1e12")] * 2 + [("59万亿元", "59e12")]
    for index, (raw, value) in enumerate(figures):  # each reconcile refreshes the index for its report
        reconcile_warehouse(db, [save_document(db, *report(index, raw, value))])
    changed = report(1, "59万亿元", "59e12")  # a report stated again differently: forgotten, then indexed again
    reconcile_warehouse(db, [save_document(db, *changed)])
    db.close()
    kept = _index(path)
    with sqlite3.connect(path) as conn:
        refresh_lookup_index(conn)
    assert kept == _index(path)
    with sqlite3.connect(path) as conn:
        assert len(kept["claims"]) == conn.execute("SELECT count(*) FROM claims").fetchone()[0]
