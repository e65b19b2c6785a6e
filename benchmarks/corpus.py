"""Deterministic synthetic corpus in the real Lamplight content format.

``generate(root, n, seed)`` writes N skills and N showcases (plus ~N/20 elders, ~N/5 pairings,
40 booklets, a few pages and a taxonomy that lists every region and tag used) under ``root``.
Text is plausible Chinese assembled from phrase banks; about a third of the stories and a
tenth of the tutorials are converted to Traditional with OpenCC. Photos are 1600×1067 JPEGs
of realistic size: a small pool is generated once; each item gets either a byte-unique copy
(a JPEG comment with the item id, so content-hash caches see distinct photos) or a hard link
to a pool image (fast, tiny on disk, but every photo then shares one of a few hashes).

Nothing here is real: people, places below township level and numbers are invented. Text is
written to pass ``lamplight check`` (no phone-, ID- or address-like digit runs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import shutil
import struct
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

#: Bump when the output format changes (stamps older corpora as stale).
GENERATOR_VERSION = "3"

ImageMode = Literal["unique", "pooled"]

# --------------------------------------------------------------------------- vocabularies

INDUSTRIES = ["种植", "养殖", "加工", "手工", "务工", "电商", "乡村旅游"]
POVERTY_CAUSES = [
    "因病",
    "因残",
    "因学",
    "因灾",
    "缺土地",
    "缺水",
    "缺技术",
    "缺劳动力",
    "缺资金",
    "交通条件落后",
    "自身发展动力不足",
    "其他",
]
MEASURES = [
    "产业扶贫",
    "就业扶贫",
    "易地扶贫搬迁",
    "生态扶贫",
    "教育扶贫",
    "健康扶贫",
    "危房改造",
    "综合保障",
    "残疾人帮扶",
    "扶志扶智",
]
ACTIVITIES = ["技能传授", "咨询服务", "结对帮扶", "控辍保学", "典型示范"]
ELDER_TYPES = ["老干部", "老战士", "老专家", "老教师", "老模范", "其他"]
PERIODS = ["攻坚期", "过渡期"]

#: province → county → townships (real place names; nothing finer than a township).
REGIONS: dict[str, dict[str, list[str]]] = {
    "贵州省": {
        "雷山县": ["西江镇", "丹江镇", "郎德镇"],
        "湄潭县": ["湄江街道", "永兴镇", "兴隆镇"],
        "从江县": ["丙妹镇", "加榜乡"],
        "威宁彝族回族苗族自治县": ["草海镇", "雪山镇"],
    },
    "云南省": {
        "勐海县": ["勐海镇", "勐混镇"],
        "元阳县": ["新街镇", "南沙镇"],
        "镇雄县": ["乌峰街道", "以勒镇"],
    },
    "湖南省": {
        "花垣县": ["双龙镇", "边城镇"],
        "安化县": ["东坪镇", "江南镇"],
        "凤凰县": ["沱江镇", "阿拉营镇"],
    },
    "陕西省": {"柞水县": ["小岭镇", "下梁镇"], "紫阳县": ["城关镇", "焕古镇"]},
    "四川省": {"苍溪县": ["陵江镇", "元坝镇"], "昭觉县": ["新城镇", "竹核乡"]},
    "甘肃省": {"安定区": ["香泉镇", "内官营镇"], "东乡族自治县": ["锁南镇", "达板镇"]},
    "广西壮族自治区": {
        "融水苗族自治县": ["融水镇", "安陲乡"],
        "都安瑶族自治县": ["安阳镇", "地苏镇"],
    },
    "河北省": {"阜平县": ["龙泉关镇", "城南庄镇"]},
    "宁夏回族自治区": {"西吉县": ["吉强镇", "将台堡镇"]},
    "江西省": {"井冈山市": ["茨坪镇", "厦坪镇"]},
    "山西省": {"岢岚县": ["岚漪镇", "宋家沟乡"]},
}

PUBLIC_HOTLINES = [("全国农业服务热线", "12316")]


@dataclass(frozen=True)
class Theme:
    """One line of work: the words its tutorials and stories are made of."""

    key: str
    name: str
    industry: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    product: str
    unit: str
    sell_unit: str
    price: tuple[int, int]
    materials: tuple[tuple[str, str, float], ...]
    steps: tuple[str, ...]
    safety: tuple[str, ...]
    mistakes: tuple[tuple[str, str], ...]
    where: tuple[str, ...]
    climate: str
    soil: str
    expertise: tuple[str, ...]
    station: str


THEMES: tuple[Theme, ...] = (
    Theme(
        "cha-ye",
        "茶叶",
        "种植",
        ("茶叶", "合作社"),
        ("茶园春季管理", "明前茶采摘与摊晾", "老茶园改造", "手工炒青绿茶", "茶园绿色防控"),
        "干茶",
        "亩",
        "斤",
        (80, 260),
        (("茶苗", "株", 0.6), ("有机肥", "吨", 900), ("修剪机", "台", 1800), ("竹匾", "个", 25)),
        (
            "春茶开采前半个月，清理茶园杂草，沿茶行开沟施一次有机肥。",
            "采一芽一叶或一芽二叶，用手指轻轻提采，不要用指甲掐，不带鱼叶和老叶。",
            "鲜叶放在竹匾里薄摊，厚度不超过三厘米，放在阴凉通风的地方摊晾四到六小时。",
            "杀青时锅温要高，叶子下锅后听到爆响声，翻炒要快，炒到叶色暗绿、青草气消失。",
            "揉捻时用力先轻后重，揉到茶汁渗出、条索紧结为止。",
            "烘干分两次，第一次烘到七成干，摊凉半小时后再烘到足干。",
            "春茶结束后轻修剪一次，剪去树冠上面三到五厘米的枝叶。",
            "秋季深翻茶园，埋入农家肥，冬季在茶树基部培土防冻。",
        ),
        (
            "打药要选用茶园登记的低毒农药，严格遵守安全间隔期。",
            "炒茶时防止烫伤，手不要伸进热锅。",
            "修剪机使用前检查刀片，作业时戴好手套和护目镜。",
        ),
        (
            ("采摘时把鲜叶捏得太紧，叶子发红变质。", "用透气的竹篮装鲜叶，及时送回摊晾。"),
            ("施化肥过多，茶叶苦涩。", "以有机肥为主，化肥少量多次。"),
            ("修剪太重，当年产量大减。", "第一年只轻剪，第二年再视长势定。"),
        ),
        ("镇茶叶合作社统一收购", "县城茶叶交易市场", "网店和直播间", "外地茶商上门收购"),
        "年均气温 14–20℃，年降水量一千毫米以上，云雾多的山区最好。",
        "酸性黄壤或红壤，土层深厚、排水良好的缓坡地。",
        ("茶园管理", "手工炒茶", "茶叶加工"),
        "县茶叶技术服务站",
    ),
    Theme(
        "mi-hou-tao",
        "猕猴桃",
        "种植",
        ("猕猴桃", "嫁接"),
        (
            "红心猕猴桃嫁接",
            "猕猴桃冬季修剪",
            "猕猴桃授粉与疏果",
            "猕猴桃溃疡病防治",
            "猕猴桃采后储藏",
        ),
        "鲜果",
        "亩",
        "斤",
        (4, 12),
        (
            ("嫁接刀", "把", 45),
            ("接穗", "根", 1.5),
            ("嫁接膜", "卷", 12),
            ("钢架和铁丝", "亩", 2600),
        ),
        (
            "选一到两年生、粗细像筷子的砧木，在离地面二十厘米左右处剪断。",
            "接穗选当年生、芽眼饱满的枝条，每段留一到两个芽。",
            "用切接法把接穗插进砧木切口，形成层要对齐，至少对齐一边。",
            "用嫁接膜从下往上缠紧，芽眼处只缠一层，方便发芽时顶破。",
            "嫁接后二十天左右检查成活，没有成活的及时补接。",
            "新梢长到三十厘米时绑在架上，及时抹去砧木上的萌芽。",
            "开花期人工授粉，每朵雌花点一次花粉。",
            "谢花后半个月疏果，每个结果枝留三到四个果。",
        ),
        (
            "修剪和嫁接用的刀具要用酒精消毒，防止传播溃疡病。",
            "上架作业注意防滑，不要站在湿滑的铁丝上。",
        ),
        (
            ("嫁接太晚，伤流多，成活率低。", "在早春伤流开始前完成嫁接。"),
            ("挂果太多，果子小、卖不上价。", "按叶果比疏果，宁少勿多。"),
        ),
        (
            "村猕猴桃合作社统一分级销售",
            "县城水果批发市场",
            "电商平台和直播间",
            "与超市签订供货协议",
        ),
        "年均气温 13–18℃，无霜期长，冬季最低气温不低于零下十度。",
        "土层深厚、排水良好的微酸性砂壤土，坡地要修好排水沟。",
        ("猕猴桃嫁接", "果园管理", "果树病虫害"),
        "县果树技术推广站",
    ),
    Theme(
        "ma-ling-shu",
        "马铃薯",
        "种植",
        ("马铃薯",),
        ("脱毒种薯种植", "马铃薯全膜覆盖", "马铃薯窖藏保鲜", "马铃薯晚疫病防治"),
        "鲜薯",
        "亩",
        "斤",
        (1, 3),
        (
            ("脱毒种薯", "斤", 1.8),
            ("黑色地膜", "亩", 120),
            ("复合肥", "袋", 160),
            ("窖藏通风管", "根", 30),
        ),
        (
            "选用当地推广的脱毒种薯，播种前二十天出窖晒种。",
            "大的种薯切块，每块留一到两个芽眼，切刀用高锰酸钾水消毒。",
            "秋季深翻，起垄后覆盖黑色地膜，垄上打孔播种。",
            "出苗后及时放苗，防止地膜下高温烫伤幼苗。",
            "现蕾期追一次肥，结合中耕培土。",
            "雨多的年份注意晚疫病，发现病株及时拔除带出田外。",
            "茎叶发黄后选晴天收获，在地里晾晒半天再入窖。",
        ),
        ("农药要锁在柜子里，不要放在孩子够得着的地方。", "下窖前先通风，点蜡烛试一试再进去。"),
        (
            ("用自留的小薯作种，病毒多、减产。", "每两到三年换一次脱毒种薯。"),
            ("入窖时薯块带伤带泥，窖里烂薯多。", "挑出伤薯病薯，晾干表皮再入窖。"),
        ),
        ("镇马铃薯收购点", "县淀粉加工厂", "外地客商地头收购", "合作社统一销售"),
        "冷凉干旱的高寒山区，生长期气温 15–25℃。",
        "土层深厚、疏松透气的砂壤土，忌连作。",
        ("马铃薯脱毒种薯", "旱作全膜覆盖", "窖藏保鲜"),
        "县马铃薯产业办公室",
    ),
    Theme(
        "la-jiao",
        "辣椒",
        "种植",
        ("辣椒",),
        ("朝天椒育苗移栽", "辣椒病虫害绿色防控", "干辣椒晾晒分级"),
        "干椒",
        "亩",
        "斤",
        (8, 20),
        (("辣椒种子", "包", 35), ("育苗盘", "个", 3), ("复合肥", "袋", 160), ("晾晒网", "张", 40)),
        (
            "用育苗盘集中育苗，苗床要向阳、背风、排水好。",
            "苗长到六到八片真叶时移栽，株距三十厘米左右。",
            "移栽后浇足定根水，一周内保持土壤湿润。",
            "开花结果期追施一次钾肥，果实更饱满。",
            "红熟一批采一批，不要等到全部红了再采。",
            "采回的辣椒在晾晒网上摊开晒干，晚上收回防潮。",
        ),
        ("采摘和分拣辣椒时戴手套，避免辣伤皮肤和眼睛。",),
        (
            ("连作多年，病害越来越重。", "和玉米、豆类轮作，至少隔两年再种辣椒。"),
            ("晾晒时堆得太厚，辣椒发霉。", "薄摊勤翻，阴雨天用烘干房。"),
        ),
        ("县辣椒交易市场", "辣椒酱加工厂订单收购", "合作社统一分级销售"),
        "年均气温 15–22℃，夏季雨水不过多的丘陵地区。",
        "排水良好、有机质丰富的壤土。",
        ("辣椒种植", "病虫害防治"),
        "县农业技术推广站",
    ),
    Theme(
        "sheng-zhu",
        "生猪",
        "养殖",
        ("生猪", "小额信贷"),
        ("发酵床养猪", "仔猪防疫程序", "农家自配猪饲料", "育肥猪出栏管理"),
        "育肥猪",
        "头",
        "公斤",
        (14, 18),
        (
            ("仔猪", "头", 650),
            ("发酵床菌种", "公斤", 35),
            ("锯末和稻壳", "立方米", 60),
            ("玉米", "斤", 1.3),
        ),
        (
            "猪舍每头留一点二平方米，挖六十厘米深的发酵床坑。",
            "锯末和稻壳各一半，拌入菌种，加水到手握成团、松手即散。",
            "仔猪进圈前隔离观察七天，按兽医站的程序接种疫苗。",
            "自配饲料：玉米六成、麸皮一成半、豆粕两成、预混料半成。",
            "每周翻一次发酵床，粪便集中的地方挖开埋入。",
            "出栏前一周停喂任何药物，联系合作社称重结算。",
        ),
        (
            "病死猪不得出售、食用或丢弃，要报告兽医站做无害化处理。",
            "进出猪舍换鞋消毒，外人不进圈。",
        ),
        (
            ("一次进猪太多，资金周转不开。", "第一年从十头左右起步，摸清成本再扩大。"),
            ("发酵床太湿，臭味大、猪易生病。", "控制饮水器漏水，及时补充干锯末。"),
        ),
        ("村养猪合作社统一收购", "县定点屠宰场", "与周边农家乐签订供货协议"),
        "年均气温 12–22℃ 的丘陵山区，夏季需通风降温。",
        "猪舍选在地势较高、背风向阳、远离水源和住房的地方。",
        ("生猪养殖", "疫病防控", "发酵床技术"),
        "县畜牧兽医站",
    ),
    Theme(
        "tu-ji",
        "土鸡",
        "养殖",
        ("土鸡",),
        ("林下散养土鸡", "雏鸡育雏保温", "土鸡常见病预防"),
        "土鸡",
        "只",
        "斤",
        (18, 30),
        (("雏鸡", "只", 6), ("育雏灯", "个", 25), ("围网", "米", 3), ("玉米", "斤", 1.3)),
        (
            "雏鸡进棚前三天，鸡舍消毒、铺垫料、预热到三十度左右。",
            "第一周保持温度，观察鸡群：挤在一起是冷，张嘴喘气是热。",
            "三周后逐步脱温，天气好时放到林下活动。",
            "林地用围网分成几块，轮流放养，让草有时间长起来。",
            "按程序接种新城疫和禽流感疫苗，做好记录。",
            "养到五个月以上再出售，肉质更好、价格更高。",
        ),
        ("病死鸡要深埋或交给无害化处理点，不能乱扔。",),
        (("林地放鸡太多，草被啃光、鸡病多。", "每亩林地放养不超过一百只。"),),
        ("县城农贸市场", "农家乐和餐馆定点供货", "网店预订"),
        "有林地、果园或荒坡的山区都可以。",
        "林下要有遮阴，地势干燥，远离村寨和公路。",
        ("土鸡养殖", "禽病防治"),
        "县畜牧兽医站",
    ),
    Theme(
        "zhong-feng",
        "中蜂",
        "养殖",
        ("蜜蜂",),
        ("中蜂活框饲养", "中蜂分蜂与收捕", "土蜂蜜采收与储存"),
        "蜂蜜",
        "箱",
        "斤",
        (60, 120),
        (("活框蜂箱", "个", 180), ("蜂群", "群", 500), ("摇蜜机", "台", 600), ("防护服", "套", 80)),
        (
            "蜂箱放在背风向阳、附近有蜜源植物的地方，箱口朝东南。",
            "春季检查蜂群，调整巢脾，保持蜂多于脾。",
            "分蜂季节每天巡查，发现分蜂团及时收捕进新箱。",
            "流蜜期结束前选封盖蜜脾摇蜜，留足蜂群过冬的饲料。",
            "蜂蜜过滤后装进干净的玻璃瓶或食品级桶，密封保存。",
        ),
        ("开箱检查时穿好防护服，动作轻稳，不要拍打蜜蜂。", "附近打农药时关闭巢门或把蜂箱搬走。"),
        (("取蜜太勤，蜂群过冬饿死。", "每年只在大流蜜期取一到两次。"),),
        ("游客和网店零售", "农家乐代销", "合作社统一包装销售"),
        "山区林地，周围三公里内有成片的野花和果树。",
        "蜂场地势干燥，远离噪声和农药使用多的地方。",
        ("中蜂饲养", "蜂病防治"),
        "县特色产业服务中心",
    ),
    Theme(
        "mu-er",
        "木耳",
        "加工",
        ("木耳", "食用菌"),
        ("黑木耳菌袋地栽", "木耳晾晒与分级", "食用菌菌袋质量检查", "香菇袋料栽培"),
        "干木耳",
        "万袋",
        "斤",
        (30, 60),
        (("菌袋", "袋", 2.2), ("遮阳网", "米", 2), ("微喷带", "米", 0.8), ("晾晒架", "个", 60)),
        (
            "买菌袋时检查菌丝：长满、洁白、没有杂色斑点的才要。",
            "菌袋运回后在阴凉处养菌十到十五天，让菌丝恢复。",
            "每袋用刀片划出 V 形口，划口深度半厘米左右。",
            "摆袋后铺好微喷带，保持耳床湿润，早晚各喷一次水。",
            "耳片长到三厘米左右、边缘开始变薄时采收。",
            "采下的木耳在晾晒架上摊开，晒到手一捏就碎为止。",
        ),
        ("用电要找电工接线，喷水设备不要漏电。", "晾晒架要固定牢，防止大风吹倒砸伤人。"),
        (
            ("浇水太多，菌袋发霉、耳片流耳。", "采耳前两天停水，雨天盖膜。"),
            ("菌袋堆放太挤，烧菌。", "养菌期间注意通风降温。"),
        ),
        ("县木耳交易中心", "电商直播", "加工企业订单收购"),
        "年均气温 10–18℃，春秋季节温差大的山区。",
        "耳场选在水源方便、通风良好、地势平坦的地块。",
        ("黑木耳栽培", "香菇栽培", "菌种与菌袋质量"),
        "县食用菌产业服务中心",
    ),
    Theme(
        "miao-xiu",
        "苗绣",
        "手工",
        ("刺绣",),
        ("苗绣入门针法", "绣片接单与交货", "刺绣作品拍照上架"),
        "绣片",
        "件",
        "件",
        (80, 400),
        (("绣花针", "包", 5), ("丝线", "卷", 8), ("绣绷", "个", 15), ("底布", "米", 20)),
        (
            "先学平绣：针脚整齐、线要拉平，绣一块小方片练手。",
            "再学锁绣和打籽绣，每种针法练满一块绣片。",
            "按订单图样配线，先绣轮廓，再填颜色。",
            "绣完后用温水轻洗，平铺晾干，不要拧。",
            "交货前对照样品检查尺寸、颜色和针脚。",
        ),
        ("长时间低头刺绣，每隔一小时起身活动，注意保护眼睛。",),
        (("为了赶工针脚越来越大，订单被退回。", "按样品定好针数，宁慢勿乱。"),),
        ("县手工艺合作社接单", "文创企业订单", "景区门店和网店"),
        "室内手工，不受季节限制。",
        "家里要有光线充足的工作位置。",
        ("苗绣", "手工艺订单管理"),
        "县妇联手工艺培训中心",
    ),
    Theme(
        "dian-shang",
        "电商",
        "电商",
        ("直播", "网店"),
        ("手机直播入门", "农产品网店开店", "农产品包装与发货"),
        "订单",
        "月",
        "单",
        (20, 60),
        (
            ("智能手机", "部", 1200),
            ("补光灯", "个", 90),
            ("手机支架", "个", 30),
            ("包装箱", "个", 2),
        ),
        (
            "先把产品拍清楚：自然光下拍正面、细节和包装三张照片。",
            "开店时如实写明产地、规格和保质期，不夸大宣传。",
            "直播前准备好要说的话：产品怎么种、怎么吃、怎么保存。",
            "直播时回答问题要耐心，下单后当天打包。",
            "发货用结实的包装箱，易碎的产品多加一层泡沫。",
            "每周看一次后台数据，哪种产品卖得好就多备货。",
        ),
        ("不要在直播中透露家庭住址和身份证件。", "收款只用平台渠道，不私下转账。"),
        (("照片修得太过，买家收货后差评。", "如实拍照，小瑕疵主动说明。"),),
        ("电商平台网店", "短视频直播间", "县电商服务中心统一发货"),
        "有手机信号和快递网点的村都可以。",
        "家里要有一个安静、明亮的角落做直播。",
        ("手机直播入门", "农产品网上销售"),
        "县电子商务服务中心",
    ),
    Theme(
        "min-su",
        "民宿",
        "乡村旅游",
        ("民宿",),
        ("农家民宿接待", "乡村民宿卫生规范", "农家菜与游客餐饮"),
        "接待",
        "年",
        "人次",
        (80, 200),
        (("床上用品", "套", 300), ("消防器材", "套", 200), ("热水器", "台", 1500)),
        (
            "先到乡镇登记，按要求配好消防器材和卫生设施。",
            "客房每天打扫，床单被套一客一换。",
            "厨房生熟分开，食材写好进货记录。",
            "给游客讲清楚入住须知和周边路线。",
            "离店前请游客留下意见，下次改进。",
        ),
        ("客房不得使用明火取暖，电器要有人看管。",),
        (("一开始投入太大，客人不多时还不上钱。", "先改造两三间客房试营业。"),),
        ("旅游网站预订", "景区合作推荐", "老客人介绍"),
        "靠近景区或有特色村寨风貌的地方。",
        "房屋结构安全，有停车和通行条件。",
        ("乡村民宿", "农家菜"),
        "县文化旅游服务中心",
    ),
    Theme(
        "dian-han",
        "电焊",
        "务工",
        ("电焊", "劳务输出"),
        ("电焊入门与安全", "外出务工前的准备", "电焊工考证"),
        "工资",
        "月",
        "月",
        (4000, 8000),
        (("电焊机", "台", 900), ("焊条", "公斤", 12), ("面罩和手套", "套", 60)),
        (
            "先在培训班学会电焊机的接线和电流调节。",
            "练平焊：焊缝均匀、没有夹渣和气孔。",
            "再练立焊和仰焊，每种练满规定课时。",
            "参加职业技能鉴定，拿到焊工证书。",
            "外出前通过县人社部门的正规渠道联系用工单位，签好劳动合同。",
        ),
        ("焊接时必须戴面罩、手套，穿阻燃工作服。", "在通风良好的地方焊接，远离易燃物。"),
        (("没签合同就跟人外出，工资被拖欠。", "通过县劳务公司等正规渠道外出。"),),
        ("县劳务公司组织外出", "本地建筑和钢结构企业", "农机修理铺"),
        "不受地区限制。",
        "需要有固定的练习场地和安全的用电条件。",
        ("电焊", "外出务工指导"),
        "县人力资源和社会保障局培训中心",
    ),
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
HOUSE_SUFFIX = (
    "大哥一家",
    "大姐一家",
    "二哥一家",
    "嫂子一家",
    "阿姨一家",
    "大叔一家",
    "家",
    "老三一家",
)
ELDER_SUFFIX = {
    "老干部": ("老书记", "老支书", "老乡长"),
    "老战士": ("老兵", "老班长"),
    "老专家": ("老专家", "老技术员", "老工"),
    "老教师": ("老师", "老校长"),
    "老模范": ("劳模", "老模范"),
    "其他": ("老师傅", "老会计"),
}
PLACE_WORDS = ("山坳", "半山腰", "河谷", "坡脚", "山顶", "溪边", "梯田边", "老寨子")
CAUSE_TEXT = {
    "因病": "家里的主劳力生了一场病，治病欠下不少债",
    "因残": "家里有一位残疾人需要照顾，只有一个人能干活",
    "因学": "两个孩子同时上学，开支一下子大了",
    "因灾": "一场山洪冲毁了承包地和圈舍",
    "缺土地": "人多地少，人均不到半亩耕地",
    "缺水": "村里缺水，庄稼常常因旱减产",
    "缺技术": "只会种玉米，没有别的手艺",
    "缺劳动力": "年轻人外出，家里只剩老人",
    "缺资金": "想发展产业却拿不出起步的钱",
    "交通条件落后": "村里不通硬化路，东西运不出去",
    "自身发展动力不足": "对发展产业没信心，总觉得干什么都不成",
    "其他": "家里底子薄，抗风险能力差",
}

INTRO_PARAS = (
    "{name}住在{county}{township}的{place}，一家{family}口。{year0} 年前后，{cause}，全家人均纯收入只有 {inc0} 元左右。",
    "{name}所在的村子离{township}集镇有十几公里山路，过去靠种玉米、养几只鸡过日子，日子过得紧巴巴的。",
    "村里的{product}生意早就有人在做，可{name}一直不敢试，怕亏了本，更怕学不会。",
    "那几年，{name}家里的收入主要靠打零工，一年到头忙下来，手里也攒不下什么钱。",
    "{county}山多地少，{name}家分到的几块地都在坡上，种粮食收成很低。",
)
KID_PARAS = (
    "家里有{kids}个孩子在读书，大的读初中，小的读小学，学费和生活费是一笔不小的开支。",
    "{kids}个孩子都在镇上读书，每到开学，{name}都要四处借钱。",
)
METHOD_PARAS = (
    "{township}关工委安排{elder}和{name}结成对子。{elder}先带他们到邻村看别人的{product}是怎么做的，再手把手地教。",
    "第一年只试着做了一小片，{elder}每周来一次，遇到问题随时在咨询群里问，晚上也有人回答。",
    "起步资金通过小额信贷解决，{elder}帮着算了一笔账：投入多少、多久回本、行情不好怎么办。",
    "{elder}反复强调，{step}",
    "学技术之外，{elder}还带着{name}去县里的合作社谈销路，先把收购价和数量谈下来。",
    "遇到{mistake_short}的问题时，{elder}没有责怪，而是告诉他们：{fix}",
    "合作社统一提供{material}，技术员定期上门指导，{name}家省了不少心。",
    "镇上组织了几次现场培训，{name}每次都去，笔记记了满满一本。",
)
EDU_PARAS = (
    "孩子的学费有教育资助，镇关工委的老教师每学期上门一次，孩子一天学也没有落下。",
    "关工委的老教师常来家里辅导功课，孩子的成绩比以前好了很多。",
)
RESULT_PARAS = (
    "{exit} 年，{name}家靠{product}增收，当年脱贫；{year1} 年人均纯收入达到 {inc1} 元。",
    "如今{name}家的{product}已经成了规模，一年能卖出去不少，还带动了村里另外几户人家一起做。",
    "{name}成了村里的技术骨干，合作社请他给新加入的农户讲课。",
    "家里翻修了房子，添了农用车，{name}说这在过去是想都不敢想的事。",
    "现在{name}不光自己干，还在合作社里帮着收货、分级，每个月多了一份工资。",
)
LESSON_PARAS = (
    "一是起步要小，先学会再扩大；二是技术要有人带，结对的老人随叫随到，比看一百遍资料管用；三是销路要先找好，心里才有底。",
    "发展产业要因地制宜，{county}的气候和土地适合{product}，这是{name}能成功的前提。",
    "帮扶贵在坚持，{elder}几年如一日地上门指导，把技术真正留在了农户家里。",
    "扶贫先扶志，{name}从“等靠要”到“主动干”，靠的是看得见的成效和身边人的榜样。",
    "要算好账再投入，{elder}帮着算的那笔账，让{name}少走了很多弯路。",
)
TUTORIAL_PARAS = (
    "{product}是{region}山区农户熟悉的门路，但很多人家“做了不少，赚得不多”。{author}在当地带了十几户农户，总结出这套办法。",
    "开始之前，请先和村里的合作社或收购商说好销路，再决定做多大规模。",
    "本教程按一年的农事顺序编写，每一步都写明了要做什么、怎么做、要注意什么。第一次做的农户，建议先小规模试一试。",
    "下面的成本和收益按当地近年的行情估算，价格每年都有变化，请按当年行情重新计算。",
    "遇到拿不准的问题，可以到{station}咨询，也可以加入关工委的技术咨询群，群里有老专家随时答疑。",
    "{author}常说：“技术不难，难的是天天坚持。”按时做好每一步，比什么诀窍都管用。",
)


#: Combinatorial sentence parts, so that two items on the same trade share only common phrases
#: (real stories are written by different people; the W201 near-copy check must not see
#: thousands of template clones).
R_CONN = (
    "后来",
    "没想到",
    "说来也巧",
    "那段时间",
    "慢慢地",
    "一来二去",
    "到了年底",
    "头一年",
    "第二年",
    "起初",
    "再后来",
    "转眼间",
    "有一回",
    "从那以后",
    "刚开始",
    "日子久了",
)
R_TIME = (
    "每年三月",
    "开春以后",
    "入夏前后",
    "秋收以后",
    "腊月里",
    "雨季来临前",
    "农闲时节",
    "赶集那天",
    "清明前后",
    "端午过后",
    "中秋前后",
    "霜降以后",
    "冬至前后",
    "天一放晴",
    "每逢周末",
    "一大早",
)
R_WHO = (
    "村里的老支书",
    "隔壁的婶子",
    "合作社的技术员",
    "镇上的农技员",
    "在外打工回来的侄子",
    "驻村第一书记",
    "县里来的专家",
    "老伴",
    "大儿子",
    "邻居家的媳妇",
    "村医",
    "收购商",
    "表哥",
    "小组长",
    "供销社的师傅",
    "退休的老会计",
    "妇女主任",
    "返乡的大学生",
    "信用社的信贷员",
    "邻村的养殖大户",
)
R_ACT = (
    "反复比较了几种做法",
    "专门跑了一趟县城",
    "把旧房子翻修了一遍",
    "请人帮忙修了水池",
    "买了一台二手三轮车",
    "学会了用手机记账",
    "在地边挖了排水沟",
    "把坡地改成了梯地",
    "换了一批新品种",
    "跟着视频学了好几遍",
    "把账本从头到尾算了一遍",
    "在院坝里搭了个棚子",
    "去邻县参观了两天",
    "报名参加了夜校",
    "拉来了几车农家肥",
    "和几户人家凑钱买了设备",
    "把自家的老房子腾出来当仓库",
    "借来了一辆小货车",
    "托人从外地捎回了种苗",
    "在村口的小卖部贴了告示",
    "每天晚上对着说明书琢磨",
    "用竹竿和塑料布搭了简易大棚",
)
R_RES = (
    "心里踏实了不少",
    "省下了一大笔开支",
    "产量比往年高了一截",
    "再也不用到处借钱",
    "第一次尝到了甜头",
    "被乡亲们夸了好几回",
    "干劲一下子上来了",
    "损失比别人家少得多",
    "价钱也卖得比往年好",
    "全家人都松了一口气",
    "连外村的人都来打听",
    "笑得合不拢嘴",
    "把欠的债还上了一半",
    "开始盘算明年扩大规模",
    "腰杆也挺直了",
)
R_TIP = (
    "先看天气再动手",
    "工具用完当天洗净收好",
    "每次都记下日期和用量",
    "拿不准就打电话问",
    "宁可慢一点也要做细",
    "材料提前一周备齐",
    "两个人配合做更省力",
    "做完检查一遍再收工",
    "第一次少量试做",
    "按说明书的用量来",
    "别贪多求快",
    "天热时避开中午",
    "下雨天不要硬干",
    "边做边拍照留底",
    "旧的材料不要混用",
)


def ramble(rng: random.Random, k: int) -> str:
    """``k`` varied sentences of everyday narrative."""
    return "".join(
        f"{rng.choice(R_CONN)}，{rng.choice(R_TIME)}{rng.choice(R_WHO)}{rng.choice(R_ACT)}，{rng.choice(R_RES)}。"
        for _ in range(k)
    )


# --------------------------------------------------------------------------- tiny YAML writer


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip():
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or text[0].isdigit():
        return False
    if any(s in text for s in (": ", " #", "\n")) or text.endswith(":"):
        return False
    if text.lower() in {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}:
        return False
    return True


def _scalar(value: Any, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _plain_ok(text) and not (flow and any(c in text for c in ",[]{}")):
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML lines for a dict (lists of scalars in flow style, like the samples)."""
    pad = " " * indent
    lines: list[str] = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(_yaml(item, indent + 2))
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            lines.append(f"{pad}{key}:")
            for entry in item:
                sub = _yaml(entry, indent + 4)
                lines.append(f"{pad}  - {sub[0].lstrip()}")
                lines.extend(sub[1:])
        elif (
            isinstance(item, list)
            and item
            and all(isinstance(x, str) and len(x) > 24 for x in item)
        ):
            lines.append(f"{pad}{key}:")
            lines.extend(f"{pad}  - {_scalar(x)}" for x in item)
        elif isinstance(item, list):
            lines.append(f"{pad}{key}: [{', '.join(_scalar(x, flow=True) for x in item)}]")
        else:
            lines.append(f"{pad}{key}: {_scalar(item)}")
    return lines


