import pytest

from extractors.nlp import words
from extractors.subject import _verb_ends_at, actor_of, case_names, company_in, names_places, short_names, subject_in, whole_of


def at_end(text):
    return subject_in(text, len(text))


@pytest.mark.parametrize("text, subject", [
    ("2024年，我国数字经济规模达到59.2万亿元", "中国"),
    ("全国5G基站总数达到454.9万个", "中国"),
    ("国内软件业务收入达到13.7万亿元", "中国"),
    ("全球人工智能企业超过29770家", "全球"),
    ("2023年，广州市人工智能企业超过10万家", "广州"),
    ("深圳市宝安区共建成5G基站9630个", "深圳市宝安区"),
    ("安徽合肥智能语音产业集群年产值超2000亿元", "合肥"),
    ("美国数字经济规模蝉联世界第一，达到17.2万亿美元", "美国"),
    ("贵州、重庆数字经济增速均超过20%", "贵州、重庆"),
    ("我国企业数量超过4500家，约占全球企业总数的1/7", "中国"),
    ("北京推进建设全球数字经济标杆城市，数字经济增加值占比42.9%", "北京"),
    ("31个省级行政单位（不包含香港特别行政区、澳门特别行政区）共利用数字化投入10.4万亿元", None),
])
def test_places_in_subject_position(text, subject):
    assert at_end(text) == subject


def test_a_figure_that_counts_the_places_listed_before_it_has_no_place_subject():
    text = "山东、福建、新疆等5个省份累计认定174家"
    assert subject_in(text, text.index("5")) is None
    assert subject_in(text, text.index("174")) == "山东、福建、新疆"


@pytest.mark.parametrize("text, actor", [
    ("瑞幸咖啡是中国门店数最大的连锁咖啡品牌之一", "瑞幸咖啡"),
    ("矿山装备远程运维服务平台由山西科达自控股份有限公司建设", "山西科达自控股份有限公司"),
    ("平台由山西科达自控股份有限公司建设", "山西科达自控股份有限公司"),
    ("上海数据交易所聚焦数据交易确权难等五大难题", "上海数据交易所"),
    ("2024年，我国数字经济规模稳步提升", None),
    ("数字经济作为国民经济的稳定器", None),
])
def test_the_company_a_passage_opens_with(text, actor):
    assert actor_of(text) == actor


@pytest.mark.parametrize("name, forms", [
    ("深圳市宝安区", ["深圳市宝安区", "宝安区", "宝安"]),
    ("瑞幸咖啡", ["瑞幸咖啡", "瑞幸"]),
    ("广州", ["广州"]),
])
def test_short_names(name, forms):
    assert short_names(name) == forms


@pytest.mark.parametrize("text, actor", [
    ("腾讯云案例：瑞泰马钢", "瑞泰马钢"),
    ("截至去年，透明工厂已助力瑞泰马钢实现了效益的大幅增加。", "瑞泰马钢"),
    ("根据某研究院的相关研究显示，2022年腾讯数字生态创造了147个新职业", "腾讯数字生态"),
    ("目前，项目已成功打造了25个样板服务网点，已在神华集团等企业开展服务", None),
])
def test_case_labels_helped_parties_and_objects(text, actor):
    assert actor_of(text) == actor


@pytest.mark.parametrize("text, actor", [
    ("某云产品具有无接触等特点，助力龙岩农信系统实现业务数字化转型", "龙岩农信"),
    ("随着职业的发展，萌芽期职业会慢慢进入成长期", None),
    ("过往的补贴审批，通过小程序完成，小程序开发的投入与支持力度有限，一年才统一审批一次", None),
    ("在南通市印发《规划》，支持建设新型智慧社区的背景下", None),
])
def test_the_helped_party_and_phase_words(text, actor):
    assert actor_of(text) == actor


@pytest.mark.parametrize("text, actor", [
    ("目前，山东文旅通过智慧文旅服务平台，服务管理酒店超过300家", "山东文旅"),
    ("例如，中国联通布局全球80余条海陆缆系统", "中国联通"),
    ("远高于中度数字化企业的水平", None),
    ("北京推进建设全球数字经济标杆城市", None),
])
def test_place_named_organisations_and_words_that_are_not_names(text, actor):
    assert actor_of(text) == actor


@pytest.mark.parametrize("text, actor", [
    ("7月，瑞幸全国门店通过企业微信连接了180万用户", "瑞幸"),
    ("瑞幸全球门店超过2万家", "瑞幸"),
])
def test_a_company_name_stops_before_the_place_it_reaches(text, actor):
    assert actor_of(text) == actor


@pytest.mark.parametrize("text, owners, subject", [
    ("7月，瑞幸全国门店通过企业微信连接了180万用户", ("瑞幸咖啡", "瑞幸"), None),
    ("7月，瑞幸全国门店通过企业微信连接了180万用户", (), "中国"),
    ("7月，全国门店通过企业微信连接了180万用户", ("瑞幸咖啡", "瑞幸"), "中国"),
    ("某云平台助力龙岩农信实现业务线上化，办理业务超9000笔", ("龙岩农信",), None),
    ("某云平台助力龙岩实现业务线上化，办理业务超9000笔", (), "龙岩"),
])
def test_a_place_right_after_or_opening_a_company_name_is_not_the_subject(text, owners, subject):
    assert subject_in(text, text.index("180" if "180" in text else "9000"), owners=owners) == subject


