"""Generate the bundled sample user: one fictional week of 林晓雨's phone, as lingxi events.

Why: features (reply suggestions, briefings, search, redaction, spending summaries) need realistic Chinese
personal data to be built, tested and demoed against, and no real person's data may be used. Everyone and
everything here is made up: people, phone numbers, addresses, orders, tracking numbers, card tails. The
generator is seeded (``random.Random(20261122)``) and builds every event through the Pydantic schemas of
``lingxi.context.events``, so its output validates and is byte-for-byte reproducible; tests check both.

The week: Monday 2026-11-16 07:00 to Sunday 2026-11-22 21:30 (Asia/Shanghai), 林晓雨, 28, product manager
in 杭州西湖区, living with 陈昊; her mother lives in 苏州. Payments made with 微信支付 or a 招商银行 card
also raise the bank's debit/credit alert (WeChat Pay is bound to her debit card); 支付宝 draws on its own
balance and raises none. Sunday evening ends with event model v2's updates (:func:`late_updates`).
Regenerate after editing this file, and commit the output::

    python scripts/make_sample_user.py                # writes src/lingxi/data/sample_user.jsonl
    python scripts/make_sample_user.py --out /tmp/x.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from lingxi.context.events import (
    EVENT_TYPES,
    BrowseEvent,
    CalendarEvent,
    CartEvent,
    ContactEvent,
    Event,
    FavoriteEvent,
    MessageEvent,
    MessageUpdateEvent,
    NotificationEvent,
    OrderEvent,
    OrderItem,
    PaymentEvent,
    ReminderEvent,
    SearchEvent,
    parse_event,
)
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_TZ, SAMPLE_USER_ID, SAMPLE_WEEK_START_MS

SEED = 20261122
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "lingxi" / "data" / "sample_user.jsonl"
TZ = ZoneInfo(SAMPLE_TZ)
MONDAY = date(2026, 11, 16)  # day 0; days 7..13 are the following week
ME, DEBIT, CREDIT = "林晓雨", "8842", "3156"  # card tails: 招商银行 debit card and credit card
SALARY_FEN = 1_862_350
TEAM = [ME, "张伟", "李娜", "刘洋", "赵敏"]

# Data tables are hand-aligned for reading; the formatter would put every tuple on its own line.
# fmt: off
# key -> (conversation_id, conversation_name); in a private chat the key is also the other person's name.
CONVERSATIONS = {
    "妈妈": ("wx-mom", "妈妈"),
    "陈昊": ("wx-chenhao", "陈昊"),
    "张伟": ("wx-zhangwei", "张伟"),
    "王芳": ("wx-wangfang", "王芳"),
    "产品组": ("wx-group-product", "产品组"),
    "家": ("wx-group-family", "相亲相爱一家人"),
}

# (day, first message "HH:MM", conversation key, [(minutes after previous, sender or "我", text)])
THREADS: list[tuple[int, str, str, list[tuple[int, str, str]]]] = [
    (0, "07:40", "妈妈", [(0, "妈妈", "晓雨，天气预报说杭州这几天要降温，最低才3度，记得加衣服"),
                         (9, "我", "知道啦妈，今天穿了厚外套"), (2, "妈妈", "羽绒服拿出来没有？去年那件都旧了"),
                         (4, "我", "旧是旧了点，我这两天买件新的"), (1, "妈妈", "嗯，别光顾着好看，要暖和")]),
    (0, "08:48", "产品组", [(0, "张伟", "早，十点周会，大家把上周数据准备一下"), (1, "李娜", "收到"),
                          (3, "我", "收到，我把会员转化的数据拉一下")]),
    (0, "11:18", "产品组", [(0, "张伟", "周会纪要发群里了。重点：会员中心改版下周三上线，上线前还要过一次评审"),
                          (2, "刘洋", "后端接口周四前能联调完"),
                          (3, "我", "好的，PRD 我今天下班前更新到 v1.3，需求评审定在明天下午三点"),
                          (1, "赵敏", "测试用例我评审完再补")]),
    (0, "12:06", "陈昊", [(0, "陈昊", "中午吃的啥"), (3, "我", "点了个麻辣烫外卖，你呢"),
                         (2, "陈昊", "食堂，又是土豆牛肉😂")]),
    (0, "14:20", "张伟", [(0, "张伟", "积分兑换的规则运营那边有新想法，你看下要不要放进这期"),
                         (6, "我", "这期来不及了，我先记到下期需求池，评审的时候提一句"), (1, "张伟", "行")]),
    (0, "17:42", "陈昊", [(0, "陈昊", "晚上吃什么？"), (5, "我", "我今天要加班，你先吃吧，给我留点就行"),
                         (1, "陈昊", "那我做番茄炒蛋，给你留一份"), (2, "我", "好呀，爱你")]),
    (0, "19:32", "张伟", [(0, "张伟", "晓雨，明天评审的 PRD 链接发我一下，我先过一遍"),
                         (4, "我", "发你了，主要改了积分兑换和会员等级两章，你重点看第三章"), (2, "张伟", "ok")]),
    (0, "21:12", "家", [(0, "小姨", "[图片] 今天去拙政园了，银杏全黄了"), (4, "妈妈", "真好看！"),
                       (3, "爸爸", "拍得不错"), (12, "我", "好美，下次回去我也要去")]),
    (1, "08:31", "王芳", [(0, "王芳", "宝，周六晚上有空不？好久没见了"), (14, "我", "有空！吃啥"),
                         (2, "王芳", "湖滨银泰新开了一家江南菜，评价挺好的"), (3, "我", "可以，六点半？我来订位"),
                         (1, "王芳", "好耶，就这么定了")]),
    (1, "10:12", "产品组", [(0, "赵敏", "测试环境上午要重启一下，十一点前先别提测哈"), (2, "刘洋", "👌"),
                          (5, "我", "好的")]),
    (1, "13:02", "陈昊", [(0, "陈昊", "下班一起去盒马买点菜？"), (7, "我", "好，要买牛奶和鸡蛋，猫砂也快没了"),
                         (1, "陈昊", "猫砂我网上买，盒马的太贵"), (2, "我", "行，那六点半盒马门口见")]),
    (1, "16:08", "产品组", [(0, "张伟", "评审通过，几个小问题会后改一下"),
                          (2, "我", "好的，我今晚把评审意见整理进 PRD"), (1, "李娜", "积分页的设计稿我明天出新版"),
                          (3, "赵敏", "+1，用例我周三补齐")]),
    (1, "20:18", "妈妈", [(0, "妈妈", "晓雨，你什么时候回苏州？外婆念叨你好几次了"),
                         (6, "我", "下周五晚上回去，票我这两天买"), (1, "妈妈", "好好好，回来妈给你做糖醋排骨"),
                         (2, "我", "想吃！")]),
    (1, "21:40", "产品组", [(0, "我", "评审意见已经更新到 PRD v1.4 了，改动标黄，大家有空看一下"),
                          (5, "张伟", "👍"), (12, "刘洋", "收到，接口字段没变吧"),
                          (3, "我", "没变，只加了一个积分过期提醒的开关")]),
    (2, "08:36", "陈昊", [(0, "陈昊", "今天又降温了，外面风好大，你带围巾没"), (4, "我", "带了，你也多穿点")]),
    (2, "09:48", "产品组", [(0, "张伟", "@林晓雨 这周周报周五中午前交一下哈"), (4, "我", "好的")]),
    (2, "11:25", "张伟", [(0, "张伟", "积分兑换的埋点方案你看了没"),
                         (8, "我", "看了，有两个事件名要改，我在文档里评论了"), (1, "张伟", "好嘞")]),
    (2, "12:18", "王芳", [(0, "王芳", "位置订好了没"), (3, "我", "订好了，周六18:30，江南小馆，湖滨银泰四楼"),
                         (1, "王芳", "👍 到时候见")]),
    (2, "14:40", "产品组", [(0, "李娜", "积分页新版设计稿更新了，链接在文档第二页"),
                          (6, "我", "看了，整体可以，兑换按钮能不能再明显一点"), (2, "李娜", "ok 我改成主色")]),
    (2, "18:22", "陈昊", [(0, "陈昊", "羽绒服到了吗？"), (3, "我", "中午就到了，超暖和！"),
                         (1, "陈昊", "那就好。你今晚去健身吗？我做饭"), (2, "我", "去，八点半回来吃"),
                         (1, "陈昊", "好，做你爱吃的可乐鸡翅")]),
    (2, "21:05", "家", [(0, "爸爸", "[链接] 降温了，这几样东西一定要备好"), (16, "妈妈", "大家都看看"),
                       (4, "我", "收到~")]),
    (2, "21:25", "妈妈", [(0, "我", "妈，票买好了，下周五晚上的高铁，八点左右到苏州"),
                         (3, "妈妈", "好，到时候让你爸去接你")]),
    (3, "09:05", "产品组", [(0, "刘洋", "接口联调完了，测试环境已部署"), (2, "赵敏", "下午开始提测"),
                          (2, "我", "辛苦了！我下午走一遍主流程")]),
    (3, "10:26", "张伟", [(0, "张伟", "1:1 推迟十分钟哈，我这边会还没开完"), (1, "我", "好的，不急")]),
    (3, "14:12", "王芳", [(0, "王芳", "对了我搬家了，东西寄新地址就行：杭州市西湖区文三路 188 号 晓风小区 3 幢 1201"),
                         (5, "我", "收到，电话还是13912345678吧？"), (1, "王芳", "对的")]),
    (3, "15:50", "产品组", [(0, "赵敏", "提了3个bug，积分过期提醒开关关不掉的那个是P1"), (3, "刘洋", "我看下"),
                          (20, "刘洋", "修了，已部署测试环境"), (4, "赵敏", "验证通过"), (2, "我", "👍")]),
    (3, "17:48", "陈昊", [(0, "陈昊", "你今晚牙医几点？要不要我去接你"), (3, "我", "七点，文二路那家，八点左右结束"),
                         (1, "陈昊", "好，我八点开车过去"), (1, "我", "么么哒")]),
    (3, "20:04", "陈昊", [(0, "我", "洗完了，在门口等你"), (2, "陈昊", "马上到，还有两个路口")]),
    (4, "09:28", "产品组", [(0, "张伟", "提醒：周报中午十二点前发我邮箱 zhangwei@example.com"), (3, "我", "在写了")]),
    (4, "10:40", "妈妈", [(0, "妈妈", "发工资了吧？别乱花钱，每个月存一点"),
                         (22, "我", "发了，放心，我每个月都定投的"), (1, "妈妈", "那就好")]),
    (4, "11:52", "张伟", [(0, "我", "周报发你邮箱了，会员中心这周进度在第二部分"), (6, "张伟", "收到，写得很清楚👍")]),
    (4, "15:18", "产品组", [(0, "李娜", "下午茶拼单，喜茶，要的接龙"), (1, "赵敏", "1. 赵敏 多肉葡萄"),
                          (2, "我", "2. 林晓雨 芝芝莓莓 少冰"), (1, "刘洋", "3. 刘洋 随便，甜的就行"),
                          (2, "李娜", "好，钱转我就行，一杯23")]),
    (4, "18:24", "陈昊", [(0, "陈昊", "周五了！出去吃还是在家"), (4, "我", "在家吧，好累，点个外卖"),
                         (1, "陈昊", "行，想吃烤鱼"), (2, "我", "我来点，江边烤鱼那家")]),
    (4, "21:36", "王芳", [(0, "王芳", "明天你几点出发？"), (3, "我", "六点左右打车过去"),
                         (1, "王芳", "好，我先去逛会儿，到了告诉你")]),
    (5, "10:18", "妈妈", [(0, "妈妈", "起床没？"), (24, "我", "刚起，周末睡了个懒觉"),
                         (1, "妈妈", "你表弟换手机号了，新号码13800138000，你存一下"), (2, "我", "好的，存了")]),
    (5, "11:02", "家", [(0, "小姨", "下周末外婆八十大寿，大家都回来吃饭啊"), (3, "爸爸", "好"),
                       (5, "我", "我周五晚上就到👌"), (2, "妈妈", "[强]")]),
    (5, "18:15", "王芳", [(0, "王芳", "我到了，在四楼门口"), (8, "我", "到楼下了，马上上来")]),
    (5, "20:40", "陈昊", [(0, "陈昊", "几点回？要不要来接你"), (6, "我", "九点左右，我打车回，你别跑了"),
                         (1, "陈昊", "好，到楼下说一声")]),
    (5, "21:30", "王芳", [(0, "王芳", "今天好开心！下次换我请"), (4, "我", "哈哈好呀，到家说一声"),
                         (18, "王芳", "到家啦")]),
    (6, "10:40", "陈昊", [(0, "陈昊", "打完球了，下午看电影去不？"), (3, "我", "好啊，看什么"),
                         (2, "陈昊", "《山海之间》，评分挺高的，西湖银泰有16:20那场"), (1, "我", "行，我来买票")]),
    (6, "15:10", "王芳", [(0, "王芳", "[图片] 昨天的合照，你那张眼睛闭上了哈哈哈"), (3, "我", "啊啊啊删掉！发我原图"),
                         (1, "王芳", "原图太大了，我发你邮箱 linxy@example.com 哈")]),
    (6, "19:40", "产品组", [(0, "张伟", "明天周会照常。@林晓雨 准备下会员中心上线的 checklist"),
                          (6, "我", "好的，checklist 我今晚整理完发群里"), (2, "刘洋", "回滚方案我周一补上")]),
    (6, "20:15", "家", [(0, "爸爸", "外婆生日定在下周六中午，就在家里做，大家早点来"), (3, "小姨", "好的，我带蛋糕")]),
    # Left unanswered on purpose: the demo's "now" is 21:30 and these are what the user still owes a reply.
    (6, "20:42", "张伟", [(0, "张伟", "晓雨，下周三下午有空吗？想跟你对一下会员中心上线后的数据看板")]),
    (6, "21:06", "妈妈", [(0, "妈妈", "晓雨，周五那趟车几点到苏州？你爸说开车去站里接你"),
                         (2, "妈妈", "降温了，回来多带件厚衣服")]),
]

# (day, "HH:MM" ordered, app, shop, amount_fen, minutes until delivered)
FOOD = [
    (0, "11:45", "美团外卖", "小杨麻辣烫(文三路店)", 2850, 35), (1, "11:50", "饿了么", "阿婆家常菜", 3200, 40),
    (2, "11:40", "美团外卖", "西北拉面馆(西溪店)", 2400, 30), (3, "11:55", "饿了么", "轻盈沙拉", 3680, 35),
    (4, "12:00", "美团外卖", "黄焖鸡米饭(古墩路店)", 2690, 40),
    (4, "18:36", "美团外卖", "江边烤鱼(文一西路店)", 8900, 50), (6, "11:40", "饿了么", "粥掌柜砂锅粥", 4560, 45),
]

# (day, "HH:MM", channel, merchant, amount_fen, category); commute, coffee, food and orders are generated.
PAYMENTS = [
    (0, "08:50", "支付宝", "全家便利店(文三路店)", 1250, "餐饮"),
    (0, "21:42", "支付宝", "滴滴出行", 2850, "交通"),
    (1, "18:58", "支付宝", "盒马鲜生(西溪店)", 15680, "超市"),
    (2, "08:50", "支付宝", "全家便利店(文三路店)", 980, "餐饮"),
    (2, "10:02", "微信支付", "中国移动话费充值", 5000, "生活缴费"),
    (2, "20:38", "支付宝", "中国铁路12306", 11750, "交通"),
    (3, "12:40", "微信支付", "楼下水果店", 1860, "餐饮"),
    (3, "18:32", "支付宝", "杭州地铁", 300, "交通"),
    (3, "20:01", "招商银行储蓄卡", "晓白口腔(文二路店)", 29800, "医疗"),
    (4, "08:52", "支付宝", "全家便利店(文三路店)", 1180, "餐饮"),
    (4, "15:26", "微信支付", "李娜", 2300, "转账"),
    (4, "21:05", "支付宝", "视频会员 连续包月", 2500, "娱乐"),
    (5, "12:10", "微信支付", "巷口生煎(古翠路店)", 3600, "餐饮"),
    (5, "15:10", "微信支付", "一点点(古翠路店)", 1500, "餐饮"),
    (5, "18:22", "支付宝", "滴滴出行", 3260, "交通"),
    (5, "20:32", "微信支付", "江南小馆(湖滨银泰店)", 36800, "餐饮"),
    (5, "21:28", "支付宝", "滴滴出行", 3580, "交通"),
    (6, "09:35", "微信支付", "楼下早餐店", 800, "餐饮"),
    (6, "10:20", "支付宝", "国网浙江省电力 电费", 12860, "生活缴费"),
    (6, "10:50", "微信支付", "猫眼电影", 9800, "娱乐"),
    (6, "16:05", "微信支付", "西湖银泰城影院卖品部", 3500, "娱乐"),
    (6, "18:50", "支付宝", "盒马鲜生(西溪店)", 8930, "超市"),
]

EventClass = type[MessageEvent | NotificationEvent | OrderEvent | PaymentEvent | CalendarEvent]
Status = Literal["placed", "paid", "shipped", "out_for_delivery", "delivered", "cancelled", "refunded"]


class Order(NamedTuple):
    order_id: str
    platform: str
    items: list[OrderItem]
    steps: list[tuple[Status, int, str]]  # (status, day, "HH:MM")
    channel: str = ""
    carrier: str = ""
    tracking_no: str = ""
    eta: tuple[int, str] | None = None
    pickup: str = ""  # 菜鸟驿站 pickup code; empty means signed for at the door / front desk


def _item(name: str, category: str, brand: str, price_fen: int, quantity: int = 1) -> OrderItem:
    return OrderItem(name=name, category=category, brand=brand, price_fen=price_fen, quantity=quantity)


ORDERS = [
    Order("3187462059183746521", "淘宝", [_item("女款高级轻型羽绒服 长款 米白色 M", "服装", "优衣库", 59900)],
          [("placed", 0, "12:52"), ("paid", 0, "12:53"), ("shipped", 0, "18:10"), ("out_for_delivery", 2, "09:40"),
           ("delivered", 2, "11:58")], "支付宝", "顺丰速运", "SF1234567890123", (2, "18:00")),
    Order("3187503316920475519", "淘宝", [_item("每日坚果礼盒 750g/30袋", "零食", "三只松鼠", 12900),
                                         _item("碧根果 210g", "零食", "三只松鼠", 2990, 2)],
          [("placed", 0, "20:41"), ("paid", 0, "20:42"), ("shipped", 1, "16:30"), ("delivered", 3, "17:20")],
          "支付宝", "中通快递", "78561234567890", (3, "20:00"), "3-2-1108"),
    Order("261117-508813274650129", "拼多多", [_item("洗衣凝珠 52颗 薰衣草香", "日用", "蓝月亮", 3990, 2)],
          [("placed", 1, "21:05"), ("paid", 1, "21:06"), ("shipped", 2, "15:20"), ("out_for_delivery", 5, "10:05"),
           ("delivered", 5, "13:40")], "微信支付", "中通快递", "78569876543210", (5, "18:00"), "5-1-2036"),
    Order("298765432101", "京东", [_item("室内成猫粮 2kg", "宠物", "皇家", 18900),
                                   _item("鸡肉冻干 100g", "宠物", "麦富迪", 3900)],
          [("placed", 2, "21:15"), ("paid", 2, "21:16"), ("shipped", 2, "23:40"), ("out_for_delivery", 3, "09:30"),
           ("delivered", 3, "13:10")], "微信支付", "京东物流", "JDV012345678902", (3, "15:00")),
    Order("298801234567", "京东", [_item("WH-1000XM5 头戴式无线降噪耳机 黑色", "数码", "索尼", 229900)],
          [("placed", 3, "22:10"), ("paid", 3, "22:12"), ("shipped", 5, "09:30")],
          "招商银行信用卡", "京东物流", "JD0012345678901", (8, "18:00")),
    Order("3187611209845530162", "淘宝", [_item("充电暖手宝 双面发热", "家电", "", 5900)],
          [("placed", 4, "13:20"), ("cancelled", 4, "13:34")]),
]

# (title, created (day, "HH:MM"), start, end, location, attendees); recurring entries sync at Monday 07:0x.
CALENDAR: list[tuple[str, tuple[int, str], tuple[int, str], tuple[int, str], str, list[str]]] = [
    ("产品组周会", (0, "07:02"), (0, "10:00"), (0, "11:00"), "5F 西溪会议室", TEAM),
    ("1:1 张伟", (0, "07:02"), (3, "10:30"), (3, "11:00"), "3F 小会议室B", [ME, "张伟"]),
    ("牙医预约：洗牙", (0, "07:03"), (3, "19:00"), (3, "20:00"), "晓白口腔(文二路店)", [ME]),
    ("健身：力量训练", (0, "07:03"), (2, "19:30"), (2, "20:30"), "乐刻健身(古翠路店)", [ME]),
    ("周报截止", (0, "07:04"), (4, "11:30"), (4, "12:00"), "", [ME]),
    ("需求评审：会员中心改版", (0, "11:26"), (1, "15:00"), (1, "16:00"), "5F 西溪会议室", TEAM),
    ("和王芳聚餐", (1, "08:52"), (5, "18:30"), (5, "20:30"), "湖滨银泰 四楼 江南小馆", [ME, "王芳"]),
    ("看电影《山海之间》", (6, "10:52"), (6, "16:20"), (6, "18:25"), "西湖银泰城影院 5号厅", [ME, "陈昊"]),
    ("产品组周会", (0, "07:02"), (7, "10:00"), (7, "11:00"), "5F 西溪会议室", TEAM),
    ("版本上线评审：会员中心 v2.0", (2, "10:05"), (9, "14:00"), (9, "15:00"), "5F 西溪会议室", TEAM[:2] + TEAM[3:]),
    ("1:1 张伟", (0, "07:02"), (10, "10:30"), (10, "11:00"), "3F 小会议室B", [ME, "张伟"]),
    ("回苏州 G7536 杭州东→苏州", (2, "20:40"), (11, "19:12"), (11, "20:05"), "杭州东站", [ME]),
]

# (day, "HH:MM", source_app, category, title, body); "{code}" becomes a random six-digit code.
NOTIFICATIONS = [
    (0, "07:05", "天气", "weather", "寒潮蓝色预警", "未来三天杭州气温将下降8~10℃，最低气温3℃，请注意添衣保暖"),
    (0, "12:50", "淘宝", "verification", "", "【淘宝】验证码 {code}，用于登录验证，5分钟内有效，请勿泄露"),
    (0, "19:00", "淘宝", "promo", "双十二预热", "爆款提前购！领券满300减50，仅限前1000名"),
    (0, "21:20", "滴滴出行", "travel", "司机已接单", "浙A·D7X21 白色比亚迪，距你1.2公里，约3分钟到达"),
    (0, "21:41", "滴滴出行", "travel", "行程结束", "本次行程车费28.50元，已自动扣款"),
    (1, "11:00", "拼多多", "promo", "", "你有一张5元无门槛券今晚24点过期，快去使用吧"),
    (1, "23:10", "系统", "system", "系统更新", "新版本已可用，将在今晚充电且连接 WLAN 时自动安装"),
    (2, "07:10", "天气", "weather", "今日天气", "杭州 阴转小雨 3~9℃，北风4级，出门记得带伞"),
    (2, "09:00", "招商银行", "bank", "信用卡账单",
     f"【招商银行】您尾号{CREDIT}的信用卡11月账单已出，本期应还人民币3,256.80元，到期还款日12月05日"),
    (2, "10:30", "美团", "promo", "", "你的外卖红包（满25减6）明天过期，别浪费哦"),
    (2, "20:34", "支付宝", "verification", "", "【支付宝】校验码 {code}，你正在使用支付宝付款，请勿告诉他人"),
    (2, "20:39", "12306", "travel", "购票成功",
     "订单E526103874已支付：11月27日 G7536次 杭州东19:12开→苏州20:05到，二等座07车12F，请携带购票证件乘车"),
    (3, "17:30", "系统", "system", "电量不足", "电量剩余20%，已开启省电模式"),
    (3, "19:30", "京东", "promo", "PLUS会员日", "数码家电领券至高减500，今晚24点结束"),
    (3, "22:11", "招商银行", "verification", "",
     "【招商银行】验证码 {code}，您正在进行信用卡网上支付，5分钟内有效，请勿泄露"),
    (4, "20:00", "淘宝", "promo", "双十二预售", "定金膨胀，付10元抵50元，提前加购不错过"),
    (5, "11:00", "饿了么", "promo", "", "周末吃好点！送你一张满40减8红包"),
    (5, "15:00", "拼多多", "promo", "", "好友帮你砍价成功，还差0.8%即可免费领取"),
    (5, "17:45", "高德地图", "travel", "路况提醒", "前往湖滨银泰：延安路拥堵，预计用时32分钟"),
    (5, "17:50", "滴滴出行", "travel", "司机已接单", "浙A·F2K93 黑色大众帕萨特，距你800米，约2分钟到达"),
    (5, "18:21", "滴滴出行", "travel", "行程结束", "本次行程车费32.60元，已自动扣款"),
    (5, "20:55", "系统", "system", "电量不足", "电量剩余15%，请及时充电"),
    (5, "20:58", "滴滴出行", "travel", "司机已接单", "浙A·B8M16 白色丰田凯美瑞，距你1.5公里，约4分钟到达"),
    (5, "21:27", "滴滴出行", "travel", "行程结束", "本次行程车费35.80元，已自动扣款"),
    (6, "08:10", "京东物流", "delivery", "物流更新", "您的包裹JD0012345678901已到达【杭州转运中心】，预计11月24日送达"),
    (6, "09:00", "系统", "system", "屏幕使用时间", "上周日均屏幕使用时间5小时12分钟，比前一周减少8%"),
    (6, "10:51", "猫眼电影", "entertainment", "出票成功",
     "《山海之间》11月22日16:20 西湖银泰城影院5号厅 7排8座、7排9座，取票码 28110637"),
    (6, "11:30", "美团", "promo", "", "周日特惠：外卖神券包3.9元抢"),
    (6, "20:00", "淘宝", "promo", "", "你关注的「优衣库」店铺上新了，双十二提前购"),
    (6, "21:00", "日历", "calendar", "明日日程", "明天 10:00 产品组周会（5F 西溪会议室）"),
]

# fmt: on


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def bank_time(ts: int) -> str:
    """Local time as bank alerts print it, e.g. 11月18日14:32."""
    local = datetime.fromtimestamp(ts / 1000, TZ)
    return f"{local.month}月{local.day}日{local:%H:%M}"


class Week:
    """Accumulates the week's events; every helper validates through the event classes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.events: list[Event] = []

    def at(self, day: int, hhmm: str, jitter: bool = True) -> int:
        """UTC epoch ms of a local wall-clock minute, plus a random few seconds so events do not tie."""
        hour, minute = (int(x) for x in hhmm.split(":"))
        local = datetime.combine(MONDAY + timedelta(days=day), time(hour, minute), tzinfo=TZ)
        return int(local.timestamp() * 1000) + (self.rng.randrange(1_000, 50_000) if jitter else 0)

    def add(self, cls: EventClass, ts: int, app: str, **fields: Any) -> None:
        tmp_id = f"tmp-{len(self.events):06d}"  # final ids are assigned after sorting
        self.events.append(cls(event_id=tmp_id, user_id=SAMPLE_USER_ID, ts=ts, source_app=app, **fields))

    def note(self, ts: int, app: str, category: str, body: str, title: str = "") -> None:
        self.add(NotificationEvent, ts, app, category=category, title=title, body=body)

    def pay(self, ts: int, channel: str, merchant: str, fen: int, category: str, order_id: str = "") -> None:
        app = "招商银行" if channel.startswith("招商银行") else channel
        self.add(
            PaymentEvent,
            ts,
            app,
            amount_fen=fen,
            merchant=merchant,
            channel=channel,
            category=category,
            order_id=order_id,
        )
        when = bank_time(ts)
        if channel == "招商银行信用卡":
            body = f"您尾号{CREDIT}的信用卡{when}消费人民币{yuan(fen)}元，商户：{merchant}"
        elif channel in ("微信支付", "招商银行储蓄卡"):
            body = f"您尾号{DEBIT}的储蓄卡{when}支出人民币{yuan(fen)}元，商户：{merchant}"
        else:
            return
        self.note(ts + self.rng.randrange(2_000, 20_000), "招商银行", "bank", body, "动账通知")

    def messages(self) -> None:
        for day, start, key, lines in THREADS:
            conv_id, conv_name = CONVERSATIONS[key]
            ts, prev_out = self.at(day, start), False
            for gap, who, text in lines:
                ts += gap * 60_000 + (self.rng.randrange(3_000, 40_000) if gap else 0)
                out = who == "我"
                self.add(
                    MessageEvent,
                    ts,
                    "微信",
                    conversation_id=conv_id,
                    conversation_name=conv_name,
                    sender=ME if out else who,
                    direction="out" if out else "in",
                    text=text,
                )
                if not out and not (prev_out and gap < 3):  # no banner while she is still in the chat
                    body = f"{who}：{text}"
                    self.note(ts + 800, "微信", "social", body if len(body) <= 40 else body[:39] + "…", conv_name)
                prev_out = out

    def food(self) -> None:
        for day, hhmm, app, shop, fen, minutes in FOOD:
            ts = self.at(day, hhmm)
            self.pay(ts, "微信支付" if app == "美团外卖" else "支付宝", shop, fen, "外卖")
            eta = datetime.fromtimestamp(ts / 1000, TZ) + timedelta(minutes=minutes)
            self.note(ts + 60_000, app, "food", "商家已接单，正在为您备餐", shop)
            self.note(ts + (minutes - 18) * 60_000, app, "food", f"骑手已取餐，预计{eta:%H:%M}送达", shop)
            self.note(ts + (minutes - 1) * 60_000, app, "food", "您的外卖已送达，祝您用餐愉快", shop)

    def commute(self) -> None:
        home_by_metro = {1: "18:20", 2: "19:00", 4: "18:05"}
        traffic = ["文三路方向拥堵", "古墩路高架缓行", "天目山路畅通"]
        for day in range(5):
            morning = self.at(day, f"08:{self.rng.randrange(12, 28):02d}")
            road, minutes = self.rng.choice(traffic), self.rng.randrange(32, 45)
            self.note(
                morning - 15 * 60_000,
                "高德地图",
                "travel",
                f"去公司：{road}，建议乘地铁，预计用时{minutes}分钟",
                "通勤提醒",
            )
            self.pay(morning, "支付宝", "杭州地铁", 400, "交通")
            if day != 2:  # Wednesday she has 全家 breakfast instead
                cup = self.rng.choice(["生椰拿铁", "橙C美式", "丝绒拿铁"])
                coffee = morning + self.rng.randrange(28, 36) * 60_000
                self.pay(coffee, "微信支付", "瑞幸咖啡(西溪园区店)", self.rng.choice([990, 1290, 1590]), "餐饮")
                self.note(coffee + 240_000, "瑞幸咖啡", "food", f"您的{cup}已制作完成，请到取餐柜取餐")
            if day in home_by_metro:
                self.pay(self.at(day, home_by_metro[day]), "支付宝", "杭州地铁", 400, "交通")
        for day, hhmm, channel, merchant, fen, category in PAYMENTS:
            self.pay(self.at(day, hhmm), channel, merchant, fen, category)
        salary = self.at(4, "10:12")
        self.add(
            PaymentEvent,
            salary,
            "招商银行",
            amount_fen=SALARY_FEN,
            direction="in",
            merchant="杭州灵雀网络科技有限公司",
            channel="招商银行储蓄卡",
            category="工资",
        )
        body = f"您尾号{DEBIT}的储蓄卡{bank_time(salary)}收入人民币{yuan(SALARY_FEN)}元，摘要：代发工资"
        self.note(salary + 3_000, "招商银行", "bank", body, "动账通知")

    def orders(self) -> None:
        merchant = {"淘宝": "淘宝", "京东": "京东商城", "拼多多": "拼多多"}
        for o in ORDERS:
            total = sum(i.price_fen * i.quantity for i in o.items)
            first = o.items[0].name
            for status, day, hhmm in o.steps:
                ts = self.at(day, hhmm)
                moving = status in ("shipped", "out_for_delivery", "delivered")
                open_ = o.eta is not None and status not in ("delivered", "cancelled")
                self.add(
                    OrderEvent,
                    ts,
                    o.platform,
                    order_id=o.order_id,
                    platform=o.platform,
                    items=o.items,
                    total_fen=total,
                    status=status,
                    carrier=o.carrier if moving else "",
                    tracking_no=o.tracking_no if moving else "",
                    eta_ts=self.at(*o.eta, jitter=False) if o.eta and open_ else None,
                )
                later = ts + 9_000
                if status == "paid":
                    self.pay(ts + 5_000, o.channel, merchant[o.platform], total, "购物", o.order_id)
                elif status == "shipped":
                    body = f"您购买的「{first}」已发货，{o.carrier} {o.tracking_no}"
                    self.note(later, o.platform, "delivery", body, "发货通知")
                elif status == "out_for_delivery":
                    body = f"您的快递{o.tracking_no}快递员正在派送，请保持电话畅通"
                    self.note(later, o.carrier, "delivery", body, "派送中")
                elif status == "delivered" and o.pickup:
                    body = f"您的{o.carrier}包裹已到翠苑小区菜鸟驿站，取件码 {o.pickup}，请于今日21:00前取件"
                    self.note(later, "菜鸟", "delivery", body, "包裹已到驿站")
                elif status == "delivered":
                    body = f"您的快递{o.tracking_no}已签收，签收人：公司前台"
                    self.note(later, o.carrier, "delivery", body, "已签收")
                elif status == "cancelled":
                    self.note(later, o.platform, "order", f"您的订单「{first}」已取消", "订单已取消")

    def calendar(self) -> None:
        for n, (title, created, start, end, location, attendees) in enumerate(CALENDAR, 1):
            start_ts = self.at(*start, jitter=False)
            self.add(
                CalendarEvent,
                self.at(*created),
                "日历",
                entry_id=f"cal-{n:02d}",
                title=title,
                start_ts=start_ts,
                end_ts=self.at(*end, jitter=False),
                location=location,
                attendees=attendees,
            )
            if start[0] < 7:
                where = f"，地点：{location}" if location else ""
                body = f"{start[1]} {title} 将在15分钟后开始{where}"
                self.note(start_ts - 15 * 60_000, "日历", "calendar", body, title)

    def misc(self) -> None:
        for day, hhmm, app, category, title, body in NOTIFICATIONS:
            self.note(self.at(day, hhmm), app, category, body.format(code=f"{self.rng.randrange(10**6):06d}"), title)

    def build(self) -> list[Event]:
        self.messages()
        self.food()
        self.commute()
        self.orders()
        self.calendar()
        self.misc()
        ordered = sorted(self.events, key=lambda e: (e.ts, e.event_id))
        late = [e for e in ordered if not SAMPLE_WEEK_START_MS <= e.ts <= SAMPLE_NOW_MS]
        if late:
            raise SystemExit(f"event outside the sample week: {late[0]!r}")
        week = [
            parse_event({**e.model_dump(mode="json"), "event_id": f"demo-{n:06d}"}) for n, e in enumerate(ordered, 1)
        ]
        shopping = shopping_session(week[-1].ts, first_id=len(week) + 1)
        return week + shopping + late_updates(week, shopping[-1].ts, first_id=len(week) + len(shopping) + 1)


