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


def _extract_task_runs(flow_run_id) -> int:
    """How many extract-document tasks a flow run scheduled, as the Prefect API recorded them."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterName

    with get_client(sync_client=True) as client:
        for _ in range(50):  # task runs reach the API as events, a moment after the flow returns
            runs = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="extract-document")))
            if all(run.state and run.state.is_final() for run in runs):
                break
            time.sleep(0.1)
    return len(runs)


def test_second_flow_run_schedules_only_the_new_report(prefect_harness, small_corpus, corpus_dir, tmp_path):
    from flows.ingest import ingest_flow

    db_path = str(tmp_path / "w.db")
    first = ingest_flow(paths=[str(small_corpus)], db_path=db_path, return_state=True)
    assert first.result().new == 2
    name = "001_b63f1c14d1deefda.txt"
    (small_corpus / name).write_text((corpus_dir / name).read_text(encoding="utf-8")[:4000], encoding="utf-8")
    second = ingest_flow(paths=[str(small_corpus)], db_path=db_path, return_state=True)
    summary = second.result()
    assert (summary.new, summary.unchanged, summary.documents) == (1, 2, 1)
    assert _extract_task_runs(second.state_details.flow_run_id) == 1
    unchanged = ingest_flow(paths=[str(small_corpus)], db_path=db_path, return_state=True)
    assert unchanged.result().unchanged == 3
    assert _extract_task_runs(unchanged.state_details.flow_run_id) == 0
    con = sqlite3.connect(db_path)
    assert con.execute("select new, changed, unchanged, retired, failed from ingest_runs order by id").fetchall() == [
        (2, 0, 0, 0, 0), (1, 0, 2, 0, 0), (0, 0, 3, 0, 0)]


def test_flow_replaces_a_changed_report_and_retires_a_removed_one(prefect_harness, small_corpus, tmp_path):
    from flows.ingest import ingest_flow

    db_path = str(tmp_path / "w.db")
    ingest_flow(paths=[str(small_corpus)], db_path=db_path)
    (small_corpus / "002_767eecd6bc8a868c.txt").write_text("2025年，全国算力总规模达到280EFLOPS。\n", encoding="utf-8")
    (small_corpus / "004_db2215ef242d37e4.txt").unlink()
    (small_corpus / "gbk.txt").write_bytes("2024年，我国电子商务交易额达到46.41万亿元。\n".encode("gbk"))
    summary = ingest_flow(paths=[str(small_corpus)], db_path=db_path)
    assert (summary.new, summary.changed, summary.retired, summary.problems) == (1, 1, 1, [])
    con = sqlite3.connect(db_path)
    assert con.execute("select document, retired from claim_details where raw = '46.41万亿元'").fetchall() == [
        ("gbk.txt", 0)]
    assert con.execute(
        "select count(*) from claim_details where document = '004_db2215ef242d37e4.txt' and retired = 0"
    ).fetchone() == (0,)
    assert con.execute(
        "select count(*) from claim_details where document = '004_db2215ef242d37e4.txt' and retired = 1"
    ).fetchone()[0] > 0
