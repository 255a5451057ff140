"""The ingest flow: plan from content hashes, a task per chunk of what changed, one writer saves in batches."""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from prefect import flow, task
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from schemas import IngestProblem
from warehouse import open_warehouse
from warehouse.facts import ReconcileSummary, reconcile_warehouse, run_documents

from .pipeline import (
    Extracted, IngestSummary, chunk_plan, extract_document, finish_ingest, plan_ingest, start_ingest, store_batch,
    warm_extractors,
)

__all__ = ["ClusterUnreachable", "IngestSummary", "extract_documents_task", "ingest_flow", "run_ingest_flow",
           "task_runner"]


class ClusterUnreachable(Exception):
    """No Dask scheduler answers at the address given; the message says what to do."""


@task(name="extract-documents", retries=0)
def extract_documents_task(paths: list[str]) -> list[Extracted]:
    """Read, normalize and extract a chunk of documents; a document that fails is its own problem record."""
    return [extract_document(path) for path in paths]


@task(name="reconcile-facts", retries=0)
def reconcile_facts_task(db_path: str, run_id: int | None) -> ReconcileSummary:
    """Re-reconcile the facts that the run's documents touch."""
    db = open_warehouse(db_path)
    return reconcile_warehouse(db, run_documents(db, run_id))


def _stopped(path: str, exc: BaseException) -> Extracted:
    return Extracted(path, problem=IngestProblem(
        path, "extract", type(exc).__name__, f"{path}: extraction stopped ({exc}); re-run the ingest"))


def _outcomes(chunk: list[str], future: PrefectFuture) -> list[Extracted]:
    """A chunk's results; a chunk whose task run failed is run again one document per task, so one bad file
    fails alone."""
    try:
        return future.result()
    except Exception as exc:  # the task runner itself failed (a worker died), not an extractor
        if len(chunk) == 1:
            return [_stopped(chunk[0], exc)]
    results = []
    for path, single in zip(chunk, extract_documents_task.map([[path] for path in chunk])):
        try:
            results.extend(single.result())
        except Exception as exc:
            results.append(_stopped(path, exc))
    return results


@flow(name="shuzi-ingest", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def ingest_flow(paths: list[str], db_path: str, force: bool = False, workers: int = 1) -> IngestSummary:
    """Ingest report files into the warehouse; unchanged files are skipped before any task is scheduled.

    Chunks of documents are extracted by the flow's task runner (`workers` of them at once); their results
    come back to this process, the only writer, which saves each chunk in one transaction as it completes.
    """
    db = open_warehouse(db_path)
    plan = plan_ingest(db, paths, force=force)
    summary = start_ingest(db, plan)
    chunks = chunk_plan(plan, workers=workers)
    futures = extract_documents_task.map(chunks) if chunks else []
    chunk_of = {future.task_run_id: chunk for chunk, future in zip(chunks, futures)}
    for future in as_completed(list(futures)):
        chunk = chunk_of[future.task_run_id]
        store_batch(db, plan, summary, _outcomes(chunk, future))
    summary = finish_ingest(db, plan, summary)
    reconcile_facts_task(db_path, summary.run_id)  # called, not submitted: runs here, beside the writer
    return summary


def dask_threads(address: str, *, timeout: float = 10) -> int:
    """How many tasks the Dask cluster at `address` runs at once; ClusterUnreachable when nobody answers."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterUnreachable(
            f"--dask-address {address}: Dask is not installed; pip install -e \".[dask]\"") from None
    try:
        parts = urlsplit(address)
        if parts.scheme == "tcp":  # refused at once, where Dask's client would retry until its timeout
            socket.create_connection((parts.hostname, parts.port or 8786), timeout=timeout).close()
        with Client(address, timeout=timeout) as client:
            return max(1, sum(client.nthreads().values()))
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterUnreachable(
            f"--dask-address {address}: no Dask scheduler answers ({type(exc).__name__}: {exc}); start one "
            "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or fix the address") from None


def task_runner(*, workers: int = 1, dask_address: str | None = None) -> TaskRunner:
    """Where chunks are extracted: a Dask cluster, `workers` processes, or one thread of the flow's process."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    if workers > 1:
        return ProcessPoolTaskRunner(max_workers=workers, initializer=warm_extractors)
    return ThreadPoolTaskRunner(max_workers=1)


@contextmanager
def shared_api() -> Iterator[None]:
    """One Prefect API for the flow and its workers: the configured one, else this run's temporary server.

    A worker process that finds no API URL starts a temporary server of its own (10-20 s each), so the URL of
    the one the flow uses is put in the settings the workers receive.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the default instance: the one the flow would otherwise start itself
    server.start(timeout=PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())  # stopped when Python exits
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield


def run_ingest_flow(paths: list[str], db_path: str, *, force: bool = False, workers: int = 1,
                    dask_address: str | None = None) -> IngestSummary:
    """Run the ingest flow with its chunks extracted in `workers` processes or on the Dask cluster given."""
    if dask_address:
        workers = dask_threads(dask_address)
    runner = task_runner(workers=workers, dask_address=dask_address)
    warming = None
    if isinstance(runner, ThreadPoolTaskRunner):  # extraction runs here: load it while the server starts
        warming = threading.Thread(target=warm_extractors, name="warm-extractors", daemon=True)
        warming.start()
    with shared_api():
        if warming is not None:
            warming.join()
        return ingest_flow.with_options(task_runner=runner)(paths=paths, db_path=db_path, force=force,
                                                            workers=workers)