# Sunday evening on the sofa: a browsing session after the week's last message. Appended after the week (own
# seed, ids continuing the numbering) so every earlier event keeps its id and bytes; shopping features need it.
# (platform, item_id, name, category, brand, price_fen, dwell seconds) or (platform, None, query, ...) = search
# fmt: off
SHOPPING: list[tuple[str, str | None, str, str, str, int, int]] = [
    ("京东", None, "降噪耳塞 入耳式", "", "", 0, 0),
    ("京东", "100061234501", "FreeBuds Pro 3 入耳式降噪耳塞 陶瓷白", "数码", "华为", 119900, 42),
    ("京东", "100061234517", "QuietComfort Ultra 降噪耳塞", "数码", "Bose", 199900, 25),
    ("京东", "100061234533", "耳塞收纳盒 硬壳防压", "数码", "绿联", 3990, 8),
    ("淘宝", None, "羽绒服 男 加厚", "", "", 0, 0),
    ("淘宝", "712345678901", "男款连帽羽绒服 加厚 黑色 L", "服装", "波司登", 89900, 35),
    ("淘宝", "712345678955", "女款短款鹅绒羽绒服 燕麦白 M", "服装", "波司登", 119900, 20),
    ("淘宝", None, "猫粮 成猫 无谷", "", "", 0, 0),
    ("淘宝", "713300012345", "无谷全价成猫粮 1.8kg", "宠物", "渴望", 32900, 28),
    ("淘宝", "713300067890", "豆腐猫砂 6L×4包", "宠物", "洁客", 8900, 12),
    ("淘宝", "713300024680", "主食冻干猫粮 400g", "宠物", "麦富迪", 12900, 18),
    ("京东", "100070000123", "挂耳咖啡 深烘黑咖啡 10片", "咖啡", "隅田川", 3990, 15),
    ("京东", "100070000456", "意式浓缩咖啡豆 454g", "咖啡", "星巴克", 9800, 22),
]
# fmt: on


