"""Typed records for every kind of content, one docstring per field.

Field names are ASCII snake_case; values that come from a controlled vocabulary are plain
strings here and are checked against ``content/taxonomy.yaml`` by :mod:`generators.content`
(in either script). Nothing private has a field: there is no place for a real name, an ID
number, a phone number, an exact address or a child's name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Slug = str
Status = Literal["draft", "review", "published", "withdrawn"]
Channel = Literal["web", "print"]


class Record(BaseModel):
    """Base: unknown fields are errors, docstrings become schema descriptions."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
        frozen=False,
    )


# --------------------------------------------------------------------------- shared parts


class Region(Record):
    """A place, published no finer than township."""

    province: str
    """省（自治区、直辖市），须在分类表 regions 中。"""
    county: str | None = None
    """县（市、区），须在该省之下。"""
    township: str | None = None
    """乡镇（街道），须在该县之下。不得填写村、组、门牌。"""

    def label(self) -> str:
        return "".join(p for p in (self.province, self.county, self.township) if p)


class Consent(Record):
    """A recorded consent for publication (the signed form stays offline)."""

    ref: str = Field(min_length=1)
    """同意书编号（内部编号，只在内容库中，不会发布）。"""
    scope: list[Channel] = Field(min_length=1)
    """同意发布的渠道：web（网站）、print（印刷品）。"""
    signed: dt.date
    """签署日期，格式 YYYY-MM-DD。"""
    guardian: bool = False
    """故事涉及未成年人时，是否已有监护人单独同意。"""


class Photo(Record):
    """One photo beside the YAML file."""

    file: str
    """图片文件路径，相对于本条目文件夹，如 photos/cha-yuan.jpg。"""
    caption: str = Field(min_length=1)
    """图片说明（一句话）。"""
    consent_ref: str | None = None
    """照片中人物的同意书编号；没有则不能发布。"""


class Validation(Record):
    """Who checked a tutorial in the field, and when."""

    name: str
    """核验人（可用公开称呼）。"""
    organisation: str
    """核验单位，如县农业技术推广站。"""
    date: dt.date
    """核验日期。"""


# --------------------------------------------------------------------------- skill


class CalendarEntry(Record):
    """One line of the month-by-month calendar."""

    from_month: int = Field(ge=1, le=12)
    """开始月份（1–12）。"""
    to_month: int = Field(ge=1, le=12)
    """结束月份（1–12，可小于开始月份表示跨年）。"""
    task: str = Field(min_length=1)
    """这段时间要做的事。"""


class Material(Record):
    """A material or tool with its price."""

    name: str
    """名称。"""
    quantity: float = Field(ge=0)
    """数量。"""
    unit: str
    """单位，如 斤、个、亩。"""
    price: float = Field(ge=0)
    """单价（元）。"""


class Cost(Record):
    """What the skill costs to start and to run."""

    setup: float = Field(ge=0)
    """起步投入（元）。"""
    per_cycle: float = Field(ge=0)
    """每个周期的投入（元）。"""
    cycle: str = "年"
    """周期的说明，如 一年、一批（4个月）。"""
    price_year: int = Field(ge=2000, le=2100)
    """价格所属年份。"""


class ExpectedReturn(Record):
    """What a household can expect back."""

    yield_: str = Field(alias="yield")
    """预计产量，如 每亩干茶 60 斤。"""
    price: str
    """预计售价，如 每斤 120 元。"""
    net: float
    """每个周期预计净收入（元）。"""
    payback_months: int = Field(ge=0, le=240)
    """预计多少个月收回投入。"""
    assumptions: str
    """估算的前提条件（规模、价格、天气等）。"""

    model_config = ConfigDict(populate_by_name=True)


class Step(Record):
    """One numbered step."""

    text: str = Field(min_length=1)
    """这一步做什么、怎么做。"""
    image: str | None = None
    """配图路径，相对于条目文件夹，如 images/step1.jpg（可不填）。"""
    caution: str | None = None
    """这一步的注意事项（可不填）。"""


