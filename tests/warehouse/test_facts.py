"""Facts in a real SQLite warehouse: series across reports, incremental runs, stable ids, revisions."""
from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

import pytest

from extractors.claims import extract_claims
from extractors.loaders import load_document
from schemas import Claim, Document
from warehouse import open_warehouse, retire_paths, save_document
from warehouse.facts import reconcile_warehouse

SERIES_REPORTS = ("004_db2215ef242d37e4.txt", "000_7e7f0bc673936097.txt", "002_767eecd6bc8a868c.txt")


@pytest.fixture(scope="module")
def extracted(corpus_dir):
    """The three reports that state the national digital economy for 2021, 2022 and 2024, extracted once."""
    found = {}
    for name in SERIES_REPORTS:
        document = load_document(str(corpus_dir / name), (corpus_dir / name).read_bytes())
        found[name] = (document, extract_claims(document))
    return found


def store(path, extracted, names):
    db = open_warehouse(path)
    ids = {name: save_document(db, *extracted[name]) for name in names}
    return db, ids


def snapshot(db) -> tuple:
    """Everything the reconciler writes, in a comparable form."""
    return (
        [tuple(r) for r in db.execute("SELECT * FROM facts ORDER BY id").fetchall()],
        [tuple(r) for r in db.execute("SELECT * FROM fact_values ORDER BY id").fetchall()],
        db.execute("SELECT id, fact_id FROM claims ORDER BY id").fetchall(),
    )


def test_metric_series_spans_three_reports(tmp_path, extracted):
    db, _ = store(tmp_path / "w.db", extracted, SERIES_REPORTS)
    reconcile_warehouse(db)
    for metric, unit in (("数字经济规模", "CNY"), ("数字经济占GDP比重", "%")):
        rows = db.execute("SELECT year, documents FROM metric_series WHERE metric = ? AND subject = '中国' "
                          "AND unit = ? AND NOT forecast ORDER BY year", [metric, unit]).fetchall()
        by_year = {year: json.loads(documents) for year, documents in rows}
        assert {2021, 2022, 2024} <= set(by_year), metric
        assert {by_year[y][0] for y in (2021, 2022, 2024)} == set(SERIES_REPORTS), metric


def test_every_claim_belongs_to_a_fact_whose_counts_match(tmp_path, extracted):
    db, _ = store(tmp_path / "w.db", extracted, SERIES_REPORTS)
    summary = reconcile_warehouse(db)
    assert summary.claims == db["claims"].count > 0
    assert db.execute("SELECT count(*) FROM claim_details WHERE fact_id IS NULL").fetchone()[0] == 0
    mismatched = db.execute("""
        SELECT facts.id FROM facts
        JOIN (SELECT fact_id, count(*) AS n, count(DISTINCT document_id) AS d FROM claims GROUP BY fact_id) c
          ON c.fact_id = facts.id
        JOIN (SELECT fact_id, sum(mentions) AS n, sum(rank = 1) AS preferred FROM fact_values GROUP BY fact_id) v
          ON v.fact_id = facts.id
        WHERE c.n != facts.mentions OR c.d != facts.documents OR v.n != facts.mentions OR v.preferred != 1
    """).fetchall()
    assert db["facts"].count == summary.facts and not mismatched


def test_rounded_repeats_in_a_report_share_one_fact(tmp_path, extracted):
    db, _ = store(tmp_path / "w.db", extracted, SERIES_REPORTS[:1])
    reconcile_warehouse(db)
    fact_ids = {r[0] for r in db.execute(
        "SELECT fact_id FROM claim_details WHERE raw IN ('8.4万亿元', '8.35万亿元') AND year = 2021")}
    assert len(fact_ids) == 1
    status, value = db.execute("SELECT status, value_exact FROM facts WHERE id = ?", [fact_ids.pop()]).fetchone()
    assert (status, value) == ("rounding", "8350000000000")


def test_fact_ids_are_stable_across_runs(tmp_path, extracted):
    db, _ = store(tmp_path / "w.db", extracted, SERIES_REPORTS)
    reconcile_warehouse(db)
    first = snapshot(db)
    reconcile_warehouse(db)
    assert snapshot(db) == first


