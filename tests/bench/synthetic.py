"""Synthetic reports for the benchmark: N reports made from the seeds in corpus/, each with figures of its own.

    python tests/bench/synthetic.py OUT_DIR -n 100 [--pdf] [--size-kb 8] [--seed 0]

A report keeps one seed's cover (title, authors, date), then takes runs of consecutive paragraphs (as shuzi
normalizes them) from all the seeds in a shuffled order, with the footnotes they cite, until it reaches its
size (about --size-kb, else half to all of its seed's length).
Every Arabic figure is rewritten to a different plausible value with as many decimals as written (a share stays
at most 100%, a month a month); about half the reports move every year by one or two. Footnote markers, figure
numbers, list numbers and names such as 5G, H100 or userid:… are kept. The same seed gives the same
files; no two files of one call have the same bytes. --pdf writes the reports as PDFs instead (see
tests/tools/render_seed_pdfs.py).
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"

_NUMBER = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_MARKER = re.compile(r"\^\[(\d+)\]")
_SECTION = re.compile(r"(?:版权声明|前言|目录|摘要|序言|引言|致谢)$")
_YEAR_AFTER = re.compile(r"\s*(?:年|[-—–~～至到]\s*(?:19|20)?[0-9]{2}(?![0-9]))")
_YEAR_BEFORE = re.compile(r"(?:19|20)[0-9]{2}\s*[-—–~～至到]\s*$")
_KEEP_BEFORE = re.compile(r"(?:[A-Za-z0-9_.>\[^:/#@=&?-]|[图表]\s*)$")
_LIST_MARK = re.compile(r"\s*[.、．)）]")
_PERCENT = re.compile(r"\s*(?:%|％|个百分点)")
_CALENDAR = ((re.compile(r"\s*(?:个)?月"), 12), (re.compile(r"\s*[日号]"), 28), (re.compile(r"\s*季度"), 4))


@dataclass(frozen=True)
class Seed:
    """A seed report as normalized paragraphs: its cover (short lines before 前言/目录/…), body and footnotes."""

    name: str
    cover: tuple[str, ...]
    body: tuple[str, ...]
    footnotes: dict[str, str]


def load_seeds(corpus: Path = CORPUS) -> list[Seed]:
    """The seed reports of a folder, normalized as shuzi reads them (wrapped lines joined into paragraphs)."""
    from extractors.text import normalize_text

    seeds = []
    for path in sorted(corpus.glob("*.txt")):
        normalized = normalize_text(path.read_text(encoding="utf-8"))
        lines = [line for line in normalized.text.split("\n") if line.strip()]
        cut = next((i for i, line in enumerate(lines)
                    if len(line) > 80 or _SECTION.match(re.sub(r"[\s#]", "", line))), 0)
        seeds.append(Seed(path.stem, tuple(lines[:cut]), tuple(lines[cut:]), dict(normalized.footnotes)))
    return seeds


def _is_year(text: str, start: int, end: int, digits: str) -> bool:
    if not (len(digits) == 4 and digits.isdigit() and 1990 <= int(digits) <= 2039):
        return False
    bracketed = text[start - 1:start] in "（(" and text[end:end + 1] in "）)"
    return bracketed or bool(_YEAR_AFTER.match(text, end) or _YEAR_BEFORE.search(text[max(0, start - 12):start]))


def _kept(text: str, start: int, end: int, digits: str) -> bool:
    """Markers and names, not figures: footnotes, figure numbers, list numbers, 5G, H100, userid:…"""
    if end < len(text) and text[end] in "]<":
        return True
    if end < len(text) and text[end].isascii() and text[end].isalpha() and len(digits) == 1:
        return True  # a name (5G, 3D); 230EFLOPS and 1.2ZB are figures
    if _KEEP_BEFORE.search(text[max(0, start - 3):start]):
        return True
    line_start = start == 0 or text[start - 1] == "\n"
    return line_start and len(digits) <= 2 and bool(_LIST_MARK.match(text, end))


def _ceiling(text: str, end: int, value: Decimal) -> Decimal | None:
    if _PERCENT.match(text, end) and value <= 100:
        return Decimal(100)
    return next((Decimal(top) for pattern, top in _CALENDAR if pattern.match(text, end)), None)


def vary_figure(written: str, rng: random.Random, *, ceiling: Decimal | None = None) -> str:
    """Another plausible value for a written figure: same decimals, same grouping, never the same value."""
    grouped = "," in written
    plain = written.replace(",", "")
    whole, _, fraction = plain.partition(".")
    step = Decimal(1).scaleb(-len(fraction))
    value = Decimal(plain)
    floor = step if value > 0 else Decimal(0)
    if value < 10 and not fraction:
        new = value + rng.choice((-2, -1, 1, 2))
    else:
        new = (value * Decimal(str(rng.uniform(0.6, 1.4)))).quantize(step, rounding=ROUND_HALF_UP)
    top = ceiling if ceiling is not None and value <= ceiling else None
    new = max(floor, new if top is None else min(top, new))
    if new == value:
        new = value - step if top is not None and value >= top or value > floor and rng.random() < 0.5 else value + step
    text = f"{new:,.{len(fraction)}f}" if grouped else f"{new:.{len(fraction)}f}"
    return text.zfill(len(whole) + (len(fraction) + 1 if fraction else 0)) if whole.startswith("0") else text


def vary_figures(text: str, rng: random.Random, *, year_shift: int = 0) -> str:
    """The text with every figure varied and every year moved by `year_shift`."""
    def replace(match: re.Match) -> str:
        written, start, end = match.group(), match.start(), match.end()
        if _is_year(text, start, end, written):
            return str(int(written) + year_shift)
        if _kept(text, start, end, written):
            return written
        return vary_figure(written, rng, ceiling=_ceiling(text, end, Decimal(written.replace(",", ""))))

    return _NUMBER.sub(replace, text)


def synthetic_report(seeds: list[Seed], index: int, *, seed: int = 0, size_kb: float | None = None) -> str:
    """Report number `index`: a seed's cover, then shuffled runs of seed paragraphs, with figures of its own.

    The footnotes its paragraphs point to (^[n]) follow at the end, numbered anew, as a text export writes them.
    """
    rng = random.Random(f"shuzi-synthetic:{seed}:{index}")
    home = seeds[index % len(seeds)]
    full = sum(len(line.encode()) + 2 for line in home.cover + home.body)
    target = size_kb * 1024 * rng.uniform(0.75, 1.25) if size_kb else full * rng.uniform(0.5, 1.0)
    lines, size = list(home.cover), sum(len(line.encode()) + 2 for line in home.cover)
    notes: dict[str, str] = {}
    while size < target:
        source = home if rng.random() < 0.6 else rng.choice(seeds)
        start = rng.randrange(len(source.body))
        for line in source.body[start:start + rng.randint(1, 4)]:
            line = _MARKER.sub(lambda m: _renumber(m, source.footnotes, notes), line)
            lines.append(line)
            size += len(line.encode()) + 2
    lines += [f"[{number}] {text}" for text, number in notes.items()]
    shift = rng.choice((0, 0, 0, 0, -2, -1, 1, 2))
    return vary_figures("\n\n".join(lines) + "\n", rng, year_shift=shift)


def _renumber(marker: re.Match, footnotes: dict[str, str], notes: dict[str, str]) -> str:
    """A footnote marker numbered in the order of the new report; one whose note is unknown is dropped."""
    text = footnotes.get(marker.group(1))
    if text is None:
        return ""
    return f"^[{notes.setdefault(text, str(len(notes) + 1))}]"


def write_corpus(out: Path, n: int, *, seed: int = 0, size_kb: float | None = None, pdf: bool = False,
                 corpus: Path = CORPUS) -> list[Path]:
    """Write `n` synthetic reports into `out` (as .txt, or .pdf with `pdf`); returns their paths in order."""
    seeds = load_seeds(corpus)
    if not seeds:
        raise SystemExit(f"error: no seed reports (*.txt) in {corpus}")
    if pdf:
        sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "tools")]
        from render_seed_pdfs import render
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    paths = []
    for index in range(n):
        attempt = 0
        while True:
            text = synthetic_report(seeds, index + attempt * n, seed=seed, size_kb=size_kb)
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest not in seen:
                break
            attempt += 1
        seen.add(digest)
        stem = f"{index:05d}_{seeds[index % len(seeds)].name}"
        if pdf:
            path = out / f"{stem}.pdf"
            path.write_bytes(render(text, watermark=f"userid:{690000 + index},docid:{174000 + index}",
                                    style=index % 2))
        else:
            path = out / f"{stem}.txt"
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the reports into")
    parser.add_argument("-n", type=int, default=100, help="how many reports (default 100)")
    parser.add_argument("--pdf", action="store_true", help="write PDFs instead of text exports")
    parser.add_argument("--size-kb", type=float, help="about this many KB of text per report (default: seed-sized)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="seed reports (default: corpus/)")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.n, seed=args.seed, size_kb=args.size_kb, pdf=args.pdf, corpus=args.corpus)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {total / 2**20:.2f} MB → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
