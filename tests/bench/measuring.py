"""What the benchmark measures with: commands timed with their child processes, in-process runs, the table's rows."""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# Runs a command and reports its wall time, and the CPU time and largest RSS of it and every process it waited for.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                  "code": done.returncode, "out": done.stdout, "err": done.stderr[-2000:]}))
"""


@dataclass
class Row:
    """One line of the table: what was measured, the figure, the target and whether it is met."""

    measure: str
    figure: str
    target: str = ""
    ok: bool | None = None
    how: str = ""

    def cells(self) -> list[str]:
        verdict = "" if self.ok is None else "pass" if self.ok else "FAIL"
        return [self.measure, self.figure, self.target, verdict, self.how]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def shuzi() -> list[str]:
    """The installed `shuzi` command, else the module."""
    found = shutil.which("shuzi")
    return [found] if found else [sys.executable, "-m", "flows.cli"]


def measured(command: list[str | Path]) -> dict:
    """Wall seconds, CPU seconds and peak RSS (MB, largest process) of one command and its child processes."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, command)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def in_process(*args: str | Path) -> dict:
    """One measurement of tests/bench/inprocess.py in a fresh process."""
    run = measured([sys.executable, BENCH / "inprocess.py", *args])
    if run["code"]:
        raise RuntimeError(f"inprocess.py {args[0]} failed: {run['err']}")
    return json.loads(run["out"].strip().splitlines()[-1])


def workers_option() -> bool:
    """Whether this `shuzi ingest` takes --workers."""
    return "--workers" in subprocess.run([*shuzi(), "ingest", "--help"], capture_output=True, text=True).stdout


def ingest(folder: Path, db: Path, *extra: str) -> dict:
    """`shuzi ingest FOLDER --db DB …` measured; an ingest that fails any file is an error of the benchmark."""
    run = measured([*shuzi(), "ingest", folder, "--db", db, *extra])
    if run["code"]:
        raise RuntimeError(f"shuzi ingest {folder} {' '.join(extra)} exited {run['code']}: {run['err']}")
    return run


def fresh(work: Path, name: str) -> Path:
    """A path for a new warehouse under the work folder (any earlier one removed)."""
    for stale in work.glob(f"{name}*"):
        stale.unlink()
    return work / name


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 2**20


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def seed_sized_count(megabytes: float) -> int:
    """How many seed-sized synthetic reports (about 52 KB each) make `megabytes`."""
    return max(2, round(megabytes * 2**20 / 52_000))


def table(rows: list[Row]) -> str:
    """The rows as one markdown table."""
    lines = ["| measure | figure | target | | how |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine_speed() -> float:
    """CPU seconds of a fixed pure-Python loop: the host's speed drifts, so figures taken at different times are
    compared after dividing by it."""
    started, total = time.process_time(), 0
    for i in range(5_000_000):
        total += i
    return time.process_time() - started
