"""The performance benchmark: one markdown table of throughput, latency, memory and scaling, with the targets.

    python tests/bench/run.py                 # everything, medians of 3 runs (takes long: 10,000 reports)
    python tests/bench/run.py --quick         # a smoke run with small sizes
    python tests/bench/run.py --only text,pdf --repeat 5

Parts (--only): text (MB/s of `shuzi ingest`), pdf (pages/s against bare pdfplumber in the same run), stages
(time per stage in-process), noop (an unchanged re-run), check (latency at ~1M claims), scale (cost per report at
10 … 10,000 reports). Corpora come from tests/bench/synthetic.py; the large warehouse from
tests/bench/big_warehouse.py, kept under .cache/bench/ for the code version that built it. Shell figures go through
the installed `shuzi` command, Prefect start-up included; in-process ones run in a fresh process each
(tests/bench/inprocess.py). Progress goes to stderr, the table to stdout.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from measuring import (  # noqa: E402
    Row, fresh, in_process, ingest, log, machine_speed, measured, median_of, p95, seed_sized_count, shuzi, size_mb,
    table, workers_option,
)
from synthetic import write_corpus  # noqa: E402

PARTS = ("text", "pdf", "stages", "noop", "check", "scale")
CACHE = ROOT / ".cache" / "bench"
def part_text(args: argparse.Namespace, work: Path, workers: bool) -> list[Row]:
    """MB/s per core of `shuzi ingest` on synthetic text exports, one worker and two.

    The start-up (python, Prefect's temporary server, each worker's python, jieba and spaCy) is measured on a
    1 KB report per worker with the same options; its CPU time is taken off the run's, so the figure is the
    throughput a core keeps up once started.
    """
    corpus = work / "text"
    write_corpus(corpus, seed_sized_count(args.text_mb), seed=11)
    mb, rows = size_mb(corpus), []
    for n in ("1", "2") if workers else ("",):
        extra = ["--workers", n] if n else []
        command = f"`shuzi ingest --workers {n}`" if n else "`shuzi ingest` (no --workers)"
        tiny = work / f"tiny-{n or 1}"
        write_corpus(tiny, int(n or 1), seed=12, size_kb=1)
        log(f"text: {mb:.2f} MB, {command}")
        starts = [ingest(tiny, fresh(work, "tiny.db"), *extra) for _ in range(args.repeat)]
        runs = [ingest(corpus, fresh(work, "text.db"), *extra) for _ in range(args.repeat)]
        wall, cpu = median_of(runs, "wall"), median_of(runs, "cpu")
        start_wall, start_cpu = median_of(starts, "wall"), median_of(starts, "cpu")
        work_cpu = cpu - start_cpu
        steady = work_cpu > 0.15 * cpu  # else the start-up's own spread hides the work: use a larger --text-mb
        per_core = mb / work_cpu if steady else None
        rows += [
            Row(f"start-up of {command}, a 1 KB report per worker", f"{start_wall:.1f} s wall, {start_cpu:.1f} CPU-s",
                how=f"python, Prefect's temporary server, jieba and spaCy; median of {args.repeat}"),
            Row(f"text MB/s, {command}", f"{per_core:.2f} MB/s per core" if steady else "n/a: start-up dominates",
                "≥ 1 MB/s per core", per_core >= 1 if steady else None,
                f"{mb:.1f} MB: {cpu:.1f} CPU-s in all processes less the start-up's; end to end "
                f"{wall:.1f} s wall = {mb / wall:.2f} MB/s, {mb / cpu:.2f} MB per CPU-s; median of {args.repeat}"),
            Row(f"peak memory, text {command}", f"{median_of(runs, 'rss_mb'):.0f} MB",
                how="largest single process (RUSAGE_CHILDREN)"),
        ]
    return rows


def pdfplumber_pages(folder: Path) -> tuple[int, float, float]:
    """Bare single-core pdfplumber: `extract_text` of every page; pages, wall and CPU seconds."""
    import pdfplumber

    pages, cpu, wall = 0, time.process_time(), time.perf_counter()
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - wall, time.process_time() - cpu


def part_pdf(args: argparse.Namespace, work: Path, workers: bool) -> list[Row]:
    """Pages/s of `shuzi ingest --workers 2` against bare pdfplumber, alternating runs of the two."""
    corpus = work / "pdf"
    write_corpus(corpus, args.pdf_docs, seed=21, size_kb=args.pdf_kb, pdf=True)
    bare, runs = [], []
    extra = ["--workers", "2"] if workers else []
    for i in range(args.repeat):
        log(f"pdf: round {i + 1} of {args.repeat}")
        bare.append(pdfplumber_pages(corpus))
        runs.append(ingest(corpus, fresh(work, "pdf.db"), *extra))
    pages = bare[0][0]
    bare_rate = pages / statistics.median(wall for _, wall, _ in bare)
    wall = median_of(runs, "wall")
    rate = pages / wall
    return [
        Row("PDF pages/s, bare pdfplumber `extract_text`", f"{bare_rate:.1f} pages/s",
            how=f"{pages} pages of {args.pdf_docs} reports, one core, in this process; median of {args.repeat}"),
        Row("PDF pages/s, `shuzi ingest --workers 2`" if workers else "PDF pages/s, `shuzi ingest` (no --workers)",
            f"{rate:.1f} pages/s = {rate / bare_rate:.2f}× bare", "≥ 1.2× bare", rate / bare_rate >= 1.2,
            f"end to end, Prefect start-up included: {wall:.1f} s wall, {median_of(runs, 'cpu'):.1f} CPU-s; "
            f"median of {args.repeat}"),
        Row("peak memory, `shuzi ingest` PDF", f"{median_of(runs, 'rss_mb'):.0f} MB",
            how="largest single process (RUSAGE_CHILDREN)"),
    ]


def part_stages(args: argparse.Namespace, work: Path) -> list[Row]:
    """CPU seconds per stage over the seed reports, in-process after a warm-up; median of fresh processes."""
    warm = work / "warm"
    write_corpus(warm, 1, seed=31, size_kb=2)
    results = []
    for i in range(args.repeat):
        log(f"stages: round {i + 1} of {args.repeat}")
        results.append(in_process("stages", ROOT / "corpus", "--warm-up", next(warm.iterdir())))
    mb = results[0]["bytes"] / 2**20
    cpu = {stage: statistics.median(r["cpu"][stage] for r in results) for stage in results[0]["cpu"]}
    total = sum(cpu.values())
    rows = [Row(f"stage {stage}", f"{seconds / mb:.3f} s/MB ({100 * seconds / total:.0f}%)",
                how=f"{seconds:.2f} CPU-s over {mb:.2f} MB") for stage, seconds in cpu.items()]
    reading = cpu["read"] + cpu["normalize"] + cpu["extract"]
    rows.append(Row("read + normalize + extract, one process", f"{mb / reading:.2f} MB/s per core",
                    "≥ 1 MB/s per core", mb / reading >= 1,
                    f"{results[0]['documents']} seed reports, CPU time, warm; one-off start "
                    f"{statistics.median(r['start'] for r in results):.1f} s; median of {args.repeat}"))
    return rows


def part_noop(args: argparse.Namespace, work: Path) -> list[Row]:
    """An unchanged re-run of `shuzi ingest` over N small reports already in the warehouse."""
    corpus, db = work / "noop", fresh(work, "noop.db")
    write_corpus(corpus, args.noop_docs, seed=41, size_kb=args.noop_kb)
    log(f"noop: ingesting {args.noop_docs} reports in-process first")
    subprocess.run([sys.executable, "-c", "import sys; from flows.pipeline import ingest; "
                    "ingest([sys.argv[1]], sys.argv[2])", corpus, db], check=True, cwd=ROOT)
    runs = [ingest(corpus, db) for _ in range(args.repeat)]
    wall = median_of(runs, "wall")
    unchanged = f"unchanged {args.noop_docs}" in runs[-1]["out"]
    target = args.noop_docs >= 1000
    return [Row(f"no-op re-ingest of {args.noop_docs} unchanged reports", f"{wall:.2f} s wall",
                "< 5 s at 1,000" if target else "(< 5 s at 1,000)", wall < 5 and unchanged if target else None,
                f"`shuzi ingest` from the shell, {args.noop_kb:g} KB reports, "
                f"{'all unchanged' if unchanged else 'NOT all reported unchanged'}; median of {args.repeat}")]


def warehouse_version(claims: int) -> str:
    """Key of a built warehouse: the extractor versions, the warehouse code and the builder."""
    from flows.pipeline import pipeline_version

    sources = sorted([*(ROOT / "warehouse").glob("*.py"), *(ROOT / "schemas").glob("*.py"),
                      *(ROOT / "extractors" / name for name in ("reconcile.py", "mentions.py", "metric_keys.py")),
                      BENCH / "big_warehouse.py"])
    digest = hashlib.sha256(f"{pipeline_version()}:{claims}".encode())
    for source in sources:
        if source.exists():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def big_warehouse(claims: int) -> tuple[Path, float | None]:
    """The warehouse of ~`claims` claims for this code version, built once; returns it and its build time."""
    path = CACHE / f"warehouse-{claims}-{warehouse_version(claims)}.db"
    if path.exists():
        return path, None
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"warehouse-{claims}-*.db*"):
        old.unlink()
    log(f"check: building a warehouse of {claims:,} claims → {path}")
    building = path.with_suffix(".building")
    started = time.perf_counter()
    subprocess.run([sys.executable, BENCH / "big_warehouse.py", building, "--claims", str(claims)], check=True,
                   stdout=sys.stderr)
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    building.rename(path)
    return path, time.perf_counter() - started


def part_check(args: argparse.Namespace) -> list[Row]:
    """`check` latency in-process per checked claim and from the shell, on a warehouse of ~N claims."""
    if not (BENCH / "big_warehouse.py").exists():
        return [Row("check latency", "not measured", how="tests/bench/big_warehouse.py is missing")]
    db, built = (args.check_db, None) if args.check_db else big_warehouse(args.claims)
    log(f"check: {args.check_samples} sentences in-process, {args.shell_checks} from the shell")
    result = in_process("check", db, "--samples", str(args.check_samples))
    per_claim = [seconds / max(count, 1) for seconds, count in result["timings"]]
    per_sentence = [seconds for seconds, _ in result["timings"]]
    shell = [measured([*shuzi(), "check", sentence, "--db", db]) for sentence, _ in
             zip(result["sentences"] * args.shell_checks, range(args.shell_checks))]
    if any(run["code"] == 2 for run in shell):
        raise RuntimeError(f"shuzi check failed: {shell[0]['err']}")
    ms, p95_ms, wall = 1000 * statistics.median(per_claim), 1000 * p95(per_claim), median_of(shell, "wall")
    size = f"{result['claims']:,} claims"
    return [
        Row(f"check in-process at {size}", f"{ms:.1f} ms median, {p95_ms:.1f} ms p95 per claim", "< 20 ms",
            ms < 20, f"{len(per_claim)} sampled sentences, {1000 * statistics.median(per_sentence):.1f} ms median "
                         f"per sentence; opening the lookup {result['open']:.2f} s"
                         + (f"; warehouse built in {built:.0f} s" if built else "")),
        Row(f"`shuzi check \"…\"` from the shell at {size}", f"{wall:.2f} s wall", "< 1 s", wall < 1,
            f"median of {len(shell)}"),
        Row(f"peak memory, check in-process at {size}", f"{result['rss_mb']:.0f} MB",
            how=f"shell: {median_of(shell, 'rss_mb'):.0f} MB"),
    ]


def part_scale(args: argparse.Namespace, work: Path) -> list[Row]:
    """Cost per report of an in-process ingest into a fresh warehouse at 10, 100, 1,000 and 10,000 reports.

    Each run first ingests the seed reports elsewhere: the synthetic reports share their words, so the segmenters'
    caches start as full at 10 reports as at 10,000 and the figure follows the warehouse's growth alone.
    """
    sizes = [n for n in (10, 100, 1000, 10_000) if n <= args.max_docs]
    reports = write_corpus(work / "scale-all", sizes[-1], seed=51, size_kb=args.scale_kb)
    rows, base = [], None
    for n in sizes:
        folder = work / f"scale-{n}"
        folder.mkdir()
        for report in reports[:n]:
            os.link(report, folder / report.name)
        rounds = args.repeat if n <= 100 else 1
        log(f"scale: {n} reports, {rounds} round(s)")
        results = [in_process("scale", folder, "--warm-up", ROOT / "corpus") for _ in range(rounds)]
        if any(r["errors"] or r["documents"] != n for r in results):
            raise RuntimeError(f"scale: the in-process ingest of {n} reports stored {results[0]['documents']}")
        kb = results[0]["bytes"] / 1024
        cpu, wall = statistics.median(r["cpu"] for r in results), statistics.median(r["wall"] for r in results)
        fixed = statistics.median(r["fixed_cpu"] for r in results)
        per_report, per_kb = max(cpu - fixed, 0.0) / n, max(cpu - fixed, 0.0) / kb
        base = base or per_report
        spread = per_report / base - 1
        rows.append(Row(
            f"cost per report at {n:,} reports",
            f"{1000 * per_report:.1f} ms/report ({spread:+.0%}), {1000 * per_kb:.2f} ms/KB",
            "±20% of 10" if n > sizes[0] else "", abs(spread) <= 0.2 if n > sizes[0] else None,
            f"CPU, in-process `ingest` after a warm-up on the seeds, less the {fixed:.2f} s a run costs with no "
            f"report; with it {1000 * cpu / n:.1f} ms/report, {1000 * wall / n:.1f} ms wall/report; "
            f"{kb / n:.1f} KB/report, peak {max(r['rss_mb'] for r in results):.0f} MB; median of {rounds}"))
    return rows


QUICK = {"repeat": 1, "text_mb": 0.3, "pdf_docs": 2, "pdf_kb": 8.0, "noop_docs": 100, "claims": 20_000,
         "max_docs": 100, "check_samples": 10, "shell_checks": 3}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts to run, comma-separated: {','.join(PARTS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes and one round: a smoke run")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per figure, the median is shown (default 3)")
    parser.add_argument("--text-mb", type=float, default=8.0, help="size of the text corpus (default 8 MB)")
    parser.add_argument("--pdf-docs", type=int, default=100, help="seed-sized PDF reports, ~14 pages each (default 100)")
    parser.add_argument("--pdf-kb", type=float, default=None, help="text per PDF report (default: seed-sized)")
    parser.add_argument("--noop-docs", type=int, default=1000, help="reports of the no-op re-run (default 1000)")
    parser.add_argument("--noop-kb", type=float, default=2.0, help="KB per no-op report (default 2)")
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims in the check warehouse (default 1M)")
    parser.add_argument("--check-db", type=Path, help="an existing warehouse to check against instead of building one")
    parser.add_argument("--check-samples", type=int, default=50, help="sentences checked in-process (default 50)")
    parser.add_argument("--shell-checks", type=int, default=5, help="`shuzi check` runs from the shell (default 5)")
    parser.add_argument("--max-docs", type=int, default=10_000, help="largest scaling step (default 10,000)")
    parser.add_argument("--scale-kb", type=float, default=3.0, help="KB per report of the scaling series (default 3)")
    parser.add_argument("--work", type=Path, help="keep corpora and warehouses in this folder (default: temporary)")
    args = parser.parse_args(argv)
    if args.quick:
        given = {a.split("=")[0].lstrip("-").replace("-", "_") for a in (argv or sys.argv[1:]) if a.startswith("--")}
        for key, value in QUICK.items():
            if key not in given:
                setattr(args, key, value)
    unknown = set(args.only.split(",")) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    only = args.only.split(",")
    workers = workers_option()
    if not workers:
        log("`shuzi ingest` has no --workers option: ingest figures are for its default")
    rows: list[Row] = []
    speeds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="shuzi-bench-") as tmp:
        work = args.work or Path(tmp)
        if args.work and work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        for part in PARTS:
            if part not in only:
                continue
            speeds[part] = machine_speed()
            log(f"{part} … (reference loop {speeds[part]:.2f} CPU-s)")
            try:
                if part in ("text", "pdf"):
                    rows += (part_text if part == "text" else part_pdf)(args, work, workers)
                elif part == "check":
                    rows += part_check(args)
                else:
                    rows += {"stages": part_stages, "noop": part_noop, "scale": part_scale}[part](args, work)
            except (RuntimeError, subprocess.CalledProcessError) as exc:  # one broken part leaves the others' figures
                log(f"{part} failed: {exc}")
                rows.append(Row(f"{part}: not measured", "error", ok=False, how=" ".join(str(exc).split())[:300]))
    prefect = os.environ.get("PREFECT_API_URL") or "a temporary server per run"
    print(table(rows))
    print(f"\n{os.cpu_count()} cores; Prefect: {prefect}; {time.perf_counter() - started:.0f} s in all"
          f"{'; --quick' if args.quick else ''}.")
    print("Host speed before each part (CPU-s of a fixed Python loop; lower is faster, figures taken at different "
          "speeds compare after dividing by it): " + ", ".join(f"{part} {s:.2f}" for part, s in speeds.items()) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
