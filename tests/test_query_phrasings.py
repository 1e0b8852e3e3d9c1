"""Everyday phrasings of the weaker question shapes over a hand-made user (tests/query_user_lin.py).

Each row: the shape, the question as people ask it, words the answer must contain, the exact set of events it
must cite (every contributing event and only those: an entity's current version, every item of a list or a
count), and exact numbers where the shape has one. Gold worked out by hand from the events.
"""

from __future__ import annotations

from typing import Any

import pytest

from lingxi.query.execute import Context, execute
from lingxi.query.rules import parse
from lingxi.query.synonyms import Synonyms
from query_user_lin import NOW, TZ, events

TABLE = Synonyms()
Row = tuple[str, str, tuple[str, ...], set[str], dict[str, int]]
N: dict[str, int] = {}

CASES: list[Row] = [
    # field: an attribute of one entity (order status / ETA / tracking, meeting place / time / people, merchant)
    ("field", "羽绒服到哪了", ("运输中",), {"o2c"}, N),
    ("field", "羽绒服什么时候到", ("11月21日",), {"o2c"}, N),
    ("field", "淘宝的快递到了吗", ("运输中",), {"o2c"}, N),
    ("field", "羽绒服的快递单号是多少", ("ZT2001",), {"o2c"}, N),
    ("field", "羽绒服是哪家快递", ("中通",), {"o2c"}, N),
    ("field", "耳机发货了没有", ("已取消",), {"o3b"}, N),
    ("field", "索尼耳机的订单状态", ("已取消",), {"o3b"}, N),
    ("field", "笔记本到了没", ("已签收",), {"o1b"}, N),
    ("field", "拼多多买的东西签收了吗", ("已签收",), {"o1b"}, N),
    ("field", "羽绒服哪天到", ("11月21日",), {"o2c"}, N),
    ("field", "羽绒服几号能到", ("11月21日",), {"o2c"}, N),
    ("field", "周会在哪开", ("3楼会议室",), {"k1"}, N),
    ("field", "产品周会几点开始", ("10:00",), {"k1"}, N),
    ("field", "周会有谁参加", ("陈静", "刘洋"), {"k1"}, N),
    ("field", "牙科复查在哪", ("瑞尔齿科",), {"k2"}, N),
    ("field", "牙科复查是哪天", ("11月21日",), {"k2"}, N),
    ("field", "和赵磊吃饭是几点", ("18:00",), {"k3a", "k3b"}, N),
    ("field", "跟赵磊吃饭在哪", ("外婆家",), {"k3a", "k3b"}, N),
    ("field", "上一次喝奶茶是在哪家", ("喜茶",), {"p12"}, {"amount_fen": 2100}),
    ("field", "最近一次网购买了什么", ("索尼降噪耳机",), {"o3a", "o3b"}, N),
    ("field", "11月16日在淘宝买了啥", ("羽绒服",), {"o2a", "o2c"}, N),
    ("field", "话费是哪天交的", ("11月16日",), {"p7"}, N),
    ("field", "最近一次打车是哪天", ("11月18日",), {"p10"}, N),
    ("field", "看电影是在哪家影院", ("万达影城",), {"p3"}, N),
    ("field", "季度汇报还开吗", ("已取消",), {"k4a", "k4b"}, N),
    ("field", "周会在哪个会议室", ("3楼会议室",), {"k1"}, N),
    ("field", "牙科复查几点", ("15:00",), {"k2"}, N),
    ("field", "和赵磊吃饭改到哪天了", ("11月22日",), {"k3a", "k3b"}, N),
    ("field", "羽绒服现在什么状态", ("运输中",), {"o2c"}, N),
    ("field", "上次看电影花了多少钱", ("¥98.00",), {"p3"}, {"amount_fen": 9800}),
    # exists: 「…了吗」「…没有」「有没有」「是不是」
    ("exists", "这个月打过车吗", ("有",), {"p2", "p10"}, {"exists": 1}),
    ("exists", "这周买过奶茶没有", ("有",), {"p9", "p12"}, {"exists": 1}),
    ("exists", "上周有没有看电影", ("有",), {"p3"}, {"exists": 1}),
    ("exists", "这个月有没有去过盒马", ("没有",), set(), {"exists": 0}),
    ("exists", "今天喝奶茶了吗", ("有",), {"p12"}, {"exists": 1}),
    ("exists", "昨天打车了没", ("有",), {"p10"}, {"exists": 1}),
    ("exists", "今天打车了吗", ("没有",), set(), {"exists": 0}),
    ("exists", "这个月交过话费吗", ("有",), {"p7"}, {"exists": 1}),
    ("exists", "明天有会吗", ("产品周会",), {"k1"}, {"exists": 1}),
    ("exists", "周六有安排吗", ("牙科复查",), {"k2"}, {"exists": 1}),
    ("exists", "周日有没有安排", ("和赵磊吃饭",), {"k3a", "k3b"}, {"exists": 1}),
    ("exists", "赵磊有没有说过电影", ("沙丘",), {"m7"}, {"exists": 1}),
    ("exists", "爸爸今天发消息了吗", ("降温",), {"m4"}, {"exists": 1}),
    ("exists", "陈静是不是提到过方案", ("方案",), {"m5"}, {"exists": 1}),
    ("exists", "有人提到外婆家吗", ("外婆家",), {"m2"}, {"exists": 1}),
    ("exists", "上个月去过盒马吗", ("有",), {"p13"}, {"exists": 1}),
    ("exists", "这周吃过麦当劳没有", ("没有",), set(), {"exists": 0}),
    ("exists", "上周吃过麦当劳吗", ("有",), {"p5"}, {"exists": 1}),
    ("exists", "是不是这周在淘宝买过东西", ("羽绒服",), {"o2a", "o2c"}, {"exists": 1}),
    ("exists", "下周有没有安排", ("没有",), set(), {"exists": 0}),
    # who_said: 「谁…」「X说了什么」
    ("who_said", "谁提到方案了", ("陈静", "刘洋"), {"m5", "m6"}, {"count": 2}),
    ("who_said", "谁推荐了电影", ("赵磊",), {"m7"}, {"count": 1}),
    ("who_said", "是谁说降温了", ("林国栋",), {"m4"}, {"count": 1}),
    ("who_said", "谁提到外婆家", ("赵磊",), {"m2"}, {"count": 1}),
    ("who_said", "爸爸说了什么", ("降温",), {"m4"}, {"count": 1}),
    ("who_said", "赵磊跟我说了啥", ("沙丘", "外婆家"), {"m2", "m7"}, {"count": 2}),
    ("who_said", "陈静说了什么", ("方案",), {"m1", "m5"}, {"count": 2}),
    ("who_said", "我跟赵磊说了什么", ("六点到",), {"m3"}, {"count": 1}),
    ("who_said", "我给赵磊回了什么", ("六点到",), {"m3"}, {"count": 1}),
    ("who_said", "产品群里谁说没问题", ("刘洋",), {"m6"}, {"count": 1}),
    ("who_said", "刘洋说什么了", ("没问题",), {"m6"}, {"count": 1}),
    ("who_said", "老爸今天说啥了", ("降温",), {"m4"}, {"count": 1}),
    ("who_said", "昨天赵磊说了什么", ("外婆家",), {"m2"}, {"count": 1}),
    ("who_said", "钉钉上谁提到方案", ("陈静", "刘洋"), {"m5", "m6"}, {"count": 2}),
    ("who_said", "是谁推荐的沙丘", ("赵磊",), {"m7"}, {"count": 1}),
    ("who_said", "陈静今天说了啥", ("方案",), {"m5"}, {"count": 1}),
    ("who_said", "刘洋在群里说了什么", ("没问题",), {"m6"}, {"count": 1}),
    ("who_said", "林国栋发了什么", ("降温",), {"m4"}, {"count": 1}),
    # count: 「几次」「几杯」「几趟」「几单」「几条」「几个」
    ("count", "这个月打了几次车", ("2",), {"p2", "p10"}, {"count": 2}),
    ("count", "这个月喝了几杯奶茶", ("3",), {"p1", "p9", "p12"}, {"count": 3}),
    ("count", "这周点了几次外卖", ("0",), set(), {"count": 0}),
    ("count", "这个月点过几次外卖", ("1",), {"p5"}, {"count": 1}),
    ("count", "上周花了几笔钱", ("4",), {"p3", "p4", "p5", "p6"}, {"count": 4}),
    ("count", "这个月去了几趟超市", ("1",), {"p6"}, {"count": 1}),
    ("count", "这个月网购了几单", ("3",), {"o1a", "o1b", "o2a", "o2c", "o3a", "o3b"}, {"count": 3}),
    ("count", "这周下了几个订单", ("2",), {"o2a", "o2c", "o3a", "o3b"}, {"count": 2}),
    ("count", "赵磊给我发了几条消息", ("2",), {"m2", "m7"}, {"count": 2}),
    ("count", "陈静这周发了多少条消息", ("2",), {"m1", "m5"}, {"count": 2}),
    ("count", "今天收到几条消息", ("3",), {"m4", "m5", "m6"}, {"count": 3}),
    ("count", "这周有几个日程", ("3",), {"k1", "k2", "k3a", "k3b"}, {"count": 3}),
    ("count", "这个月买了几次咖啡", ("0",), set(), {"count": 0}),
    ("count", "这个月看了几次电影", ("1",), {"p3"}, {"count": 1}),
    ("count", "上周打车几回", ("0",), set(), {"count": 0}),
    ("count", "这个月用微信付了几笔", ("5",), {"p1", "p3", "p9", "p10", "p12"}, {"count": 5}),
    ("count", "这个月在喜茶消费了多少次", ("2",), {"p1", "p12"}, {"count": 2}),
    ("count", "这周一共几个会", ("1",), {"k1"}, {"count": 1}),
    # category_spend: everyday category words, negation
    ("category_spend", "这个月奶茶花了多少", ("¥68.00",), {"p1", "p9", "p12"}, {"total_fen": 6800}),
    ("category_spend", "这个月打车花了多少钱", ("¥57.00",), {"p2", "p10"}, {"total_fen": 5700}),
    ("category_spend", "这个月交通费多少", ("¥57.00",), {"p2", "p10"}, {"total_fen": 5700}),
    ("category_spend", "上周吃饭花了多少", ("¥36.50",), {"p5"}, {"total_fen": 3650}),
    ("category_spend", "这个月看电影花了多少", ("¥98.00",), {"p3"}, {"total_fen": 9800}),
    ("category_spend", "这个月娱乐开销多少", ("¥98.00",), {"p3"}, {"total_fen": 9800}),
    ("category_spend", "这个月逛超市花了多少", ("¥128.30",), {"p6"}, {"total_fen": 12830}),
    ("category_spend", "上个月超市花了多少", ("¥88.00",), {"p13"}, {"total_fen": 8800}),
    ("category_spend", "这个月网购花了多少", ("¥1723.00",), {"p4", "p8", "p11"}, {"total_fen": 172300}),
    ("category_spend", "这个月买衣服花了多少", ("¥399.00",), {"p8", "o2c"}, {"total_fen": 39900}),
    ("category_spend", "这个月话费多少钱", ("¥100.00",), {"p7"}, {"total_fen": 10000}),
    ("category_spend", "这个月吃喝花了多少（不含外卖）", ("¥68.00",), {"p1", "p9", "p12"}, {"total_fen": 6800}),
    ("category_spend", "这周喝奶茶花了多少", ("¥49.00",), {"p9", "p12"}, {"total_fen": 4900}),
    (
        "category_spend",
        "这个月除了网购花了多少",
        ("¥487.80",),
        {"p1", "p2", "p3", "p5", "p6", "p7", "p9", "p10", "p12"},
        {"total_fen": 48780},
    ),
    ("category_spend", "这个月外卖花了多少", ("¥36.50",), {"p5"}, {"total_fen": 3650}),
    ("category_spend", "这个月文具花了多少", ("¥25.00",), {"p4", "o1b"}, {"total_fen": 2500}),
    ("category_spend", "上周交通花了多少", ("没有找到",), set(), {"total_fen": 0}),
    ("category_spend", "这个月零食花了多少", ("没有找到",), set(), {"total_fen": 0}),
    ("category_spend", "这个月日用品花了多少", ("¥128.30",), {"p6"}, {"total_fen": 12830}),
    ("category_spend", "这个月喝饮料花了多少", ("¥68.00",), {"p1", "p9", "p12"}, {"total_fen": 6800}),
    ("category_spend", "这个月坐车花了多少", ("¥57.00",), {"p2", "p10"}, {"total_fen": 5700}),
    ("category_spend", "这个月吃饭花了多少", ("¥104.50",), {"p1", "p5", "p9", "p12"}, {"total_fen": 10450}),
    ("category_spend", "这个月在吃的上面花了多少钱", ("¥104.50",), {"p1", "p5", "p9", "p12"}, {"total_fen": 10450}),
    ("category_spend", "这个月出行花了多少", ("¥57.00",), {"p2", "p10"}, {"total_fen": 5700}),
    # list: 「列出」「有哪些」「都买了什么」「跟谁聊过」
    (
        "list",
        "这个月都买了什么",
        ("笔记本", "羽绒服", "耳机"),
        {"o1a", "o1b", "o2a", "o2c", "o3a", "o3b"},
        {"count": 3},
    ),
    ("list", "这周网购了哪些东西", ("羽绒服", "耳机"), {"o2a", "o2c", "o3a", "o3b"}, {"count": 2}),
    ("list", "这个月在淘宝买了啥", ("羽绒服",), {"o2a", "o2c"}, {"count": 1}),
    ("list", "列出这个月打车的记录", ("曹操出行",), {"p2", "p10"}, {"count": 2}),
    ("list", "这个月奶茶都有哪些", ("喜茶", "奈雪"), {"p1", "p9", "p12"}, {"count": 3}),
    ("list", "这周有哪些安排", ("产品周会", "牙科复查", "和赵磊吃饭"), {"k1", "k2", "k3a", "k3b"}, {"count": 3}),
    ("list", "明天有什么安排", ("产品周会",), {"k1"}, {"count": 1}),
    ("list", "昨天跟谁聊过", ("陈静", "赵磊"), {"m1", "m2", "m3"}, {"count": 3}),
    ("list", "今天跟谁聊过天", ("林国栋", "陈静", "刘洋"), {"m4", "m5", "m6"}, {"count": 3}),
    ("list", "上周都花了哪些钱", ("万达影城", "永辉超市"), {"p3", "p4", "p5", "p6"}, {"count": 4}),
    ("list", "这个月微信支付了哪些", ("喜茶",), {"p1", "p3", "p9", "p10", "p12"}, {"count": 5}),
    ("list", "列出上周的支出", ("麦当劳",), {"p3", "p4", "p5", "p6"}, {"count": 4}),
    ("list", "赵磊发过哪些消息", ("沙丘", "外婆家"), {"m2", "m7"}, {"count": 2}),
    ("list", "产品群里都聊了什么", ("3楼会议室", "没问题"), {"m1", "m6"}, {"count": 2}),
    ("list", "下周有哪些日程", ("没有",), set(), {"count": 0}),
    ("list", "这个月买了哪些数码产品", ("耳机",), {"o3a", "o3b"}, {"count": 1}),
    ("list", "这个月喝过哪些奶茶", ("喜茶", "奈雪"), {"p1", "p9", "p12"}, {"count": 3}),
    ("list", "上周买了啥", ("笔记本",), {"o1a", "o1b"}, {"count": 1}),
    # a second round, written after the first round passed and before any fix for it (25/31 then)
    ("field", "我那件羽绒服发货没", ("运输中",), {"o2c"}, N),
    ("field", "羽绒服走的什么快递", ("中通",), {"o2c"}, N),
    ("field", "周会几点", ("10:00",), {"k1"}, N),
    ("field", "明天的会在哪儿开", ("3楼会议室",), {"k1"}, N),
    ("field", "牙科复查约的几点", ("15:00",), {"k2"}, N),
    ("field", "上次打车花了多少", ("¥31.00",), {"p10"}, {"amount_fen": 3100}),
    ("field", "最近一笔外卖是哪家的", ("麦当劳",), {"p5"}, N),
    ("exists", "今天有没有喝奶茶", ("有",), {"p12"}, {"exists": 1}),
    ("exists", "这周看电影了吗", ("没有",), set(), {"exists": 0}),
    ("exists", "爸爸有没有给我发消息", ("降温",), {"m4"}, {"exists": 1}),
    ("exists", "周五有会吗", ("产品周会",), {"k1"}, {"exists": 1}),
    ("exists", "昨天点外卖了没有", ("没有",), set(), {"exists": 0}),
    ("count", "这周喝了几次奶茶", ("2",), {"p9", "p12"}, {"count": 2}),
    ("count", "这个月坐了几次车", ("2",), {"p2", "p10"}, {"count": 2}),
    ("count", "刘洋发了几条消息", ("1",), {"m6"}, {"count": 1}),
    ("count", "这个月一共下了多少单", ("3",), {"o1a", "o1b", "o2a", "o2c", "o3a", "o3b"}, {"count": 3}),
    ("count", "上周吃了几顿外卖", ("1",), {"p5"}, {"count": 1}),
    ("category_spend", "这个月在奶茶上花了多少钱", ("¥68.00",), {"p1", "p9", "p12"}, {"total_fen": 6800}),
    ("category_spend", "上周看电影花了多少", ("¥98.00",), {"p3"}, {"total_fen": 9800}),
    ("category_spend", "这个月交通一共花了多少", ("¥57.00",), {"p2", "p10"}, {"total_fen": 5700}),
    ("category_spend", "这周花在喝的上面多少钱", ("¥49.00",), {"p9", "p12"}, {"total_fen": 4900}),
    (
        "category_spend",
        "这个月除了打车花了多少",
        ("¥2153.80",),
        {"p1", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p11", "p12"},
        {"total_fen": 215380},
    ),
    ("list", "这个月在拼多多买了什么", ("笔记本",), {"o1a", "o1b"}, {"count": 1}),
    ("list", "这周都有啥安排", ("产品周会", "牙科复查"), {"k1", "k2", "k3a", "k3b"}, {"count": 3}),
    ("list", "我这个月在哪些店喝过奶茶", ("喜茶", "奈雪"), {"p1", "p9", "p12"}, {"count": 3}),
    ("list", "今天都谁给我发消息了", ("林国栋", "陈静", "刘洋"), {"m4", "m5", "m6"}, {"count": 3}),
    ("list", "这周在淘宝和京东买了哪些东西", ("羽绒服", "耳机"), {"o2a", "o2c", "o3a", "o3b"}, {"count": 2}),
    ("who_said", "谁说了没问题", ("刘洋",), {"m6"}, {"count": 1}),
    ("who_said", "爸爸今天说什么了", ("降温",), {"m4"}, {"count": 1}),
    ("who_said", "我昨天给赵磊发了什么", ("六点到",), {"m3"}, {"count": 1}),
    ("who_said", "陈静在钉钉上说了什么", ("方案",), {"m1", "m5"}, {"count": 2}),
    # a third round, written after the second passed and before any fix for it (21/29 then)
    ("field", "耳机那单怎么样了", ("已取消",), {"o3b"}, N),
    ("field", "羽绒服啥时候能送到", ("11月21日",), {"o2c"}, N),
    ("field", "周会是在几楼", ("3楼",), {"k1"}, N),
    ("field", "赵磊那顿饭约在哪", ("外婆家",), {"k3a", "k3b"}, N),
    ("field", "最近一次交话费交了多少", ("¥100.00",), {"p7"}, {"amount_fen": 10000}),
    ("field", "喜茶上次花了多少", ("¥21.00",), {"p12"}, {"amount_fen": 2100}),
    ("field", "周日晚上几点吃饭", ("18:00",), {"k3a", "k3b"}, N),
    ("exists", "我今天花钱了吗", ("有",), {"p12"}, {"exists": 1}),
    ("exists", "这个月是不是去过永辉", ("有",), {"p6"}, {"exists": 1}),
    ("exists", "上周有没有买东西", ("笔记本",), {"o1a", "o1b"}, {"exists": 1}),
    ("exists", "后天有安排吗", ("牙科复查",), {"k2"}, {"exists": 1}),
    ("exists", "陈静今天找过我吗", ("方案",), {"m5"}, {"exists": 1}),
    ("count", "这个月打车打了几次", ("2",), {"p2", "p10"}, {"count": 2}),
    ("count", "今天收到了多少条消息", ("3",), {"m4", "m5", "m6"}, {"count": 3}),
    ("count", "这个月喝奶茶喝了几回", ("3",), {"p1", "p9", "p12"}, {"count": 3}),
    ("count", "这个月总共几笔支出", ("12",), {f"p{i}" for i in range(1, 13)}, {"count": 12}),
    ("count", "下周几个会", ("没有",), set(), {"count": 0}),
    ("category_spend", "这个月吃饭一共花了多少钱", ("¥104.50",), {"p1", "p5", "p9", "p12"}, {"total_fen": 10450}),
    ("category_spend", "这个月在交通上花了多少", ("¥57.00",), {"p2", "p10"}, {"total_fen": 5700}),
    ("category_spend", "上周花了多少", ("¥287.80",), {"p3", "p4", "p5", "p6"}, {"total_fen": 28780}),
    ("category_spend", "这个月衣服花了多少", ("¥399.00",), {"p8", "o2c"}, {"total_fen": 39900}),
    ("category_spend", "这个月喝咖啡花了多少", ("没有找到",), set(), {"total_fen": 0}),
    ("list", "这个月去过哪些超市", ("永辉超市",), {"p6"}, {"count": 1}),
    ("list", "明天都有什么事", ("产品周会",), {"k1"}, {"count": 1}),
    (
        "list",
        "这周谁给我发过消息",
        ("赵磊", "陈静", "林国栋", "刘洋"),
        {"m1", "m2", "m4", "m5", "m6", "m7"},
        {"count": 6},
    ),
    (
        "list",
        "列一下这个月的网购订单",
        ("笔记本", "羽绒服", "耳机"),
        {"o1a", "o1b", "o2a", "o2c", "o3a", "o3b"},
        {"count": 3},
    ),
    ("who_said", "谁说的降温", ("林国栋",), {"m4"}, {"count": 1}),
    ("who_said", "赵磊最近说了什么", ("沙丘", "外婆家"), {"m2", "m7"}, {"count": 2}),
    ("who_said", "是谁发的外婆家见", ("赵磊",), {"m2"}, {"count": 1}),
    # a fourth round, written after the third passed and before any fix for it (15/20 then; 「明天早上有会吗」
    # was left out: 早上 ends at 10:00 in lingxi.text, and whether a 10:00 meeting is 「早上」 is a matter of taste)
    ("field", "我在拼多多买的笔记本到了吗", ("已签收",), {"o1b"}, N),
    ("field", "中通那个快递是买的啥", ("羽绒服",), {"o2c"}, N),
    ("field", "季度汇报取消了吗", ("已取消",), {"k4a", "k4b"}, N),
    ("field", "产品周会谁参加", ("陈静", "刘洋"), {"k1"}, N),
    ("field", "上次坐车是几号", ("11月18日",), {"p10"}, N),
    ("exists", "我这周有没有打车", ("有",), {"p10"}, {"exists": 1}),
    ("exists", "这个月看过电影吗", ("有",), {"p3"}, {"exists": 1}),
    ("exists", "刘洋今天有没有发消息", ("没问题",), {"m6"}, {"exists": 1}),
    ("count", "这个月一共打了多少次车", ("2",), {"p2", "p10"}, {"count": 2}),
    ("count", "今天陈静发了几条消息", ("1",), {"m5"}, {"count": 1}),
    ("count", "上个月去了几次盒马", ("1",), {"p13"}, {"count": 1}),
    ("count", "这周有几个安排", ("3",), {"k1", "k2", "k3a", "k3b"}, {"count": 3}),
    ("category_spend", "这个月出租车花了多少", ("¥57.00",), {"p2", "p10"}, {"total_fen": 5700}),
    ("category_spend", "这周奶茶一共花了多少钱", ("¥49.00",), {"p9", "p12"}, {"total_fen": 4900}),
    ("category_spend", "这个月买菜和超市一共花了多少", ("¥128.30",), {"p6"}, {"total_fen": 12830}),
    ("list", "最近跟赵磊聊了什么", ("沙丘", "六点到"), {"m2", "m3", "m7"}, {"count": 3}),
    ("list", "有哪些快递还没到", ("羽绒服",), {"o2c"}, {"count": 1}),
    ("list", "今天有哪些消息", ("降温", "方案"), {"m4", "m5", "m6"}, {"count": 3}),
    ("who_said", "推荐电影的是谁", ("赵磊",), {"m7"}, {"count": 1}),
]


#: Paraphrases the rule parser cannot read (the words said are not the words in the message): the model tier's
#: job. Strict: if the rules ever answer them, the test says so and they move into CASES.
#: Once a strict xfail below: 「改地方」 is matched through the synonym table's [said] words (改在…会议室).
CASES.append(("who_said", "谁说周会改地方了", ("陈静",), {"m1"}, {"count": 1}))

PARAPHRASES: list[Row] = [
    ("who_said", "谁找我要方案", ("陈静",), {"m5"}, {"count": 1}),  # 「找我要」 vs 「发我一下」
]


@pytest.mark.parametrize(("shape", "q", "says", "cited", "numbers"), CASES, ids=[f"{r[0]}:{r[1]}" for r in CASES])
def test_everyday_phrasing(shape: str, q: str, says: tuple[str, ...], cited: set[str], numbers: dict[str, int]) -> None:
    facts = execute(parse(q, NOW, TZ, TABLE), Context(events(), NOW, TZ, TABLE))
    text = "\n".join(facts.lines)
    assert all(s in text for s in says), text
    assert set(facts.citations) == cited, text
    assert all(facts.numbers.get(k) == v for k, v in numbers.items()), (facts.numbers, text)


@pytest.mark.xfail(strict=True, reason="a paraphrase: the rule parser matches the words said")
@pytest.mark.parametrize(("shape", "q", "says", "cited", "numbers"), PARAPHRASES, ids=[r[1] for r in PARAPHRASES])
def test_paraphrases_beyond_the_rules(
    shape: str, q: str, says: tuple[str, ...], cited: set[str], numbers: dict[str, int]
) -> None:
    test_everyday_phrasing(shape, q, says, cited, numbers)


def test_the_set_covers_every_weak_shape_with_many_phrasings() -> None:
    shapes = [r[0] for r in CASES]
    assert len(CASES) >= 120
    assert all(shapes.count(s) >= 15 for s in ("field", "exists", "who_said", "count", "category_spend", "list"))


def test_a_long_list_cites_every_match_not_only_the_lines_shown() -> None:
    from lingxi.context.events import MessageEvent
    from query_user_lin import USER, ms

    more = [
        MessageEvent(
            event_id=f"z{i}",
            user_id=USER,
            ts=ms(11, 10, 9, i),
            source_app="微信",
            conversation_id="c-赵磊",
            conversation_name="赵磊",
            sender="赵磊",
            direction="in",
            text=f"第{i}条",
        )
        for i in range(12)
    ]
    facts = execute(parse("赵磊发过哪些消息", NOW, TZ, TABLE), Context([*events(), *more], NOW, TZ, TABLE))
    assert facts.numbers["count"] == 14 and len(facts.lines) == 11  # a head line and the newest ten
    assert set(facts.citations) == {"m2", "m7", *(f"z{i}" for i in range(12))}


def test_the_assistant_finds_an_entity_by_its_name_through_the_consented_view(lx: Any) -> None:
    """「周会在哪开」 has no calendar cue: the assistant reads the calendar too (consented) and answers from it."""
    from lingxi.privacy.consent import Scope
    from query_user_lin import USER

    lx.ingest(events())
    lx.consents.grant(USER, Scope.MESSAGES, Scope.CALENDAR, Scope.SHOPPING, Scope.PAYMENTS)
    reply = lx.assistant.ask(USER, "周会在哪开", now_ms=NOW)
    assert "3楼会议室" in reply.text and reply.citations == ["k1"]
    lx.consents.withdraw(USER, Scope.CALENDAR)  # no calendar consent: the calendar is not read
    reply = lx.assistant.ask(USER, "周会在哪开", now_ms=NOW)
    assert reply.citations == ["m1"]  # only the message that mentions it
