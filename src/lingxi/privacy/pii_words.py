"""Word lists for the Chinese PII recognizers in :mod:`lingxi.privacy.pii`, kept apart from the matching code.

Surnames (compound first, so 欧阳娜娜 is 欧阳 + 娜娜; characters far more often function words next to a
name — 和, 与, 同, 向, 从, 把, 对, 给 — deliberately absent), words that look like names but are not,
well-known places that anchor where an address starts, and the context words for WeChat/QQ ids, name
labels and titles. Written by the lingxi authors.
"""

from __future__ import annotations


def _words(s: str) -> list[str]:
    return s.split()


COMPOUND_SURNAMES = _words(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 百里 "
    "呼延 澹台 公冶 太史 申屠 钟离 闻人 万俟 赫连 东郭 左丘 第五 拓跋"
)


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连"
    "芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞"
    "敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚"
    "花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿"
    "乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴"
    "昝智幸奉植衡富尧闭由于"
).replace("和", "")


NOT_GIVEN = "的了是在和与跟及说讲要想去来到吗呢吧啊呀哦嘛哈您你我他她们这那就也都还很请让给对把被已会能先今昨女老经总"


NOT_NAMES = frozenset(
    _words(
        "周一 周二 周三 周四 周五 周六 周日 周末 明天 明年 明白 明早 明晚 高兴 高铁 高速 方便 方法 方面 黄金 "
        "金额 白天 安全 安排 常常 马上 任何 万一 文件 何时 于是 时间 时候 余额 陆续 应该 成功 全部 许多 谢谢 "
        "包裹 申请 车票 司机 师傅 王者 钱包 关于 关心 程序 华为 宁愿 江湖 林子 路上 游戏 东西 南方 北方 毛病 "
        "冷静 温度 牛奶 花钱 海边 平时 那边 那个 单位 单独 夏天 秋天 朱古力 米饭 房间 房子 车子 车位 车站 都是 "
        "都在 信息 信用 和平 童年 祝你 祝福 公司 公园 公众 公交 公寓 门口 门卫 门店 保安 保洁 宿舍 宿管 管理 管家 "
        "丰巢 邻居 包装 代收 家属 本人 同事 同学 老师 经理 前台 物业"
    )
)


LEADERS = frozenset("谢向由于及同")  # 感谢/面向/由…/关于…: a surname char that usually ends the word before


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


LABELS = _words(
    "姓名 名字 联系人 收件人 收货人 寄件人 户名 持卡人 乘车人 乘机人 出行人 旅客 入住人 就诊人 签收人 投保人 "
    "被保险人 申请人 负责人 经办人 承租人 出租人 业主 预订人 我叫 我是 本人"
)


TITLES = _words(
    "先生 女士 小姐 老师 同学 经理 总监 主管 主任 部长 院长 校长 处长 局长 董事长 "
    "医生 大夫 护士 律师 教授 博士 工程师 师傅 阿姨"
)
