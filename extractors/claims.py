"""Assemble claims: quantities found in each sentence, with what they measure."""
from __future__ import annotations

import re

from schemas import Claim, Document, Quantity

from .numbers import NAME as NUMBERS_NAME
from .numbers import extract_quantities
from .sentences import split_paragraphs, split_sentences

NAME = "claims.v1"

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_GROWTH = re.compile(r"增长|增速|增幅|降幅|下降|提升|提高|增加|减少|复合")
_SHARE = re.compile(r"占|比重|占比|渗透率|普及率|覆盖率|比例|利润率|率")
_FORECAST = re.compile(r"预计|有望|将达到|将达|目标|预测|力争|到20\d{2}年")
_CLAUSE_START = re.compile(r"[，,：:、（(]")


def _kind(quantity: Quantity, before: str) -> str:
    if quantity.unit == "x":
        return "multiple"
    if quantity.unit == "pp":
        return "difference"
    if quantity.unit == "%":
        if _GROWTH.search(before[-8:]):
            return "growth"
        if _SHARE.search(before[-12:]):
            return "share"
        return "growth" if _GROWTH.search(before) else "share"
    return "level"


def _metric(sentence: str, local_start: int) -> str | None:
    """The words between the clause start and the number, stripped of verbs: a first guess."""
    clause = _CLAUSE_START.split(sentence[:local_start])[-1]
    clause = re.sub(r"(?:19|20)\d{2}\s*年(?:底|末)?|截至|我国|全国|中国|达到|达|为|约|超过|近|已", "", clause)
    clause = clause.strip(" ，。：")
    return clause or None


def extract_claims(document: Document) -> list[Claim]:
    """Every numeric claim of a normalized document, in text order."""
    claims: list[Claim] = []
    for paragraph in split_paragraphs(document.text):
        year: int | None = None
        period: str | None = None
        for sentence in split_sentences(paragraph.text, offset=paragraph.start):
            years = _YEAR.findall(sentence.text)
            if years:
                year, period = int(years[-1]), f"{years[-1]}年"
            for quantity in extract_quantities(sentence.text):
                before = sentence.text[:quantity.start]
                claims.append(Claim(
                    document=document.name,
                    page=document.page_at(sentence.start + quantity.start),
                    start=sentence.start + quantity.start,
                    end=sentence.start + quantity.end,
                    sentence=sentence.text,
                    raw=quantity.raw,
                    value=quantity.value,
                    value_high=quantity.value_high,
                    unit=quantity.unit,
                    qualifier=quantity.qualifier,
                    kind=_kind(quantity, before),
                    forecast=bool(_FORECAST.search(sentence.text)),
                    metric=_metric(sentence.text, quantity.start),
                    subject="中国",
                    year=year,
                    period=period,
                    extractor=f"{NAME}+{NUMBERS_NAME}",
                ))
    return claims
