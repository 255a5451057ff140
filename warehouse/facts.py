"""Facts in the warehouse: reconciled figures, their values, the claims behind them, and time series."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from schemas import Claim, Document, Fact, FactValue

from .rows import insert_rows

if TYPE_CHECKING:
    import sqlite_utils

METRIC_SERIES = """
CREATE VIEW metric_series AS
SELECT
    facts.metric,
    facts.subject,
    facts.year,
    facts.value,
    facts.unit,
    (SELECT json_group_array(name) FROM (
        SELECT DISTINCT documents.name FROM claims JOIN documents ON documents.id = claims.document_id
        WHERE claims.fact_id = facts.id ORDER BY documents.name)) AS documents,
    facts.period_key = '预测' AS forecast,
    facts.status,
    facts.mentions,
    facts.id AS fact_id
FROM facts
WHERE facts.year IS NOT NULL AND facts.period_key IN ('', '预测')
ORDER BY facts.metric, facts.subject, facts.year, facts.period_key
"""


@dataclass(frozen=True)
class ReconcileSummary:
    """What a reconcile run did: blocks re-reconciled, facts written, claims linked."""

    blocks: int
    facts: int
    claims: int


def ensure_facts_shape(db: sqlite_utils.Database) -> None:
    """Create the facts and fact_values tables and the metric_series view; safe to run again."""
    db["facts"].create({
        "id": str, "metric": str, "metric_key": str, "subject": str, "year": int, "period": str, "unit": str,
        "value": float, "value_exact": str, "value_high": float, "value_high_exact": str, "status": str,
        "mentions": int, "documents": int, "period_key": str, "block": str,
    }, pk="id", if_not_exists=True)
    db["fact_values"].create({
        "id": str, "fact_id": str, "value": float, "value_exact": str, "value_high": float,
        "value_high_exact": str, "unit": str, "qualifier": str, "status": str, "rank": int, "deprecated": int,
        "mentions": int, "documents": str,
    }, pk="id", foreign_keys=[("fact_id", "facts", "id")], if_not_exists=True)
    db["facts"].create_index(["block"], if_not_exists=True)
    db["facts"].create_index(["metric_key"], if_not_exists=True)
    db["fact_values"].create_index(["fact_id"], if_not_exists=True)
    db["claims"].create_index(["fact_id"], if_not_exists=True)
    from . import replace_view

    replace_view(db, "metric_series", METRIC_SERIES)


def _exact(value: Decimal | None) -> str | None:
    return format(value.normalize(), "f") if value is not None else None


def fact_row(fact: Fact) -> dict:
    """A fact as a warehouse row: the REAL beside its exact digits."""
    return {
        "id": fact.id, "metric": fact.metric, "metric_key": fact.metric_key, "subject": fact.subject,
        "year": fact.year, "period": fact.period, "unit": fact.unit, "value": float(fact.value),
        "value_exact": _exact(fact.value),
        "value_high": float(fact.value_high) if fact.value_high is not None else None,
        "value_high_exact": _exact(fact.value_high), "status": fact.status, "mentions": fact.mentions,
        "documents": fact.documents, "period_key": fact.period_key, "block": fact.block,
    }


def fact_value_row(value: FactValue) -> dict:
    """A fact's value as a warehouse row; its documents as a JSON list."""
    return {
        "id": value.id, "fact_id": value.fact_id, "value": float(value.value), "value_exact": _exact(value.value),
        "value_high": float(value.value_high) if value.value_high is not None else None,
        "value_high_exact": _exact(value.value_high), "unit": value.unit, "qualifier": value.qualifier,
        "status": value.status, "rank": value.rank, "deprecated": int(value.deprecated), "mentions": value.mentions,
        "documents": _json_list(value.documents),
    }


@functools.lru_cache(maxsize=1 << 12)
def _json_list(names: tuple[str, ...]) -> str:
    """Names as a JSON list; facts' values share a few lists of reports."""
    return json.dumps(list(names), ensure_ascii=False)


