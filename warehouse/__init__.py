"""The warehouse: the only writer of the SQLite file that Datasette serves."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from schemas import Claim, Document, IngestProblem

from .facts import ensure_facts_shape
from .rows import insert_rows
from .search import ensure_search

if TYPE_CHECKING:  # imported where a warehouse is opened for writing; `check` reads it without sqlite-utils
    import sqlite_utils

DEFAULT_DB = Path(__file__).resolve().parent / "shuzi.db"
BUSY_TIMEOUT_MS = 30_000

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
    claims.extractor,
    documents.retired_at IS NOT NULL AS retired
FROM claims JOIN documents ON documents.id = claims.document_id
"""


def open_warehouse(path: str | Path = DEFAULT_DB) -> sqlite_utils.Database:
    """Open (and create when missing) the warehouse file, in WAL mode."""
    path = Path(path)
    import sqlite_utils

    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
    _ensure_columns(db, "documents", {"retired_at": str, "replaces": str, "pipeline": str, "run_id": int})
    _ensure_columns(db, "ingest_errors", {"sha256": str, "pipeline": str, "run_id": int, "resolved_at": str})
    db["document_paths"].create({
        "path": str, "document_id": str, "sha256": str, "seen_at": str, "retired_at": str, "run_id": int,
    }, pk="path", if_not_exists=True)
    db["ingest_runs"].create({
        "id": int, "started": str, "finished": str, "paths": str, "pipeline": str, "new": int, "changed": int,
        "refreshed": int, "unchanged": int, "retired": int, "failed": int,
    }, pk="id", if_not_exists=True)
    db["document_paths"].create_index(["document_id"], if_not_exists=True)
    db["ingest_errors"].create_index(["path"], if_not_exists=True)
    db["claims"].create_index(["document_id"], if_not_exists=True)
    db["claims"].create_index(["metric"], if_not_exists=True)
    db["claims"].create_index(["year"], if_not_exists=True)
    replace_view(db, "claim_details", CLAIM_DETAILS)
    ensure_search(db)
    ensure_facts_shape(db)


def replace_view(db: sqlite_utils.Database, name: str, sql: str) -> None:
    """(Re)create a view only when its definition changed, in one transaction: readers never find it missing."""
    current = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [name]).fetchone()
    if current and current[0].strip() == sql.strip():
        return
    with db.atomic():
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
        db.execute(sql)


def _ensure_columns(db: sqlite_utils.Database, table: str, columns: dict[str, type]) -> None:
    """Add columns that a warehouse written by an older shuzi lacks."""
    existing = set(db[table].columns_dict)
    for name, kind in columns.items():
        if name not in existing:
            db[table].add_column(name, kind)


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


def save_document(
    db: sqlite_utils.Database, document: Document, claims: list[Claim], *,
    run_id: int | None = None, pipeline: str | None = None,
) -> str:
    """Store a document, its pages and claims, and point its path at it, in one transaction; returns its id.

    A previous version of the file at the same path loses its path, and its claims when no other path holds it.
    """
    document_id = document.sha256[:16]
    with db.atomic():
        previous = _document_at(db, document.path)
        db.execute("DELETE FROM claims WHERE document_id = ?", [document_id])
        db.execute("DELETE FROM pages WHERE document_id = ?", [document_id])
        db["documents"].upsert({
            "id": document_id, "name": document.name, "path": document.path, "sha256": document.sha256,
            "kind": document.kind, "title": document.title, "publisher": document.publisher,
            "published": document.published, "pages": len(document.pages) or None, "chars": len(document.text),
            "claims": len(claims), "ingested_at": _now(), "retired_at": None,
            "replaces": previous["sha256"] if previous and previous["id"] != document_id else None,
            "pipeline": pipeline, "run_id": run_id,
        }, pk="id")
        insert_rows(db, "pages", ({"document_id": document_id, "page": p.number, "start": p.start, "end": p.end}
                                  for p in document.pages))
        insert_rows(db, "claims", (claim_row(document_id, c) for c in claims))
        _point_path(db, document.path, document_id, document.sha256, run_id)
        db.execute("UPDATE ingest_errors SET resolved_at = ? WHERE path = ? AND resolved_at IS NULL",
                   [_now(), document.path])
    return document_id


def save_alias(db: sqlite_utils.Database, path: str, sha256: str, *, run_id: int | None = None) -> str | None:
    """Record that `path` holds a document already stored under another path; None when it is not stored."""
    document_id = sha256[:16]
    with db.atomic():
        if not db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone():
            return None
        _point_path(db, path, document_id, sha256, run_id)
        db.execute("UPDATE documents SET retired_at = NULL WHERE id = ?", [document_id])
    return document_id


def _document_at(db: sqlite_utils.Database, path: str) -> dict | None:
    row = db.execute(
        "SELECT documents.id, documents.sha256 FROM document_paths JOIN documents"
        " ON documents.id = document_paths.document_id WHERE document_paths.path = ?", [path]).fetchone()
    return {"id": row[0], "sha256": row[1]} if row else None


