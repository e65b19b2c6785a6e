"""Labels the theme templates show (header, footer), converted to each build's script."""

from __future__ import annotations

from collections.abc import Callable

LABELS: dict[str, str] = {
    "skip": "跳到正文",
    "header": "页眉",
    "menu": "目录",
    "home": "首页",
    "search": "搜索",
    "search_placeholder": "搜技能、榜样、老师",
    "size": "文字大小",
    "size_label": "字号",
    "size_1": "标准",
    "size_2": "大",
    "size_3": "特大",
    "site_nav": "全站目录",
    "motto": "五老传技能、讲榜样。",
    "help": "遇到问题可以拨打全国农业服务热线",
    "help_after": "，或到乡镇农业服务中心咨询。",
    "sample": "本站目前展示的是样例内容，人物、地点和数字都是虚构的。",
    "version": "内容版本",
    "not_found": "找不到这一页",
    "not_found_text": "这一页可能已经撤下或改了地址。请回到首页，或用上面的搜索框找一找。",
}


def labels(convert: Callable[[str], str]) -> dict[str, str]:
    """Every theme label in the script that ``convert`` produces."""
    return {key: convert(value) for key, value in LABELS.items()}
