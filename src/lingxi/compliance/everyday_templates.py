"""Hand-written everyday requests and remarks, generated from templates: must-pass prompts for training the
screening models (written for lingxi on 2026-12-07, not taken from any dataset).

Why: the licensed must-pass *prompts* of the training sources are dialogue-system queries (hotels, trains),
reading-comprehension questions and chit-chat; almost none of them *asks the assistant to do something*
(帮我写…, 帮我想…, 教我…, 一步一步…). The block-worthy prompts (JADE, Safety-Prompts) are such requests, so the
char n-gram models learned that the request form itself is risky: main's classifier blocked 30 of the 1,000
everyday dev sentences — 「帮我写一段生日祝福，送给我妈妈。」, 「帮我在外卖软件上点一份麻辣烫。」 — and group
words learned from ~24k discriminatory comments blocked neutral remarks (「女生宿舍今晚十点熄灯。」,
「老人用智能手机有什么简单的办法？」). These templates put the same request forms and the same group words
into ordinary errands — writing, cooking, shopping, accounts, school, travel, family — so the request form
and the group word alone carry no weight, and the harmful *object* has to.

They are training material only: the held-out everyday set (benchmarks/data/everyday_heldout_zh.txt) was
written before these and is never read by the code.
"""

from __future__ import annotations

import hashlib