def shopping_session(after_ts: int, first_id: int) -> list[Event]:
    """The browse and search events of the Sunday evening session, starting a minute after ``after_ts``."""
    rng = random.Random(SEED + 1)
    ts = after_ts + 60_000
    out: list[Event] = []
    for n, (platform, item_id, text, category, brand, price, dwell) in enumerate(SHOPPING, first_id):
        common = {"event_id": f"demo-{n:06d}", "user_id": SAMPLE_USER_ID, "ts": ts, "source_app": platform}
        if item_id is None:
            out.append(SearchEvent(**common, query=text, platform=platform))
            ts += rng.randrange(15_000, 40_000)
        else:
            dwell_ms = dwell * 1000 + rng.randrange(0, 1000)
            out.append(
                BrowseEvent(
                    **common,
                    item_id=item_id,
                    item_name=text,
                    category=category,
                    brand=brand,
                    price_fen=price,
                    platform=platform,
                    dwell_ms=dwell_ms,
                )
            )
            ts += dwell_ms + rng.randrange(20_000, 60_000)
    if ts > SAMPLE_NOW_MS:
        raise SystemExit("the shopping session runs past the sample's 'now'")
    return out


# Sunday 21:2x, after the shopping session: what event model v2 (issue 13) adds — the cart and favourites of
# that session, the contact list syncing, the headphones reaching a transit hub (a day, not an instant, as
# ETA), one meeting moved and one cancelled, a message corrected and one recalled, a reminder. Appended (ids
# continuing the numbering) so every earlier event keeps its id.
# fmt: off
CONTACTS: list[tuple[str, str, list[str], str, bool]] = [  # (contact_id, name, aliases, relation, frequent)
    ("ct-mom", "妈妈", ["老妈"], "妈妈", True), ("ct-dad", "爸爸", ["老爸"], "爸爸", False),
    ("ct-aunt", "小姨", [], "小姨", False), ("ct-chenhao", "陈昊", ["昊昊"], "男朋友", True),
    ("ct-zhangwei", "张伟", ["张哥"], "领导", True), ("ct-lina", "李娜", [], "同事", False),
    ("ct-liuyang", "刘洋", [], "同事", False), ("ct-zhaomin", "赵敏", [], "同事", False),
    ("ct-wangfang", "王芳", ["芳芳"], "朋友", True),
]
# fmt: on


