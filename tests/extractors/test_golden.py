"""The dev gold, hand-labelled: the value layer must find its figures with the right value and unit."""
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.claims import extract_claims
from extractors.loaders import load_document

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold"
STEMS = sorted(path.name.removesuffix(".gold.jsonl") for path in GOLD.glob("*.gold.jsonl"))
UNIT_ALIASES = {"元": "CNY", "美元": "USD", "百分点": "pp", "个百分点": "pp", "倍": "x", "％": "%"}


def _key(value, unit) -> tuple[str, str]:
    exact = Decimal(str(value)).quantize(Decimal("0.0001"))
    return format(exact.normalize(), "f"), UNIT_ALIASES.get(unit, unit)


def _gold(stem: str) -> list[dict]:
    rows = map(json.loads, (GOLD / f"{stem}.gold.jsonl").read_text(encoding="utf-8").splitlines())
    return [row for row in rows if row.get("include")]


@pytest.fixture(scope="module", params=STEMS)
def labelled(request):
    path = ROOT / "corpus" / f"{request.param}.txt"
    claims = extract_claims(load_document(str(path), path.read_bytes()))
    return _gold(request.param), claims


def test_value_and_unit_f1(labelled):
    gold, claims = labelled
    expected = Counter(_key(g["value"], g["unit"]) for g in gold)
    found = Counter(_key(c.value, c.unit) for c in claims)
    matched = sum((expected & found).values())
    precision, recall = matched / sum(found.values()), matched / sum(expected.values())
    assert 2 * precision * recall / (precision + recall) >= 0.95, (precision, recall, expected - found, found - expected)


def test_units_agree_where_values_do(labelled):
    gold, claims = labelled
    units_by_value: dict[str, Counter] = {}
    for claim in claims:
        value, unit = _key(claim.value, claim.unit)
        units_by_value.setdefault(value, Counter())[unit] += 1
    pairs = [(g, units_by_value[_key(g["value"], g["unit"])[0]]) for g in gold
             if _key(g["value"], g["unit"])[0] in units_by_value]
    agree = sum(1 for g, units in pairs if _key(g["value"], g["unit"])[1] in units)
    assert agree / len(pairs) >= 0.98


def test_no_year_is_read_as_a_figure(labelled):
    _, claims = labelled
    assert [c.raw for c in claims if c.unit in ("count", "年") and 1900 <= c.value <= 2100] == []


def test_qualifiers_agree_where_figures_do(labelled):
    gold, claims = labelled
    qualifiers: dict[tuple[str, str], set[str]] = {}
    for claim in claims:
        qualifiers.setdefault(_key(claim.value, claim.unit), set()).add(claim.qualifier)
    pairs = [(g.get("qualifier") or "exact", qualifiers[_key(g["value"], g["unit"])]) for g in gold
             if _key(g["value"], g["unit"]) in qualifiers]
    assert sum(expected in found for expected, found in pairs) / len(pairs) >= 0.97
