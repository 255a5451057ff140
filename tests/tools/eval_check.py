"""Measure `shuzi check` on a labelled set: accuracy, per-verdict F1 and latency.

    python tests/tools/eval_check.py [--db FILE] [--claims tests/data/check_claims.jsonl]

Without --db a warehouse is built from corpus/ in a temporary folder (reconciled when the reconciler exists).
"""
from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extractors.verdict import NO_CLAIM, SEVERITY, check_text  # noqa: E402
from warehouse.lookup import open_lookup  # noqa: E402

VERDICTS = (*SEVERITY, NO_CLAIM)


def reconciler():
    """The reconciler's `reconcile_warehouse(db)`, wherever it lives, or None before it exists."""
    for module in ("warehouse", "warehouse.facts", "warehouse.reconcile", "flows.pipeline"):
        try:
            found = getattr(importlib.import_module(module), "reconcile_warehouse", None)
        except ImportError:
            continue
        if found is not None:
            return found
    return None


def build_warehouse(path: Path, sources: list[Path]) -> Path:
    """Ingest report files in-process, without Prefect, and reconcile them when possible."""
    from flows.pipeline import extract_document, list_documents
    from warehouse import open_warehouse, save_document

    db = open_warehouse(path)
    for result in map(extract_document, list_documents(sources)):
        if result.document is not None:
            save_document(db, result.document, list(result.claims))
    reconcile = reconciler()
    if reconcile is not None:
        reconcile(db)
    db.close()
    return path


def load_cases(path: Path) -> list[dict]:
    """The labelled claims: one JSON object per line with `text` and `expected`."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def f1_table(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support of every verdict that was expected or predicted."""
    table = {}
    for verdict in VERDICTS:
        tp = sum(1 for e, p in pairs if e == p == verdict)
        predicted = sum(1 for _, p in pairs if p == verdict)
        support = sum(1 for e, _ in pairs if e == verdict)
        if not predicted and not support:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[verdict] = (precision, recall, f1, support)
    return table


def evaluate(db: Path, cases: list[dict]) -> dict:
    """Run every case through `check` and collect what the report prints."""
    started = time.perf_counter()
    lookup = open_lookup(db)
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    lookup.prepare()
    index_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    check_text("2024年我国数字经济规模达到59.2万亿元", lookup.find)  # loads the extractors' word lists once
    warm_ms = (time.perf_counter() - started) * 1000
    pairs, per_text, per_claim, misses = [], [], [], []
    for case in cases:
        started = time.perf_counter()
        overall, verdicts = check_text(case["text"], lookup.find)
        elapsed = (time.perf_counter() - started) * 1000
        per_text.append(elapsed)
        per_claim.extend([elapsed / len(verdicts)] * len(verdicts) if verdicts else [])
        pairs.append((case["expected"], overall))
        if overall != case["expected"]:
            misses.append((case, overall, verdicts))
    return {"pairs": pairs, "per_text": per_text, "per_claim": per_claim, "misses": misses, "load_ms": load_ms,
            "index_ms": index_ms, "warm_ms": warm_ms}


def report(result: dict) -> None:
    """Print accuracy, the per-verdict table, latency and the misses."""
    pairs = result["pairs"]
    correct = sum(1 for e, p in pairs if e == p)
    print(f"accuracy {correct}/{len(pairs)} = {correct / len(pairs):.3f}")
    table = f1_table(pairs)
    macro = statistics.mean(f1 for *_, f1, support in table.values() if support) if table else 0.0
    print(f"{'verdict':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'n':>5}")
    for verdict, (precision, recall, f1, support) in table.items():
        print(f"{verdict:<14}{precision:>10.3f}{recall:>8.3f}{f1:>7.3f}{support:>5}")
    print(f"macro F1 over expected verdicts {macro:.3f}")
    for name in ("per_text", "per_claim"):
        values = sorted(result[name])
        if values:
            p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
            print(f"latency {name.replace('_', ' ')}: mean {statistics.mean(values):.2f} ms, p95 {p95:.2f} ms, "
                  f"max {values[-1]:.2f} ms")
    print(f"warehouse load {result['load_ms']:.1f} ms, indexing {result['index_ms']:.1f} ms, "
          f"first check (extractor start-up) {result['warm_ms']:.0f} ms")
    print(f"confusion {dict(Counter(pairs))}")
    for case, got, verdicts in result["misses"]:
        print(f"MISS expected {case['expected']}, got {got}: {case['text']}")
        for v in verdicts:
            print(f"    {v.verdict}: {v.explanation}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: build or open a warehouse, evaluate, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="warehouse to check against (default: build one from corpus/)")
    parser.add_argument("--claims", type=Path, default=ROOT / "tests" / "data" / "check_claims.jsonl")
    args = parser.parse_args(argv)
    cases = load_cases(args.claims)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or build_warehouse(Path(folder) / "check.db", [ROOT / "corpus"])
        report(evaluate(db, cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
