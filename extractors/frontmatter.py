"""What a report says about itself on its first page: title, publisher and publication date."""
from __future__ import annotations

import dataclasses
import re

from schemas import Document

from .nlp import source_names
from .registry import register

NAME = register("frontmatter.v1")

FRONT = 600  # the cover and title page of a text export fit in its first characters
_TITLE = re.compile(
    r"(?P<title>[\u4e00-\u9fffA-Za-z0-9“”\"（）()·—\-]{4,60}?(?:报告|白皮书|蓝皮书|年鉴|指南)"
    r"(?:\s*[（(]\s*(?P<edition>(?:19|20)\d{2})\s*年?\s*[)）])?)"
)
_PUBLISHER = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:研究院|研究中心|研究所|协会|学会|委员会|联盟|大学|学院|集团|公司|部|局|中心|智库)")
_COPYRIGHT = re.compile(r"版权(?:均)?(?:属于|归)(?P<who>[\u4e00-\u9fff]{2,30}?)(?:所有|，|。)")
_DATE = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>1[0-2]|0?[1-9])\s*月")
_SECTION = re.compile(r"版权声明|前言|目录|摘要|序言|引言|致谢")


def describe_document(document: Document) -> Document:
    """The document with `title`, `publisher` and `published` filled from its front matter when found."""
    front = document.text[:FRONT]
    section = _SECTION.search(front)
    cover = front[:section.start()] if section else front.split("\n", 1)[0]
    title = _TITLE.match(cover.strip())
    rest = cover.strip()[title.end():].strip() if title else ""
    publisher = _publisher(rest) or _copyright(front)
    date = _DATE.search(rest)
    published = f"{date.group('year')}-{int(date.group('month')):02d}" if date else None
    return dataclasses.replace(
        document,
        title=document.title or (title.group("title") if title else None),
        publisher=document.publisher or publisher,
        published=document.published or published,
    )


def _publisher(text: str) -> str | None:
    names = source_names()
    for alias in sorted(names, key=len, reverse=True):
        if text.startswith(alias):
            return names[alias]
    m = _PUBLISHER.match(text)
    return m.group() if m else None


def _copyright(text: str) -> str | None:
    m = _COPYRIGHT.search(text)
    return m.group("who") if m else None


def report_year(document: Document) -> int | None:
    """The report's own year, against which 今年 and 目前 are read: publication year, else the title's edition."""
    if document.published:
        return int(document.published[:4])
    if document.title:
        m = re.search(r"((?:19|20)\d{2})\s*年?\s*[)）]\s*$", document.title)
        if m:
            return int(m.group(1))
    return None
