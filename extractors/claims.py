"""Assemble claims: quantities found in each sentence, with what they measure, where, when and per whom."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from schemas import Claim, Document, Quantity

from . import kind as kinds
from . import metric as metrics
from . import nlp, sources, subject, timex
from .frontmatter import report_year
from .numbers import NAME as NUMBERS_NAME
from .numbers import extract_quantities
from .registry import register, signature
from .sentences import split_paragraphs, split_sentences

NAME = register("claims.v3")
EXTRACTOR = signature(NAME, NUMBERS_NAME, timex.NAME, kinds.NAME, metrics.NAME, subject.NAME, sources.NAME, nlp.NAME)
_TITLE_YEAR = re.compile(r"《[^》]*?((?:19|20)\d{2})\s*年?\s*[)）]?》")
_WEAK_SOURCE = re.compile(r"^(?:相关机构)?公开(?:信息|新闻|资料|报道)")  # names no one: a footnote says more
_ADJACENT = re.compile(r"^(?:的|为|达|达到|是|底|末)?\s*$")
_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|\d+(?:\.\d+)*[、.．](?!\d)"
                      r"|第[一二三四五六七八九十\d]+[章节部分篇]|专栏|摘要|前言|目录|结语|附录)|^[^。！？；]{0,30}案例")
_LEAD_SENTENCE = re.compile(r"^[^。！？；\d]{4,40}。")
_MARKER = re.compile(r"\^\[\d+\]")
_CASE_OPENS = re.compile(r"^\s*(?:专栏|案例)\s*\d*\s*[：:]")
_ITEM = re.compile(r"^\s*\d+[、.．](?!\d)")
_MAIN_POINT = re.compile(r"^\s*(?:[一二三四五六七八九十]是|首先|其次|最后|第[一二三四五六七八九十]，)")
_SENTENCE_MARK = re.compile(r"[。！？；]")
_OPENS_SINCE = re.compile(r"[于在从自到至]")
_FOUR_DIGITS = re.compile(r"\d{4}")
_FULL_STOP = re.compile(r"[。！？!?]")


@dataclass
class Passage:
    """What earlier sentences of a paragraph say about later figures: year, period, subject, source, topic."""

    year: int | None = None
    period: str | None = None
    subject: str | None = None
    source: str | None = None
    topic: str | None = None
    previous: str | None = None
    actor: str | None = None
    actor_from: int = 0  # where the text first names the actor: earlier figures are not its
    years_seen: list[int] = field(default_factory=list)
    written: int | None = None  # the last calendar year the paragraph itself wrote
    figure_year: int | None = None  # the year that paragraph's own words gave its last dated figure
    unread: list[tuple[str, str | None, list]] = field(default_factory=list)  # sentences whose actor may be the subject

    def current_subject(self) -> str | None:
        """The subject, once the actors of the sentences put off are read: the latest one named wins."""
        for text, recent, citations in reversed(self.unread):
            actor = _actor(text, recent, citations)
            if actor:
                self.subject = actor
                break
        self.unread.clear()
        return self.subject


def _time_for(sentence: str, quantities: Sequence[Quantity], index: int,
              times: Sequence[timex.TimeExpression]) -> timex.TimeExpression | None:
    """The time expression a figure refers to: adjacent, else the last one before it, else the first after it."""
    quantity = quantities[index]
    usable = [t for t in times if not t.baseline]
    for t in usable:
        if t.end <= quantity.start and _ADJACENT.match(sentence[t.end:quantity.start]):
            return t
    before = [t for t in usable if t.end <= quantity.start]
    if before:
        return before[-1]
    after = [t for t in usable if t.start >= quantity.end and t.year is not None
             and not _OPENS_SINCE.match(t.text) and not sentence.endswith("于", 0, t.start)]
    return after[0] if after else None


def _followers(text: str, quantities: Sequence[Quantity], lists: dict) -> dict[int, tuple[int, int]]:
    """Figures of "A达x，B达y，同比分别增长p、q" without items of their own: index → (the figure it follows,
    the first figure of its list)."""
    found: dict[int, tuple[int, int]] = {}
    for _, run in metrics.list_runs(text, quantities):
        if any(i in lists for i in run):
            continue
        earlier = [i for i in range(run[0]) if i not in found]
        if len(earlier) >= len(run):
            found.update((i, (leader, run[0])) for i, leader in zip(run, earlier[-len(run):]))
        else:
            found.update((i, (run[0], run[0])) for i in run[1:])  # 2018-2022年…分别为a、b、c: one metric
    return found


def _year_of(time: timex.TimeExpression | None, times: Sequence[timex.TimeExpression], passage: Passage) -> int | None:
    """The year of a figure's time; a month or 当年 without a year takes the last year written before it."""
    if time is None:
        return passage.year
    if time.year is not None or time.relative:
        return time.year  # 截至目前 in a report of unknown year names no calendar year
    earlier = [t for t in times if t.end <= time.start and t.year is not None and not t.baseline]
    base = earlier[-1].year if earlier else passage.year
    return base + time.later_by if base is not None else None


