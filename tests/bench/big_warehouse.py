"""A warehouse of about N claims for measuring `check` and the reconciler at scale.

    python tests/bench/big_warehouse.py OUT.db --claims 1000000 [--seed 0]

The seed corpus is ingested once in-process; its documents are then copied as synthetic reports (new ids,
paths and hashes) with figures varied, some years shifted, some subjects swapped among the gazetteer's places
and some metrics qualified by another measured word, until the warehouse holds N claims; then the reconciler
builds the facts (and `check`'s index) over all of them.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
import zlib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")
CLAIM_COLUMNS = ("id", "document_id", "page", "start", "end", "sentence", "raw", "value", "value_exact",
                 "value_high", "value_high_exact", "unit", "qualifier", "kind", "forecast", "metric", "subject",
                 "year", "period", "source", "extractor", "fact_id", "bbox")


def _draw(*parts: object) -> int:
    """A deterministic pseudo-random number from its parts."""
    return zlib.crc32("\x1f".join(map(str, parts)).encode("utf-8"))


def _places() -> list[str]:
    """The gazetteer's canonical place names."""
    rows = (ROOT / "extractors" / "data" / "places.tsv").read_text(encoding="utf-8").splitlines()
    return [row.split("\t")[0] for row in rows if row.strip() and not row.startswith("#")]


def _measured_words() -> list[str]:
    """Measured things of the metric word list, used to qualify copied metrics (工业互联网 + 平台数量)."""
    rows = (ROOT / "extractors" / "data" / "metric_words.txt").read_text(encoding="utf-8").splitlines()
    return [row.split()[0] for row in rows if row.strip() and not row.startswith("#") and len(row.split()[0]) > 1]


def _rescale(raw: str, factor_per_mille: int) -> tuple[str, Decimal]:
    """The first number of a figure's text multiplied, keeping its decimals; returns the text and the ratio."""
    found = _NUMBER.search(raw)
    if not found or factor_per_mille == 1000:
        return raw, Decimal(1)
    old = Decimal(found[0])
    decimals = len(found[0].partition(".")[2])
    new = (old * factor_per_mille / 1000).quantize(Decimal(1).scaleb(-decimals))
    if new == 0 or new == old:
        return raw, Decimal(1)
    return raw[:found.start()] + format(new, "f") + raw[found.end():], new / old


def _shift_years(text: str | None, shift: int) -> str | None:
    if not text or not shift:
        return text
    return _YEAR.sub(lambda m: str(int(m[1]) + shift), text)


def _copy_claim(row: dict, copy: int, seed: int, document_id: str, shift: int, places: list[str],
                words: list[str]) -> tuple:
    """One claim of a synthetic report: its figure varied, its year shifted, maybe another place or metric."""
    draw = _draw(seed, copy, row["id"])
    sentence, raw = row["sentence"] or "", row["raw"] or ""
    factor = 1000 if draw % 2 else 800 + draw // 2 % 401  # half the figures are restated as they were
    new_raw, ratio = _rescale(raw, factor)
    at = sentence.find(raw)
    if at >= 0 and new_raw != raw:
        sentence = sentence[:at] + new_raw + sentence[at + len(raw):]
    subject, metric = row["subject"], row["metric"]
    if subject in places and draw // 7 % 4 == 0:
        other = places[draw // 29 % len(places)]
        sentence, subject = sentence.replace(subject, other), other
    if metric and draw // 11 % 3 == 0:
        word = words[draw // 37 % len(words)]
        if metric in sentence:
            sentence = sentence.replace(metric, word + metric, 1)
        metric = word + metric
    value = Decimal(row["value_exact"] or repr(row["value"])) * ratio
    high = Decimal(row["value_high_exact"]) * ratio if row["value_high_exact"] else None
    claim_id = hashlib.sha1(f"{document_id}:{row['id']}".encode()).hexdigest()[:16]
    return (claim_id, document_id, row["page"], row["start"], row["end"], _shift_years(sentence, shift), new_raw,
            float(value), format(value.normalize(), "f"), float(high) if high is not None else None,
            format(high.normalize(), "f") if high is not None else None, row["unit"], row["qualifier"], row["kind"],
            row["forecast"], metric, subject, row["year"] + shift if row["year"] is not None else None,
            _shift_years(row["period"], shift), row["source"], row["extractor"], None, row["bbox"])


def replicate(db, claims: int, *, seed: int = 0) -> int:
    """Copy the warehouse's documents as synthetic reports until it holds about `claims` claims; returns copies."""
    conn = db.conn
    conn.row_factory = None
    documents = [dict(zip([d[0] for d in cur.description], row))
                 for cur in [conn.execute("SELECT * FROM documents ORDER BY id")] for row in cur]
    by_document: dict[str, list[dict]] = {}
    cur = conn.execute("SELECT * FROM claims ORDER BY id")
    names = [d[0] for d in cur.description]
    for row in cur:
        record = dict(zip(names, row))
        by_document.setdefault(record["document_id"], []).append(record)
    stored = sum(map(len, by_document.values()))
    places, words = _places(), _measured_words()
    columns = ", ".join(f'"{c}"' for c in CLAIM_COLUMNS)
    insert = f"INSERT INTO claims ({columns}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})"
    copy = 0
    while stored < claims:
        copy += 1
        with conn:
            for document in documents:
                if stored >= claims:
                    break
                name = f"syn{copy:05d}_{document['name']}"
                sha = hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()
                document_id, shift = sha[:16], (0, 0, 1, -1, 2)[_draw(seed, name) % 5]
                rows = by_document.get(document["id"], [])
                conn.execute(
                    "INSERT INTO documents (id, name, path, sha256, kind, title, publisher, published, pages, chars,"
                    " claims, ingested_at, pipeline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [document_id, name, f"synthetic/{name}", sha, document["kind"], document["title"],
                     document["publisher"], _shift_years(document["published"], shift), document["pages"],
                     document["chars"], len(rows), document["ingested_at"], document["pipeline"]])
                conn.execute("INSERT INTO pages SELECT ?, page, start, \"end\" FROM pages WHERE document_id = ?",
                             [document_id, document["id"]])
                conn.executemany(insert, (_copy_claim(r, copy, seed, document_id, shift, places, words)
                                          for r in rows))
                stored += len(rows)
    return copy


def build_warehouse(path: str | Path, claims: int = 1_000_000, *, seed: int = 0) -> Path:
    """Build a reconciled warehouse of about `claims` claims at `path` (replaced if it exists); returns the path."""
    from flows.pipeline import ingest
    from warehouse import open_warehouse
    from warehouse.facts import reconcile_warehouse

    path = Path(path)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    ingest([str(ROOT / "corpus")], path)
    db = open_warehouse(path)
    try:
        replicate(db, claims, seed=seed)
        reconcile_warehouse(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("ANALYZE")
    finally:
        db.close()
    return path


def main(argv: list[str] | None = None) -> int:
    """Entry point: build the warehouse and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    build_warehouse(args.out, args.claims, seed=args.seed)
    print(f"{args.out}: {args.claims} claims in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