@pytest.mark.parametrize("text, names", [
    ("瑞幸咖啡是连锁品牌。\n企微案例：瑞幸咖啡\n腾讯云案例：远程银行\n企微案例：瑞幸咖啡", ["瑞幸咖啡", "远程银行"]),
    ("专栏4：山西省加快推动数字技术在采矿业的应用", []),
    ("数字经济案例研究表明，规模达到50万亿元。", []),
])
def test_case_labels_name_companies(text, names):
    assert case_names(text) == names


@pytest.mark.parametrize("text, subject", [
    ("河北省印发《张家口数据中心集群建设方案》，支持张家口大数据产业发展，已运营27个数据中心", "张家口"),
    ("某公司助力合肥打造产业集群，年产值超2000亿元", "合肥"),
    ("中国联通布局覆盖全球80余条海陆缆系统", None),
])
def test_a_place_a_clause_helps_owns_the_figures_after_it(text, subject):
    assert subject_in(text, len(text) - 4) == subject


@pytest.mark.parametrize("text, company", [
    ("为满足数据需求，青岛市大数据局支持青岛国实科技集团有限公司建设数据交易平台", "青岛国实科技集团有限公司"),
    ("平台由山西科达自控股份有限公司建设", "山西科达自控股份有限公司"),
    ("目前，项目已打造25个服务网点，已在神华集团的多个煤矿成功应用", None),
    ("数字经济规模达到50万亿元", None),
])
def test_the_company_a_text_names_anywhere(text, company):
    assert company_in(text) == company


@pytest.mark.parametrize("text, subject", [
    ("从经济贡献看，北京、上海、天津等省市，数字经济GDP占比已超过50%", "北京、上海、天津等省市"),
    ("调研显示，京津冀、长三角、粤港澳三大城市群集中了70%的数字人才", "京津冀、长三角、粤港澳三大城市群"),
    ("江苏南京、浙江温州、山东滨州等6个城市累计认定71家产业园", "江苏南京、浙江温州、山东滨州"),
    ("贵州、重庆数字经济增速均超过20%", "贵州、重庆"),
    ("安徽合肥智能语音产业集群年产值超2000亿元", "合肥"),
])
def test_place_lists_are_named_as_written_when_they_name_a_group_or_places_within_provinces(text, subject):
    assert at_end(text) == subject


@pytest.mark.parametrize("text, raw, whole", [
    ("据统计，它们占据全球企业总数的90%以上，扮演着关键角色", "90%", "全球"),
    ("据IDC预测，2025年将有49%的全球已存储数据将驻留在公共云环境中", "49%", "全球"),
    ("算力总规模达到230EFLOPS，位居全球第二位", "230EFLOPS", None),
    ("我国企业数量超过4500家，约占全球企业总数的1/7", "4500家", None),
])
def test_a_share_of_a_global_whole(text, raw, whole):
    start = text.index(raw)
    assert whole_of(text, start, start + len(raw)) == whole


@pytest.mark.parametrize("text, actor", [
    ("山西焦煤霍州煤电庞庞塔矿在800米井下建成了5G专网", "山西焦煤霍州煤电庞庞塔矿"),
    ("全国煤矿在井下建成5G专网", None),
    ("这些煤矿在井下建成5G专网", None),
])
def test_a_named_site_opening_a_clause_acts(text, actor):
    assert actor_of(text) == actor


@pytest.mark.parametrize("text, subject", [
    ("广东省第二产业数字化投入占比高于第三产业12.9个百分点", "广东"),
    ("广东第一产业增加值增长5%", "广东"),
    ("位居广东第一的企业营收增长5%", None),
])
def test_an_industry_after_a_place_is_its_own(text, subject):
    assert at_end(text) == subject


def test_a_verb_ending_before_a_place_is_found_by_cutting_its_run_alone(corpus_dir):
    """Cutting only the run of word characters a position ends gives what cutting the whole sentence gives."""
    report = sorted(corpus_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    for sentence in report.split("。")[:40]:
        ends, position = set(), 0
        for word, flag in words(sentence, guess=False):
            position += len(word)
            if flag.startswith("v") and word not in ("使", "让", "令"):
                ends.add(position)
        assert {p for p in range(len(sentence) + 1) if _verb_ends_at(sentence, p)} == ends


@pytest.mark.parametrize("sentence, expected", [
    ("广州市数字经济规模达到2万亿元", True),
    ("数字经济规模稳步提升", False),
    ("（据广东省统计局）数字经济规模稳步提升", False),  # an aside names no subject
])
def test_names_places(sentence, expected):
    assert names_places(sentence) is expected