def _list_years(sentence: str, quantities: Sequence[Quantity], times: Sequence[timex.TimeExpression]) -> dict[int, int]:
    """Figures of "2018-2022年…分别为a、b、c、d、e": index → the year at the same position in the span."""
    spans = [t for t in times if t.is_span]
    if not spans or "分别" not in sentence:
        return {}
    span = spans[0]
    after = [i for i, q in enumerate(quantities) if q.start > span.end]
    count = span.year - span.start_year + 1
    if len(after) < count or count < 2:
        return {}
    chosen = after[:count]
    return {i: span.start_year + n for n, i in enumerate(chosen)}


def _actor(text: str, recent: str | None, citations: Sequence[sources.Citation] | None = None) -> str | None:
    """The organisation a text opens with, unless it is a cited source; a short name takes its full form."""
    actor = subject.actor_of(text)
    if not actor:
        return None
    if citations is None:
        citations = sources.find_citations(text)
    if any(actor in c.name or c.name in actor for c in citations):
        return None
    return recent if recent and actor in subject.short_names(recent) else actor


def _source_for(paragraph_text: str, offset: int, sentence: str, quantity: Quantity,
                citations: Sequence[sources.Citation], passage: Passage, footnotes: dict[str, str]) -> str | None:
    """In-text citation of the sentence, else its footnote marker, else the paragraph's citation or next marker."""
    named = [c for c in citations if not _WEAK_SOURCE.match(c.name)]
    before = [c for c in named if c.end <= quantity.start]
    if before:
        return before[-1].name
    after = [c for c in named if c.start >= quantity.end]
    if after and after[0].name.count("，") == 1 and _FOUR_DIGITS.search(after[0].name):
        return after[0].name  # an author-year reference closing the sentence
    sentence_end = offset + len(sentence)
    note = sources.footnote_source(paragraph_text[:sentence_end], offset + quantity.end, footnotes)
    if note:
        return note  # a marker in the figure's own sentence names its source
    if passage.source and not _WEAK_SOURCE.match(passage.source):
        return passage.source
    later = sources.footnote_source(paragraph_text, offset + quantity.end, footnotes)
    weak = [c.name for c in citations if c.end <= quantity.start] or ([passage.source] if passage.source else [])
    return later or (weak[-1] if weak else None)