def dump_yaml(data: dict[str, Any], schema: str | None = None, comment: str | None = None) -> str:
    head = []
    if schema:
        head.append(f"# yaml-language-server: $schema={schema}")
    if comment:
        head.append(f"# {comment}")
    return "\n".join([*head, *_yaml(data)]) + "\n"


# --------------------------------------------------------------------------- photos


def _make_photo(
    rng: random.Random, size: tuple[int, int] = (1600, 1067), quality: int = 72
) -> bytes:
    """A landscape-like 1600×1067 JPEG of realistic weight (~60–140 KB)."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = size
    small = Image.new("RGB", (width // 8, height // 8))
    draw = ImageDraw.Draw(small)
    sw, sh = small.size
    sky = (rng.randint(120, 200), rng.randint(160, 220), rng.randint(200, 255))
    for y in range(sh):
        t = y / sh
        draw.line([(0, y), (sw, y)], fill=tuple(int(c * (1 - 0.4 * t)) for c in sky))
    horizon = int(sh * rng.uniform(0.3, 0.55))
    for band in range(7):
        base = horizon + band * (sh - horizon) // 7
        green = (rng.randint(40, 110), rng.randint(90, 170), rng.randint(30, 80))
        points = [(0, sh)]
        for x in range(0, sw + 20, 20):
            points.append((x, base + rng.randint(-12, 12)))
        points.append((sw, sh))
        draw.polygon(points, fill=green)
    for _ in range(40):
        x, y = rng.randint(0, sw), rng.randint(horizon, sh)
        r = rng.randint(2, 9)
        draw.ellipse(
            [x - r, y - r, x + r, y + r],
            fill=(rng.randint(20, 90), rng.randint(60, 130), rng.randint(20, 60)),
        )
    image = small.resize((width, height), Image.Resampling.BICUBIC).filter(
        ImageFilter.GaussianBlur(1.2)
    )
    noise = Image.effect_noise((width, height), rng.uniform(18, 30)).convert("RGB")
    image = Image.blend(image, noise, 0.08)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _tagged(jpeg: bytes, tag: str) -> bytes:
    """The same JPEG with a comment segment after SOI: identical pixels, different bytes."""
    payload = tag.encode("utf-8")
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


class PhotoWriter:
    """Writes photos from a small pool, byte-unique copies or hard links."""

    def __init__(self, root: Path, rng: random.Random, mode: ImageMode, pool_size: int = 8):
        self.mode = mode
        self.pool_dir = root / ".pool"
        self.pool_dir.mkdir(parents=True, exist_ok=True)
        self.pool: list[Path] = []
        self.data: list[bytes] = []
        for index in range(pool_size):
            path = self.pool_dir / f"photo-{index}.jpg"
            if not path.exists():
                path.write_bytes(_make_photo(rng))
            self.pool.append(path)
            self.data.append(path.read_bytes())
        self.count = 0
        self.bytes = 0

    def write(self, target: Path, pick: int, tag: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        index = pick % len(self.pool)
        if self.mode == "unique":
            data = _tagged(self.data[index], tag)
            target.write_bytes(data)
            self.bytes += len(data)
        else:
            try:
                os.link(self.pool[index], target)
            except OSError:
                shutil.copyfile(self.pool[index], target)
            self.bytes += len(self.data[index])
        self.count += 1


# --------------------------------------------------------------------------- generation


@dataclass
class CorpusInfo:
    """What was generated (saved as ``corpus.json`` beside the content)."""

    root: str
    n: int
    seed: int
    image_mode: str
    skills: int = 0
    showcases: int = 0
    elders: int = 0
    pairings: int = 0
    booklets: int = 0
    pages: int = 0
    hant_showcases: int = 0
    hant_skills: int = 0
    photos: int = 0
    photo_bytes: int = 0
    seconds: float = 0.0
    edit_showcase: str = ""
    """A published Simplified showcase whose story the serve benchmark edits."""
    booklet_ids: list[str] = field(default_factory=list)
    stamp: str = ""

    @classmethod
    def load(cls, path: Path) -> CorpusInfo:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def _stamp(n: int, seed: int, image_mode: str, booklets: int) -> str:
    source = Path(__file__).read_bytes()
    return hashlib.sha256(
        source + f"|{GENERATOR_VERSION}|{n}|{seed}|{image_mode}|{booklets}".encode()
    ).hexdigest()[:16]


def _fill(template: str, **values: Any) -> str:
    return template.format(**values)


def _pick(rng: random.Random, items: Sequence[Any], k: int) -> list[Any]:
    return rng.sample(list(items), min(k, len(items)))


class _Gen:
    def __init__(self, root: Path, n: int, seed: int, image_mode: ImageMode, booklets: int):
        self.root = root
        self.n = n
        self.rng = random.Random(seed)
        self.info = CorpusInfo(str(root), n, seed, image_mode)
        self.photos = PhotoWriter(root, random.Random(seed + 1), image_mode)
        self.n_booklets = booklets
        self.places = [
            (prov, county, town)
            for prov, counties in REGIONS.items()
            for county, towns in counties.items()
            for town in towns
        ]
        import opencc

        self.s2t = opencc.OpenCC("s2t")
        self.elders: list[dict[str, Any]] = []
        self.skills_by_theme: dict[str, list[str]] = {t.key: [] for t in THEMES}
        self.skill_ids: list[str] = []
        self.printable_showcases: list[str] = []
        self.printable_skills: list[str] = []

    # ------------------------------------------------------------------ helpers

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def name(self, suffixes: Iterable[str]) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(list(suffixes))

    # ------------------------------------------------------------------ parts

    def taxonomy(self) -> None:
        tags = sorted({t for theme in THEMES for t in theme.tags})
        data = {
            "industries": INDUSTRIES,
            "poverty_causes": POVERTY_CAUSES,
            "assistance_measures": MEASURES,
            "activities": ACTIVITIES,
            "elder_types": ELDER_TYPES,
            "periods": PERIODS,
            "tags": tags,
        }
        lines = _yaml(data)
        lines.append("regions:")
        for prov, counties in REGIONS.items():
            lines.append(f"  - name: {prov}")
            lines.append("    counties:")
            for county, towns in counties.items():
                lines.append(f"      - name: {county}")
                lines.append(f"        townships: [{', '.join(towns)}]")
        head = "# yaml-language-server: $schema=../schemas/taxonomy.schema.json\n# 基准测试用的合成分类表。\n"
        self.write("content/taxonomy.yaml", head + "\n".join(lines) + "\n")
        channels = "\n".join(
            f'  - name: {name}\n    number: "{number}"' for name, number in PUBLIC_HOTLINES
        )
        self.write("content/public_channels.yaml", f"# 公开号码（合成）。\nchannels:\n{channels}\n")
        self.write(
            "content/protected_terms.yaml",
            "# 不做繁简转换的词语（合成）。\nterms:\n  - 雷公山\n  - 西江千户苗寨\n",
        )
        self.write(
            "content/synonyms.yaml",
            "# 搜索同义词（合成）。\ngroups:\n  - [土豆, 马铃薯, 洋芋]\n  - [奇异果, 猕猴桃]\n"
            "  - [猪, 生猪, 养猪]\n  - [网店, 电商, 网上销售]\n  - [刺绣, 苗绣, 绣花]\n",
        )
        pages = (
            (
                "01-about",
                "关于一盏灯",
                "一盏灯收集关工委“五老”传授的实用技能和脱贫农户的真实经验。",
            ),
            (
                "02-how-to-use",
                "怎样使用本站",
                "按产业、地区或标签查找技能教程和典型案例；每篇教程都写明了成本、收益和向谁请教。",
            ),
            (
                "03-privacy",
                "隐私与同意",
                "本站不公开任何农户的真实姓名、证件号码、电话和详细地址；每个案例都有发布同意记录。",
            ),
        )
        for slug, title, text in pages:
            body = "\n\n".join(
                [text]
                + [
                    self.rng.choice(TUTORIAL_PARAS).format(
                        product="产业", region="西南", author="五老", station="县农业技术推广站"
                    )
                    for _ in range(3)
                ]
            )
            self.write(f"content/pages/{slug}.md", f"# {title}\n\n{body}\n")
        self.info.pages = len(pages)

    def make_elders(self) -> None:
        count = max(5, self.n // 20)
        for index in range(count):
            theme = THEMES[index % len(THEMES)]
            etype = ELDER_TYPES[index % (len(ELDER_TYPES) - 1)]
            prov, county, town = self.rng.choice(self.places)
            ident = f"wu-lao-{index + 1:05d}"
            display = self.rng.choice(SURNAMES) + self.rng.choice(ELDER_SUFFIX[etype])
            data: dict[str, Any] = {
                "id": ident,
                "display_name": display,
                "status": "published",
                "elder_type": etype,
                "expertise": list(theme.expertise),
                "unit": f"{county}关工委",
                "level": "县",
                "region": {"province": prov, "county": county, "township": town},
                "bio": (
                    f"退休前在{theme.station}工作多年，熟悉{theme.name}的每一道工序。退休后加入{county}关工委“五老”"
                    f"服务队，常年在{town}一带走村串户，手把手地教农户。"
                ),
                "contact": {
                    "name": f"{county}关工委{theme.name}技术咨询群（虚构）",
                    "how": f"到{town}农业服务中心登记后，由工作人员拉入咨询群；也可拨打全国农业服务热线。",
                    "hotline": "12316",
                },
                "consent": {
                    "ref": f"BENCH-E{index + 1:05d}",
                    "scope": ["web", "print"],
                    "signed": dt.date(2018, 1, 1) + dt.timedelta(days=self.rng.randint(0, 1500)),
                },
            }
            self.elders.append(
                {"id": ident, "name": display, "theme": theme.key, "place": (prov, county, town)}
            )
            self.write(
                f"content/elders/{ident}.yaml",
                dump_yaml(
                    data, "../../schemas/elder.schema.json", "基准测试用的合成人物，纯属虚构。"
                ),
            )
        self.info.elders = count

    def elder_for(self, theme: Theme) -> dict[str, Any]:
        matching = [e for e in self.elders if e["theme"] == theme.key]
        return self.rng.choice(matching or self.elders)

    def make_skills(self) -> None:
        for index in range(self.n):
            theme = THEMES[index % len(THEMES)]
            ident = f"{theme.key}-{index + 1:05d}"
            rng = self.rng
            author = self.elder_for(theme)
            provinces = sorted(
                {author["place"][0], *(_pick(rng, list(REGIONS), rng.randint(1, 3)))}
            )
            base_title = rng.choice(theme.titles)
            title = (
                f"{base_title}（第 {index // len(THEMES) + 1} 版）"
                if index >= len(THEMES)
                else base_title
            )
            steps: list[dict[str, Any]] = []
            image_count = 0
            for number, text in enumerate(_pick(rng, theme.steps, rng.randint(3, 5)), start=1):
                step: dict[str, Any] = {
                    "text": f"{text}{rng.choice(R_TIME)}做这一步时，{rng.choice(R_TIP)}。"
                }
                if number <= 2 and rng.random() < 0.6:
                    image_count += 1
                    rel = f"images/step-{number}.jpg"
                    step["image"] = rel
                    self.photos.write(
                        self.root / "skills_library" / ident / rel,
                        rng.randrange(1 << 16),
                        f"{ident}/{rel}",
                    )
                if rng.random() < 0.4:
                    step["caution"] = rng.choice(theme.safety)
                steps.append(step)
            setup = rng.randint(10, 200) * 100
            per_cycle = rng.randint(10, 300) * 100
            months = sorted(rng.sample(range(1, 13), 4))
            calendar = [
                {
                    "from_month": months[i],
                    "to_month": months[i],
                    "task": theme.steps[i % len(theme.steps)],
                }
                for i in range(4)
            ]
            status = "published" if rng.random() < 0.96 else "review"
            data: dict[str, Any] = {
                "id": ident,
                "title": title,
                "summary": f"{theme.name}{rng.choice(('实用技术', '一步一步学', '入门与提高', '省钱增收办法'))}：{rng.choice(theme.steps)[:24]}",
                "status": status,
                "category": theme.industry,
                "tags": list(theme.tags),
                "problem": (
                    f"山区农户做{theme.name}规模小、技术不过关，{theme.product}卖不上价。{ramble(rng, 2)}"
                ),
                "suitable_regions": provinces,
                "climate": theme.climate,
                "soil": theme.soil,
                "calendar": calendar,
                "materials": [
                    {"name": m, "quantity": rng.randint(1, 40) * 5, "unit": u, "price": p}
                    for m, u, p in theme.materials
                ],
                "labour_days": rng.randint(10, 120),
                "cost": {
                    "setup": setup,
                    "per_cycle": per_cycle,
                    "cycle": "一年",
                    "price_year": rng.randint(2019, 2024),
                },
                "expected_return": {
                    "yield": f"每{theme.unit}{theme.product}约 {rng.randint(2, 90) * 10} {theme.sell_unit}",
                    "price": f"每{theme.sell_unit} {rng.randint(*theme.price)} 元",
                    "net": rng.randint(20, 400) * 100,
                    "payback_months": rng.randint(3, 36),
                    "assumptions": "按近年本地收购价和正常年景估算；价格波动大，请按当年行情重新计算。",
                },
                "steps": steps,
                "safety": [f"{x}{rng.choice(R_TIP)}。" for x in _pick(rng, theme.safety, 2)],
                "mistakes": [
                    {"mistake": m, "fix": f"{f}{ramble(rng, 1)}"}
                    for m, f in _pick(rng, theme.mistakes, 2)
                ],
                "where_to_sell": _pick(rng, theme.where, 2),
                "who_to_ask": {
                    "elders": [author["id"]],
                    "station": f"{author['place'][1]}{theme.station[1:]}（虚构）",
                    "hotline": "12316",
                },
                "poverty_causes": _pick(rng, ["缺技术", "缺资金", "缺劳动力", "交通条件落后"], 2),
                "validated_by": {
                    "name": author["name"],
                    "organisation": f"{author['place'][1]}{theme.station[1:]}（虚构）",
                    "date": dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
                },
                "review_due": dt.date(2029, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
                "authors": [author["id"]],
            }
            paras = [
                _fill(
                    p,
                    product=theme.name,
                    region=author["place"][0],
                    author=author["name"],
                    station=theme.station,
                )
                for p in _pick(rng, TUTORIAL_PARAS, rng.randint(2, 4))
            ]
            body_parts = [
                "> 基准测试用的合成教程，内容为虚构示例。",
                *paras[:2],
                ramble(rng, rng.randint(3, 6)),
                "## 开始之前",
                *paras[2:],
                ramble(rng, rng.randint(3, 6)),
            ]
            if image_count and rng.random() < 0.3:
                body_parts.append(
                    f"![{theme.name}现场](images/step-1.jpg)" if "image" in steps[0] else ""
                )
            body_parts.append("## 常见问题")
            body_parts.extend(f"**{m}** {f}" for m, f in theme.mistakes)
            body = "\n\n".join(p for p in body_parts if p) + "\n"
            yaml_text = dump_yaml(
                data, "../../schemas/skill.schema.json", "基准测试用的合成教程，纯属虚构。"
            )
            if rng.random() < 0.1:
                yaml_text, body = self.s2t.convert(yaml_text), self.s2t.convert(body)
                self.info.hant_skills += 1
            self.write(f"skills_library/{ident}/skill.yaml", yaml_text)
            self.write(f"skills_library/{ident}/tutorial.md", body)
            self.skills_by_theme[theme.key].append(ident)
            self.skill_ids.append(ident)
            if status == "published":
                self.printable_skills.append(ident)
        self.info.skills = self.n

    def make_showcases(self) -> list[tuple[str, dict[str, Any], str]]:
        made = []
        for index in range(self.n):
            rng = self.rng
            theme = THEMES[(index * 7) % len(THEMES)]
            ident = f"an-li-{theme.key}-{index + 1:05d}"
            elder = self.elder_for(theme)
            prov, county, town = elder["place"] if rng.random() < 0.7 else rng.choice(self.places)
            name = f"「{self.name(HOUSE_SUFFIX)}」"
            causes = _pick(rng, POVERTY_CAUSES[:-1], rng.randint(1, 3))
            year0 = rng.randint(2013, 2017)
            exit_year = rng.randint(year0 + 1, 2020)
            year1 = rng.randint(exit_year, 2023)
            inc0 = rng.randint(12, 35) * 100
            inc1 = inc0 * rng.randint(3, 6) + rng.randint(0, 9) * 100
            kids = rng.choice((0, 0, 1, 2, 2, 3))
            skill_ids = self.skills_by_theme[theme.key]
            uses = _pick(rng, skill_ids, rng.randint(1, 2)) if skill_ids else []
            mistake, fix = rng.choice(theme.mistakes)
            values = {
                "name": name,
                "county": county,
                "township": town,
                "place": rng.choice(PLACE_WORDS),
                "family": rng.randint(3, 7),
                "year0": year0,
                "cause": CAUSE_TEXT[causes[0]],
                "inc0": inc0,
                "product": theme.name,
                "elder": elder["name"],
                "step": rng.choice(theme.steps),
                "mistake_short": mistake.rstrip("。")[:12],
                "fix": fix,
                "material": theme.materials[0][0],
                "exit": exit_year,
                "year1": year1,
                "inc1": inc1,
                "kids": kids,
            }
            basic = [
                _fill(INTRO_PARAS[0], **values),
                *(_fill(p, **values) for p in _pick(rng, INTRO_PARAS[1:], rng.randint(1, 3))),
            ]
            if kids:
                basic.append(_fill(rng.choice(KID_PARAS), **values))
            basic.append(ramble(rng, rng.randint(2, 4)))
            method = [_fill(p, **values) for p in _pick(rng, METHOD_PARAS, rng.randint(3, 6))]
            method.append(ramble(rng, rng.randint(3, 6)))
            if kids:
                method.append(rng.choice(EDU_PARAS))
            result = [
                _fill(RESULT_PARAS[0], **values),
                *(_fill(p, **values) for p in _pick(rng, RESULT_PARAS[1:], rng.randint(1, 3))),
            ]
            result.append(ramble(rng, rng.randint(2, 4)))
            lesson = [_fill(p, **values) for p in _pick(rng, LESSON_PARAS, rng.randint(2, 4))]
            body = (
                "\n\n".join(
                    [
                        "> 基准测试用的合成案例，人物和数字均为虚构。",
                        "## 基本情况",
                        *basic,
                        "## 主要做法",
                        *method,
                        "## 取得成效",
                        *result,
                        "## 经验启示",
                        *lesson,
                    ]
                )
                + "\n"
            )
            photos = []
            for number in range(1, rng.choice((1, 1, 1, 2)) + 1):
                rel = f"photos/photo-{number}.jpg"
                self.photos.write(
                    self.root / "showcases" / ident / rel, rng.randrange(1 << 16), f"{ident}/{rel}"
                )
                photos.append(
                    {
                        "file": rel,
                        "caption": f"{name}的{theme.name}（合成图片）",
                        "consent_ref": f"BENCH-C{index + 1:05d}",
                    }
                )
            status = "published" if rng.random() < 0.95 else rng.choice(("review", "draft"))
            scope = ["web", "print"] if rng.random() < 0.9 else ["web"]
            data: dict[str, Any] = {
                "id": ident,
                "title": f"{theme.name}致富路：{name[1:-1]}{rng.choice(('脱了贫', '翻了身', '过上好日子', '走出大山'))}",
                "summary": f"{CAUSE_TEXT[causes[0]]}的{name}，跟着{elder['name']}学{theme.name}，{exit_year} 年脱贫。",
                "status": status,
                "featured": rng.random() < 0.02,
                "period": "攻坚期" if exit_year <= 2020 else "过渡期",
                "display_name": name,
                "region": {"province": prov, "county": county, "township": town},
                "industry": theme.industry,
                "skills": uses,
                "poverty_causes": causes,
                "assistance_measures": _pick(rng, MEASURES, rng.randint(1, 3)),
                "activities": _pick(rng, ACTIVITIES, rng.randint(1, 3)),
                "elders": [elder["id"]],
                "tags": list(theme.tags[:1]) if rng.random() < 0.5 else list(theme.tags),
                "key_figures": {
                    "income_before": {"year": year0, "amount": inc0},
                    "income_after": {"year": year1, "amount": inc1},
                    "exit_year": exit_year,
                },
                "children": {"count": kids, "all_enrolled": True},
                "replicability": [
                    "家里有一到两个能干活的劳力",
                    f"当地气候和场地适合{theme.name}",
                    "村里有合作社或稳定的收购商",
                ],
                "photos": photos,
                "consent": {
                    "ref": f"BENCH-C{index + 1:05d}",
                    "scope": scope,
                    "signed": dt.date(exit_year, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
                    "guardian": True,
                },
            }
            hant = rng.random() < 0.33
            made.append((ident, data, body))
            yaml_text = dump_yaml(
                data, "../../schemas/showcase.schema.json", "基准测试用的合成案例，纯属虚构。"
            )
            if hant:
                yaml_text, body = self.s2t.convert(yaml_text), self.s2t.convert(body)
                self.info.hant_showcases += 1
            elif status == "published" and not self.info.edit_showcase:
                self.info.edit_showcase = ident
            self.write(f"showcases/{ident}/showcase.yaml", yaml_text)
            self.write(f"showcases/{ident}/story.md", body)
            if status == "published" and "print" in scope:
                self.printable_showcases.append(ident)
        self.info.showcases = self.n
        return made

    def make_pairings(self, showcases: list[tuple[str, dict[str, Any], str]]) -> None:
        count = max(3, self.n // 5)
        for index in range(count):
            rng = self.rng
            ident, data, _ = showcases[(index * 5) % len(showcases)]
            start = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 1400))
            region = data["region"]
            record: dict[str, Any] = {
                "id": f"jie-dui-{index + 1:05d}",
                "elders": list(data["elders"]),
                "household": {"showcase": ident} if index % 3 else {"code": f"HH-{index + 1:05d}"},
                "region": {"province": region["province"], "county": region["county"]},
                "mode": rng.choice(("一对一", "几对一", "三员包一户")),
                "relation": rng.choice(("结对户", "联系户")),
                "start": start,
                "end": start + dt.timedelta(days=rng.randint(300, 1500)),
                "goals": ["学会一门实用技术", f"{start.year + 2} 年底前脱贫"],
                "visits": [
                    {
                        "date": start + dt.timedelta(days=30 * k + rng.randint(0, 20)),
                        "channel": rng.choice(("上门", "电话", "微信群")),
                        "topic": rng.choice(
                            ("看场地，定规模", "讲解技术要点", "商量销路", "查看长势", "算收支账")
                        ),
                    }
                    for k in range(rng.randint(1, 5))
                ],
                "outcome": "按期脱贫，已能独立经营。",
            }
            self.write(
                f"content/pairings/{record['id']}.yaml",
                dump_yaml(record, None, "合成结对记录，只以统计数字发布。"),
            )
        self.info.pairings = count

    def make_booklets(self) -> None:
        rng = self.rng
        ids: list[str] = []
        for index in range(self.n_booklets):
            ident = f"xiao-ce-zi-{index + 1:02d}"
            shows = _pick(rng, self.printable_showcases, 4)
            skills = _pick(rng, self.printable_skills, 2)
            data: dict[str, Any] = {
                "id": ident,
                "title": f"脱贫路上的好经验（第 {index + 1} 册）",
                "subtitle": "关工委“五老”帮扶典型案例与实用技术",
                "edition": "large_print" if index % 4 == 1 else "standard",
                "trim": ("A5", "A5", "大32开", "16开")[index % 4] if index % 4 != 1 else "A5",
                "script": "hant" if index % 4 == 2 else "hans",
                "showcases": shows,
                "skills": skills,
                "order": "listed",
                "cover_color": rng.choice(("#9c2a1f", "#1f5c9c", "#2f7d32", "#7a4a12")),
                "foreword": "这本小册子收录了几户农户的脱贫故事和几项实用技术，供村里的乡亲们学习参考。",
                "contact_page": True,
                "quantity": rng.choice((100, 200, 500)),
                "shop_notes": "骑马钉装订，封面用 200 克铜版纸。",
            }
            self.write(
                f"content/booklets/{ident}.yaml",
                dump_yaml(data, "../../schemas/booklet.schema.json", "合成小册子定义。"),
            )
            ids.append(ident)
        self.info.booklets = len(ids)
        self.info.booklet_ids = ids


def generate(
    root: Path,
    n: int,
    seed: int = 20240601,
    *,
    image_mode: ImageMode = "unique",
    booklets: int = 40,
    force: bool = False,
) -> CorpusInfo:
    """Write the corpus under ``root`` (reused when an identical one is already there)."""
    import time

    root = root.resolve()
    stamp = _stamp(n, seed, image_mode, booklets)
    info_path = root / "corpus.json"
    if not force and info_path.exists():
        try:
            old = CorpusInfo.load(info_path)
            if old.stamp == stamp:
                return old
        except (ValueError, TypeError, OSError):
            pass
    start = time.perf_counter()
    for sub in (
        "content",
        "skills_library",
        "showcases",
        "site",
        "dist",
        ".lamplight-cache",
        ".pool",
        "plain",
    ):
        shutil.rmtree(root / sub, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    gen = _Gen(root, n, seed, image_mode, booklets)
    gen.taxonomy()
    gen.make_elders()
    gen.make_skills()
    made = gen.make_showcases()
    gen.make_pairings(made)
    gen.make_booklets()
    gen.info.photos = gen.photos.count
    gen.info.photo_bytes = gen.photos.bytes
    gen.info.seconds = round(time.perf_counter() - start, 2)
    gen.info.stamp = stamp
    info_path.write_text(
        json.dumps(asdict(gen.info), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return gen.info


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Generate a synthetic Lamplight corpus.")
    parser.add_argument("n", type=int)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--images", choices=("unique", "pooled"), default="unique")
    parser.add_argument("--booklets", type=int, default=40)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    root = args.root or Path(__file__).resolve().parent / "corpus" / f"n{args.n}"
    info = generate(
        root, args.n, args.seed, image_mode=args.images, booklets=args.booklets, force=args.force
    )
    print(json.dumps(asdict(info), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
