"""The ingest flow: a per-document task mapped over the corpus, then one writer saves the results."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task

from warehouse import open_warehouse, save_document, save_problem

from .pipeline import Extracted, extract_document, list_documents


@dataclass
class IngestSummary:
    """What an ingest run did."""

    db: str
    documents: int = 0
    claims: int = 0
    problems: list[str] = field(default_factory=list)


@task(name="extract-document", retries=0)
def extract_document_task(path: str) -> Extracted:
    """Read, normalize and extract one document."""
    return extract_document(path)


@flow(name="shuzi-ingest", log_prints=False)
def ingest_flow(paths: list[str], db_path: str) -> IngestSummary:
    """Ingest report files into the warehouse."""
    files = [str(p) for p in list_documents(paths)]
    futures = extract_document_task.map(files)
    db = open_warehouse(db_path)
    summary = IngestSummary(db=str(Path(db_path).resolve()))
    for future in futures:
        result: Extracted = future.result()
        if result.problem:
            save_problem(db, result.problem)
            summary.problems.append(result.problem.message)
            continue
        save_document(db, result.document, list(result.claims))
        summary.documents += 1
        summary.claims += len(result.claims)
    return summary
