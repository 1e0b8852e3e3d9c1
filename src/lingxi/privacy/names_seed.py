"""Word lists for the person-name recognizer (:mod:`.names`), written by the lingxi authors.

The seed is what the recognizer uses when no names resource was built: surnames in order of how common
they are (public facts; compound surnames apart so 欧阳娜娜 is 欧阳 + 娜娜), characters common in modern
given names (the built resource's statistics are historical and under-weight 伟, 静, 娜…), and the titles
and kinship terms that follow a surname (王总, 李老师, 张阿姨). The context cues say where a name tends to
stand in a sentence: after a role (收件人, 值班, 经办人), a verb that takes a person (找, 通知, 转给), or
before what a person does (说, 请假, 负责). Cues only add to a candidate's score; none makes a name alone.
"""

from __future__ import annotations


def _words(s: str) -> tuple[str, ...]:
    return tuple(s.split())


# Marks and spaces that end a clause or a field: a name right before or after one stands at an edge.
CLAUSE_EDGES = frozenset("，。！？；：,.!?;:、（）()【】[]「」『』“”\"' \t\n　~～…—-/|")


COMPOUND_SURNAMES = _words(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 百里 "
    "呼延 澹台 公冶 太史 申屠 钟离 闻人 万俟 赫连 东郭 左丘 第五 拓跋"
)

# Roughly by frequency (most common first). Characters that are far more often function words next to a
# name (和, 与, 同, 向, 从, 把, 对, 给) are left out.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连"
    "芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞"
    "敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚"
    "花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊"
)


def surnames_by_rank() -> list[str]:
    """Single-character surnames by rank, with the compound ones placed after the top hundred."""
    singles = list(dict.fromkeys(_SURNAMES))
    return singles[:100] + list(COMPOUND_SURNAMES) + singles[100:]


# Characters frequent in given names of people born 1950–2020 (one list, no weights).
MODERN_GIVEN_CHARS = frozenset(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红辉建国文林鹏飞宇浩然轩涵梓子欣怡萱雨桐俊佳诗"
    "琪思远晓东志海燕梅春丹婷雪琳颖斌凯倩亮晨昊楠薇悦瑶岚博嘉豪彤慧峰永德淑芬美玲宏天一诺若曦墨皓语嫣紫鸣"
    "佑阳泽睿铭瑞琦琴莉蓉凤菊兵波鑫毅健威旭帅坤龙彬成康星光荣生福贵祥云霖锦瑜璐露蕾菲妍婉婕嫣娇媛姗妮娅"
    "琼瑾璇璟琛瑶珊珍珠翠莲荷菁芸芝蓓薇茜茹莎萌蒙爽冰清澜涵淼沛洁滢潇蕊馨韵雯霏霞欢乐迪逸凡帆航骏驰腾翔"
    "鹤鹰麟彪豹虎猛力立新民振兴盛昌隆富强安宁宏远卫忠诚义仁礼信智勤俭朴良善和顺利平泰山川江河湖波涛澎"
    "湃源溪泉水冰霜雪晴阳旭辰星月光辉耀灿烁熙煜炎焱森林松柏杨柳桦楠梧桐枫竹兰菊梅荷莲蓉芳芬芷若萱"
)

# Titles, ranks and kinship terms that follow a bare surname (王总, 李老师, 张阿姨) or a full name.
TITLES = frozenset(
    _words(
        "先生 女士 小姐 老师 同学 经理 总监 主管 主任 部长 院长 校长 处长 局长 科长 所长 厅长 县长 市长 "
        "书记 董事长 总经理 总裁 老板 老板娘 会计 医生 大夫 护士 护士长 律师 教授 博士 工程师 师傅 警官 "
        "教练 队长 班长 组长 站长 店长 阿姨 叔叔 叔 伯伯 伯 大爷 大妈 大娘 奶奶 爷爷 婶婶 婶 姨 姑 舅舅 "
        "姐 哥 嫂 总 工 导 老 同志 师兄 师姐 师弟 师妹 妈妈 爸爸 "
        # forms of address people are called by after a surname (李秘书, 罗大厨, 吴掌柜); not occupations that
        # are as often plain nouns after 和/那 (导演, 编辑, 助理: 记者和编辑, 那导演是谁), nor 太太 (太太太 is "too,
        # too"), 老太太 (和那老太太) or 法官 (found nothing on the dev sets, one false span on licensed text)
        "秘书 大厨 干事 掌柜 师父 伯母"
    )
)

