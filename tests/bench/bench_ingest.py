"""Incremental ingest timings on the bundled corpus. Run on demand:

    python tests/bench/bench_ingest.py            # a table: in-process and `shuzi ingest` timings
    python -m pytest tests/bench/bench_ingest.py  # the in-process timings under pytest-benchmark

Measured: a first ingest of every report, an unchanged re-run (nothing read but hashes, no Prefect start), and
a run after one new report was added (only that report extracted; through the CLI that run starts Prefect).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from flows.pipeline import extract_document, ingest  # noqa: E402

CORPUS = ROOT / "corpus"


def prepare(folder: Path, *, leave_out: int = 0) -> tuple[Path, list[Path]]:
    """A copy of the corpus without its last `leave_out` reports, and the reports left out."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    reports = sorted(CORPUS.glob("*.txt"))
    kept, left = reports[: len(reports) - leave_out], reports[len(reports) - leave_out:]
    for report in kept:
        shutil.copyfile(report, corpus / report.name)
    return corpus, left


def cli(*args: str | Path) -> tuple[float, str]:
    """Wall-clock seconds of one `shuzi ingest` and its summary line."""
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", *map(str, args)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    return time.perf_counter() - started, run.stdout.strip()


@pytest.fixture(scope="module", autouse=True)
def warm_extractors():
    """Load segmenters and dictionaries once, so runs time the ingest, not the first import."""
    extract_document(next(CORPUS.glob("*.txt")))


def test_unchanged_rerun(benchmark, tmp_path):
    corpus, _ = prepare(tmp_path)
    db = tmp_path / "w.db"
    ingest([corpus], db)
    summary = benchmark(ingest, [corpus], db)
    assert summary.documents == 0 and summary.unchanged == len(list(corpus.iterdir()))


def test_one_new_report(benchmark, tmp_path):
    rounds = iter(range(100))

    def setup():
        folder = tmp_path / str(next(rounds))
        corpus, left = prepare(folder, leave_out=1)
        ingest([corpus], folder / "w.db")
        shutil.copyfile(left[0], corpus / left[0].name)
        return ([corpus], folder / "w.db"), {}

    summary = benchmark.pedantic(ingest, setup=setup, rounds=3)
    assert (summary.new, summary.documents) == (1, 1)


def main() -> None:
    """Print in-process and command-line timings."""
    extract_document(next(CORPUS.glob("*.txt")))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus, left = prepare(folder, leave_out=1)
        db = folder / "w.db"
        rows = []
        started = time.perf_counter()
        ingest([corpus], db)
        rows.append(("in-process", f"first ingest of {len(list(corpus.iterdir()))} reports",
                     time.perf_counter() - started))
        started = time.perf_counter()
        ingest([corpus], db)
        rows.append(("in-process", "unchanged re-run", time.perf_counter() - started))
        shutil.copyfile(left[0], corpus / left[0].name)
        started = time.perf_counter()
        ingest([corpus], db)
        rows.append(("in-process", "one new report", time.perf_counter() - started))

        cli_db = folder / "cli.db"
        corpus.joinpath(left[0].name).unlink()
        seconds, summary = cli(corpus, "--db", cli_db)
        rows.append(("shuzi ingest", f"first ingest ({summary.split(' → ')[-1].split(' ', 1)[-1]})", seconds))
        seconds, summary = cli(corpus, "--db", cli_db)
        rows.append(("shuzi ingest", f"unchanged re-run ({summary.split(' → ')[-1].split(' ', 1)[-1]})", seconds))
        shutil.copyfile(left[0], corpus / left[0].name)
        seconds, summary = cli(corpus, "--db", cli_db)
        rows.append(("shuzi ingest", f"one new report ({summary.split(' → ')[-1].split(' ', 1)[-1]})", seconds))
    for how, what, seconds in rows:
        print(f"{how:<13} {what:<90} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
