"""What the lite tier says to open chat: an honest notice, never the user's own words.

The lite models cannot converse. Returning a sentence of the message (TextRank) or a canned reply from the
bank (「这个我不太清楚，我问问再回复你」) looked like an answer but was an echo or a promise nobody keeps.
Instead, chat on the lite tier answers with what lingxi can do without a language model and how to
configure one — Chinese first, the English after — so a developer trying the API sees at once why the
answer is not a conversation and what to change.
"""

from __future__ import annotations

from lingxi.models.base import ChatRequest

NOTICE_ZH = """\
当前没有配置语言模型，灵犀以轻量模式（lite，经典算法，不生成内容）运行，因此无法自由对话。
轻量模式下可以直接使用的功能：
- 通知摘要：lingxi features digest 用户ID（HTTP：POST /v1/features/notifications/summary）
- 智能回复：lingxi features replies 用户ID 会话ID（POST /v1/features/replies）
- 个人助理问答（消费、日程、快递，附引用）：lingxi features ask 用户ID "问题"（POST /v1/features/assistant）
- 写作工具：校对、正式改写、表格、摘要与要点（POST /v1/features/writing/…）
- 购物推荐：lingxi features shop 用户ID（GET /v1/features/shopping/recommendations）
配置语言模型的方法：
- 本机模型：lingxi models pull qwen2.5-0.5b-instruct，
  然后在 lingxi.toml 中写 [models.qwen] path = "qwen2.5-0.5b-instruct"
- 云端模型：设置环境变量（如 export DASHSCOPE_API_KEY=…），并在请求中指定 model="dashscope/qwen-plus"
- lingxi models list 列出当前可用的模型及不可用的原因。"""

NOTICE_EN = (
    "No language model is configured: lingxi runs on its lite tier (classical methods that write nothing), "
    "so it cannot chat. Summaries, replies, the assistant, writing tools and shopping work as listed above. "
    "To chat, pull an on-device model (`lingxi models pull qwen2.5-0.5b-instruct` plus a [models.x] entry in "
    "lingxi.toml) or set a cloud key (e.g. DASHSCOPE_API_KEY) and request model `dashscope/qwen-plus`; "
    "`lingxi models list` says what is usable."
)


def chat_notice(request: ChatRequest) -> list[str]:
    """The lite tier's answer to any chat message: the same notice whatever the user wrote."""
    del request  # deliberately unused: the answer must never depend on (or repeat) the user's words
    return [*NOTICE_ZH.split("\n"), "", NOTICE_EN]
