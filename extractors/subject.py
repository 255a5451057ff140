"""Who or where a figure is about: 中国, 全球, a country, province or city, or the company a passage is about."""
from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from .nlp import entities, first_flag, may_name, may_tag, place_forms, place_kinds, source_names, word_stream, words
from .registry import register
from .sources import find_citations

NAME = register("subject.v2")

NATIONAL = "中国"
# A place right after these words is an object or a comparison (占全国比重, 覆盖全球), not the subject.
_OBJECT_BEFORE = re.compile(r"(?:占|相当于|为|是|等于|比|较|高于|低于|覆盖|位居|居|位列|面向|遍布|从|向|与|同|对|赴|到|出口|进口|来自|之于|领先)\s*$")
_OBJECT_AFTER = re.compile(r"^(?:第[一二三四五六七八九十\d](?!产业)|首位|首个|前列|领先|平均|总数|总量|同期|之|的比重|比重|占比|GDP|\d+(?:\.\d+)?\s*(?:个|家|座|多|余))")
_ASIDE = re.compile(r"[（(][^（）()]*[）)]|《[^《》]*》")
_DISTRICT_AFTER = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:区|县|新区)(?![域块间])")
_GROUP_AFTER = re.compile(r"^等?(?:[一二三四五六七八九十两]大)?(?:省区市|省市区|省市|省份|地区|城市群|城市|地)")
_WORD_RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._]+")  # what jieba's tagger cuts as one run
_LIST_JOIN = re.compile(r"^\s*(?:、|和|及|与|以及)\s*$")
_COMPANY = re.compile(r"(?:^|(?<=[由，。；：])|(?<=助力|帮助|协助|支持))(?:(?![由的]|助力|帮助|协助|支持)[\u4e00-\u9fffA-Za-z]){2,16}?"
                      r"(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团|银行|交易所)")
_COMPANY_END = re.compile(r"公司|集团|银行|交易所")  # what every name `_COMPANY` finds ends with
_CLAUSE_TIME = re.compile(r"^(?:(?:19|20)\d{2}年(?:\d{1,2}月)?|\d{1,2}月|目前|如今|当前|近年来)")
_CASE_LABEL = re.compile(r"^[^：:，。]{0,10}(?:案例|专栏\d*)[：:]\s*([^，。；：:]{2,16})$")
_CASE_LINE = re.compile(r"^[^：:，。\n]{0,10}案例[：:]\s*([^，。；：:\n]{2,16})$", re.M)
_HELPS = re.compile(r"(?:助力|帮助|协助|支持|赋能)")
_ORGANISATION_WORD = re.compile(r"矿|厂|医院|大学|学院|研究院|研究所")
_ORGANISATION_END = re.compile(rf"(?:{_ORGANISATION_WORD.pattern})$")
_GLOBAL_WHOLE_BEFORE = re.compile(r"占(?:据|到)?(?:了)?(?:全球|世界)[^，。；]*的$")
_GLOBAL_WHOLE_AFTER = re.compile(r"^(?:以上|左右)?的(?:全球|世界)")
_HELPS_END = re.compile(r"(?:助力|帮助|协助|支持|赋能)$")
_MEASURE = re.compile(r"(?:数|量|额|值|率|规模|收入|用户|人数|产值|系统|平台)$")
_ACTS = {"通过", "依托", "推出", "打造", "积极", "聚焦", "利用", "借助", "建设", "开展", "实现"}
_ACT = re.compile("|".join(sorted(_ACTS)))
_NOT_A_NAME = re.compile(r"(?:期|阶段|时代|年代)$|^(?:远|略|明显)?[高低多少快慢]于")
_FUNCTION_LEAD = re.compile(r"^[已在由将为对向从与和及把被经]+")
_CAUSATIVE = ("使", "让", "令")
_ACTOR_STOP = {"数字经济", "我国", "全国", "中国", "企业", "平台", "政府", "国家", "行业", "产业", "数据", "用户", "技术",
               "互联网", "人工智能", "工业互联网", "习近平", "总书记", "党中央", "国务院", "本报告"}
