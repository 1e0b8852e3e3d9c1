"""Writes ``names_eval.jsonl``: a labeled set for person-name recognition, independent of the recognizer.

Why it exists: the egress redactor's name recall was measured on someone else's set at 0.249; this set lets
the project measure its own name recognizer without tuning on that bank. It was written (templates, name
lists, hard negatives) before the recognizer in ``lingxi.privacy.names`` and with no look at its word lists:
the modern given names below are the author's own, not drawn from any names resource, so the set measures
how the recognizer generalizes to names it has never seen.

Protocol (fixed before any result was looked at):

* Positive sentences come from templates (work chats, SMS and delivery messages, family chats, school
  notices, forms and public notices), each instantiated five times with seeded random names.
* Templates, not sentences, are split 50/50 into ``validation`` and ``test`` (seed 15), so the test split
  holds wordings the threshold never saw. Hard negatives are split the same way, sentence by sentence.
* Labels: a span is the name alone. For a surname with a title or kinship term (王总, 李老师, 张阿姨) or
  with 小/老 (小王, 老李) the span is the surname character(s): that is the part of the text that names a
  person; the title stays readable.
* Hard negatives contain no person name at all but ordinary words that begin with a surname character.

Run: ``python benchmarks/data/make_names_eval.py`` (deterministic; rewrites names_eval.jsonl).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

SEED = 15


def _split(s: str) -> list[str]:
    return s.split()


PER_TEMPLATE = 5

SURNAMES = (
    "王王王王李李李李张张张张刘刘刘陈陈陈杨杨黄黄赵赵吴吴周周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田"
    "董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛邢"
)
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "慕容"]
GIVEN2 = _split(
    "子涵 欣怡 梓萱 浩然 宇轩 雨桐 俊杰 佳怡 诗琪 一诺 思远 明轩 晓东 建军 秀英 桂兰 志强 海燕 丽华 建国 "
    "文静 婷婷 晓燕 玉梅 春花 国庆 红梅 立新 振华 雪梅 亚楠 佳琪 梦瑶 若曦 子墨 皓轩 梓涵 语嫣 博文 嘉豪 "
    "欣然 雅婷 诗涵 紫怡 一鸣 天佑 明杰 晨阳 思彤 佳慧 晓峰 永红 德明 淑芬 美玲 志伟 俊宇 凯文 思雨 昊天 "
    "嘉怡 梦琪 宏伟 建华 晓丽 丹丹 玲玲 鹏飞 海涛 文博 家豪 子轩 泽宇 雨萱 可馨 沐阳 奕辰 安琪 晓雯 少华 "
    "卫东 红霞 金凤 翠花 秋菊 永刚 树林 长江 忠诚 丽娟 静怡 梓豪 一凡 书瑶 芷若 乐乐 朵朵 萌萌 铁柱 春燕"
)
GIVEN1 = list("伟磊静敏勇军杰娟涛超鹏丽强艳霞刚平辉燕芳婷洋帆琳颖斌浩宁凯倩丹亮雪晨昊楠薇悦瑶岚")
TITLES = _split(
    "总 老师 医生 阿姨 叔叔 姐 哥 经理 师傅 主任 律师 警官 大夫 老板 工 护士 教练 校长 大爷 奶奶 婶 姨 所长 "
    "科长 书记 会计"
)

# {N} a full name; {T} surname + title/kinship (span = surname); {X} 小/老 + surname (span = surname).
TEMPLATES = [
    # work group chats
    "{N}，下午三点的会你能参加吗？",
    "今天的周报{N}还没交，谁提醒一下",
    "这个需求转给{N}跟进吧",
    "刚跟{N}确认过了，接口下周一上线",
    "@{N} 合同盖章了没",
    "本周值班：{N}（周一至周三）、{N}（周四至周日）",
    "会议纪要 参会：{N}、{N}、{N}、{N}；记录：{N}",
    "报销单经办人{N}，审批人{N}",
    "{N}请假一天，工作由{N}代理",
    "{T}说这个方案还得再改改",
    "{T}，样品已经寄出了，单号稍后发您",
    "麻烦{T}帮忙看一下这份报价",
    "{N}和{N}负责展台布置，其他人九点到场",
    "欢迎新同事{N}加入市场部！",
    "项目负责人：{N}　联系方式见附件",
    "出差人员名单：{N}、{N}、{N}",
    "{N}的电脑坏了，IT那边谁有空",
    "下周起由{N}接手华东区客户",
    "恭喜{N}获得本季度优秀员工",
    "采购部{N}已经把发票寄过来了",
    "{X}，客户那边回消息了吗",
    "周五团建，{N}订餐厅，{N}订车",
    # SMS and delivery
    "【丰巢】{N}您好，您的快递已存入3号柜，请尽快取件",
    "您好，我是快递员{N}，您的包裹放门卫室了",
    "【顺丰速运】您的快件由{N}派送，预计今天18点前送达",
    "收件人{N}的包裹已签收，签收人：{N}",
    "外卖骑手{N}正在为您配送，请保持电话畅通",
    "代收人：{N}（同事）",
    "{N}女士，您预约的维修师傅明天上午上门",
    "尊敬的客户{N}：您本月的账单已出，请及时还款",
    "您的房东{N}向您发起了一笔收款",
    "{N}通过扫码向你转账",
    "付款方：{N}　收款方：{N}",
    "转账给{N}成功，对方已收款",
    # family and friends
    "妈，{X}今天来家里吃饭吗",
    "我表姐{N}下个月结婚，你去不去",
    "昨天在超市碰见{N}了，她说她换工作了",
    "{N}生日快乐！",
    "你还记得高中同桌{N}吗？他现在在深圳",
    "{N}家的孩子考上大学了",
    "周六和{N}去爬山，晚上回来",
    "刚才{N}打电话找你，说有急事",
    "{T}家的猫又跑丢了",
    "{X}，明天记得带伞",
    "帮我问问{N}，钥匙放哪了",
    "{N}跟{N}分手了你知道吗",
    "听{X}说公司要搬家",
    "我和{N}在楼下等你",
    "{T}送的腊肉放冰箱了",
    # school notices
    "各位家长好，本周值日生：{N}、{N}、{N}",
    "请{N}同学的家长放学后来一趟办公室",
    "三年级二班{N}、{N}两位同学在数学竞赛中获一等奖",
    "明天由{T}带队参观科技馆",
    "班主任：{N}；副班主任：{N}",
    "{N}妈妈，孩子的校服到了",
    "考场安排：{N} 第3考场",
    "本学期三好学生：{N}、{N}和{N}",
    "{N}今天没来上课，请家长说明情况",
    # forms and notices
    "申请人：{N}　性别：男",
    "业主{N}，您的物业费已逾期",
    "就诊提醒：请{N}到二楼内科候诊",
    "主治医生：{N}　科室：心内科",
    "值班表 12月8日 白班{N} 夜班{N}",
    "获奖名单公示：一等奖{N}，二等奖{N}、{N}",
    "被告{N}于庭审中辩称其不知情",
    "紧急联系人{N}，关系：母女",
    "房屋租赁合同 甲方（出租方）：{N} 乙方（承租方）：{N}",
    "本次活动由{N}主持",
    "{N}捐款200元，{N}捐款100元",
    "特此证明{N}系我单位职工",
    "经手人{N}　审核人{N}",
    "以下人员请于周五前补交材料：{N}、{N}",
    "车主{N}，您的车辆年检即将到期",
    "今日值班领导：{N}，值班员：{N}",
]

# Sentences without any person name, each with ordinary words that start with a surname character.
HARD_NEGATIVES = _split("""
这个游戏里可以建立自己的王国
他张开双臂拥抱了我
听到这个消息我很高兴
最近黄金价格涨得厉害
周末一起去看电影吧
这个方法比上次的好用多了
白天太热了，晚上再出门
下个月我要去成都出差
江西的米粉真的很好吃
你说的我都明白了
李子熟了，周末回老家摘
马上就到，再等我五分钟
林业局今天发了防火通知
石头剪刀布，输了的洗碗
这种情况很常见，不用担心
图书馆里很安静
他在金融公司上班
钱包落在出租车上了
秋天的叶子都黄了
江湖上到处都是他的传说
文件的字体统一改成宋体
唐朝的诗歌特别有名
万一下雨怎么办
田地里的麦子快熟了
路边种了一排杨树
舞台布置得很华丽
于是我们决定改天再去
这座城市的文化氛围很浓
这个任务今天必须完成
她说话的声音很温柔
问题的严重程度超出预期
余额不足，请及时充值
门口挂着朱红色的灯笼
需要主管的许可才能进机房
孙子今年上小学了
别胡说，根本没有这回事
何必为这点小事生气
高速上堵了两个小时
韩国的炸鸡店开到楼下了
谢谢大家的帮助
曹县的烧饼很有名
彭湃的心情难以平静
曾经的梦想还记得吗
肖像画挂在客厅里
董事会下周召开
袁州区的路修好了
潘家园周末有旧货市场
蒋村的荷花开了
蔡甸区今天有雨
杜鹃花开满了山坡
叶落归根是很多老人的心愿
程序又崩溃了，得重启
苏州园林值得一去
魏晋时期的书法很有特色
吕梁山区的红枣很甜
丁香花的味道很特别
任务清单已经更新
沈阳今天降温了
姚江的水位涨了
卢沟桥的石狮子数不清
姜汤可以驱寒
演唱会的票卖完了，白跑一趟
钟表店在商场三楼
谭木匠的梳子挺好用
陆地上最大的动物是大象
汪汪队是孩子最爱看的动画
范围太大了，缩小一点
金属材料要放在干燥处
廖廖几句话就说清楚了
贾汪区的公园很大
夏天快到了，准备减肥
武侠小说里的人物都很有个性
付款方式选择微信支付
方向盘有点松，去修一下
白菜今天两块钱一斤
邹平的小吃挺多
孟夏时节草木繁盛
熊猫基地周末人很多
秦岭的隧道很长
邱陵地带适合种茶
周星期天有空吗？我说的是这周星期天
薛城的羊肉汤很鲜
闫家村今年通了公交
段落太长了，拆成两段
雷雨天气注意安全
侯车室里人很多
龙虾今天特价
史书上没有记载这件事
陶瓷杯子容易碎
黎明前的黑暗最难熬
贺卡已经寄出去了
顾客是上帝
毛衣洗了会缩水
郝然发现钥匙不见了
龚滩古镇很适合拍照
邵阳的米粉也不错
万达广场新开了一家火锅店
钱塘江大潮每年都有人去看
严格按照流程办理
武汉的热干面是早餐首选
戴口罩进入医院
莫名其妙就生气了
孔雀开屏的时候很漂亮
汤圆要煮到浮起来
常规检查一切正常
温馨提示：雨天路滑
康复训练每天都要坚持
施工期间请绕行
牛肉面加个蛋
樊城区今天停水
葛根粉可以冲着喝
邢台的天气预报说有雪
安排好了告诉我一声
齐心协力把项目做完
易拉罐要分类回收
乔迁新居，欢迎来玩
伍拾元的面值不常见
庞大的数据量需要时间处理
颜色选深蓝色吧
希腊神话里的故事很多
庄稼今年收成不错
聂拉木县在西藏
章程已经发到群里了
鲁菜讲究火候
岳阳楼记要求背诵全文
翟城村在河北
殷切希望大家积极参与
京张高铁开通了
申请表交到三楼
耿直的人不会拐弯抹角
关门的时候轻一点
兰花要放在通风的地方
焦虑的时候就去跑步
知音难觅，且行且珍惜
左转第二个路口就到
柳树发芽了
甘蔗汁很解渴
祝贺你顺利毕业
包装盒不要扔
宁可慢一点也不要出错
尚未收到回复
符合条件的都可以报名
舒服多了，谢谢关心
竹林里很凉快
柯基犬的腿很短
纪念品在出口处领取
梅雨季节衣服干不了
童年的回忆很美好
凌晨三点还在加班
毕业典礼定在六月
单位体检安排在下周
季度总结明天交
这首诗很有名
霍乱在古代很可怕
涂料味道散了再住
成本又上涨了
苗圃里种了很多树苗
谷歌地图在国内打不开
盛夏的午后适合睡觉
曲线图看起来更直观
明天早上八点出发
高考成绩下周公布
黄山的日出很壮观
周围的邻居都很友好
方便的时候回个电话
白色的那件更好看
高铁比飞机还快
马路对面新开了奶茶店
林子大了什么鸟都有
常州的天气比南京潮湿
金华火腿很出名
江南的雨下个不停
文明出行，礼让行人
张家界的风景很壮观
王者荣耀又更新了
李家村的路灯修好了
陈皮泡水喝对胃好
周边的房价都涨了
""")

_SLOT = re.compile(r"\{([NTX])\}")


def _full_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.04 else rng.choice(SURNAMES)
    given = rng.choice(GIVEN1) if rng.random() < 0.3 else rng.choice(GIVEN2)
    return surname + given


def _fill(template: str, rng: random.Random) -> tuple[str, list[list[int]]]:
    out, spans, pos, used = [], [], 0, set()
    for m in _SLOT.finditer(template):
        out.append(template[pos : m.start()])
        start = sum(len(p) for p in out)
        kind = m.group(1)
        if kind == "N":
            name = _full_name(rng)
            while name in used:
                name = _full_name(rng)
            used.add(name)
            out.append(name)
            spans.append([start, start + len(name)])
        else:
            surname = rng.choice(SURNAMES)
            if kind == "T":
                out.append(surname + rng.choice(TITLES))
            else:
                out.append(rng.choice("小老") + surname)
                start += 1
            spans.append([start, start + 1])
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def build() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    order = list(range(len(TEMPLATES)))
    rng.shuffle(order)
    test_templates = set(order[: len(order) // 2])
    rows: list[dict[str, object]] = []
    for t, template in enumerate(TEMPLATES):
        split = "test" if t in test_templates else "validation"
        seen: set[str] = set()
        while len(seen) < PER_TEMPLATE:
            text, spans = _fill(template, rng)
            if text in seen:
                continue
            seen.add(text)
            rows.append({"split": split, "kind": "name", "template": t, "text": text, "names": spans})
    for i, text in enumerate(HARD_NEGATIVES):
        rows.append(
            {
                "split": "test" if rng.random() < 0.5 else "validation",
                "kind": "hard_negative",
                "template": -1 - i,
                "text": text,
                "names": [],
            }
        )
    return rows


def main() -> None:
    rows = build()
    path = Path(__file__).with_name("names_eval.jsonl")
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for split in ("validation", "test"):
        part = [r for r in rows if r["split"] == split]
        spans = sum(len(r["names"]) for r in part)  # type: ignore[arg-type]
        negs = sum(r["kind"] == "hard_negative" for r in part)
        print(f"{split}: {len(part)} sentences, {spans} name spans, {negs} hard negatives")


if __name__ == "__main__":
    main()
