"""Shared fixtures: a small corpus built from the bundled reports."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled seed reports."""
    return CORPUS


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two short reports cut from the seeds, in a temporary folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("002_767eecd6bc8a868c.txt", "004_db2215ef242d37e4.txt"):
        text = (CORPUS / name).read_text(encoding="utf-8")
        (folder / name).write_text(text[:6000], encoding="utf-8")
    return folder


@pytest.fixture
def many_reports(tmp_path: Path) -> Path:
    """Thirty distinct 2,500-character parts of the seeds: enough to keep a writer busy for a few seconds."""
    folder = tmp_path / "many"
    folder.mkdir()
    seeds = sorted(CORPUS.glob("*.txt"))
    for i in range(30):
        seed = seeds[i % len(seeds)]
        start = (i // len(seeds)) * 2500
        text = seed.read_text(encoding="utf-8")[start:start + 2500]
        (folder / f"{i:03d}_{seed.name}").write_text(text, encoding="utf-8")
    return folder