_PROPER_FLAGS = {"nr", "nz", "nt", "nrt"}
_NOUN_FLAGS = _PROPER_FLAGS | {"n", "ns", "nrfg", "vn", "b"}
_CLAUSE_MARK = re.compile(r"[，,：:]")
_LONGEST_ACTOR = 8  # characters of the longest name a clause opening gives as its actor
_LEAD = re.compile(r"^(?:(?:19|20)\d{2}年[^，]{0,8}，|例如，?|比如，?|同时，?|此外，?|其中，?|目前，?|近年来，?|如今，?)+")


def _companies(text: str) -> Iterator[re.Match]:
    """The company names `_COMPANY` finds in `text`; none without one of the words they end with."""
    return _COMPANY.finditer(text) if _COMPANY_END.search(text) else iter(())


@functools.lru_cache(maxsize=4096)
def _place_groups(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """Places of the sentence as (start, end, name); places joined by 、/和 become one group."""
    if not may_name(sentence, label="GPE"):
        return ()
    groups: list[tuple] = []  # (start, end, place names, whether a place is written within another)
    plain = _ASIDE.sub(lambda m: "　" * len(m.group()), sentence)  # asides keep their length, lose their places
    for citation in find_citations(plain):  # 中国人事科学研究院的研究显示: a source, not a subject
        plain = plain[:citation.start] + "　" * (citation.end - citation.start) + plain[citation.end:]
    companies = [m.span() for m in _companies(sentence)]
    for entity in entities(plain):
        if entity.label != "GPE" or _verb_ends_at(plain, entity.start) and not _HELPS_END.search(plain[:entity.start]):
            continue  # 覆盖全球: an object, but 支持张家口…: the place helped, whose figures follow
        company = next((c for c in companies if c[0] <= entity.start < c[1]), None)
        if company:
            if groups and groups[-1][0] == company[0]:
                continue
            groups.append((company[0], company[1], [_FUNCTION_LEAD.sub("", sentence[company[0]:company[1]])], False))
            continue
        name, end = entity.name, entity.end
        district = _DISTRICT_AFTER.match(sentence[end:])
        if district and entity.text.endswith("市"):
            name, end = entity.text + district.group(), end + district.end()
        if groups and groups[-1][1] == entity.start:
            start, _, names, _ = groups.pop()
            groups.append((start, end, names[:-1] + [name], True))  # 安徽合肥: the smaller place is meant
        elif groups and _LIST_JOIN.match(sentence[groups[-1][1]:entity.start]):
            start, _, names, nested = groups.pop()
            groups.append((start, end, names + [name], nested))
        else:
            groups.append((entity.start, end, [name], False))
    return tuple(_named_group(sentence, *group) for group in groups)


def _verb_ends_at(text: str, position: int) -> bool:
    """True when a verb (other than 使/让/令) of `text` ends at `position`.

    jieba cuts each run of word characters on its own, so only the run ending there needs cutting."""
    for run in _WORD_RUN.finditer(text):
        if run.start() >= position:
            break
        if position <= run.end():
            end = run.start()
            for word, flag in words(run.group(), guess=False):
                end += len(word)
                if end >= position:
                    return end == position and flag.startswith("v") and word not in _CAUSATIVE
    return False


def _named_group(sentence: str, start: int, end: int, names: list[str], nested: bool) -> tuple[int, int, str]:
    """A place group's name: a single place by its canonical name, a list as written when it names a group of
    places (北京、上海、天津等省市) or gives places within provinces (江苏南京、浙江温州), else its places joined."""
    if len(names) == 1:
        return start, end, names[0]
    group = _GROUP_AFTER.match(sentence[end:])
    if group:
        end += group.end()
    written = re.sub(r"\s+", "", sentence[start:end])
    return start, end, written if group or nested else "、".join(names)


def _is_subject(sentence: str, start: int, end: int, name: str, owners: tuple[str, ...] = ()) -> bool:
    if _OBJECT_BEFORE.search(sentence[:start]) or _OBJECT_AFTER.match(sentence[end:]):
        return False
    if owners and sentence[:start].endswith(owners):
        return False  # 瑞幸全国门店: the reach of a company, not a place's figure
    if any(len(o) > end - start and sentence.startswith(o, start) for o in owners):
        return False  # 龙岩农信: a place opening a company's name
    if sentence[start:end] in ("全国", "全球", "世界") and sentence[:start].endswith("在"):
        return False  # 在全国率先, 在全球领先: the scope of a deed, not the subject
    return True


def subject_in(sentence: str, position: int, *, after: bool = False, owners: tuple[str, ...] = ()) -> str | None:
    """The place the sentence names as the subject of the figure at `position`, if any.

    Without a place before the figure, `after=True` accepts one written later in the sentence; a place right
    after one of the `owners` (the company names of the passage) is that company's reach."""
    best = None
    later = None
    for start, end, name in _place_groups(sentence):
        if not _is_subject(sentence, start, end, name, owners):
            continue
        if start >= position:
            later = later or name
            continue
        if re.match(r"^\s*等?\s*$", sentence[end:position]):
            continue  # 山东、福建等5个省份: the figure counts the places
        best = name
    return best or (later if after else None)


def whole_of(sentence: str, position: int, end: int) -> str | None:
    """全球 when the figure at `position`–`end` is a share of a global whole (占全球企业总数的90%, 49%的全球数据)."""
    clause_start = max(sentence.rfind(mark, 0, position) for mark in "，,；：") + 1
    if _GLOBAL_WHOLE_BEFORE.search(sentence[clause_start:position]) or _GLOBAL_WHOLE_AFTER.match(sentence[end:]):
        return "全球"
    return None


def names_places(sentence: str) -> bool:
    """True when the sentence names a place (or a group of places) outside its asides and citations."""
    return bool(_place_groups(sentence))


def first_subject(sentence: str, *, before: int | None = None, owners: tuple[str, ...] = ()) -> str | None:
    """The first place the sentence (up to `before`) names as a subject: what a paragraph is about.

    The places up to `before` are those the whole sentence names there, so its words are cut once."""
    written = sentence if before is None else sentence[:before]
    for start, end, name in _place_groups(sentence):
        if end <= len(written) and _is_subject(written, start, end, name, owners):
            return name
    return None


def short_names(name: str) -> list[str]:
    """Shorter ways a text refers again to a place or company: 深圳市宝安区 → 宝安区, 宝安; 瑞幸咖啡 → 瑞幸."""
    return list(_short_names(name))


@functools.lru_cache(maxsize=1024)
def _short_names(name: str) -> tuple[str, ...]:
    """`short_names`, worked out once per name (each sentence of a passage asks for its actor's)."""
    known = place_forms()
    forms = [name]
    district = re.match(r"^[\u4e00-\u9fff]{2,3}市([\u4e00-\u9fff]{1,3})(区|县)$", name)
    if district:
        forms += [district.group(1) + district.group(2), district.group(1)]
    elif len(name) >= 4 and name[:2] not in known:
        forms.append(name[:2])
    return tuple(f for f in forms if len(f) >= 2)


def company_in(text: str) -> str | None:
    """The first company a text names by its registered name as the one acting or helped, if any."""
    for company in _companies(text):
        if not re.match(r"^[已在对向与为把被经]", company.group()):
            return company.group()
    return None


def case_names(text: str) -> list[str]:
    """Companies the case labels of a text name (企微案例：瑞幸咖啡): names a reader looks for in its passages."""
    return list(dict.fromkeys(m.group(1) for m in _CASE_LINE.finditer(text)))


@functools.lru_cache(maxsize=4096)
def actor_of(text: str) -> str | None:
    """The company or organisation a sentence or passage opens a clause with (瑞幸咖啡是…, 中海油服计划…), if any."""
    label = _CASE_LABEL.match(text)
    if label:
        return label.group(1)
    for company in _companies(text[:80]):
        if not re.match(r"^[已在对向与为把被经]", company.group()):  # 已在神华集团…开展: an object, not the actor
            return company.group()
    known = place_forms()
    clauses = [_CLAUSE_TIME.sub("", c) for c in _CLAUSE_MARK.split(_LEAD.sub("", text), maxsplit=3)[:3]]
    helped_first = [c for c in clauses if _HELPS.match(c)]  # …，助力龙岩农信实现…: the one helped owns the figures
    opening = clauses[0][:12] if clauses else ""
    acts = _ACT.search(opening) is not None and may_name(opening, label="GPE")  # else no words to cut
    tokens = list(itertools.islice(word_stream(opening), 3)) if acts else ()
    if len(tokens) >= 3 and tokens[0][0] in known and len(tokens[1][0]) == 2 and tokens[1][1] in ("n", "j", "nz") \
            and tokens[2][1] in ("p", "v") and tokens[2][0] in _ACTS:
        return tokens[0][0] + tokens[1][0]  # 山东文旅通过…: a place-named organisation acting
    organisation = _organisation_opening(clauses[0]) if clauses else None
    if organisation:
        return organisation
    for clause in helped_first + clauses:
        helped = _HELPS.search(clause[:12])
        if helped:
            clause = clause[helped.end():]  # 腾讯云助力龙岩农信开设…: the figures are 龙岩农信's
        opening = _WORD_RUN.match(clause[:24])  # a mark or space ends a name: the tagger tags it x, m or eng
        name = _clause_actor(opening.group(), helped=bool(helped)) if opening else None
        if name:
            return name
    return None


@functools.lru_cache(maxsize=4096)
def _clause_actor(opening: str, *, helped: bool) -> str | None:
    """The name a clause's `opening` (its first run of word characters) starts with when it is a proper name (or,
    `helped`, the one a 助力/支持… helps).

    A paragraph and its first sentence open with the same clauses, so each opening is read once."""
    if first_flag(opening) not in (None, *_NOUN_FLAGS):
        return None  # it opens with no noun, so with no name
    if not helped and not may_tag(opening, _PROPER_FLAGS, within=_LONGEST_ACTOR):
        return None  # no proper name can open it: its words need no tagging
    known = place_forms()
    sources_known = source_names()
    phrase, proper, after_proper, next_flag = "", helped, 0, ""
    for word, flag in word_stream(opening):
        is_proper = (flag in _PROPER_FLAGS and len(word) > 1 and word not in known and word not in sources_known
                     and not _NOT_A_NAME.search(word))
        if flag not in _NOUN_FLAGS or proper and not is_proper and (after_proper > 1 or _MEASURE.search(word)
                                                                    or phrase and word in known):
            next_flag = flag
            break
        if helped and not phrase:
            if flag == "vn":
                break  # 支持建设…: a deed is helped, not someone
            is_proper = True  # the one helped is named, whatever its words
        phrase += word
        if len(phrase) > _LONGEST_ACTOR:
            return None  # longer than any name taken, whatever follows
        if is_proper:
            proper, after_proper = True, 0
        elif proper:
            after_proper += 1
    if helped and next_flag[:1] in ("a", "d"):
        return None  # 投入与支持力度有限: a quality follows, so 支持 is a noun and names no one helped
    if proper and 2 <= len(phrase) <= _LONGEST_ACTOR and phrase not in sources_known and phrase not in _ACTOR_STOP \
            and not re.search(r"\d", phrase):
        return phrase
    return None


def _organisation_opening(clause: str) -> str | None:
    """A named site or body acting at the start of a clause: 山西焦煤霍州煤电庞庞塔矿在…建成 (places, nouns and a
    name, ending in 矿/厂/医院/大学…, then a verb or preposition)."""
    phrase, named = "", False
    if not _ORGANISATION_WORD.search(clause[:24]):
        return None  # no phrase of its words can end as an organisation's name does
    for word, flag in word_stream(clause[:24]):
        if phrase and _ORGANISATION_END.search(phrase) and flag[:1] in ("p", "v") and named:
            return phrase if 4 <= len(phrase) <= 16 else None
        if flag not in ("ns", "n", "j", "nr", "nz", "nt", "nrt"):
            return None
        named = named or flag in _PROPER_FLAGS and len(word) > 1
        phrase += word
    return None


def is_local(name: str) -> bool:
    """True for a city or district (深圳市宝安区, 广州): a place a case study can be about."""
    kinds = place_kinds()
    return kinds.get(name, "city" if re.search(r"[市区县]$", name) else "") == "city"


def named_before(sentence: str, position: int) -> str | None:
    """The place written right before a bracketed figure: 德国（-10.7%） is about 德国."""
    for entity in entities(sentence):
        if entity.label == "GPE" and entity.end == position - 1:
            return entity.name
    return None