# (templates, fillers): every template of a group is filled with a deterministic subset of its fillers.
_WRITE = (
    "帮我写{}。", "请帮我写{}", "写{}。", "帮我起草{}", "能帮我写{}吗？", "给我写{}，语气轻松一点。",
    "帮我改一下{}，让它更通顺。", "一步一步教我写{}", "我需要{}，你帮我写一下", "用正式的语气写{}",
)  # fmt: skip
_WRITE_OBJ = (
    "一段生日祝福", "一封请假邮件", "一份周报", "一条朋友圈文案", "一段自我介绍", "一封感谢信", "一份购物清单",
    "一段产品介绍", "一份会议纪要", "一首关于春天的小诗", "一段婚礼致辞", "一份三天的旅行计划", "一段道歉的话",
    "一封辞职信", "一条节日祝福短信", "一份招聘启事", "一段寻找走失小狗的启事", "几个团队口号", "几个店铺名字",
    "一段年会开场白", "一份家务分工表", "一封给班主任的信", "一篇读书笔记", "一段商品好评", "一份一周的菜单",
    "一份新手健身计划", "一段毕业感言", "一篇三分钟的演讲稿", "一个社区活动方案", "一段给客户的回复",
    "一份值班表", "一个请假条", "一段视频的旁白", "一份课程总结", "一段给同事的欢送词", "一段相亲的自我介绍",
    "一份家长会发言稿", "一段宝宝满月的祝福", "一封投诉物业的信", "一份搬家清单", "一个小故事哄孩子睡觉",
)  # fmt: skip
_HOWTO = (
    "怎么{}？", "如何{}？", "{}有什么技巧？", "请问{}要注意什么？", "教我{}", "一步一步教我{}", "{}的步骤是什么？",
    "我想学{}，从哪里开始？", "有没有简单的办法{}？", "详细说说怎么{}", "{}需要准备什么？", "告诉我{}的方法",
)  # fmt: skip
_HOWTO_OBJ = (
    "做红烧肉", "煮一锅好吃的米饭", "修改支付密码", "找回账号密码", "清理手机内存", "申请退款", "联系客服",
    "设置家里的路由器", "洗掉衣服上的油渍", "教老人用智能手机", "养多肉", "给猫剪指甲", "做一份简历", "做PPT",
    "快速入睡", "练习英语口语", "挑一个甜的西瓜", "包饺子", "换灯泡", "清洗洗衣机", "考驾照", "办护照",
    "开增值税发票", "提取公积金", "给宝宝冲奶粉", "叠衣服更省空间", "用手机拍好看的照片", "做家庭预算表",
    "学写Python代码", "学游泳", "种番茄", "腌咸菜", "做蛋糕", "缝扣子", "把照片传到电脑上", "注销一个旧账号",
    "绑定银行卡", "给电动车充电更安全", "去除冰箱的异味", "教孩子整理房间", "准备面试", "和室友分摊水电费",
)  # fmt: skip
_SHOP = (
    "这款{}有优惠吗？", "这两款{}哪个性价比高？", "{}怎么选？", "我想买一个{}，预算一千以内。",
    "前几天买的{}用着有点毛病，找谁售后？", "{}坏了，还在保修期吗？", "帮我在网上找一款{}", "{}到货了，但是少了配件。",
    "推荐一款适合老人用的{}。", "{}多久能发货？", "{}可以七天无理由退货吗？", "帮我下单一个{}，送到公司。",
    "二手的{}能买吗？", "快递送来的{}外箱破了，里面还好。",
)  # fmt: skip
_ITEMS = (
    "扫地机器人", "电饭煲", "保温杯", "台灯", "蓝牙耳机", "洗衣机", "空调", "羽绒服", "运动鞋", "婴儿车", "手机壳",
    "笔记本电脑", "电动牙刷", "加湿器", "行李箱", "沙发", "床垫", "打印机", "路由器", "冰箱", "相机", "书包",
    "电热水壶", "空气炸锅", "儿童座椅", "折叠自行车", "微波炉", "吸尘器",
)  # fmt: skip
_GROUP = (
    "{}宿舍周五晚上停水一小时。", "我们年级的{}都爱踢毽子。", "{}也能参加下周的朗诵比赛吗？", "给{}买什么礼物合适？",
    "帮{}挑一双舒服的鞋。", "{}不会用手机付款，怎么教比较快？", "周末带{}去哪里玩比较好？", "{}想学游泳，哪里有课？",
    "我们小区的{}组织了一个合唱团。", "{}的体检报告出来了，一切正常。", "帮我给{}写一张生日贺卡。",
    "{}膝盖不好，家里需要装扶手吗？", "今天{}来家里吃饭，做几个什么菜？", "{}在学做饭，推荐几道简单的菜。",
)  # fmt: skip
_GROUPS = (
    "女生", "男生", "老人", "孩子", "女同事", "男同学", "奶奶", "爷爷", "妈妈", "爸爸", "外地来的朋友", "新来的同事",
    "邻居阿姨", "南方的朋友", "北方的亲戚", "留学生", "退休的老师", "小学生", "大学生", "外国同学", "宝妈们",
)  # fmt: skip
_REMARKS = (
    "手机银行一直提示验证失败，登不进去。", "那个购物应用一打开就自动退出。", "麻烦再确认一遍收货地址和电话。",
    "昨天加进购物车的衣服今天贵了二十块。", "大夫让我最近饮食清淡一点。", "这周的方案领导很满意。",
    "这个月太累了，想请两天年假。", "烘干机烘出来的毛巾有股怪味。", "物业费能不能在网上交？",
    "街道办下周末有个旧物交换会。", "我把用不上的婴儿床挂到闲鱼上了。", "帮我点一杯少糖的奶茶外卖。",
    "帮我们家的小猫想几个可爱的名字。", "同学约我周六唱歌，帮我想个客气的推辞。", "注册的时候一直收不到短信。",
    "物流显示已经送达，但门口什么也没有。", "帮我看看这个包裹现在到哪个城市了。", "帮我订两张周六去苏州的动车票。",
    "帮我算算每个月的车贷还多少。", "帮我约一辆出租车，八点去火车站。", "复印机又没墨了。", "把周会挪到周四上午吧。",
)  # fmt: skip
# Everyday senses of words that also occur in harmful requests (假 in 放假, one's own 密码, 钓鱼 at a river,
# 组装 furniture, a shop's 联系方式, a parcel's 收件人, 血压): each word in its errands.
_HOMONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("下周{}，我想去海边玩几天。", "{}期间快递还送吗？", "公司的{}安排出来了吗？", "{}前要把工作交接好。"),
     ("放假", "请假", "休年假")),
    (("忘了自己的{}，怎么重置？", "{}输错三次被锁了怎么办？", "怎么设置一个安全的{}？", "{}多久换一次比较好？"),
     ("密码", "支付密码", "登录密码", "银行卡密码")),
    (("周末带孩子去水库{}，要带什么？", "{}用什么鱼饵好？", "新手去{}选什么鱼竿？"), ("钓鱼", "野钓", "海钓")),
    (("买的书柜需要自己{}吗？", "{}一台电脑要买哪些配件？", "宜家的床{}起来难不难？"), ("组装", "安装", "拼装")),
    (("请问店铺的{}是多少？", "售后的{}在哪里能找到？", "快递员的{}我没存，怎么找？"),
     ("联系方式", "客服电话", "电话号码")),
    (("下单前请确认{}和地址。", "{}写错了还能改吗？", "怎么修改默认的{}？"),
     ("收件人信息", "收货人电话", "收件人姓名")),
    (("体检说我{}有点高。", "{}偏高饮食上要注意什么？", "每天什么时候量{}最准？"), ("血压", "血脂", "血糖")),
)  # fmt: skip
_GROUPS_OF_TEMPLATES = ((_WRITE, _WRITE_OBJ), (_HOWTO, _HOWTO_OBJ), (_SHOP, _ITEMS), (_GROUP, _GROUPS), *_HOMONYMS)
KEEP_ONE_IN = 2  # a deterministic half of all (template, filler) pairs: enough variety, no flood


def _keep(template: str, filler: str) -> bool:
    return int.from_bytes(hashlib.sha256((template + filler).encode()).digest()[:4], "big") % KEEP_ONE_IN == 0


def everyday_prompts() -> list[str]:
    """Every kept (template, filler) sentence, then the remarks; deterministic, no duplicates."""
    pairs = [(t, f) for templates, fillers in _GROUPS_OF_TEMPLATES for t in templates for f in fillers]
    out = [t.format(f) for t, f in pairs if _keep(t, f)]
    return list(dict.fromkeys(out + list(_REMARKS)))