class Mistake(Record):
    """A common mistake and its fix."""

    mistake: str
    """常见错误。"""
    fix: str
    """怎样改正。"""


class WhoToAsk(Record):
    """Where a household can get help with this skill."""

    elders: list[Slug] = []
    """可以请教的五老（填五老的 id）。"""
    station: str | None = None
    """农技站、畜牧站等推广机构。"""
    hotline: str | None = None
    """公开热线，如 12316。"""


class Skill(Record):
    """A skill tutorial (技能教程): skills_library/<id>/skill.yaml + tutorial.md."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """条目编号，只用小写字母、数字和连字符，须与文件夹名相同。"""
    title: str = Field(min_length=2, max_length=40)
    """标题。"""
    summary: str = Field(min_length=4, max_length=60)
    """一句话简介，不超过 60 个字。"""
    status: Status = "draft"
    """状态：draft（草稿）、review（待审）、published（发布）、withdrawn（撤下）。"""
    category: str
    """产业类别，须在分类表 industries 中，如 种植、养殖。"""
    tags: list[str] = []
    """标签，须在分类表 tags 中。"""
    problem: str
    """这项技术解决什么问题。"""
    suitable_regions: list[str] = Field(min_length=1)
    """适合的省份（分类表 regions 中的省名）。"""
    climate: str
    """适合的气候条件。"""
    soil: str | None = None
    """适合的土壤或场地条件。"""
    calendar: list[CalendarEntry] = Field(min_length=1)
    """逐月农事历。"""
    materials: list[Material] = Field(min_length=1)
    """材料和工具清单。"""
    labour_days: float = Field(ge=0)
    """每个周期需要的劳动日。"""
    cost: Cost
    """投入。"""
    expected_return: ExpectedReturn
    """预期收益。"""
    steps: list[Step] = Field(min_length=1)
    """操作步骤，按顺序编号。"""
    safety: list[str] = []
    """安全注意事项（防护用品、农药安全间隔期等）。"""
    mistakes: list[Mistake] = []
    """常见错误和改正办法。"""
    where_to_sell: list[str] = []
    """销售渠道。"""
    who_to_ask: WhoToAsk
    """向谁请教。"""
    poverty_causes: list[str] = []
    """这项技术针对的致贫原因（分类表 poverty_causes）。"""
    validated_by: Validation
    """实地核验。"""
    review_due: dt.date
    """下次复核日期。"""
    authors: list[Slug] = []
    """编写这篇教程的五老（五老的 id）。"""

    _dir: Path = PrivateAttr(default_factory=Path)
    _body: str = PrivateAttr(default="")

    @property
    def kind(self) -> str:
        return "skill"


# --------------------------------------------------------------------------- showcase


class Income(Record):
    """Per-capita income in one year."""

    year: int = Field(ge=2000, le=2100)
    """年份。"""
    amount: float = Field(ge=0)
    """人均纯收入（元）。"""


class KeyFigures(Record):
    """The household's key figures."""

    income_before: Income
    """帮扶前的人均纯收入。"""
    income_after: Income
    """帮扶后的人均纯收入。"""
    exit_year: int = Field(ge=2013, le=2100)
    """脱贫年份。"""


class Children(Record):
    """Children of school age (counts only, never names)."""

    count: int = Field(ge=0, le=20)
    """在读子女人数。"""
    all_enrolled: bool
    """是否全部在校（控辍保学）。"""


