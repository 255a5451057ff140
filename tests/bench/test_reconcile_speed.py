"""How fast the reconciler groups claims as the warehouse grows: blocking keeps it near-linear.

Run on demand: python -m pytest tests/bench/test_reconcile_speed.py --benchmark-only
"""
from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from extractors.reconcile import reconcile
from schemas import Claim

DOMAINS = ("数字经济", "数字产业化", "产业数字化", "云计算", "人工智能", "工业互联网", "电子商务", "软件业务", "大数据", "物联网")
ASPECTS = (("规模", "CNY"), ("同比名义增速", "%"), ("占GDP比重", "%"), ("企业数量", "家"))
PLACES = ("", "广东省", "江苏省", "浙江省", "山东省", "北京市", "上海市", "四川省")


def synthetic_claims(size: int) -> list[tuple[str, Claim]]:
    """`size` claims over many metrics, places, years and reports, each figure stated by two reports."""
    combos = itertools.cycle(itertools.product(PLACES, DOMAINS, ASPECTS, range(2015, 2025)))
    claims = []
    for i in range(size):
        place, domain, (aspect, unit), year = next(combos)
        value = Decimal(100 + (i // 2) % 900) / 10
        metric = f"{place}{domain}{aspect}"
        sentence = f"{year}年，{metric}达到{value}。"
        claims.append((f"c{i}", Claim(
            document=f"r{i % 7}.txt", page=None, start=i * 100, end=i * 100 + 4, sentence=sentence, raw=str(value),
            value=value, unit=unit, metric=metric, subject=place.rstrip("省市") or "中国", year=year, period=f"{year}年")))
    return claims


@pytest.mark.parametrize("size", [1000, 4000, 16000])
def test_reconcile_speed(benchmark, size):
    claims = synthetic_claims(size)
    reconcile(claims[:10])  # loads the jieba dictionary outside the measured rounds
    result = benchmark.pedantic(reconcile, args=(claims,), rounds=3, iterations=1)
    assert len(result.assignments) == size
