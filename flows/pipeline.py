"""The plain steps the flows wire together; importable and testable without Prefect."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.claims import extract_claims
from extractors.errors import ShuziError
from extractors.loaders import SUFFIXES, load_document
from schemas import Claim, Document, IngestProblem


@dataclass(frozen=True)
class Extracted:
    """What one document yields: the document and its claims, or the problem that stopped it."""

    path: str
    document: Document | None = None
    claims: tuple[Claim, ...] = ()
    problem: IngestProblem | None = None


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


def extract_document(path: str | Path) -> Extracted:
    """Read → normalize → extract one document; a failure becomes a problem record, never an exception."""
    path = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return Extracted(path, problem=IngestProblem(
            path, "read", "FileNotFoundError", f"{path}: disappeared before it could be read; check the corpus folder"))
    except OSError as exc:
        return Extracted(path, problem=IngestProblem(
            path, "read", type(exc).__name__, f"{path}: cannot be read ({exc.strerror}); check its permissions"))
    try:
        document = load_document(path, data)
        claims = extract_claims(document)
    except ShuziError as exc:
        return Extracted(path, problem=IngestProblem(path, exc.stage, type(exc).__name__, str(exc)))
    return Extracted(path, document=document, claims=tuple(claims))