def test_adding_a_report_re_reconciles_only_the_blocks_it_touches(tmp_path, extracted):
    db, _ = store(tmp_path / "w.db", extracted, SERIES_REPORTS[:2])
    reconcile_warehouse(db)
    old_facts = {r[0]: tuple(r) for r in db.execute("SELECT * FROM facts").fetchall()}
    new_id = save_document(db, *extracted[SERIES_REPORTS[2]])
    after = reconcile_warehouse(db, [new_id])
    assert 0 < after.blocks < db.execute("SELECT count(DISTINCT block) FROM facts").fetchone()[0]
    assert 0 < after.claims < db["claims"].count
    touched = {r[0] for r in db.execute("SELECT DISTINCT facts.block FROM facts "
                                        "JOIN claims ON claims.fact_id = facts.id "
                                        "WHERE claims.document_id = ?", [new_id])}
    kept = {fact_id: row for fact_id, row in old_facts.items() if row[-1] not in touched}
    assert kept and all(tuple(db.execute("SELECT * FROM facts WHERE id = ?", [i]).fetchone()) == row
                        for i, row in kept.items())
    incremental = snapshot(db)
    copy = sqlite3.connect(tmp_path / "full.db")
    db.conn.backup(copy)
    copy.close()
    full = open_warehouse(tmp_path / "full.db")
    reconcile_warehouse(full)
    assert snapshot(full) == incremental


def synthetic(name: str, claims: list[tuple[str, str, str]], **front) -> tuple[Document, list[Claim]]:
    """A small report of (metric, raw, value) claims about 2021, one sentence each."""
    sentences = [f"2021年，我国{metric}{raw}。" for metric, raw, _ in claims]
    text = "\n".join(sentences)
    document = Document(name=name, path=name, sha256=name.encode().hex().ljust(16, "0"), text=text, **front)
    found, offset = [], 0
    for sentence, (metric, raw, value) in zip(sentences, claims):
        start = offset + sentence.index(raw)
        found.append(Claim(document=name, page=None, start=start, end=start + len(raw), sentence=sentence, raw=raw,
                           value=Decimal(value), unit="%", kind="growth", metric=metric, subject="中国", year=2021,
                           period="2021年"))
        offset += len(sentence) + 1
    return document, found


def test_a_revised_value_stays_ranked_below_the_later_edition(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    publisher = "中国信息通信研究院"
    save_document(db, *synthetic("old.txt", [("数字经济同比名义增长", "16.2%", "16.2")], publisher=publisher,
                                 title="中国数字经济发展白皮书（2022年）"))
    save_document(db, *synthetic("new.txt", [("数字经济规模同比名义增速", "16.4%", "16.4")], publisher=publisher,
                                 title="中国数字经济发展研究报告（2023年）"))
    reconcile_warehouse(db)
    assert db.execute("SELECT status, value, mentions, documents FROM facts").fetchall() == [("revised", 16.4, 2, 2)]
    values = "SELECT value, status, rank, deprecated, documents FROM fact_values ORDER BY rank"
    assert db.execute(values).fetchall() == [
        (16.4, "agrees", 1, 0, '["new.txt"]'), (16.2, "revised", 2, 1, '["old.txt"]')]
    assert db.execute("SELECT count(DISTINCT fact_id) FROM claim_details").fetchone()[0] == 1


def test_a_replaced_report_leaves_no_stale_fact(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    claims = [("数字经济同比名义增长", "16.2%", "16.2"), ("数字产业化同比名义增长", "11.9%", "11.9")]
    document_id = save_document(db, *synthetic("a.txt", claims))
    reconcile_warehouse(db)
    assert db["facts"].count == 2
    save_document(db, *synthetic("a.txt", claims[:1]))
    reconcile_warehouse(db, [document_id])
    assert db.execute("SELECT metric_key, mentions FROM facts").fetchall() == [("数字经济增速", 1)]
    assert db.execute("SELECT count(*) FROM fact_values WHERE fact_id NOT IN (SELECT id FROM facts)").fetchone()[0] == 0


def test_an_empty_warehouse_has_empty_facts_and_series(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    summary = reconcile_warehouse(db)
    assert (summary.facts, summary.claims) == (0, 0)
    assert db.execute("SELECT count(*) FROM metric_series").fetchone()[0] == 0


def test_a_retired_report_no_longer_backs_a_fact(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    claims = [("数字经济同比名义增长", "16.2%", "16.2"), ("数字产业化同比名义增长", "11.9%", "11.9")]
    save_document(db, *synthetic("a.txt", claims))
    save_document(db, *synthetic("b.txt", [("数字经济规模同比名义增速", "16.2%", "16.2")]))
    reconcile_warehouse(db)
    assert sorted(db.execute("SELECT metric_key, mentions, documents FROM facts").fetchall()) == [
        ("数字产业化增速", 1, 1), ("数字经济增速", 2, 2)]
    retire_paths(db, ["a.txt"])
    reconcile_warehouse(db, [])
    assert db.execute("SELECT metric_key, mentions, documents FROM facts").fetchall() == [("数字经济增速", 1, 1)]
    assert db.execute("SELECT documents FROM fact_values").fetchall() == [('["b.txt"]',)]
    assert db.execute("SELECT count(*) FROM claim_details WHERE retired AND fact_id IS NOT NULL").fetchone()[0] == 0
