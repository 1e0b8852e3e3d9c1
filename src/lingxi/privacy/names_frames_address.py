"""Frames for the name models that address or list people (wave 6, issue 15), written by the lingxi authors in
their own words: short family and friends' chat lines that open by calling someone (□，…; □你…), role words
with no colon before a name (值班□, 收件人□), a name right before 的/说/讲/让/给, long 、/和 lists and lists
continued after a line break, compound surnames (``◇``: a compound surname with one or two given
characters, which the frequency-drawn names almost never give), and slot-less lines full of the ordinary
words that begin with a surname character (马上, 方便, 高兴, 许多, 金额, 关于).

Markup as :mod:`.names_frames`, plus ``◇``. None is copied or paraphrased from an evaluation set; the
evaluation sets were not open while these were written.
"""

from __future__ import annotations

ADDRESS_FRAMES: tuple[str, ...] = tuple(
    line.strip()
    for line in """
□，锅里给你留了饭
□，你的钥匙落在沙发上了
□你几点下班？我去接你
□你先别挂电话
□！外卖到了，下楼拿一下
□，周日家庭聚餐别迟到
□，你姥姥让你回个电话
□呀，这周末回家不
□，帮我看看这个表格对不对
□你上次借的伞还没还
□，车在老地方等你
□你记得把药吃了
爸，□说他今晚不回来
妈，□到学校了吗
姐，□的生日礼物买好了没
老婆，□打电话找你
哥，你跟□说了没有
收件人□，请放门卫室
值班□，电话分机八零二
主讲□，地点三楼报告厅
负责人□已签字确认
领队□带着大家出发了
对接人□会联系您
记录员□，计时员□
当值护士□
今晚的值班医生是□
快递员□说放在驿站了
本次验收负责人为□
□的快递被别人拿错了
□的老家在山东
□的孩子上幼儿园了
□的报销单还没批
□说下周一交报告
□讲了一个冷笑话
□让你把门带上
□给大家带了特产
□问你吃了没有
□告诉我会议改时间了
□叫你去一趟财务室
□讲课特别有意思
□和□去年结的婚
□、□、□、□和□下周轮休
名单如下：□、□、□
获奖的有□、□，还有□
参加比赛的同学：□、□、□、□
□和□负责签到，□负责拍照
本周轮值：□　□　□
◇今天请假
◇，你的快递到了
◇说明天交材料
◇的电话打不通
◇和□是同桌
请◇到教务处来一趟
主持人：◇
◇同学获得了一等奖
新来的◇挺能干的
经理◇下午到
◇老师布置了作业
麻烦◇帮忙签个字
□跟我说过这件事
昨天□跟□一起吃的饭
这件事找□就行
你问问□到哪了
我把文件发给□了
转告□一声，明早开会
□这个人特别实在
□已经在路上了
听说□升职了
□给我发了个定位
□同志，请出示证件
△总，客户到了
△老师，孩子今天有点发烧
△姐，你要的资料
△哥你在哪
谢谢△师傅
辛苦△阿姨了
我们家△叔人特别好
小△，快递给你放门口了
老△又去钓鱼了
马上就到，等我五分钟
方便的话明天见一面
高兴得一晚上没睡着
许多同学报了名
金额不对，请重新核对
关于周末加班的安排
成都和重庆哪个更好玩
张家界的天门山很壮观
周末去黄山看日出
白天太热，晚上再出门
明天记得早点起床
江边的风很大
林业局发了防火通知
钟表店下午关门
方便面吃完了，再买点
常来常往，别客气
安全到家了，勿念
文件已经发到你邮箱了
陈年旧事就别提了
高速堵了一个小时
黄山的云海太美了
李子熟了，回来摘
王者荣耀上分了
夏天快到了，该减肥了
宋体字号改成小四
严重超标的要处理
程序跑通了
石头剪刀布
孙子放学了吗
龙虾今天特价
马路对面有家面馆
毛巾晒在阳台上
""".splitlines()
    if line.strip()
)
