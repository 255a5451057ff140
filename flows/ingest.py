"""The ingest flow: plan from content hashes, a per-document task mapped over what changed, one writer saves."""
from __future__ import annotations

from prefect import flow, task
from prefect.futures import PrefectFuture

from schemas import IngestProblem
from warehouse import open_warehouse
from warehouse.facts import ReconcileSummary, reconcile_warehouse, run_documents

from .pipeline import (
    Extracted, IngestSummary, extract_document, finish_ingest, plan_ingest, start_ingest, store_extracted,
)

__all__ = ["IngestSummary", "extract_document_task", "ingest_flow"]


@task(name="extract-document", retries=0)
def extract_document_task(path: str) -> Extracted:
    """Read, normalize and extract one document."""
    return extract_document(path)


@task(name="reconcile-facts", retries=0)
def reconcile_facts_task(db_path: str, run_id: int | None) -> ReconcileSummary:
    """Re-reconcile the facts that the run's documents touch."""
    db = open_warehouse(db_path)
    return reconcile_warehouse(db, run_documents(db, run_id))


def _outcome(path: str, future: PrefectFuture) -> Extracted:
    """A task's result; a task that crashed becomes that document's problem."""
    try:
        return future.result()
    except Exception as exc:  # the task runner itself failed, not the extractor
        return Extracted(path, problem=IngestProblem(
            path, "extract", type(exc).__name__, f"{path}: extraction stopped ({exc}); re-run the ingest"))


@flow(name="shuzi-ingest", log_prints=False)
def ingest_flow(paths: list[str], db_path: str, force: bool = False) -> IngestSummary:
    """Ingest report files into the warehouse; unchanged files are skipped before any task is scheduled."""
    db = open_warehouse(db_path)
    plan = plan_ingest(db, paths, force=force)
    summary = start_ingest(db, plan)
    to_extract = [path for path, _, _ in plan.extract]
    futures = extract_document_task.map(to_extract) if to_extract else []
    for path, future in zip(to_extract, futures):
        store_extracted(db, plan, summary, _outcome(path, future))
    summary = finish_ingest(db, plan, summary)
    reconcile_facts_task(db_path, summary.run_id)
    return summary