def extract_claims(document: Document) -> list[Claim]:
    """Every numeric claim of a normalized document, in text order."""
    year_of_report = report_year(document)
    claims: list[Claim] = []
    recent_actor: str | None = None
    carried: int | None = None  # the year that dated the last figure of the previous body paragraph
    waiting: list[int] = []  # claims without a year in their passage
    case: str | None = None  # inside a case box: the company it is about ("" until named)
    labelled = subject.case_names(document.text)
    for paragraph in split_paragraphs(document.text):
        role = _role(paragraph.text)
        if role == "heading":
            carried = None
        case = _case_after(paragraph.text, role, case)
        actor, named_at = _actor(paragraph.text, recent_actor), 0
        if actor and actor != recent_actor:
            recent_actor = actor
        elif not actor:
            actor, named_at = _named_in(paragraph.text, recent_actor, labelled)
        if case == "":
            # a box title names a topic, not a company, but may run on into the box's text
            case = (actor if role == "body" else None) or subject.company_in(paragraph.text) or ""
        if case and role == "body" and not actor:
            actor, named_at = case, 0
        passage = Passage(actor=actor, actor_from=paragraph.start + named_at)
        if role == "body" and carried is not None and _continues(paragraph.text, year_of_report):
            passage.year = carried  # without a year carried, whether the paragraph goes on needs no reading
        pending: list[int] = []  # claims of this paragraph still without a year
        for sentence in split_sentences(paragraph.text, offset=paragraph.start):
            text = sentence.text
            times, citations, quantities = _read(text, year_of_report)
            lists = metrics.list_metrics(text, quantities) if quantities else {}
            followers = _followers(text, quantities, lists) if quantities else {}
            sentence_metrics: dict[int, str | None] = {}
            list_years = _list_years(text, quantities, times) if quantities else {}
            put_off = not quantities and not subject.names_places(text)  # only its actor may matter, and maybe never
            sentence_actor = None if put_off else _actor(text, recent_actor, citations)
            owners = tuple(subject.short_names(sentence_actor or passage.actor)) if sentence_actor or passage.actor else ()
            targets = [t.year for t in times if t.year is not None and not t.baseline]
            governing: list[timex.TimeExpression] = []  # times written before the figures they date
            kinds_seen: list[str] = []
            for index, quantity in enumerate(quantities):
                kind = kinds.classify_kind(text, quantity)
                follows = metrics.is_from_to(text, quantities, index) or index and metrics.is_aside(text, quantity)
                if follows and quantity.unit == quantities[index - 1].unit:
                    kind = kinds_seen[-1]  # 从84.23%下降至83.24%: the same measure at two dates
                kinds_seen.append(kind)
                time = _time_for(text, quantities, index, times)
                if time is not None and time.end <= quantity.start and index not in list_years:
                    governing.append(time)
                year = list_years.get(index, _year_of(time, times, passage))
                if time is not None and time.later_by and year is not None and index + 1 < len(quantities) \
                        and metrics.is_from_to(text, quantities, index + 1):
                    year -= time.later_by  # 经过两年的发展，从180万增加到2000万: the first end is where it started
                written = year if index in list_years else (
                    time.year if time is not None and time.year is not None and not time.relative else passage.written)
                if year is not None and year == written:
                    passage.figure_year = year
                period = time.text if time else passage.period
                forecast = kinds.is_forecast(text, quantity, own_year=year if time else None,
                                             target_year=max(targets) if targets else None)
                if forecast and time is None:
                    year = None  # 将陆续推出8项制度文件: a plan names no year unless its sentence does
                context = metrics.Context(topic=passage.topic, previous=passage.previous)
                if index in lists:
                    prefix, item, suffix = lists[index]
                    first = index
                    while first - 1 in lists:
                        first -= 1  # the rate words of a list sit before its first figure
                    metric = metrics.list_metric(prefix, item, suffix,
                                                 metrics.segment_before(text, quantities, first), kind)
                elif index in followers and sentence_metrics.get(followers[index][0]):
                    leader, first = followers[index]
                    if leader in [run[0] for _, run in metrics.list_runs(text, quantities)]:
                        metric = sentence_metrics[leader]
                    else:
                        base = metrics.base_of(sentence_metrics[leader])
                        metric = metrics.list_metric("", base, "", metrics.segment_before(text, quantities, first), kind)
                else:
                    metric = metrics.metric_for(text, quantities, index, kind, context)
                sentence_metrics[index] = metric
                place = subject.subject_in(text, quantity.start, owners=owners)
                if metrics.is_aside(text, quantity):
                    place = subject.named_before(text, quantity.start) or place
                if place and sentence_actor and sentence_actor.startswith(place):
                    place = sentence_actor  # 山西焦煤霍州煤电庞庞塔矿: a place opening a company's name
                named = passage.actor if sentence.start + quantity.start >= passage.actor_from else None
                whole = None if place or sentence_actor else subject.whole_of(text, quantity.start, quantity.end)
                who = place or sentence_actor or whole or passage.current_subject() or named or subject.NATIONAL
                source = _source_for(paragraph.text, sentence.start - paragraph.start, text, quantity, citations,
                                     passage, document.footnotes)
                if year is None and time is None:
                    year = _year_ahead(paragraph.text, sentence.end - paragraph.start, year_of_report)
                if year is None:
                    pending.append(len(claims))
                claims.append(Claim(
                    document=document.name,
                    page=document.page_at(sentence.start + quantity.start),
                    start=sentence.start + quantity.start,
                    end=sentence.start + quantity.end,
                    sentence=text,
                    raw=quantity.raw,
                    value=quantity.value,
                    value_high=quantity.value_high,
                    unit=quantity.unit,
                    qualifier=quantity.qualifier,
                    kind=kind,
                    forecast=forecast,
                    metric=metric,
                    subject=who,
                    year=year,
                    period=period,
                    source=source,
                    extractor=EXTRACTOR,
                ))
                if metric:
                    passage.previous = metric
                    if kind == "level":
                        passage.topic = metric
            dated = [t for t in times if t.year is not None and not t.baseline and not t.is_span
                     and not timex.is_forecast_time(text, t)]
            if quantities:
                dated = [t for t in dated if t in governing]
            if dated:
                passage.year, passage.period = dated[-1].year, dated[-1].text
                if not dated[-1].relative:
                    passage.written = dated[-1].year
            if citations:
                passage.source = citations[-1].name
            if put_off:
                passage.unread.append((text, recent_actor, citations))
                continue
            place = subject.first_subject(text, before=quantities[0].start if quantities else None, owners=owners)
            if sentence_actor and text.find(sentence_actor) == 0:
                place = None  # 瑞泰马钢新材料科技有限公司，是全国…: the company opening the sentence is its subject
            if place or sentence_actor or not passage.subject:
                passage.subject = place or sentence_actor
                if passage.subject:
                    passage.unread.clear()
                if place and subject.is_local(place):
                    recent_actor = place
        if role == "body":
            carried = passage.figure_year
        waiting += pending
    _date_from_cited_title(claims, waiting)
    return claims


