"""The plain steps the flows wire together; importable and testable without Prefect."""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import sqlite_utils

from extractors.errors import DocumentTooLarge, ShuziError
from extractors.loaders import PDF_SUFFIXES, SUFFIXES, load_document
from schemas import Claim, Document, IngestProblem
from warehouse import (
    finish_run, known_failures, known_paths, open_warehouse, retire_paths, save_alias, save_document, save_problem,
    start_run, stored_contents,
)

EXTRACTORS = Path(__file__).resolve().parent.parent / "extractors"
_DECLARED = re.compile(r"""\bregister\(\s*["']([A-Za-z_]+\.v\d+)["']\s*\)""")
MAX_TEXT_BYTES = 32 * 2**20
MAX_PDF_BYTES = 256 * 2**20
_CHUNK = 2**20
# A chunk of documents is one task run and one write transaction. A task run costs Prefect ~40 ms of CPU
# (tests/bench/prefect_overhead.py), so a chunk holds up to this many bytes of files, fewer when that leaves
# too few chunks to keep every worker busy, and at most CHUNK_DOCUMENTS documents so a long run commits often.
CHUNK_BYTES = 2**20
MIN_CHUNK_BYTES = 32 * 2**10
CHUNK_DOCUMENTS = 64
CHUNKS_PER_WORKER = 4


@dataclass(frozen=True)
class Extracted:
    """What one document yields: the document and its claims, or the problem that stopped it."""

    path: str
    document: Document | None = None
    claims: tuple[Claim, ...] = ()
    problem: IngestProblem | None = None


@dataclass(frozen=True)
class IngestPlan:
    """What an ingest run will do, decided from content hashes before any document is read in full.

    roots: the files and folders given, as absolute paths; known files under them that are gone get retired
    pipeline: version of the extractor code (a hash of its sources)
    extract: (path, sha256, why) to read and extract, one path per distinct content; why is new | changed | refreshed
    aliases: (path, sha256, why) whose content is stored, or extracted in this run, under another path
    unchanged: paths whose content and extractor version match the warehouse
    failed: (problem, sha256) found while listing, or recorded earlier for the same content and not retried
    retire: known paths under the roots that are no longer there
    """

    roots: tuple[str, ...]
    pipeline: str
    extract: tuple[tuple[str, str, str], ...] = ()
    aliases: tuple[tuple[str, str, str], ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[IngestProblem, str | None], ...] = ()
    retire: tuple[str, ...] = ()

    @property
    def idle(self) -> bool:
        """Nothing to read, link or retire: the warehouse already matches the files."""
        return not (self.extract or self.aliases or self.retire)

    @cached_property
    def targets(self) -> dict[str, tuple[str, str]]:
        """Path → (sha256, why) of every file to extract or link, looked up once per stored document."""
        return {path: (sha, why) for path, sha, why in self.aliases + self.extract}


@dataclass
class IngestSummary:
    """What an ingest run did: documents and claims stored, files by outcome, one message per failure."""

    db: str
    run_id: int | None = None
    documents: int = 0
    claims: int = 0
    new: int = 0
    changed: int = 0
    refreshed: int = 0
    unchanged: int = 0
    retired: int = 0
    problems: list[str] = field(default_factory=list)


def list_documents(paths: list[str | Path]) -> list[Path]:
    """Report files under the given files and folders, sorted, each once."""
    found: dict[Path, None] = {}
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
                    found[child] = None
        else:
            found[path] = None
    return list(found)


@cache
def pipeline_version() -> str:
    """Hash of the extractor versions the sources declare (`register("numbers.v2")`); a bump re-extracts."""
    names = sorted({name for source in sorted(EXTRACTORS.glob("*.py"))
                    for name in _DECLARED.findall(source.read_text(encoding="utf-8"))})
    return hashlib.sha256("+".join(names).encode()).hexdigest()[:16]


def size_limit(path: str) -> int:
    """Largest file read into memory: PDFs carry images, text exports of a report are a few MB."""
    return MAX_PDF_BYTES if Path(path).suffix.lower() in PDF_SUFFIXES else MAX_TEXT_BYTES


def _too_large(path: str, size: int) -> DocumentTooLarge:
    return DocumentTooLarge(
        path, f"is {size / 2**20:.0f} MB, more than the {size_limit(path) // 2**20} MB shuzi reads for one "
              f"{Path(path).suffix.lower() or 'text'} file; split it into smaller files")


def _read_problem(path: str, exc: OSError) -> IngestProblem:
    if isinstance(exc, FileNotFoundError):
        return IngestProblem(path, "read", "FileNotFoundError",
                             f"{path}: disappeared before it could be read; check the corpus folder")
    reason = exc.strerror or type(exc).__name__
    return IngestProblem(path, "read", type(exc).__name__, f"{path}: cannot be read ({reason}); check its permissions")


def _problem(exc: ShuziError) -> IngestProblem:
    return IngestProblem(exc.path, exc.stage, type(exc).__name__, str(exc))