class Showcase(Record):
    """A typical household's story (典型案例): showcases/<id>/showcase.yaml + story.md."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """条目编号，只用小写字母、数字和连字符，须与文件夹名相同。"""
    title: str = Field(min_length=2, max_length=40)
    """标题。"""
    summary: str = Field(min_length=4, max_length=80)
    """一句话简介，不超过 80 个字。"""
    status: Status = "draft"
    """状态：draft、review、published、withdrawn。"""
    featured: bool = False
    """是否在首页展示。"""
    period: str
    """时期：攻坚期 或 过渡期。"""
    display_name: str = Field(min_length=2, max_length=20)
    """对外称呼，如「刘大哥一家」，不得使用真实姓名。"""
    region: Region
    """所在地，最细到乡镇。"""
    industry: str
    """主要产业（分类表 industries）。"""
    skills: list[Slug] = []
    """用到的技能教程（教程 id）。"""
    poverty_causes: list[str] = []
    """致贫原因（分类表 poverty_causes）。"""
    assistance_measures: list[str] = []
    """帮扶措施（分类表 assistance_measures）。"""
    activities: list[str] = []
    """关工委活动（分类表 activities）。"""
    elders: list[Slug] = []
    """结对或指导的五老（五老 id）。"""
    tags: list[str] = []
    """标签（分类表 tags）。"""
    key_figures: KeyFigures
    """关键数字。"""
    children: Children | None = None
    """子女上学情况（只写人数）。"""
    replicability: list[str] = Field(min_length=1)
    """别人照着做需要的条件。"""
    photos: list[Photo] = []
    """照片。"""
    consent: Consent | None = None
    """农户的发布同意记录。"""

    _dir: Path = PrivateAttr(default_factory=Path)
    _body: str = PrivateAttr(default="")

    @property
    def kind(self) -> str:
        return "showcase"


# --------------------------------------------------------------------------- elder


class ContactChannel(Record):
    """A public way to reach an elder: a group or a station, never a personal phone."""

    name: str
    """渠道名称，如 雷山县关工委茶叶技术咨询群。"""
    how: str
    """怎样联系，如 到镇农技站登记后拉入群。"""
    hotline: str | None = None
    """公开热线（须在 content/public_channels.yaml 中登记）。"""


class Elder(Record):
    """An elder (五老) profile: content/elders/<id>.yaml."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """编号，须与文件名相同。"""
    display_name: str = Field(min_length=2, max_length=20)
    """公开称呼，如 王老师、李老支书。"""
    status: Status = "draft"
    """状态：draft、review、published、withdrawn。"""
    elder_type: str
    """五老类别（分类表 elder_types）。"""
    expertise: list[str] = Field(min_length=1)
    """专长。"""
    unit: str
    """所在关工委。"""
    level: Literal["国家", "省", "市", "县", "乡镇", "村"]
    """关工委层级：国家、省、市、县、乡镇、村。"""
    region: Region
    """公开的所在地区（最细到乡镇）。"""
    bio: str
    """简介（两三句话）。"""
    contact: ContactChannel
    """公开联系渠道。"""
    consent: Consent | None = None
    """本人的发布同意记录。"""


# --------------------------------------------------------------------------- pairing


class Visit(Record):
    """One visit or contact."""

    date: dt.date
    """日期。"""
    channel: str
    """方式：上门、电话、微信群 等。"""
    topic: str
    """内容。"""


class Household(Record):
    """The paired household: a showcase id or an internal code."""

    showcase: Slug | None = None
    """对应的典型案例 id（如有）。"""
    code: str | None = None
    """内部户编码（不是建档立卡号）。"""


class Pairing(Record):
    """A pairing (结对子 / 联系户): content/pairings/<id>.yaml; published only as counts."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """编号，须与文件名相同。"""
    elders: list[Slug] = Field(min_length=1)
    """参与的五老（五老 id）。"""
    household: Household
    """结对的农户。"""
    region: Region
    """农户所在县（用于按县统计）。"""
    mode: Literal["一对一", "几对一", "三员包一户"]
    """结对方式：一对一、几对一、三员包一户。"""
    relation: Literal["结对户", "联系户"]
    """关系：结对户 或 联系户。"""
    start: dt.date
    """开始日期。"""
    end: dt.date | None = None
    """结束日期（仍在帮扶则不填）。"""
    goals: list[str] = Field(min_length=1)
    """帮扶目标。"""
    visits: list[Visit] = []
    """走访记录。"""
    outcome: str | None = None
    """结果。"""


# --------------------------------------------------------------------------- booklet


class BookletFilter(Record):
    """Select items by taxonomy instead of listing them."""

    industry: str | None = None
    """产业。"""
    province: str | None = None
    """省份。"""
    activity: str | None = None
    """关工委活动。"""
    tag: str | None = None
    """标签。"""


class Booklet(Record):
    """A booklet definition: content/booklets/<id>.yaml."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """编号，须与文件名相同。"""
    title: str = Field(min_length=2, max_length=30)
    """书名。"""
    subtitle: str | None = None
    """副标题。"""
    edition: Literal["standard", "large_print"] = "standard"
    """版本：standard（普通版）或 large_print（大字版）。"""
    trim: Literal["A5", "大32开", "16开"] = "A5"
    """成品尺寸：A5（148×210 mm）、大32开（140×203 mm）、16开（185×260 mm）。"""
    script: Literal["hans", "hant"] = "hans"
    """文字：hans（简体）或 hant（繁体）。"""
    showcases: list[Slug] = []
    """收录的典型案例（按顺序）。"""
    skills: list[Slug] = []
    """收录的技能教程（按顺序）。"""
    questions: list[Slug] = []
    """收录的问答（问答 id，按顺序），印成“问答”一节。"""
    filter: BookletFilter | None = None
    """按分类自动选取（与上面的清单二选一或合用）。"""
    order: Literal["listed", "title", "region"] = "listed"
    """排序：listed（按清单）、title（按标题）、region（按地区）。"""
    cover_color: str = Field(default="#9c2a1f", pattern=r"^#[0-9a-fA-F]{6}$")
    """封面底色，如 #9c2a1f。"""
    cover_image: str | None = None
    """封面图片（相对于 content/booklets/）。"""
    foreword: str | None = None
    """前言（几段文字）。"""
    contact_page: bool = True
    """是否附咨询服务联系页。"""
    quantity: int = Field(default=100, ge=1)
    """印数。"""
    shop_notes: str | None = None
    """给印刷厂的说明。"""