def late_updates(week: list[Event], after_ts: int, first_id: int) -> list[Event]:
    """The v2 tail (see above), starting a minute after ``after_ts``; ``week`` supplies what is updated."""
    ts = after_ts + 60_000
    out: list[Event] = []

    def add(cls: Callable[..., Event], **fields: Any) -> Event:
        nonlocal ts
        common = {"event_id": f"demo-{first_id + len(out):06d}", "user_id": SAMPLE_USER_ID, "ts": ts}
        event = cls(**common, **fields)
        out.append(event)
        ts += 11_000
        return event

    shop = {"source_app": "京东", "platform": "京东"}
    add(CartEvent, **shop, item_id="100061234501", item_name="FreeBuds Pro 3 入耳式降噪耳塞 陶瓷白",
        category="数码", brand="华为", price_fen=119900)  # fmt: skip
    shop = {"source_app": "淘宝", "platform": "淘宝"}
    add(FavoriteEvent, **shop, item_id="713300012345", item_name="无谷全价成猫粮 1.8kg", category="宠物",
        brand="渴望", price_fen=32900)  # fmt: skip
    add(CartEvent, **shop, item_id="713300067890", item_name="豆腐猫砂 6L×4包", category="宠物", brand="洁客",
        price_fen=8900, quantity=2)  # fmt: skip
    for contact_id, name, aliases, relation, frequent in CONTACTS:
        conv = CONVERSATIONS.get(name)
        handles = {"微信": conv[0]} if conv else {}
        add(ContactEvent, source_app="通讯录", contact_id=contact_id, name=name, aliases=aliases, relation=relation,
            handles=handles, frequent=frequent)  # fmt: skip
    phones = next(e for e in reversed(week) if isinstance(e, OrderEvent) and e.order_id == "298801234567")
    # the transit hub's "预计11月24日送达" is a day, not an instant
    add(OrderEvent, **{**phones.model_dump(exclude={"event_id", "user_id", "ts", "type"}), "status": "in_transit",
        "eta_ts": None, "eta_day": "2026-11-24"})  # fmt: skip
    entries = {e.entry_id: e for e in week if isinstance(e, CalendarEvent)}
    review, one_on_one = entries["cal-10"], entries["cal-11"]
    hour = 3_600_000
    # the review moves two hours later; the 1:1 is cancelled (title and time repeated, as apps send it)
    add(CalendarEvent, **{**review.model_dump(exclude={"event_id", "user_id", "ts", "type"}),
        "start_ts": review.start_ts + 2 * hour, "end_ts": review.end_ts + 2 * hour})  # fmt: skip
    add(CalendarEvent, **{**one_on_one.model_dump(exclude={"event_id", "user_id", "ts", "type"}),
        "status": "cancelled"})  # fmt: skip
    group = {"source_app": "微信", "conversation_id": "wx-group-product", "conversation_name": "产品组"}
    late = add(MessageEvent, **group, sender="刘洋", direction="in", text="明天周会我晚到半小时，回滚方案九点前发群里")
    add(MessageUpdateEvent, source_app="微信", target_event_id=late.event_id, op="correct",
        text="明天周会我晚到十分钟，回滚方案九点前发群里")  # fmt: skip
    chat = {"source_app": "微信", "conversation_id": "wx-chenhao", "conversation_name": "陈昊"}
    oops = add(MessageEvent, **chat, sender="陈昊", direction="in", text="[语音] 0:04")
    add(MessageUpdateEvent, source_app="微信", target_event_id=oops.event_id, op="delete")  # recalled (撤回)
    friday = int(datetime.combine(MONDAY + timedelta(days=11), time(12, 0), tzinfo=TZ).timestamp() * 1000)
    add(ReminderEvent, source_app="提醒事项", reminder_id="rm-gift", title="给外婆买八十大寿礼物", due_ts=friday)
    if ts > SAMPLE_NOW_MS:
        raise SystemExit("the v2 updates run past the sample's 'now'")
    return out


def render(events: list[Event]) -> str:
    """One compact, key-sorted JSON object per line: stable bytes, readable Chinese, small diffs."""
    dump = [
        json.dumps(e.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":")) for e in events
    ]
    return "\n".join(dump) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output JSONL (default: {DEFAULT_OUT})")
    args = parser.parse_args()
    events = Week(random.Random(SEED)).build()
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(events), encoding="utf-8", newline="\n")
    counts = {t: sum(1 for e in events if e.type == t) for t in EVENT_TYPES}
    print(f"wrote {len(events)} events to {out}: {counts}")


if __name__ == "__main__":
    main()
