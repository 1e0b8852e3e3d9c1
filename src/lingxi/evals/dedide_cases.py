"""A labeled set for 的/地/得 checking: sentences with exactly one misuse, and correct sentences that use them.

Written for this project (not copied from a corpus). About half the sentences carry one seeded error with its
fix; the rest are correct and include the traps a rule checker must leave alone: 的 inside words (目的地, 的确),
的-nominals (说的话, 吃的东西, 你说的对, 我买的很便宜), 地 as a noun (地上, 这块地), 得 inside words (觉得, 值得,
得到) or as the modal 得 (děi, 我得走了), complements that really take 得 (高兴得跳了起来), and 地 before a
sentence subject (渐渐地，天黑了). Ambiguous sentences where both readings are standard Chinese count as correct.

An expected edit is (context, index of the wrong character inside the context, wrong, right) so that offsets are
located in the text rather than typed in by hand (the same convention as :mod:`lingxi.evals.writing`).
:func:`score` turns a checker's edits into precision, recall and the false-alarm rate on the correct sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Expected = tuple[str, int, str, str]  # context, index of the error in it, wrong, right

CASES: list[tuple[str, tuple[Expected, ...]]] = [
    # -- 的 → 地: an adverbial before a verb ----------------------------------------------------------
    ("他慢慢的走进了教室。", (("慢慢的", 2, "的", "地"),)),
    ("孩子们高高兴兴的回家了。", (("兴兴的", 2, "的", "地"),)),
    ("她认真的检查了每一份报告。", (("认真的", 2, "的", "地"),)),
    ("小王悄悄的离开了会场。", (("悄悄的", 2, "的", "地"),)),
    ("我们要仔细的核对这些数据。", (("仔细的", 2, "的", "地"),)),
    ("他飞快的跑向车站。", (("飞快的", 2, "的", "地"),)),
    ("同学们热烈的讨论着这个问题。", (("热烈的", 2, "的", "地"),)),
    ("妈妈轻轻的关上了门。", (("轻轻的", 2, "的", "地"),)),
    ("她开心的笑了起来。", (("开心的", 2, "的", "地"),)),
    ("老师耐心的解释了三遍。", (("耐心的", 2, "的", "地"),)),
    ("他大声的喊着我的名字。", (("大声的", 2, "的", "地"),)),
    ("爷爷静静的坐在窗前。", (("静静的", 2, "的", "地"),)),
    ("大家紧张的等待着结果。", (("紧张的", 2, "的", "地"),)),
    ("他们努力的工作了一整天。", (("努力的", 2, "的", "地"),)),
    ("小狗欢快的摇着尾巴。", (("欢快的", 2, "的", "地"),)),
    ("我们必须彻底的解决这个问题。", (("彻底的", 2, "的", "地"),)),
    ("他偷偷的看了她一眼。", (("偷偷的", 2, "的", "地"),)),
    ("雨渐渐的停了。", (("渐渐的", 2, "的", "地"),)),
    ("孩子们兴奋的跑进了院子。", (("兴奋的", 2, "的", "地"),)),
    ("他们顺利的完成了任务。", (("顺利的", 2, "的", "地"),)),
    ("奶奶笑眯眯的看着孙子。", (("眯眯的", 2, "的", "地"),)),
    ("他狠狠的踢了一脚球。", (("狠狠的", 2, "的", "地"),)),
    ("她默默的流下了眼泪。", (("默默的", 2, "的", "地"),)),
    ("我们要好好的休息一下。", (("好好的", 2, "的", "地"),)),
    # -- 的 → 得: a verb followed by its complement ---------------------------------------------------
    ("他跑的很快。", (("跑的", 1, "的", "得"),)),
    ("今天我起的太晚了。", (("起的", 1, "的", "得"),)),
    ("大家玩的很开心。", (("玩的", 1, "的", "得"),)),
    ("雨下的越来越大。", (("下的", 1, "的", "得"),)),
    ("房间打扫的干干净净。", (("扫的", 1, "的", "得"),)),
    ("他写字写的很认真。", (("写的", 1, "的", "得"),)),
    ("她长的很漂亮。", (("长的", 1, "的", "得"),)),
    ("他们来的太早了。", (("来的", 1, "的", "得"),)),
    ("她哭的很伤心。", (("哭的", 1, "的", "得"),)),
    ("他跑的不快。", (("跑的", 1, "的", "得"),)),
    ("昨晚我睡的很香。", (("睡的", 1, "的", "得"),)),
    ("这孩子长的非常结实。", (("长的", 1, "的", "得"),)),
    ("他累的满头大汗。", (("累的", 1, "的", "得"),)),
    # -- 地 → 的: a modifier before a noun ------------------------------------------------------------
    ("这是一个美丽地城市。", (("美丽地", 2, "地", "的"),)),
    ("我们度过了一个愉快地周末。", (("愉快地", 2, "地", "的"),)),
    ("那是一段难忘地经历。", (("难忘地", 2, "地", "的"),)),
    ("他是一位优秀地老师。", (("优秀地", 2, "地", "的"),)),
    ("她穿着一件漂亮地裙子。", (("漂亮地", 2, "地", "的"),)),
    ("这是我地电脑。", (("我地", 1, "地", "的"),)),
    ("他们地意见很重要。", (("们地", 1, "地", "的"),)),
    ("他有一颗善良地心。", (("善良地", 2, "地", "的"),)),
    # -- 地 → 得, 得 → 的, 得 → 地 --------------------------------------------------------------------
    ("他跑地很快。", (("跑地", 1, "地", "得"),)),
    ("她说地非常流利。", (("说地", 1, "地", "得"),)),
    ("她是一个很漂亮得女孩。", (("漂亮得", 2, "得", "的"),)),
    ("这是我得手机。", (("我得", 1, "得", "的"),)),
    ("他慢慢得走了过来。", (("慢慢得", 2, "得", "地"),)),
    # -- correct sentences ----------------------------------------------------------------------------
    ("我的书在桌子上。", ()),
    ("我们终于到达了目的地。", ()),
    ("你说的话我都记得。", ()),
    ("冰箱里有吃的东西吗？", ()),
    ("这是真的吗？", ()),
    ("是的，我明天会来。", ()),
    ("地上有很多落叶。", ()),
    ("我觉得这个方案不错。", ()),
    ("这本书值得一读。", ()),
    ("他得到了大家的认可。", ()),
    ("跑得快的人先到终点。", ()),
    ("他慢慢地走进了教室。", ()),
    ("孩子们高高兴兴地回家了。", ()),
    ("她认真地检查了报告。", ()),
    ("他跑得很快。", ()),
    ("我吃的很多，开心的事情很多。", ()),
    ("你说的对。", ()),
    ("你说的很对，我同意。", ()),
    ("我们说的都是实话。", ()),
    ("他写的字很漂亮。", ()),
    ("这是一次认真的检查。", ()),
    ("会上进行了热烈的讨论。", ()),
    ("高高的山上有一座庙。", ()),
    ("她有一头长长的头发。", ()),
    ("我得走了，明天见。", ()),
    ("他是地道的北京人。", ()),
    ("全国各地的游客都来了。", ()),
    ("这块地的主人是谁？", ()),
    ("他高兴的是孩子考上了大学。", ()),
    ("渐渐地，天黑了下来。", ()),
    ("他高兴得跳了起来。", ()),
    ("她累得说不出话来。", ()),
    ("他的确很努力。", ()),
    ("我们打的士去机场吧。", ()),
    ("他懂得很多道理。", ()),
    ("这件事你做的不对。", ()),
    ("我买的很便宜。", ()),
    ("今天的天气真好。", ()),
    ("她穿的衣服很漂亮。", ()),
    ("红红的苹果挂满了枝头。", ()),
    ("绿油油的稻田一望无际。", ()),
    ("他取得了很好的成绩。", ()),
    ("这个机会很难得。", ()),
    ("为了免得迟到，他早早地出门了。", ()),
    ("他静静地坐在窗前。", ()),
    ("认真的态度是成功的关键。", ()),
    ("他的研究得到了认可。", ()),
    ("大家都显得很紧张。", ()),
    ("雨天路滑，小心地滑。", ()),
    ("他是我最好的朋友。", ()),
    ("她温柔的声音让人安心。", ()),
    ("我看的那本书很有意思。", ()),
    ("这些是他们的，那些是我们的。", ()),
    ("努力的人运气不会太差。", ()),
    ("他说得很清楚。", ()),
    ("走的时候别忘了关灯。", ()),
    ("不断的努力终于有了回报。", ()),
    ("她开心地笑了。", ()),
]

#: Written after the rules were tuned on :data:`CASES` and never used to tune them: the honest estimate.
HELDOUT: list[tuple[str, tuple[Expected, ...]]] = [
    ("他轻轻的推开了房门。", (("轻轻的", 2, "的", "地"),)),
    ("我们应该积极的参加活动。", (("积极的", 2, "的", "地"),)),
    ("她甜甜的笑了。", (("甜甜的", 2, "的", "地"),)),
    ("孩子们认认真真的做完了作业。", (("真真的", 2, "的", "地"),)),
    ("他迅速的穿好了衣服。", (("迅速的", 2, "的", "地"),)),
    ("小鸟自由自在的飞翔。", (("自在的", 2, "的", "地"),)),
    ("他们热情的招待了我们。", (("热情的", 2, "的", "地"),)),
    ("爸爸生气的关上了电视。", (("生气的", 2, "的", "地"),)),
    ("大家都用心的听讲。", (("用心的", 2, "的", "地"),)),
    ("他走的很慢。", (("走的", 1, "的", "得"),)),
    ("她笑的很甜。", (("笑的", 1, "的", "得"),)),
    ("我们聊的非常愉快。", (("聊的", 1, "的", "得"),)),
    ("这次比赛他们赢的很轻松。", (("赢的", 1, "的", "得"),)),
    ("时间过的真快。", (("过的", 1, "的", "得"),)),
    ("他病的很重。", (("病的", 1, "的", "得"),)),
    ("这是一件有趣地事情。", (("有趣地", 2, "地", "的"),)),
    ("那里有一片美丽地花园。", (("美丽地", 2, "地", "的"),)),
    ("你地手机响了。", (("你地", 1, "地", "的"),)),
    ("他是一个聪明地孩子。", (("聪明地", 2, "地", "的"),)),
    ("他说话说地很慢。", (("说地", 1, "地", "得"),)),
    ("这是一个非常好得机会。", (("好得", 1, "得", "的"),)),
    ("她静静得听着音乐。", (("静静得", 2, "得", "地"),)),
    ("我的目的是帮助大家。", ()),
    ("他们的家在地铁站旁边。", ()),
    ("这个地方的风景很美。", ()),
    ("我们得抓紧时间了。", ()),
    ("这部电影值得一看。", ()),
    ("他的中文说得很流利。", ()),
    ("她穿的那件衣服很好看。", ()),
    ("你做的菜真好吃。", ()),
    ("我想要的不是这个。", ()),
    ("他来的时候我正在吃饭。", ()),
    ("安静的教室里只有翻书的声音。", ()),
    ("她轻轻地推开了门。", ()),
    ("我们要积极地参加活动。", ()),
    ("他说的都是真的。", ()),
    ("这里的冬天很冷。", ()),
    ("你唱的歌很好听。", ()),
    ("他得了第一名。", ()),
    ("她获得了奖学金。", ()),
    ("这样做的好处很多。", ()),
    ("天上的星星亮晶晶的。", ()),
    ("这个消息是真的。", ()),
    ("他学得很认真。", ()),
    ("同学们高兴地跳了起来。", ()),
    ("他对我说的那些话很重要。", ()),
    ("成功的秘诀在于坚持。", ()),
    ("他们在地上画了一个圈。", ()),
    ("我们要用科学的方法解决问题。", ()),
    ("他是一个值得信任的人。", ()),
    ("我们去的地方很远。", ()),
    ("小明长得很高。", ()),
    ("她是个很有礼貌的孩子。", ()),
    ("他们激动的心情难以平静。", ()),
    ("开心的时候要分享。", ()),
]

Found = tuple[int, str, str]  # start, original, replacement


def expected_edits(text: str, edits: Iterable[Expected]) -> set[Found]:
    """The expected edits of one case as (start, wrong, right), located through their contexts."""
    out: set[Found] = set()
    for context, index, wrong, right in edits:
        start = text.index(context) + index
        if text[start : start + len(wrong)] != wrong:
            raise ValueError(f"case {text!r}: {wrong!r} is not at {context!r}[{index}]")
        out.add((start, wrong, right))
    return out


@dataclass(frozen=True)
class Score:
    """Edit-level counts and rates; a found edit counts only with the right offset and replacement."""

    true_positives: int
    false_positives: int
    false_negatives: int
    correct_sentences: int
    false_alarm_sentences: int
    misses: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def clean_rate(self) -> float:
        """Share of the correct sentences left without any edit (1 − false-alarm rate)."""
        return 1 - self.false_alarm_sentences / self.correct_sentences if self.correct_sentences else 1.0


def score(
    check: Callable[[str], Iterable[Found]], cases: Iterable[tuple[str, tuple[Expected, ...]]] = tuple(CASES)
) -> Score:
    """Run ``check`` (text → (start, original, replacement) edits) over ``cases`` and count."""
    tp = fp = fn = clean_total = alarmed = 0
    misses: list[str] = []
    alarms: list[str] = []
    for text, edits in cases:
        want = expected_edits(text, edits)
        got = set(check(text))
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
        misses += [f"{text}@{s}:{w}→{r}" for s, w, r in sorted(want - got)]
        alarms += [f"{text}@{s}:{w}→{r}" for s, w, r in sorted(got - want)]
        if not edits:
            clean_total += 1
            alarmed += bool(got)
    return Score(tp, fp, fn, clean_total, alarmed, tuple(misses), tuple(alarms))