def _decimal(exact: str | None, real: float | None) -> Decimal | None:
    if exact not in (None, ""):
        return Decimal(exact)
    return Decimal(str(real)) if real is not None else None


def _current(db: sqlite_utils.Database) -> str:
    """The SQL condition that keeps current (not retired) documents."""
    columns = {c.name for c in db["documents"].columns}
    return "documents.retired_at IS NULL" if "retired_at" in columns else "1"


def load_claims(db: sqlite_utils.Database, where: str = "1", params: list | None = None,
                ) -> tuple[list[tuple[str, Claim]], dict[str, Document]]:
    """The claims of every current (not retired) document (those `where` keeps), with the documents' front matter."""
    current = _current(db)
    documents = {name: Document(name=name, path=path or "", sha256=sha256 or "", text="", title=title,
                                publisher=publisher, published=published)
                 for name, path, sha256, title, publisher, published in db.conn.execute(
                     f"SELECT name, path, sha256, title, publisher, published FROM documents WHERE {current}")}
    claims = [(claim_id, Claim(
        document=name, page=page, start=start, end=end, sentence=sentence or "", raw=raw or "",
        value=_decimal(exact, value), unit=unit or "", value_high=_decimal(high_exact, high),
        qualifier=qualifier or "exact", kind=kind or "level", forecast=bool(forecast), metric=metric,
        subject=subject, year=year, period=period, source=source,
    )) for (claim_id, name, page, start, end, sentence, raw, exact, value, unit, high_exact, high, qualifier, kind,
            forecast, metric, subject, year, period, source) in db.conn.execute(
        "SELECT claims.id, documents.name, claims.page, claims.start, claims.[end], claims.sentence, claims.raw,"
        " claims.value_exact, claims.value, claims.unit, claims.value_high_exact, claims.value_high,"
        " claims.qualifier, claims.kind, claims.forecast, claims.metric, claims.subject, claims.year, claims.period,"
        " claims.source FROM claims JOIN documents ON documents.id = claims.document_id"
        f" WHERE {current} AND claims.value IS NOT NULL AND ({where}) ORDER BY claims.id", params or [])]
    return claims, documents


def _stale_blocks(db: sqlite_utils.Database) -> set[str]:
    """Blocks of facts whose claims changed or vanished (a replaced, deleted or retired report).

    Counting each fact's claims walks the claims' fact_id index; retired reports' claims are found by
    their documents, so neither reads the claims table itself.
    """
    vanished = db.execute(
        "SELECT block FROM facts WHERE mentions != (SELECT count(*) FROM claims WHERE claims.fact_id = facts.id)")
    blocks = {block for (block,) in vanished}
    if "retired_at" in {c.name for c in db["documents"].columns}:
        retired = db.execute(
            "SELECT DISTINCT facts.block FROM documents JOIN claims ON claims.document_id = documents.id"
            " JOIN facts ON facts.id = claims.fact_id WHERE documents.retired_at IS NOT NULL")
        blocks.update(block for (block,) in retired)
    return blocks


def save_facts(db: sqlite_utils.Database, facts: list[Fact], values: list[FactValue],
               assignments: dict[str, str], blocks: set[str] | None) -> None:
    """Replace the facts of the given blocks (all when None) and link their claims, in one transaction."""
    with db.conn:
        if blocks is None:
            db.execute("DELETE FROM fact_values")
            db.execute("DELETE FROM facts")
            db.execute("UPDATE claims SET fact_id = NULL WHERE fact_id IS NOT NULL")
        else:
            _mark_blocks(db, blocks)
            stale = "SELECT facts.id FROM facts JOIN temp.reconcile_blocks ON temp.reconcile_blocks.block = facts.block"
            db.execute(f"DELETE FROM fact_values WHERE fact_id IN ({stale})")
            db.execute(f"UPDATE claims SET fact_id = NULL WHERE fact_id IN ({stale})")
            db.execute("DELETE FROM facts WHERE block IN (SELECT block FROM temp.reconcile_blocks)")
        insert_rows(db, "facts", [fact_row(f) for f in facts])
        insert_rows(db, "fact_values", [fact_value_row(v) for v in values])
        db.conn.executemany("UPDATE claims SET fact_id = ? WHERE id = ?",
                            [(fact_id, claim_id) for claim_id, fact_id in sorted(assignments.items())])


