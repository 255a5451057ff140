"""End to end: the real Prefect flow on a small corpus into a temporary SQLite file."""
from __future__ import annotations

import sqlite3

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


def test_ingest_flow_fills_claim_details(prefect_harness, small_corpus, tmp_path):
    from flows.ingest import ingest_flow

    db_path = tmp_path / "w.db"
    summary = ingest_flow(paths=[str(small_corpus)], db_path=str(db_path))
    assert summary.documents == 2 and not summary.problems
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("select * from claim_details")]
    assert len(rows) == summary.claims > 10
    documents = {r["document"] for r in rows}
    assert documents == {"002_767eecd6bc8a868c.txt", "004_db2215ef242d37e4.txt"}
    headline = [r for r in rows if r["raw"] == "59.2万亿元"]
    assert headline and headline[0]["value"] == pytest.approx(5.92e13) and headline[0]["unit"] == "CNY"
    assert headline[0]["year"] == 2024
    assert "数字经济规模" in headline[0]["sentence"]
    expected = {"document", "page", "sentence", "raw", "value", "value_high", "unit", "qualifier", "kind",
                "forecast", "metric", "subject", "year", "period", "source", "fact_id"}
    assert expected <= set(rows[0])