@functools.lru_cache(maxsize=4096)
def _read(sentence: str, year_of_report: int | None) -> tuple[tuple[timex.TimeExpression, ...],
                                                             tuple[sources.Citation, ...], tuple[Quantity, ...]]:
    """The times, citations and quantities of a sentence, read once: the reports of a series repeat sentences."""
    return (tuple(timex.find_times(sentence, report_year=year_of_report)), tuple(sources.find_citations(sentence)),
            tuple(extract_quantities(sentence)))


def _role(text: str) -> str:
    """What a line of the text is: a heading, an aside (figure caption, label, source line) or body text."""
    if _HEADING.match(text) and len(text) <= 40 or text.startswith(("专栏", "案例")):
        return "heading"
    if not _SENTENCE_MARK.search(text) and len(text) <= 40:
        return "aside"
    return "body"


def _named_in(text: str, recent: str | None, labelled: list[str]) -> tuple[str | None, int]:
    """The company a paragraph names again (the last one a passage opened with, else one a case label names)
    and where it first does."""
    for name, forms in [(recent, subject.short_names(recent) if recent else [])] + [(n, [n]) for n in labelled]:
        found = [text.find(form) for form in forms if form in text]
        if name and found:
            return name, min(found)
    return None, 0


def _case_after(text: str, role: str, case: str | None) -> str | None:
    """The case box a line leaves the reader in: a box (专栏3：…) or an item of it (1.…) opens one whose company
    is not named yet; another heading or the main text's next point (三是…) closes it."""
    if _CASE_OPENS.match(text) or case is not None and role == "heading" and _ITEM.match(text):
        return ""
    if role == "heading" or _MAIN_POINT.match(text):
        return None
    return case


def _year_ahead(paragraph: str, position: int, year_of_report: int | None) -> int | None:
    """The first year written later in the same full sentence (after a ；), for a figure that nothing before dates:
    在线会议平台创造了约445亿元/月的社会价值，相当于同期GDP的5.85‰；…占2020年中国GDP的6.51%。"""
    if paragraph[position - 1:position] not in ("；", ";"):
        return None
    rest = _FULL_STOP.split(paragraph[position:], maxsplit=1)[0]
    years = [t for t in timex.find_times(rest, report_year=year_of_report)
             if t.year is not None and not t.baseline and not t.relative and not t.is_span]
    return years[0].year if years else None


def _continues(text: str, year_of_report: int | None) -> bool:
    """True for a paragraph that goes on with the previous one's time: it writes no time of its own and does not
    open a new topic with a headline sentence (光纤宽带网络技术不断升级、服务能力增强。)."""
    if _LEAD_SENTENCE.match(text):
        return False
    own = [t for t in timex.find_times(text, report_year=year_of_report) if not t.baseline]
    return not any(t.year is not None or t.relative for t in own)  # 7月 alone is a month of that year


def _date_from_cited_title(claims: list[Claim], pending: list[int]) -> None:
    """A figure with no year in its passage takes the year of the edition it cites (《…（2023年）》) when the
    report dates another figure of that edition with that year: an edition may as well report the year before."""
    waiting = set(pending)
    confirmed = set()
    for i, claim in enumerate(claims):
        m = _TITLE_YEAR.search(claim.source or "")
        cites = m and (m.group() in claim.sentence or _MARKER.search(claim.sentence))  # not a later sentence's note
        if cites and i not in waiting and claim.year == int(m.group(1)):
            confirmed.add(m.group())
    for i in pending:
        m = _TITLE_YEAR.search(claims[i].source or "")
        if m and m.group() in confirmed:
            claims[i] = _replace(claims[i], year=int(m.group(1)))


def _replace(claim: Claim, **changes) -> Claim:
    import dataclasses

    return dataclasses.replace(claim, **changes)
