"""Word lists for the Chinese PII recognizers in :mod:`lingxi.privacy.pii`, kept apart from the matching code.

Well-known places that anchor where an address starts, and the context words for WeChat/QQ ids (the
name recognizer's lists live in :mod:`lingxi.privacy.names_seed`). Written by the lingxi authors.
"""

from __future__ import annotations


def _words(s: str) -> list[str]:
    return s.split()


KNOWN_PLACES = _words(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 "
    "贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 石家庄 唐山 保定 廊坊 邯郸 太原 大同 "
    "呼和浩特 包头 沈阳 大连 鞍山 长春 哈尔滨 大庆 南京 无锡 徐州 常州 苏州 南通 扬州 镇江 泰州 盐城 连云港 "
    "淮安 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌 合肥 芜湖 蚌埠 福州 厦门 泉州 漳州 南昌 "
    "九江 赣州 济南 青岛 淄博 烟台 潍坊 济宁 威海 临沂 郑州 洛阳 开封 武汉 宜昌 襄阳 长沙 株洲 湘潭 岳阳 广州 "
    "深圳 珠海 汕头 佛山 东莞 中山 惠州 江门 湛江 南宁 桂林 柳州 北海 海口 三亚 成都 绵阳 宜宾 贵阳 遵义 昆明 "
    "大理 拉萨 西安 咸阳 宝鸡 兰州 西宁 银川 乌鲁木齐"
)


WX_WORDS = _words("微信 威信 薇信 weixin wechat WeChat wx WX Wx vx VX Vx V信 v信")


QQ_WORDS = _words("QQ qq Qq 扣扣 企鹅号")
