"""The warehouse: the only writer of the SQLite file that Datasette serves."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from schemas import Claim, Document, IngestProblem

from .facts import ensure_facts_shape
from .search import ensure_search

DEFAULT_DB = Path(__file__).resolve().parent / "shuzi.db"

CLAIM_DETAILS = """
CREATE VIEW claim_details AS
SELECT
    claims.id AS claim_id,
    documents.name AS document,
    claims.page,
    claims.sentence,
    claims.raw,
    claims.value,
    claims.value_high,
    claims.unit,
    claims.qualifier,
    claims.kind,
    claims.forecast,
    claims.metric,
    claims.subject,
    claims.year,
    claims.period,
    claims.source,
    claims.fact_id,
    claims.start,
    claims."end",
    claims.extractor
FROM claims JOIN documents ON documents.id = claims.document_id
"""


def open_warehouse(path: str | Path = DEFAULT_DB) -> sqlite_utils.Database:
    """Open (and create when missing) the warehouse file, in WAL mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.enable_wal()
    ensure_warehouse_shape(db)
    return db


def ensure_warehouse_shape(db: sqlite_utils.Database) -> None:
    """Create tables, indexes and views; safe to run again."""
    db["documents"].create({
        "id": str, "name": str, "path": str, "sha256": str, "kind": str, "title": str, "publisher": str,
        "published": str, "pages": int, "chars": int, "claims": int, "ingested_at": str,
    }, pk="id", if_not_exists=True)
    db["pages"].create({
        "document_id": str, "page": int, "start": int, "end": int,
    }, pk=("document_id", "page"), foreign_keys=[("document_id", "documents", "id")], if_not_exists=True)
    db["claims"].create({
        "id": str, "document_id": str, "page": int, "start": int, "end": int, "sentence": str, "raw": str,
        "value": float, "value_exact": str, "value_high": float, "value_high_exact": str, "unit": str,
        "qualifier": str, "kind": str, "forecast": int, "metric": str, "subject": str, "year": int,
        "period": str, "source": str, "extractor": str, "fact_id": str, "bbox": str,
    }, pk="id", foreign_keys=[("document_id", "documents", "id")], if_not_exists=True)
    db["ingest_errors"].create({
        "id": int, "path": str, "stage": str, "error": str, "message": str, "at": str,
    }, pk="id", if_not_exists=True)
    db["claims"].create_index(["document_id"], if_not_exists=True)
    db["claims"].create_index(["metric"], if_not_exists=True)
    db["claims"].create_index(["year"], if_not_exists=True)
    db.execute("DROP VIEW IF EXISTS claim_details")
    db.execute(CLAIM_DETAILS)
    ensure_search(db)
    ensure_facts_shape(db)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def claim_id(document_id: str, claim: Claim) -> str:
    """Stable id of a claim: its document and span."""
    key = f"{document_id}:{claim.start}:{claim.end}:{claim.raw}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def claim_row(document_id: str, claim: Claim) -> dict:
    """A claim as a warehouse row: exact digits kept as text beside the REAL."""
    return {
        "id": claim_id(document_id, claim),
        "document_id": document_id,
        "page": claim.page,
        "start": claim.start,
        "end": claim.end,
        "sentence": claim.sentence,
        "raw": claim.raw,
        "value": float(claim.value),
        "value_exact": format(claim.value.normalize(), "f"),
        "value_high": float(claim.value_high) if claim.value_high is not None else None,
        "value_high_exact": format(claim.value_high.normalize(), "f") if claim.value_high is not None else None,
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "kind": claim.kind,
        "forecast": int(claim.forecast),
        "metric": claim.metric,
        "subject": claim.subject,
        "year": claim.year,
        "period": claim.period,
        "source": claim.source,
        "extractor": claim.extractor,
        "fact_id": None,
        "bbox": ",".join(f"{v:.1f}" for v in claim.bbox) if claim.bbox else None,
    }


def save_document(db: sqlite_utils.Database, document: Document, claims: list[Claim]) -> str:
    """Replace a document and its claims in one transaction; returns the document id."""
    document_id = document.sha256[:16]
    with db.conn:
        db.execute("DELETE FROM claims WHERE document_id = ?", [document_id])
        db.execute("DELETE FROM pages WHERE document_id = ?", [document_id])
        db["documents"].upsert({
            "id": document_id, "name": document.name, "path": document.path, "sha256": document.sha256,
            "kind": document.kind, "title": document.title, "publisher": document.publisher,
            "published": document.published, "pages": len(document.pages) or None, "chars": len(document.text),
            "claims": len(claims), "ingested_at": _now(),
        }, pk="id")
        db["pages"].insert_all(
            ({"document_id": document_id, "page": p.number, "start": p.start, "end": p.end} for p in document.pages),
            pk=("document_id", "page"), replace=True,
        )
        db["claims"].insert_all((claim_row(document_id, c) for c in claims), pk="id", replace=True)
    return document_id


def save_problem(db: sqlite_utils.Database, problem: IngestProblem) -> None:
    """Record why a document could not be ingested."""
    with db.conn:
        db["ingest_errors"].insert({
            "path": problem.path, "stage": problem.stage, "error": problem.error,
            "message": problem.message, "at": _now(),
        })