def _point_path(db: sqlite_utils.Database, path: str, document_id: str, sha256: str, run_id: int | None) -> None:
    previous = db.execute("SELECT document_id, seen_at FROM document_paths WHERE path = ?", [path]).fetchone()
    db["document_paths"].upsert({
        "path": path, "document_id": document_id, "sha256": sha256,
        "seen_at": previous[1] if previous else _now(), "retired_at": None, "run_id": run_id,
    }, pk="path")
    if previous and previous[0] != document_id:
        _drop_if_orphaned(db, previous[0])


def _drop_if_orphaned(db: sqlite_utils.Database, document_id: str) -> None:
    """Delete a document no path holds any more; retire one only removed paths hold."""
    live, removed = db.execute(
        "SELECT COALESCE(SUM(retired_at IS NULL), 0), COALESCE(SUM(retired_at IS NOT NULL), 0)"
        " FROM document_paths WHERE document_id = ?", [document_id]).fetchone()
    if live:
        return
    if removed:
        db.execute("UPDATE documents SET retired_at = COALESCE(retired_at, ?) WHERE id = ?", [_now(), document_id])
        return
    for table in ("claims", "pages"):
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
    db.execute("DELETE FROM documents WHERE id = ?", [document_id])


def retire_paths(db: sqlite_utils.Database, paths: list[str], *, run_id: int | None = None) -> int:
    """Mark removed files retired; a document keeps its claims, flagged, once none of its files remain."""
    if not paths:
        return 0
    now = _now()
    with db.atomic():
        touched = set()
        for path in paths:
            row = db.execute("UPDATE document_paths SET retired_at = ?, run_id = ? WHERE path = ?"
                             " AND retired_at IS NULL RETURNING document_id", [now, run_id, path]).fetchone()
            if row:
                touched.add(row[0])
        for document_id in touched:  # only the documents that lost a path, each through the document_id index
            db.execute(
                "UPDATE documents SET retired_at = ? WHERE id = ? AND retired_at IS NULL AND NOT EXISTS"
                " (SELECT 1 FROM document_paths WHERE document_id = ? AND retired_at IS NULL)",
                [now, document_id, document_id])
    return len(paths)


def known_paths(db: sqlite_utils.Database) -> dict[str, dict]:
    """Every file path the warehouse has seen: its content hash, extractor version and whether it was removed."""
    rows = db.execute(
        "SELECT document_paths.path, document_paths.sha256, documents.pipeline, document_paths.retired_at"
        " FROM document_paths JOIN documents ON documents.id = document_paths.document_id")
    return {path: {"sha256": sha, "pipeline": pipeline, "retired": retired is not None}
            for path, sha, pipeline, retired in rows}


def stored_contents(db: sqlite_utils.Database) -> dict[str, str | None]:
    """Content hash → extractor version of every stored document."""
    return dict(db.execute("SELECT sha256, pipeline FROM documents").fetchall())


def known_failures(db: sqlite_utils.Database, pipeline: str) -> dict[tuple[str, str], IngestProblem]:
    """(path, content hash) → failures this extractor version already recorded and nothing has resolved."""
    rows = db.execute(
        "SELECT path, sha256, stage, error, message FROM ingest_errors WHERE pipeline = ? AND sha256 IS NOT NULL"
        " AND resolved_at IS NULL ORDER BY id", [pipeline])
    return {(path, sha): IngestProblem(path, stage, error, message) for path, sha, stage, error, message in rows}


def save_problem(
    db: sqlite_utils.Database, problem: IngestProblem, *,
    run_id: int | None = None, sha256: str | None = None, pipeline: str | None = None,
) -> None:
    """Record why a document could not be ingested; the same failure of the same bytes is recorded once."""
    with db.atomic():
        seen = db.execute(
            "SELECT id FROM ingest_errors WHERE path = ? AND sha256 IS ? AND error = ? AND message = ?"
            " AND resolved_at IS NULL", [problem.path, sha256, problem.error, problem.message]).fetchone()
        if seen:
            db.execute("UPDATE ingest_errors SET pipeline = ? WHERE id = ?", [pipeline, seen[0]])
            return
        db["ingest_errors"].insert({
            "path": problem.path, "stage": problem.stage, "error": problem.error,
            "message": problem.message, "at": _now(), "sha256": sha256, "pipeline": pipeline, "run_id": run_id,
        })


def start_run(db: sqlite_utils.Database, paths: list[str], pipeline: str) -> int:
    """Open an `ingest_runs` row; `finished` stays empty if the run is interrupted."""
    runs = db["ingest_runs"]
    with db.atomic():
        runs.insert({"started": _now(), "paths": json.dumps(paths, ensure_ascii=False), "pipeline": pipeline})
    return runs.last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, counts: dict[str, int]) -> None:
    """Close an `ingest_runs` row with what the run did."""
    columns = ("new", "changed", "refreshed", "unchanged", "retired", "failed")
    with db.atomic():
        db.execute(
            "UPDATE ingest_runs SET finished = ?, " + ", ".join(f"{c} = ?" for c in columns) + " WHERE id = ?",
            [_now(), *(counts.get(c, 0) for c in columns), run_id])
