"""The `shuzi` command line. Commands that need no orchestration never import Prefect."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from warehouse import DEFAULT_DB

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT_ROOT / "corpus"
METADATA = PROJECT_ROOT / "warehouse" / "metadata.json"


def _ingest(args: argparse.Namespace) -> int:
    """Incremental ingest; Prefect starts only when some file needs reading. Exit status as in the README."""
    import sqlite3

    from warehouse import open_warehouse

    from .pipeline import ingest, plan_ingest, run_plan

    paths = [str(p) for p in args.paths or [DEFAULT_CORPUS]]
    started = time.perf_counter()
    try:
        db = open_warehouse(args.db)
        plan = plan_ingest(db, paths, force=args.force)
        if plan.idle:
            summary = run_plan(db, plan)
        else:
            db.close()
            os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
            os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
            os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
            from .ingest import ClusterUnreachable, run_ingest_flow

            try:
                summary = run_ingest_flow(paths, str(args.db), force=args.force, workers=args.workers,
                                          dask_address=args.dask_address)
            except ClusterUnreachable as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            except sqlite3.Error:
                raise
            except Exception as exc:  # Prefect's server did not start; the ingest itself can run without it
                print(f"warning: Prefect could not run the flow ({exc}); ingesting in this process instead",
                      file=sys.stderr)
                summary = ingest(paths, args.db, force=args.force)
    except KeyboardInterrupt:
        print("error: interrupted; documents stored so far are kept, run `shuzi ingest` again to finish",
              file=sys.stderr)
        return 130
    except (sqlite3.Error, OSError) as exc:
        print(f"error: {args.db}: the warehouse cannot be written ({exc}); check the file or pass another --db",
              file=sys.stderr)
        return 2
    except Exception as exc:  # the one line the user sees instead of a traceback
        print(f"error: ingest stopped ({type(exc).__name__}: {exc}); stored documents are kept, "
              f"run `shuzi ingest` again", file=sys.stderr)
        return 2
    for message in summary.problems:
        print(f"error: {message}", file=sys.stderr)
    files = summary.new + summary.changed + summary.refreshed + summary.unchanged + len(summary.problems)
    if not files:
        print(f"error: no .pdf, .txt or .md files in {', '.join(paths)}; check the path", file=sys.stderr)
    print(
        f"{summary.documents} documents, {summary.claims} claims, {len(summary.problems)} errors "
        f"in {time.perf_counter() - started:.1f}s → {summary.db} (new {summary.new}, changed {summary.changed}, "
        f"refreshed {summary.refreshed}, unchanged {summary.unchanged}, retired {summary.retired})"
    )
    return 1 if summary.problems or not files else 0


def _serve(args: argparse.Namespace) -> int:
    """Datasette on the warehouse, read-only, with the project metadata."""
    if not Path(args.db).exists():
        print(f"error: {args.db} does not exist; run `shuzi ingest` first", file=sys.stderr)
        return 2
    from warehouse.browse import PortInUse, check_port, serve_warehouse

    try:
        check_port(args.host, args.port)
    except PortInUse as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Serving {args.db} read-only on http://{args.host}:{args.port}/shuzi (Ctrl-C stops)")
    serve_warehouse(args.db, host=args.host, port=args.port)
    return 0


def _schedule(args: argparse.Namespace) -> int:
    """Serve the ingest flow as a Prefect deployment on a cron schedule until interrupted."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from .schedule import ScheduleError, serve_schedule

    try:
        serve_schedule(args.cron, args.corpus, args.db, timezone=args.timezone)
    except ScheduleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def _check(args: argparse.Namespace) -> int:
    from extractors.errors import ShuziError
    from extractors.verdict import NO_CLAIM, SUPPORTED, article_text, as_json, check_text, describe
    from warehouse.lookup import open_lookup

    try:
        if args.file:
            text = article_text(str(args.file), args.file.read_bytes())
        else:
            text = sys.stdin.read() if args.text == "-" else args.text
        if not text:
            print("error: give the text to check, `-` to read it from stdin, or --file PATH", file=sys.stderr)
            return 2
        overall, verdicts = check_text(text, open_lookup(args.db).find)
    except ShuziError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {args.file}: cannot be read ({exc.strerror}); check the path", file=sys.stderr)
        return 2
    if args.json:
        import json

        print(json.dumps(as_json(overall, verdicts), ensure_ascii=False, indent=2))
    else:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        for verdict in verdicts:
            print(describe(verdict, color=color))
        if not verdicts:
            print(describe(None, color=color))
    return 0 if overall in (SUPPORTED, NO_CLAIM) else 1


def _positive(text: str) -> int:
    """A count of at least 1, for --workers."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of processes of at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface, one sub-command per job."""
    parser = argparse.ArgumentParser(prog="shuzi", description="A fact-checkable warehouse of numeric claims.")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="extract claims from reports into the warehouse")
    ingest.add_argument("paths", nargs="*", type=Path, help="files or folders (default: corpus/)")
    ingest.add_argument("--db", type=Path, default=DEFAULT_DB, help="warehouse file (default: warehouse/shuzi.db)")
    ingest.add_argument("--force", action="store_true", help="extract every file again, changed or not")
    ingest.add_argument("--workers", type=_positive, default=1, metavar="N",
                        help="extract in N processes on this machine (default 1: in the flow's process)")
    ingest.add_argument("--dask-address", metavar="ADDRESS",
                        help="extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)")
    ingest.set_defaults(run=_ingest)

    serve = sub.add_parser("serve", help="browse the warehouse in Datasette")
    serve.add_argument("--db", type=Path, default=DEFAULT_DB, help="warehouse file")
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--host", default="127.0.0.1")
    serve.set_defaults(run=_serve)

    schedule = sub.add_parser("schedule", help="re-ingest the corpus on a cron schedule (needs a Prefect server)")
    schedule.add_argument("--cron", default="0 6 * * *", help='when to ingest, five cron fields (default: "0 6 * * *")')
    schedule.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="reports folder (default: corpus/)")
    schedule.add_argument("--db", type=Path, default=DEFAULT_DB, help="warehouse file (default: warehouse/shuzi.db)")
    schedule.add_argument("--timezone", default="UTC", help="IANA time zone of the cron fields (default: UTC)")
    schedule.set_defaults(run=_schedule)

    check = sub.add_parser("check", help="fact-check the figures of a text against the warehouse")
    check.add_argument("text", nargs="?", help="the text to check (`-` reads stdin)")
    check.add_argument("--file", type=Path, help="check every claim of an article (.txt, .md or .pdf)")
    check.add_argument("--db", type=Path, default=DEFAULT_DB, help="warehouse file")
    check.add_argument("--json", action="store_true", help="print verdicts and evidence as JSON")
    check.set_defaults(run=_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `shuzi` console script."""
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