def hash_file(path: str) -> tuple[str | None, IngestProblem | None]:
    """Content hash of a file read in chunks (bounded memory), or the problem that kept it from being read."""
    digest = hashlib.sha256()
    try:
        size = os.stat(path).st_size
        if size > size_limit(path):
            return None, _problem(_too_large(path, size))
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        return None, _read_problem(path, exc)
    return digest.hexdigest(), None


def extract_document(path: str | Path) -> Extracted:
    """Read → normalize → extract one document; a failure becomes a problem record, never an exception."""
    from extractors.claims import extract_claims  # imported on first use: an unchanged run never loads them
    from extractors.frontmatter import describe_document
    from extractors.nlp import pipeline as spacy_pipeline
    from extractors.pdf import place_claims

    spacy_pipeline()  # reports are read with spaCy's EntityRuler (built once per process)

    path = str(path)
    limit = size_limit(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(limit + 1) if size <= limit else b""
    except OSError as exc:
        return Extracted(path, problem=_read_problem(path, exc))
    try:
        if size > limit or len(data) > limit:
            raise _too_large(path, max(size, len(data)))
        document = describe_document(load_document(path, data))
        claims = place_claims(document, extract_claims(document))
    except ShuziError as exc:
        return Extracted(path, problem=_problem(exc))
    except Exception as exc:  # a flaw in an extractor must cost one document, not the batch
        return Extracted(path, problem=IngestProblem(
            path, "extract", type(exc).__name__,
            f"{path}: extraction failed ({type(exc).__name__}: {exc}); report this file to the shuzi maintainers"))
    return Extracted(path, document=document, claims=tuple(claims))


def printable(path: str) -> str:
    """The path as UTF-8 text; bytes a file name holds that are not UTF-8 are shown as \\xNN."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def plan_ingest(db: sqlite_utils.Database, paths: list[str | Path], *, force: bool = False) -> IngestPlan:
    """Compare the files' content hashes with the warehouse: what to extract, link, skip and retire."""
    roots = tuple(dict.fromkeys(os.path.abspath(p) for p in paths))
    pipeline = pipeline_version()
    known, contents, failures = known_paths(db), stored_contents(db), known_failures(db, pipeline)
    extract, aliases, unchanged, failed = [], [], [], []
    for root in roots:
        if not os.path.exists(root):
            failed.append((IngestProblem(root, "read", "FileNotFoundError",
                                         f"{root}: does not exist; check the path"), None))
    claimed: dict[str, str] = {}
    listed = [os.path.abspath(p) for p in list_documents([r for r in roots if os.path.exists(r)])]
    for path in listed:
        if printable(path) != path:
            failed.append((IngestProblem(printable(path), "read", "UnreadableFileName",
                                         f"{printable(path)}: has a file name that is not UTF-8; rename it"), None))
            continue
        sha, problem = hash_file(path)
        if problem:
            failed.append((problem, None))
            continue
        before = known.get(path)
        if before is None or before["retired"]:
            why = "new"
        else:
            why = "changed" if before["sha256"] != sha else "refreshed"
        current = not force and contents.get(sha) == pipeline
        if why == "refreshed" and current:
            unchanged.append(path)
        elif (path, sha) in failures and not force:
            failed.append((failures[path, sha], sha))
        elif sha in claimed or current:
            aliases.append((path, sha, why))
        else:
            claimed[sha] = path
            extract.append((path, sha, why))
    seen = set(listed)
    retire = [p for p, row in known.items() if not row["retired"] and p not in seen and _under(p, roots)]
    return IngestPlan(roots, pipeline, tuple(extract), tuple(aliases), tuple(unchanged), tuple(failed),
                      tuple(sorted(retire)))


def _db_file(db: sqlite_utils.Database) -> str:
    return next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")


def _record(db: sqlite_utils.Database, summary: IngestSummary, problem: IngestProblem, sha: str | None,
            pipeline: str) -> None:
    summary.problems.append(problem.message)
    try:
        save_problem(db, problem, run_id=summary.run_id, sha256=sha, pipeline=pipeline)
    except (sqlite3.Error, ValueError):
        pass  # the message still reaches the terminal; the warehouse is what failed


def start_ingest(db: sqlite_utils.Database, plan: IngestPlan) -> IngestSummary:
    """Open the run's `ingest_runs` row, record the listing's failures and retire removed files."""
    summary = IngestSummary(db=_db_file(db), unchanged=len(plan.unchanged))
    summary.run_id = start_run(db, [printable(root) for root in plan.roots], plan.pipeline)
    for problem, sha in plan.failed:
        _record(db, summary, problem, sha, plan.pipeline)
    summary.retired = retire_paths(db, list(plan.retire), run_id=summary.run_id)
    return summary


def store_extracted(db: sqlite_utils.Database, plan: IngestPlan, summary: IngestSummary, result: Extracted) -> None:
    """Save one extracted document atomically, or record why it could not be."""
    sha, why = plan.targets.get(result.path, (None, "new"))
    problem = result.problem
    if problem is None and result.document is not None:
        try:
            save_document(db, result.document, list(result.claims), run_id=summary.run_id, pipeline=plan.pipeline)
        except (sqlite3.Error, ValueError) as exc:  # UnicodeError is a ValueError
            problem = IngestProblem(result.path, "save", type(exc).__name__,
                                    f"{result.path}: could not be saved ({exc}); check the warehouse file and re-run")
        else:
            summary.documents += 1
            summary.claims += len(result.claims)
            setattr(summary, why, getattr(summary, why) + 1)
            return
    if problem is None:
        problem = IngestProblem(result.path, "extract", "MissingResult",
                                f"{result.path}: produced no document; re-run the ingest")
    _record(db, summary, problem, sha, plan.pipeline)


def store_batch(db: sqlite_utils.Database, plan: IngestPlan, summary: IngestSummary, results: list[Extracted]) -> None:
    """Save several extracted documents in one transaction, each all-or-nothing (a savepoint of its own).

    A batch whose commit fails is saved again one document per transaction, so each failure stays its own.
    """
    trial = dataclasses.replace(summary, problems=list(summary.problems))
    try:
        with db.atomic():
            for result in results:
                store_extracted(db, plan, trial, result)
    except sqlite3.Error:
        for result in results:
            store_extracted(db, plan, summary, result)
    else:
        vars(summary).update(vars(trial))


def chunk_plan(plan: IngestPlan, *, workers: int = 1) -> list[list[str]]:
    """The files to extract in chunks of neighbouring files, by size: one task run and one write batch each."""
    sizes = []
    for path, _, _ in plan.extract:
        try:
            sizes.append((path, os.stat(path).st_size))
        except OSError:
            sizes.append((path, 0))  # extracting it records why it cannot be read
    total = sum(size for _, size in sizes)
    workers = max(workers, 1)
    target = min(CHUNK_BYTES, max(MIN_CHUNK_BYTES, total // (workers * CHUNKS_PER_WORKER)))
    if workers > 1 and sizes:  # however small the files, each worker gets one while there are enough
        target = min(target, max(1, total // min(workers, len(sizes))))
    chunks: list[list[str]] = []
    filled = 0
    for path, size in sizes:
        if not chunks or filled + size > target or len(chunks[-1]) >= CHUNK_DOCUMENTS:
            chunks.append([])
            filled = 0
        chunks[-1].append(path)
        filled += size
    return chunks


def finish_ingest(db: sqlite_utils.Database, plan: IngestPlan, summary: IngestSummary) -> IngestSummary:
    """Link files whose content is stored under another path, then close the run's `ingest_runs` row.

    A file whose twin could not be stored is read on its own: its name may make it readable (or say why not).
    """
    missing = []
    with db.atomic():
        for path, sha, why in plan.aliases:
            if save_alias(db, path, sha, run_id=summary.run_id) is None:
                missing.append(path)
            elif why == "refreshed":
                summary.unchanged += 1
            else:
                setattr(summary, why, getattr(summary, why) + 1)
    if missing:
        store_batch(db, plan, summary, [extract_document(path) for path in missing])
    finish_run(db, summary.run_id, {
        "new": summary.new, "changed": summary.changed, "refreshed": summary.refreshed,
        "unchanged": summary.unchanged, "retired": summary.retired, "failed": len(summary.problems),
    })
    return summary


WARM_UP = "2024年，我国数字经济规模达到59.2万亿元，同比增长7.6%，覆盖三十一个省份。\n"  # a numeral loads cn2an


def warm_extractors() -> None:
    """Load jieba, the lexicon and spaCy's pipeline once in this process, before its first document."""
    from extractors.claims import extract_claims
    from extractors.frontmatter import describe_document
    from extractors.nlp import pipeline as spacy_pipeline

    spacy_pipeline()
    extract_claims(describe_document(load_document("warm-up.txt", WARM_UP.encode("utf-8"))))
    gc.freeze()  # the dictionaries and models stay for the process's life: the collector need not walk them again


def run_plan(db: sqlite_utils.Database, plan: IngestPlan) -> IngestSummary:
    """Carry out a plan in this process, one chunk of documents after another, each saved in one transaction."""
    summary = start_ingest(db, plan)
    for chunk in chunk_plan(plan):
        store_batch(db, plan, summary, [extract_document(path) for path in chunk])
    return finish_ingest(db, plan, summary)


def ingest(paths: list[str | Path], db_path: str | Path, *, force: bool = False) -> IngestSummary:
    """Incremental ingest without Prefect: only new and changed files are read, then their facts reconciled."""
    from warehouse.facts import reconcile_warehouse, run_documents

    db = open_warehouse(db_path)
    try:
        summary = run_plan(db, plan_ingest(db, paths, force=force))
        reconcile_warehouse(db, run_documents(db, summary.run_id))
        return summary
    finally:
        db.close()