# --------------------------------------------------------------------------- question


class Answerer(Record):
    """Who answered a question: elders, a consultation team, or both."""

    elders: list[Slug] = []
    """解答的五老（五老 id）。"""
    team: Slug | None = None
    """解答的咨询服务团（服务团 id）。"""


class Question(Record):
    """An answered question (问答): content/questions/<id>.yaml, the answer in Markdown."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """编号，须与文件名相同。"""
    title: str = Field(min_length=2, max_length=40)
    """问题的标题，用农户的话，如 猪拉稀怎么办。"""
    status: Status = "draft"
    """状态：draft、review、published、withdrawn。"""
    question: str = Field(min_length=4)
    """农户原来怎么问的（大白话，不写姓名和电话）。"""
    answer: str = Field(min_length=4)
    """解答（Markdown：可以分段、列要点）。"""
    answered_by: Answerer
    """谁解答的：五老 id 和／或咨询服务团 id。"""
    answered: dt.date
    """解答日期。"""
    skills: list[Slug] = []
    """相关的技能教程（教程 id）。"""
    industry: str
    """产业（分类表 industries）。"""
    region: Region
    """适用地区，最细到乡镇。"""
    season: Literal["春", "夏", "秋", "冬", "全年"] = "全年"
    """适用季节：春、夏、秋、冬、全年。"""
    tags: list[str] = []
    """标签（分类表 tags）。"""
    review_due: dt.date
    """下次复核日期（过了会提醒重新核对解答）。"""
    retells_household: bool = False
    """解答是否讲到了某户人家的具体情况（是则发布前须有 consent）。"""
    consent: Consent | None = None
    """被讲到的农户的发布同意记录。"""


# --------------------------------------------------------------------------- team


class Technician(Record):
    """A young technician in a team, by role only (never a name)."""

    role: str = Field(min_length=2, max_length=30)
    """岗位，如 镇畜牧站兽医、县农技站技术员（不写姓名）。"""
    count: int = Field(default=1, ge=1, le=20)
    """这个岗位有几个人。"""


class ServiceArea(Record):
    """Where a team serves: one county and some of its townships."""

    province: str
    """省（分类表 regions）。"""
    county: str
    """县（须在该省之下）。"""
    townships: list[str] = []
    """服务的乡镇（须在该县之下；不填表示全县）。"""


class TeamContact(Record):
    """A team's public channel: a registered hotline or a group QR code, never a personal phone."""

    name: str
    """渠道名称，如 柞水县食用菌咨询服务群。"""
    how: str
    """怎样联系或入群。"""
    hotline: str | None = None
    """公开热线（须在 content/public_channels.yaml 中登记）。"""
    qr_image: str | None = None
    """群二维码图片，相对于 content/teams/，如 qr/mu-er-tuan.png。"""