def run_documents(db: sqlite_utils.Database, run_id: int | None) -> list[str] | None:
    """Ids of the documents an ingest run stored; None when the run is unknown (then everything is reconciled)."""
    if run_id is None or "run_id" not in {c.name for c in db["documents"].columns}:
        return None
    return [r[0] for r in db.execute("SELECT id FROM documents WHERE run_id = ? ORDER BY id", [run_id])]


def reconcile_warehouse(db: sqlite_utils.Database, document_ids: list[str] | None = None) -> ReconcileSummary:
    """Reconcile the warehouse's claims into facts; with document ids, only the blocks those documents touch.

    Blocks whose claims changed, vanished or were never linked are re-reconciled too, so a replaced,
    retired or restored report leaves no stale fact behind. Only those blocks' claims are read, through
    the indexes on claims' documents and facts and on facts' blocks.
    """
    from extractors.reconcile import mentions_of, reconcile_mentions  # jieba loads only when reconciling

    from .lookup_index import refresh_lookup_index

    ensure_facts_shape(db)
    blocks: set[str] | None = None
    if document_ids is None:
        mentions = mentions_of(*load_claims(db))
    else:
        claims, documents = _touched_claims(db, document_ids)
        mentions = mentions_of(claims, documents)
        blocks = {m.block for m in mentions} | _stale_blocks(db)
        linked, _ = _block_claims(db, blocks)
        seen = {claim_id for claim_id, _ in claims}  # whole reports, so other reports' mentions are made apart
        mentions += mentions_of([(i, c) for i, c in linked if i not in seen], documents)
    result = reconcile_mentions(mentions)
    save_facts(db, list(result.facts), list(result.values), dict(result.assignments), blocks)
    refresh_lookup_index(db.conn, None if blocks is None else list(result.assignments))
    touched = len(blocks) if blocks is not None else len({f.block for f in result.facts})
    return ReconcileSummary(blocks=touched, facts=len(result.facts), claims=len(result.assignments))


def _touched_claims(db: sqlite_utils.Database, document_ids: list[str]
                    ) -> tuple[list[tuple[str, Claim]], dict[str, Document]]:
    """Every claim of the given documents and of the current documents holding claims no fact links yet."""
    unlinked = {r[0] for r in db.execute(
        f"SELECT DISTINCT claims.document_id FROM claims JOIN documents ON documents.id = claims.document_id"
        f" WHERE claims.fact_id IS NULL AND claims.value IS NOT NULL AND {_current(db)}")}
    wanted = sorted(set(document_ids) | unlinked)
    marks = ", ".join("?" * len(wanted))
    return load_claims(db, f"claims.document_id IN ({marks})" if wanted else "0", wanted)


def _block_claims(db: sqlite_utils.Database, blocks: set[str]) -> tuple[list[tuple[str, Claim]], dict]:
    """The current claims linked to facts of the given blocks."""
    if not blocks:
        return [], {}
    _mark_blocks(db, blocks)
    return load_claims(db, "claims.fact_id IN (SELECT facts.id FROM facts JOIN temp.reconcile_blocks"
                           " ON temp.reconcile_blocks.block = facts.block)")


def _mark_blocks(db: sqlite_utils.Database, blocks: set[str]) -> None:
    """Put the given blocks in the temporary table `reconcile_blocks`, which SQL then joins on."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS reconcile_blocks (block TEXT PRIMARY KEY)")
    db.execute("DELETE FROM temp.reconcile_blocks")
    db.conn.executemany("INSERT OR IGNORE INTO temp.reconcile_blocks VALUES (?)", [(b,) for b in blocks])
