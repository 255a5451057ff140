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


def test_ingest_flow_links_every_claim_to_a_fact_and_keeps_ids_when_a_report_arrives(
        prefect_harness, small_corpus, corpus_dir, tmp_path):
    from flows.ingest import ingest_flow

    db_path = tmp_path / "w.db"
    ingest_flow(paths=[str(small_corpus)], db_path=str(db_path))
    con = sqlite3.connect(db_path)
    first = dict(con.execute("select id, block from facts").fetchall())
    assert first and con.execute("select count(*) from claim_details where fact_id is null").fetchone()[0] == 0
    name = "000_7e7f0bc673936097.txt"
    (small_corpus / name).write_text((corpus_dir / name).read_text(encoding="utf-8")[:6000], encoding="utf-8")
    ingest_flow(paths=[str(small_corpus)], db_path=str(db_path))
    assert con.execute("select count(*) from claim_details where fact_id is null").fetchone()[0] == 0
    assert con.execute("select sum(mentions) from facts").fetchone()[0] == con.execute(
        "select count(*) from claims").fetchone()[0]
    touched = {b for (b,) in con.execute(
        "select distinct facts.block from facts join claims on claims.fact_id = facts.id "
        "join documents on documents.id = claims.document_id where documents.name = ?", [name])}
    kept = {i for i, block in first.items() if block not in touched}
    assert kept and kept <= {i for (i,) in con.execute("select id from facts")}


def test_scheduled_deployment_is_registered_with_its_cron(prefect_harness, small_corpus, tmp_path):
    from prefect.client.orchestration import get_client

    from flows.schedule import ingest_deployment

    deployment = ingest_deployment("0 6 * * *", small_corpus, tmp_path / "w.db", timezone="Asia/Shanghai")
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
        flow = client.read_flow(stored.flow_id)
    assert (flow.name, stored.name) == ("shuzi-ingest", "scheduled-ingest")
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in stored.schedules] == [
        ("0 6 * * *", "Asia/Shanghai", True)]
    assert stored.parameters == {"paths": [str(small_corpus)], "db_path": str(tmp_path / "w.db")}
    assert stored.entrypoint == "flows.ingest.ingest_flow"
