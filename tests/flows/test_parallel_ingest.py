"""The ingest flow with its chunks extracted in worker processes and on a real local Dask cluster."""
from __future__ import annotations

import socket
import sys

import pytest

from flows.cli import main
from flows.pipeline import ingest

from test_pipeline import rows, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


@pytest.fixture
def corpus_with_a_bad_file(small_corpus):
    """The small corpus and a PDF that cannot be read, all small enough to share one chunk."""
    (small_corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    return small_corpus


def _loaded_extractors() -> bool:
    return "extractors.claims" in sys.modules


def _same_as_in_process(corpus, db_path, tmp_path) -> None:
    ingest([corpus], tmp_path / "in-process.db")
    assert snapshot(db_path, bookkeeping=False) == snapshot(tmp_path / "in-process.db", bookkeeping=False)


def test_two_worker_processes_store_what_one_process_stores(prefect_harness, corpus_with_a_bad_file, tmp_path,
                                                           capsys):
    db_path = tmp_path / "w.db"
    status = main(["ingest", str(corpus_with_a_bad_file), "--db", str(db_path), "--workers", "2"])
    out, err = capsys.readouterr()
    assert status == 1 and "2 documents" in out and "1 errors" in out
    errors = [line for line in err.splitlines() if line.startswith("error:")]  # Prefect's own log lines aside
    assert len(errors) == 1 and "broken.pdf" in errors[0]
    assert rows(db_path, "select count(*) from claims where fact_id is null") == [(0,)]
    _same_as_in_process(corpus_with_a_bad_file, db_path, tmp_path)


def test_dask_cluster_extracts_and_the_flow_writes(prefect_harness, corpus_with_a_bad_file, tmp_path):
    from distributed import Client, LocalCluster

    from flows.ingest import run_ingest_flow

    db_path = tmp_path / "w.db"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        summary = run_ingest_flow([str(corpus_with_a_bad_file)], str(db_path), dask_address=cluster.scheduler_address)
        assert any(client.run(_loaded_extractors).values())  # extraction ran in the cluster's worker processes
    assert (summary.new, summary.documents, len(summary.problems)) == (2, 2, 1)
    assert "broken.pdf" in summary.problems[0]
    assert rows(db_path, "select new, failed from ingest_runs") == [(2, 1)]
    _same_as_in_process(corpus_with_a_bad_file, db_path, tmp_path)


def test_unreachable_dask_scheduler_is_one_line_and_status_2(small_corpus, tmp_path, capsys):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = main(["ingest", str(small_corpus), "--db", str(tmp_path / "w.db"),
                   "--dask-address", f"tcp://127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith(f"error: --dask-address tcp://127.0.0.1:{port}: no Dask scheduler")
    assert rows(tmp_path / "w.db", "select count(*) from documents") == [(0,)]
