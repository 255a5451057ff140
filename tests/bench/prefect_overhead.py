"""What Prefect costs an ingest run: the temporary server's start and the bookkeeping of each task run.

    python tests/bench/prefect_overhead.py [--tasks 200] [--chunk 20]

Prints one markdown table. Against a persistent server (`PREFECT_API_URL` set) the start-up row shows what a
run costs when no temporary server has to start. The tasks do nothing, so every millisecond is Prefect's.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ONE_RUN = """
import os, time
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
started = time.perf_counter()
from prefect import flow
imported = time.perf_counter()

@flow(name="overhead-empty")
def empty() -> int:
    return 0

empty()
first = time.perf_counter()
empty()
second = time.perf_counter()
print(imported - started, first - imported, second - first)
"""


def start_up() -> tuple[float, float, float]:
    """(import prefect, first flow run, second flow run) in seconds, in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", ONE_RUN], capture_output=True, text=True, check=True).stdout
    imported, first, second = map(float, out.split()[-3:])
    return imported, first, second


def _cpu() -> float:
    """CPU seconds of this process and its children (a temporary Prefect server is one)."""
    try:
        import psutil
    except ImportError:  # psutil comes with distributed (the dask extra); without it, this process only
        return time.process_time()
    me = psutil.Process()
    return sum(sum(p.cpu_times()[:2]) for p in [me, *me.children(recursive=True)])


def task_costs(tasks: int, chunk: int) -> dict[bool, tuple[float, float]]:
    """(wall ms, CPU ms) per task run over `tasks` task runs of one item each (False) or `chunk` items (True).

    A run's task runs keep the server busy after the flow returns (their events), so each measurement is the
    mapped run plus the empty run after it, minus two empty runs.
    """
    from prefect import flow, task
    from prefect.task_runners import ThreadPoolTaskRunner

    @task(name="overhead-one")
    def one(item: int) -> int:
        return item

    @task(name="overhead-chunk")
    def many(items: list[int]) -> list[int]:
        return list(items)

    @flow(name="overhead-map", task_runner=ThreadPoolTaskRunner(max_workers=1))
    def mapped(items: list, chunked: bool) -> int:
        futures = (many if chunked else one).map(items) if items else []
        return len([f.result() for f in futures])

    def timed(work: list, chunked: bool) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), _cpu()
        mapped(items=work, chunked=chunked)
        return time.perf_counter() - wall, _cpu() - cpu

    def settled(chunked: bool, empty: tuple[float, float]) -> tuple[float, float, int]:
        """Empty runs until one is as quick as `empty` again (the server caught up): their sum and count."""
        wall = cpu = 0.0
        for runs in range(1, 31):
            w, c = timed([], chunked)
            wall, cpu = wall + w, cpu + c
            if w < empty[0] * 1.3:
                break
        return wall, cpu, runs

    items = list(range(tasks))
    chunks = [list(range(i * chunk, (i + 1) * chunk)) for i in range(tasks)]  # as many task runs, more per run
    mapped(items=[0], chunked=False)  # the server, if temporary, starts here
    costs = {}
    for chunked, work in ((True, chunks), (False, items)):
        empty = min((timed([], chunked) for _ in range(3)), key=lambda t: t[0])
        loaded = timed(work, chunked)
        wall, cpu, runs = settled(chunked, empty)
        costs[chunked] = ((loaded[0] + wall - (runs + 1) * empty[0]) * 1000 / len(work),
                          (loaded[1] + cpu - (runs + 1) * empty[1]) * 1000 / len(work))
    return costs


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200, help="task runs mapped (default 200)")
    parser.add_argument("--chunk", type=int, default=20, help="items per task run when chunked (default 20)")
    args = parser.parse_args()
    server = os.environ.get("PREFECT_API_URL") or "temporary (started by the run)"
    imported, first, second = start_up()
    costs = task_costs(args.tasks, args.chunk)
    print(f"Prefect API: {server}\n")
    print("| what | figure |\n|---|---|")
    print(f"| `import prefect` | {imported:.2f} s |")
    print(f"| first flow run of a process (server start-up included) | {first:.2f} s |")
    print(f"| next flow run, same process | {second:.2f} s |")
    print(f"| start-up cost per run (first − next) | {first - second:.2f} s |")
    for chunked, size in ((False, 1), (True, args.chunk)):
        wall, cpu = costs[chunked]
        print(f"| {args.tasks} task runs of {size} item{'s' * (size > 1)} each | {wall:.1f} ms wall, {cpu:.1f} ms CPU "
              f"per task run = {cpu / size:.1f} ms CPU per item |")


if __name__ == "__main__":
    main()