class Team(Record):
    """A consultation team (咨询服务团／组): content/teams/<id>.yaml."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """编号，须与文件名相同。"""
    name: str = Field(min_length=4, max_length=30)
    """服务团名称，如 柞水县关工委食用菌咨询服务团。"""
    status: Status = "draft"
    """状态：draft、review、published、withdrawn。"""
    elders: list[Slug] = []
    """成员中的五老（五老 id）。"""
    technicians: list[Technician] = []
    """成员中的年轻技术员（只写岗位和人数）。"""
    expertise: list[str] = Field(min_length=1)
    """擅长解答的问题。"""
    skills: list[Slug] = []
    """相关的技能教程（教程 id），教程页上会显示这个服务团。"""
    area: ServiceArea
    """服务范围（县和乡镇）。"""
    schedule: str = Field(min_length=4)
    """固定服务日或巡回安排，如 每月逢五在镇农技站坐诊。"""
    contact: TeamContact
    """公开联系渠道。"""
    intro: str | None = None
    """简介（两三句话）。"""


# --------------------------------------------------------------------------- notice


class Training(Record):
    """What a training notice says."""

    topic: str
    """培训内容。"""
    date: dt.date
    """培训日期。"""
    time: str
    """时间，如 上午 9 点到 12 点。"""
    place: str
    """地点，最细写到村委会、村活动室或农技站，不写门牌。"""
    organiser: str
    """主办单位。"""
    audience: str
    """谁可以来。"""
    signup: str
    """怎样报名（通过公开渠道，如 到镇农技站登记）。"""


class Market(Record):
    """What a market-information notice says; a price needs its date and source."""

    product: str
    """产品，如 干香菇（花菇）。"""
    market: str
    """市场，如 柞水县城农产品批发市场。"""
    price_low: float = Field(ge=0)
    """最低价（元）。"""
    price_high: float = Field(ge=0)
    """最高价（元）。"""
    unit: str
    """计价单位，如 斤、公斤、头。"""
    date: dt.date | None = None
    """价格日期（必填：没有日期的价格不能发布）。"""
    source: str | None = None
    """价格来源（必填），如 县农业农村局每周行情。"""


class Technique(Record):
    """What a new-technique notice says."""

    what: str
    """新技术是什么。"""
    tried_at: str
    """在哪里试过（最细到乡镇或示范基地）。"""
    skills: list[Slug] = []
    """相关的技能教程（教程 id）。"""


class Notice(Record):
    """A notice (通知): training, market information or a new technique: content/notices/<id>.yaml."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """编号，须与文件名相同。"""
    title: str = Field(min_length=2, max_length=40)
    """标题。"""
    sort: str
    """类别：培训、行情、新技术（繁体写法也可以）。"""
    status: Status = "draft"
    """状态：draft、review、published、withdrawn。"""
    summary: str = Field(min_length=4, max_length=80)
    """一句话说明，不超过 80 个字。"""
    region: Region
    """适用地区（至少写到县，用于按县筛选）。"""
    published: dt.date
    """发布日期。"""
    expires: dt.date
    """过期日期：过了这天，通知从首页和列表撤下，只留在往期通知里。"""
    details: str | None = None
    """更多说明（Markdown，可不填）。"""
    training: Training | None = None
    """培训通知的内容（类别为培训时必填）。"""
    market: Market | None = None
    """行情信息的内容（类别为行情时必填）。"""
    technique: Technique | None = None
    """新技术的内容（类别为新技术时必填）。"""


# --------------------------------------------------------------------------- taxonomy


class County(Record):
    """A county and its townships."""

    name: str
    """县名。"""
    townships: list[str] = []
    """乡镇。"""


class Province(Record):
    """A province and its counties."""

    name: str
    """省名。"""
    counties: list[County] = []
    """县。"""


class Taxonomy(Record):
    """Controlled vocabularies: content/taxonomy.yaml."""

    industries: list[str] = Field(min_length=1)
    """产业类别。"""
    poverty_causes: list[str] = Field(min_length=1)
    """致贫原因。"""
    assistance_measures: list[str] = Field(min_length=1)
    """帮扶措施。"""
    activities: list[str] = Field(min_length=1)
    """关工委活动。"""
    elder_types: list[str] = Field(min_length=1)
    """五老类别。"""
    periods: list[str] = Field(min_length=1)
    """时期。"""
    tags: list[str] = []
    """标签。"""
    regions: list[Province] = Field(min_length=1)
    """地区：省 → 县 → 乡镇。"""


class PublicChannel(Record):
    """A public number that may appear in content (a hotline, a station)."""

    name: str
    """名称。"""
    number: str
    """号码，如 12316 或 0855-3331234。"""


class PublicChannels(Record):
    """content/public_channels.yaml: numbers allowed to appear in published content."""

    channels: list[PublicChannel] = []
    """公开号码清单。"""


class ProtectedTerms(Record):
    """content/protected_terms.yaml: terms never converted between scripts."""

    terms: list[str] = []
    """不做繁简转换的词语（地名、称呼、品牌、引文）。"""


def _check_search_word(word: str) -> str:
    """A search word: not empty, no space inside (one word per entry)."""
    if not word:
        raise ValueError("不能是空的")
    if any(ch.isspace() for ch in word):
        raise ValueError("中间有空格：一项只写一个词，多个词请分成几项")
    return word


SearchWord = Annotated[str, AfterValidator(_check_search_word)]


class Synonyms(Record):
    """content/synonyms.yaml: how a search query is understood (see docs/search.md)."""

    groups: list[Annotated[list[SearchWord], Field(min_length=2)]] = []
    """每组是意思相同的词，如 [土豆, 马铃薯, 洋芋]；搜其中任何一个，也能找到其他的。"""
    colloquial: dict[SearchWord, SearchWord | Annotated[list[SearchWord], Field(min_length=1)]] = {}
    """口语、方言说法 → 内容里的说法（只单向），如 拉稀: 腹泻，或 洋芋: [马铃薯, 土豆]。"""
    question_words: list[SearchWord] = []
    """问话用的词（怎么办、咋整、多少钱……）：搜索时去掉，并说明这是一个问题（先列问答）。"""
    filler_words: list[SearchWord] = []
    """没有实际意思的词（一下、到底、老是……）：搜索时去掉。"""
    units: dict[SearchWord, SearchWord] = {}
    """单位的其他写法 → 内容里的写法，如 块钱: 元、千克: 公斤。"""

    @field_validator("colloquial")
    @classmethod
    def _check_colloquial(cls, mapping: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        for word, target in mapping.items():
            if word in ([target] if isinstance(target, str) else target):
                raise ValueError(f"“{word}”对应的是它自己；请删除这一项，或写内容里的说法")
        return mapping

    def colloquial_targets(self, word: str) -> list[str]:
        """The content's words for the colloquial ``word`` (a list even when one was written)."""
        target = self.colloquial.get(word, [])
        return [target] if isinstance(target, str) else list(target)
