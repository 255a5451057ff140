"""In-process measurements of the benchmark, each run in a fresh process that prints one JSON line.

    python tests/bench/inprocess.py stages CORPUS_DIR --warm-up PATH
    python tests/bench/inprocess.py scale DOCS_DIR --warm-up PATH
    python tests/bench/inprocess.py check WAREHOUSE [--samples 50] [--seed 0]

A fresh process per measurement keeps the caches one run fills (segmented sentences, entity spans) from speeding
up the next, and gives each measurement its own peak RSS. tests/bench/run.py calls these; they run alone too.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

STAGES = ("read", "normalize", "extract", "save", "reconcile")


def peak_rss_mb() -> float:
    """Largest resident set this process has had, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up(path: Path) -> float:
    """Ingest a report or folder elsewhere: jieba, the lexicon, spaCy and the reconciler load; returns the seconds.

    Then `warm_extractors`, as `shuzi ingest` runs it before its first report.
    """
    from flows.pipeline import ingest, warm_extractors

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        ingest([str(path)], Path(tmp) / "warm.db")
    warm_extractors()
    return time.perf_counter() - started


class Clock:
    """CPU and wall seconds summed per stage."""

    def __init__(self) -> None:
        self.cpu = dict.fromkeys(STAGES, 0.0)
        self.wall = dict.fromkeys(STAGES, 0.0)

    @contextmanager
    def stage(self, name: str, *, sign: int = 1):
        cpu, wall = time.process_time(), time.perf_counter()
        yield
        self.cpu[name] += sign * (time.process_time() - cpu)
        self.wall[name] += sign * (time.perf_counter() - wall)


def stages(corpus: Path, warm: Path) -> dict:
    """Each stage of extract_document and the writer, timed over the reports of a folder into a fresh warehouse."""
    from extractors.claims import extract_claims
    from extractors.frontmatter import describe_document
    from extractors.loaders import PDF_SUFFIXES, decode_text, load_document
    from extractors.pdf import place_claims
    from flows.pipeline import list_documents
    from warehouse import open_warehouse, save_document
    from warehouse.facts import reconcile_warehouse

    start = warm_up(warm)
    clock, size, claims = Clock(), 0, 0
    paths = [str(p) for p in list_documents([corpus])]
    with tempfile.TemporaryDirectory() as tmp:
        db = open_warehouse(Path(tmp) / "stages.db")
        ids = []
        for path in paths:
            pdf = Path(path).suffix.lower() in PDF_SUFFIXES
            with clock.stage("read"):
                data = Path(path).read_bytes()
                if not pdf:
                    decode_text(path, data)
            if not pdf:  # load_document decodes again: that share is reading, the rest is normalizing
                with clock.stage("normalize", sign=-1):
                    decode_text(path, data)
            with clock.stage("read" if pdf else "normalize"):
                document = describe_document(load_document(path, data))
            with clock.stage("extract"):
                found = place_claims(document, extract_claims(document))
            with clock.stage("save"):
                ids.append(save_document(db, document, list(found)))
            size += len(data)
            claims += len(found)
        with clock.stage("reconcile"):
            reconcile_warehouse(db, ids)
        db.close()
    return {"documents": len(paths), "bytes": size, "claims": claims, "start": start, "cpu": clock.cpu,
            "wall": clock.wall, "rss_mb": peak_rss_mb()}


def scale(folder: Path, warm: Path) -> dict:
    """One in-process `ingest` of every report of a folder into a fresh warehouse, after a warm-up.

    An ingest of an empty folder into another fresh warehouse measures what a run costs whatever its size
    (creating the warehouse, planning, reconciling nothing), so the cost per report can be told apart from it.
    """
    from flows.pipeline import ingest, list_documents

    start = warm_up(warm)
    size = sum(p.stat().st_size for p in list_documents([folder]))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "empty").mkdir()
        cpu, wall = time.process_time(), time.perf_counter()
        ingest([str(Path(tmp) / "empty")], Path(tmp) / "empty.db")
        fixed_cpu, fixed_wall = time.process_time() - cpu, time.perf_counter() - wall
        cpu, wall = time.process_time(), time.perf_counter()
        summary = ingest([str(folder)], Path(tmp) / "scale.db")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"documents": summary.documents, "bytes": size, "claims": summary.claims, "errors": len(summary.problems),
            "start": start, "cpu": cpu, "wall": wall, "fixed_cpu": fixed_cpu, "fixed_wall": fixed_wall,
            "rss_mb": peak_rss_mb()}


def sample_sentences(db: Path, count: int, *, seed: int = 0) -> list[str]:
    """Distinct claim sentences spread over the warehouse, the same ones for the same seed."""
    conn = sqlite3.connect(db)
    try:
        top = conn.execute("SELECT max(rowid) FROM claims").fetchone()[0] or 0
        rng, found = random.Random(seed), {}
        for _ in range(count * 4):
            row = conn.execute("SELECT sentence FROM claims WHERE rowid >= ? ORDER BY rowid LIMIT 1",
                               [rng.randint(1, max(1, top))]).fetchone()
            if row and row[0]:
                found[row[0]] = None
            if len(found) == count:
                break
        return list(found)
    finally:
        conn.close()


def check(db: Path, samples: int, *, seed: int = 0) -> dict:
    """`check` as the command runs it, timed per sentence, on sentences sampled from the warehouse."""
    from extractors.verdict import check_text
    from warehouse.lookup import open_lookup

    sentences = sample_sentences(db, samples + 1, seed=seed)
    conn = sqlite3.connect(db)
    claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    conn.close()
    started = time.perf_counter()
    lookup = open_lookup(db)
    opened = time.perf_counter() - started
    check_text(sentences[0], lookup.find)  # the first check loads the number and unit tables
    timings = []
    for sentence in sentences[1:]:
        started = time.perf_counter()
        _, verdicts = check_text(sentence, lookup.find)
        timings.append([time.perf_counter() - started, len(verdicts)])
    return {"claims": claims, "open": opened, "timings": timings, "sentences": sentences[1:6],
            "rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    for name in ("stages", "scale"):
        part = sub.add_parser(name)
        part.add_argument("folder", type=Path)
        part.add_argument("--warm-up", type=Path, required=True,
                          help="a report or folder ingested first, outside the timing")
    part = sub.add_parser("check")
    part.add_argument("db", type=Path)
    part.add_argument("--samples", type=int, default=50)
    part.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.what == "check":
        result = check(args.db, args.samples, seed=args.seed)
    else:
        result = (stages if args.what == "stages" else scale)(args.folder, args.warm_up)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
