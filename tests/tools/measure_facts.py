"""Measure the reconciler on a warehouse: gold repeats sharing a fact, fact counts, series, a sample to check.

    python tests/tools/measure_facts.py --db /tmp/shuzi.db --scorer /work/shared/eval/score.py [--sample 30]

A within-document repeat is a pair of gold claims of one report with the same value (and upper end of a
range), unit, year and subject and a similar metric (fuzzy ratio >= 70). Gold claims are matched to
warehouse claims by the scorer's own `match`; a pair counts as reconciled when both carry the same fact_id.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sqlite3
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[2]


def load_scorer(path: Path):
    """The scorer module, loaded from its file."""
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def repeat_pairs(score, golds: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of gold claims of one report stating the same figure."""
    pairs = []
    for i, a in enumerate(golds):
        for b in golds[i + 1:]:
            if score.same_value(a["value"], b["value"]) and score.canon_unit(a["unit"]) == score.canon_unit(b["unit"]) \
                    and (a.get("value_high") is None) == (b.get("value_high") is None) \
                    and (a.get("value_high") is None or score.same_value(a["value_high"], b["value_high"])) \
                    and a.get("year") == b.get("year") and a.get("subject") == b.get("subject") \
                    and a.get("metric") and b.get("metric") \
                    and fuzz.ratio(score.squash(a["metric"]), score.squash(b["metric"])) >= 70:
                pairs.append((a, b))
    return pairs


def measure_repeats(score, db: Path, gold_dir: Path, seeds: Path) -> dict:
    """Share of within-document gold repeats whose warehouse claims share a fact."""
    gold, _ = score.load_gold(gold_dir, seeds)
    preds = score.load_predictions(db, None)
    found = Counter()
    missed = []
    for stem, golds in gold.items():
        matched = {id(g): p for g, p in score.match(golds, preds.get(stem, []))[0]}
        for a, b in repeat_pairs(score, golds):
            found["pairs"] += 1
            pa, pb = matched.get(id(a)), matched.get(id(b))
            if pa is None or pb is None:
                found["unmatched"] += 1
                continue
            found["matched"] += 1
            if pa.get("fact_id") and pa.get("fact_id") == pb.get("fact_id"):
                found["shared"] += 1
            else:
                missed.append((stem, a["id"], b["id"], a["raw"], pa.get("metric"), pb.get("metric"),
                               pa.get("year"), pb.get("year")))
    found["share"] = round(found["shared"] / found["matched"], 4) if found["matched"] else 0.0
    return {"counts": dict(found), "missed": missed}


def sample_facts(con: sqlite3.Connection, size: int, seed: int) -> list[dict]:
    """A reproducible sample of facts stated more than once, each with its values and mentions."""
    ids = [r[0] for r in con.execute("SELECT id FROM facts WHERE mentions > 1 ORDER BY id")]
    chosen = sorted(random.Random(seed).sample(ids, min(size, len(ids))))
    out = []
    for fact_id in chosen:
        fact = dict(con.execute("SELECT metric, subject, year, period_key, unit, status FROM facts WHERE id = ?",
                                [fact_id]).fetchone())
        fact["values"] = [f"{r[0]} {r[1]} x{r[2]}" for r in con.execute(
            "SELECT value_exact, status, mentions FROM fact_values WHERE fact_id = ? ORDER BY rank", [fact_id])]
        fact["mentions"] = [f"{r[0]} [{r[1]}] …{r[2]}" for r in con.execute(
            "SELECT raw, metric, substr(sentence, max(1, instr(sentence, raw) - 30), 45) FROM claim_details "
            "WHERE fact_id = ? ORDER BY document, start", [fact_id])]
        out.append({"id": fact_id, **fact})
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the measures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--scorer", type=Path, required=True, help="path of the evaluation's score.py")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "gold")
    parser.add_argument("--seeds", type=Path, default=ROOT / "corpus")
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    score = load_scorer(args.scorer)
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    result = {
        "repeats": measure_repeats(score, args.db, args.gold, args.seeds),
        "facts": con.execute("SELECT count(*) FROM facts").fetchone()[0],
        "fact_status": dict(con.execute("SELECT status, count(*) FROM facts GROUP BY status").fetchall()),
        "value_status": dict(con.execute("SELECT status, count(*) FROM fact_values GROUP BY status").fetchall()),
        "multi_mention_facts": con.execute("SELECT count(*) FROM facts WHERE mentions > 1").fetchone()[0],
        "multi_document_facts": con.execute("SELECT count(*) FROM facts WHERE documents > 1").fetchone()[0],
        "series": [dict(r) for r in con.execute(
            "SELECT metric, subject, year, value, unit, documents FROM metric_series "
            "WHERE metric IN ('数字经济规模', '数字经济占GDP比重') ORDER BY metric, year")],
        "sample": sample_facts(con, args.sample, args.seed),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