# Role words and labels after which a name follows (收件人：王芳, 值班王芳, 快递员王芳).
ROLES = _words(
    "姓名 名字 联系人 收件人 收货人 寄件人 发件人 签收人 代收人 户名 持卡人 开户人 账户名 乘车人 乘机人 出行人 "
    "旅客 入住人 就诊人 患者 病人 投保人 被保险人 受益人 申请人 负责人 经办人 经手人 审批人 审核人 批准人 "
    "复核人 制表人 填表人 记录人 记录 主持人 主持 发言人 参会人 参会 出席 列席 值班 值班员 值日 值日生 带班 "
    "领队 带队 承租人 出租人 承租方 出租方 甲方 乙方 丙方 业主 房东 租客 车主 付款人 付款方 收款人 收款方 "
    "转账人 预订人 下单人 购买人 报名人 推荐人 介绍人 担保人 监护人 法定代表人 法人 原告 被告 证人 当事人 "
    "班主任 辅导员 主治医生 医生 护士 司机 骑手 快递员 配送员 师傅 同事 同学 同桌 室友 邻居 老乡 朋友 "
    "表姐 表哥 表妹 表弟 堂姐 堂哥 堂妹 堂弟 舅舅 姑姑 阿姨 叔叔 姐姐 哥哥 妹妹 弟弟 老公 老婆 爱人 "
    "新同事 组长 队长 获奖者 得主 成员 名单 人员 我叫 我是 本人 叫做 名叫 署名 落款 "
    "白班 夜班 早班 晚班 中班 一等奖 二等奖 三等奖 特等奖 优秀奖 第一名 第二名 第三名 冠军 亚军 季军 "
    "操作人 操作员 监考 监考老师 考官 面试官 实习生 嘉宾 部长 经理 主任 客户 学员 学生 员工 职员 店员 前台 "
    "外卖员 送餐员 导师 教练 裁判 作者 主讲人 讲师 联络人 对接人 签字人 发起人 创建人 提交人 处理人"
)

# Verbs and prepositions that take a person right after them (找王芳, 通知王芳, 转给王芳).
BEFORE = _words(
    "给 找 问 叫 让 请 跟 和 与 同 向 对 被 把 由 替 帮 陪 等 带 及 以及 或 告诉 通知 联系 转告 转给 交给 "
    "发给 感谢 谢谢 恭喜 祝贺 欢迎 提醒 麻烦 拜托 碰见 遇见 遇到 见到 看到 看见 碰到 认识 记得 想起 听 "
    "问问 找找 催 催一下 艾特 私聊 电话 打给 约 是"
)

# What a person does or has, right after the name (王芳说, 王芳请假, 王芳的电脑).
AFTER = _words(
    "说 讲 问 答 告诉 让 叫 请 要 想 会 能 在 正在 已 已经 刚 刚才 还 也 都 就 又 再 才 今天 明天 昨天 后天 "
    "上午 下午 晚上 早上 负责 请假 休假 出差 打电话 来电 发 回 来 去 到 把 给 跟 和 与 的 家 这边 那边 "
    "您好 你好 好 生日 同学 妈妈 爸爸 老公 老婆 一家 他们 她们 等人 等 通过 向 捐款 获得 获 加入 主持 "
    "带队 代理 接手 跟进 确认 签收 派送 配送 收 付 转账 收款 已签收 系 于 为 是 没 不 未 "
    "写 画 做 拍 买 卖 借 送 拿 撤回 点赞 主演 退休 离职 入职 上任 回来 回家"
)
# Of those, what only a person does to someone (王芳说, 王芳让我…): stronger evidence.
SPEECH = frozenset(_words("说 讲 告诉 让 叫 问"))

# Characters that end place and shop names: a candidate right before one is a place (古翠路, 张庄村).
PLACE_ENDS = frozenset("路街巷弄道村镇乡区县市省州山河湖桥园苑楼馆厂站港湾寺庙宫店坊庄屯寨岭峰")

# What a person has, after 的 (王芳的快递, 袁野的爸爸): stronger than 的 alone, which also follows 高兴, 江边.
POSSESSED = frozenset(
    _words(
        "爸爸 妈妈 老公 老婆 孩子 儿子 女儿 父亲 母亲 哥哥 姐姐 弟弟 妹妹 家长 男友 女友 朋友 同事 快递 包裹 "
        "电话 手机 微信 邮箱 地址 车 工牌 作业 论文 航班 票 生日 身份证 简历 工资 订单 钱包 钥匙 电脑 座位"
    )
)

# Trade names that read as a person's name or a surname with a title (李宁, 王老吉, 康师傅): a gazetteer of
# well-known Chinese brands and shops (none that is also a
# common person name, such as 乔丹), written by the lingxi authors from general knowledge. A span inside
# one is never a name; a span that is one only with a person's cue after it (李宁说, 李宁先生).
BRANDS = frozenset(
    _words(
        "李宁 王老吉 康师傅 周大福 周生生 周六福 张小泉 王守义 马应龙 老干妈 李锦记 谭木匠 陈克明 杨国福 刘一手 "
        "王致和 王麻子 张飞牛肉 胡庆余堂 雷允上 潘高寿 周黑鸭 许留山 谢馥春 张一元 吴裕泰 汪裕泰 金六福 钱大妈 "
        "王小卤 蒙牛 农夫山泉 汤臣倍健 江小白 金龙鱼 苏泊尔 黄飞红 孔府家 沈大成 杨铭宇 叶开泰 百雀羚 高露洁 "
        "林家铺子 彭大将军 吴良材 曹素功 戴春林 万达广场 华为手机"
    )
)
