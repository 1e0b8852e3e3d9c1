"""Chinese help for every ``lingxi`` sub-command and option, applied when the language is Chinese.

Why a catalog keyed by the English text instead of a second string at each call site: Typer reads help from
docstrings and ``typer.Option(help=...)``, both fixed when the module is imported, and the command modules
load lazily (cli/lazy.py). :func:`localize` walks a command tree once, when its group is resolved, and swaps in
the Chinese text; a command's 「示例」 lines are kept. ``tests/test_cli_help_zh.py`` walks the whole tree in
Chinese and fails on any help text left in English, so a new option needs its line here.
"""

from __future__ import annotations

from typing import Any

#: first paragraph of a command's English docstring (or an option's help) -> Chinese
HELP_ZH: dict[str, str] = {
    # top level
    "print the version and exit": "显示版本并退出",
    "zh (default) or en: messages and help (also LINGXI_LANG, LANG)":
        "zh（默认）或 en：提示与帮助的语言（也可用 LINGXI_LANG、LANG）",
    "data directory (default: LINGXI_HOME or user data dir)": "数据目录（默认：LINGXI_HOME 或用户数据目录）",
    "model name, or 'lite' (see /v1/models)": "模型名，或 lite（见 /v1/models）",
    "ISO-8601 time to move the sample week to (default: now)": "把样例周移到的时间，ISO-8601（默认：现在）",
    "JSON Lines file of events, or - for stdin": "事件的 JSON Lines 文件，- 表示标准输入",
    "skip: store the good lines and list the bad ones; reject: store nothing if any line is bad":
        "skip：保存有效行并列出无效行；reject：只要有一行无效就都不保存",
    "events per transaction": "每个事务写入的事件数",
    "whose notifications": "哪个用户的通知",
    "ISO-8601 time to treat as now": "视为“现在”的时间（ISO-8601）",
    "the prompt, or - to read it from stdin": "提示词，- 表示从标准输入读取",
    "system prompt": "系统提示词",
    "upper bound on generated tokens": "生成 token 数上限",
    "sampling seed": "采样随机种子",
    "address to bind": "监听地址",
    "port to bind": "监听端口",
    # features
    "extra licensed Chinese text, JSON lines with a text field (repeatable)":
        "额外的授权中文文本：JSON Lines，每行含 text 字段（可重复）",
    "also train the judge of the language model's swaps (opt-in: benchmarks/README.md, wave 12)":
        "同时训练语言模型替换的判定器（可选，见 benchmarks/README.md 第 12 轮）",
    "lower LM margin for swaps completing a long word (opt-in: benchmarks/README.md, wave 15)":
        "补全长词（四字及以上）的替换采用更低的语言模型阈值（可选，见 benchmarks/README.md 第 15 轮）",
    "whose notifications and messages": "哪个用户的通知和消息",
    "ISO-8601 start (default: last digest)": "起始时间 ISO-8601（默认：上次摘要之后）",
    "ISO-8601 'now', e.g. 2026-11-22T21:30:00+08:00": "视为“现在”的时间 ISO-8601，如 2026-11-22T21:30:00+08:00",
    "ISO-8601 'now', e.g. 2026-11-22T21:30+08:00": "视为“现在”的时间 ISO-8601，如 2026-11-22T21:30+08:00",
    "model name, or 'lite' (default: settings)": "模型名，或 lite（默认：按配置）",
    "model name (default: settings)": "模型名（默认：按配置）",
    "print the result as JSON": "以 JSON 输出结果",
    "What did I miss: urgent items, then conversations, then apps (since your last digest).":
        "错过了什么：先紧急事项，再会话，再各应用（自上次摘要以来）。",
    "Recent messages summarized per conversation, highest priority first, with reasons.":
        "按会话汇总最近的消息，优先级高的在前，并说明原因。",
    "whose messages": "哪个用户的消息",
    "Three reply candidates for the conversation's latest message, in your own style.":
        "针对会话最新一条消息，给出三条符合你个人风格的回复建议。",
    "whose conversation": "哪个用户的会话",
    "e.g. wx-zhangwei": "如 wx-zhangwei",
    "Rewrite, proofread, summarize, key_points, table or translate a text.":
        "改写、校对、摘要、要点、转表格或翻译一段文本。",
    "one of: rewrite, proofread, summarize, key_points, table, translate":
        "以下之一：rewrite、proofread、summarize、key_points、table、translate",
    "the text, or - to read stdin": "文本，- 表示从标准输入读取",
    "translate: zh, en, zh-Hant": "翻译目标：zh、en、zh-Hant",
    "zh-Hans, zh-Hant or zh-Hant-TW": "zh-Hans、zh-Hant 或 zh-Hant-TW",
    "Ask the assistant about your own data; confirm any app action it proposes.":
        "就你自己的数据向助理提问；它提议的应用操作需要你确认。",
    "whose data to answer from": "根据哪个用户的数据回答",
    "continue this session": "继续这个会话",
    "confirm a pending action without asking": "不询问，直接确认待执行的操作",
    "Real-time shopping recommendations with reasons (needs the shopping consent scope).":
        "实时购物推荐并附理由（需要用户授权 shopping）。",
    "whose recommendations": "为哪个用户推荐",
    "how many items": "推荐条数",
    "Offline HR@10/NDCG@10 of popularity, item-kNN, session transition, ALS and ours on UCI Online Retail.":
        "在 UCI Online Retail 上离线评测热门、item-kNN、会话转移、ALS 与本方法的 HR@10/NDCG@10。"
        "数据：https://archive.ics.uci.edu/dataset/352/online+retail（CC BY 4.0）。",
    "UCI Online Retail CSV(.gz)": "UCI Online Retail 的 CSV(.gz) 文件",
    "evaluated users (seeded sample)": "评测的用户数（固定种子抽样）",
    "skip the ALS baseline": "跳过 ALS 基线",
    # models
    "Show the GGUF models lingxi can pull, and which are already pulled.": "列出可下载的 GGUF 模型，以及哪些已下载。",
    "Download a GGUF into the data dir: resumable, sha256-verified, with mirror fallback.":
        "把 GGUF 模型下载到数据目录：可断点续传，校验 sha256，可切换镜像。",
    "catalog name or alias (see `lingxi models catalog`), or a .gguf URL":
        "目录中的名称或别名（见 lingxi models catalog），或 .gguf 的 URL",
    "base URL(s) to download from instead, comma-separated; may use {file} and {repo} (default: LINGXI_MODEL_MIRROR)":
        "改用的下载地址，逗号分隔；可用 {file} 和 {repo}（默认：LINGXI_MODEL_MIRROR）",
    "install even if no sha256 can be established (unsafe)": "即使无法确认 sha256 也安装（不安全）",
    "Delete a pulled model's file and its manifest entry.": "删除已下载模型的文件及其清单记录。",
    "name, alias or file name of a pulled model": "已下载模型的名称、别名或文件名",
    "Every model this installation can use now, and why the others cannot (missing key or file, server down).":
        "本机现在可以使用的所有模型，以及其他模型不可用的原因（缺少密钥或文件、服务未运行）。",
    # bake-off
    "Run every provider through the tasks (only what is missing), then write the report.":
        "让每个模型跑一遍评测任务（只跑尚缺的部分），然后生成报告。",
    "comma-separated: dashscope/qwen-plus,lite,…": "逗号分隔：dashscope/qwen-plus,lite,…",
    "results DB and report (default: <home>/bakeoff, where the web console looks)":
        "结果数据库与报告的目录（默认：<home>/bakeoff，控制台从这里读取）",
    "mc,checks,personal,compliance,tools,json,vision; all = all but vision":
        "mc、checks、personal、compliance、tools、json、vision；all 为除 vision 外的全部",
    "run name inside the output directory": "输出目录中的本次运行名",
    "CMMLU/C-Eval CSV file or directory": "CMMLU/C-Eval 的 CSV 文件或目录",
    "safety JSONL for compliance": "合规评测用的安全数据 JSONL",
    "at most this many items per task": "每个任务最多评测的条数",
    "requests at once per model": "每个模型的并发请求数",
    "seconds per item": "每条的超时秒数",
    "e.g. quality=0.4,cost=0.2,latency=0.2": "如 quality=0.4,cost=0.2,latency=0.2",
    "Write report.html, results.json and results.csv from the stored results.":
        "根据已保存的结果生成 report.html、results.json 和 results.csv。",
    "Show the task kinds and how many items each has.": "列出任务类型及各自的条数。",
    # keys
    "Create a key and print it once.": "创建密钥并只显示这一次。",
    "the app the key belongs to, e.g. notes-app": "密钥所属的应用，如 notes-app",
    "repeatable: features, events, admin": "可重复：features、events、admin",
    "List keys (prefix, app, scopes, state); never the keys themselves.":
        "列出密钥（前缀、应用、权限、状态），从不显示密钥本身。",
    "only this app's keys": "只列出该应用的密钥",
    "Revoke a key at once; user tokens issued with it stop working too.":
        "立即吊销密钥；用它签发的用户令牌也随之失效。",
    "the key id or its prefix (lx_...) from `lingxi keys list`": "密钥 ID 或前缀（lx_...），见 lingxi keys list",
    "Make APP the owner of USER (e.g. another app claimed the id by mistake); the old owner gets 403.":
        "把 USER 划归 APP（如该 ID 被其他应用误占）；原所属应用此后得到 403。",
    "the end user id to move": "要迁移的终端用户 ID",
    "the app that owns the user from now on": "此后拥有该用户的应用",
    "the master key (encryption at rest): backup, rotate": "主密钥（静态加密）：备份、轮换",
    "Copy the master key to FILE after checking that it opens this home's data.":
        "确认主密钥能解开本数据目录的数据后，把它复制到 FILE。",
    "where to write the key (a new file, mode 0600)": "密钥写到哪里（新文件，权限 0600）",
    "Re-seal every sealed row under a new master key in one transaction (stop `lingxi serve` first).":
        "在一个事务中用新主密钥重新加密所有加密数据（请先停止 lingxi serve）。",
    "also write the new key here (required with LINGXI_MASTER_KEY)":
        "同时把新密钥写到这里（使用 LINGXI_MASTER_KEY 时必填）",
    # index
    "The embedder, and how many events have vectors and how many wait.": "向量模型，以及已有向量和待处理的事件数。",
    "only this user": "只看该用户",
    "Queue every event without a vector of the current model, then embed the queue now.":
        "把尚无当前模型向量的事件加入队列，并立即处理队列。",
    "only this user's events": "只处理该用户的事件",
    "events per embedding batch": "每批向量化的事件数",
    # compliance
    "Screen one text per line from stdin; print one JSON verdict per line.":
        "从标准输入逐行审核文本，每行输出一条 JSON 结论（与 API 和流水线使用同一审核服务）。",
    "write the JSON lines to this file (default: stdout)": "把 JSON 行写入该文件（默认：标准输出）",
    "classifier block threshold (default: as trained)": "分类器拦截阈值（默认：训练时确定的值）",
    "Say what the screening service uses: keyword library, classifier, guard, and what is missing.":
        "说明审核服务使用了什么：关键词库、分类器、守护模型，以及缺少什么。",
    "Train the safety classifier (char n-grams + logistic regression) into <home>/models/safety-classifier/.":
        "训练安全分类器（字符 n-gram + 逻辑回归），保存到 <home>/models/safety-classifier/；"
        "测试集为留出来源的记录，阈值在其余数据的验证集上确定，测试集上的精确率/召回率/F1 会输出并记入清单。",
    "safety JSONL file, or a directory of *.jsonl": "安全数据 JSONL 文件，或包含 *.jsonl 的目录",
    "block when P(block) ≥ this": "P(拦截) ≥ 该值时拦截",
    "share of must-pass prompts that may be blocked (default: 2 % of the validation split; "
    "1 % of out-of-source scores with --out-of-source)":
        "必须放行的提示词允许被误拦的比例（默认：验证集的 2 %；加 --out-of-source 时为来源外评分的 1 %）",
    "choose thresholds on out-of-source scores (far fewer wrong blocks on new banks, far fewer "
    "blocked must-refuse prompts: benchmarks/README.md)":
        "按来源外评分选择阈值（新题库上误拦大幅减少，但应拒答提示词的拦截也大幅减少：见 benchmarks/README.md）",
    "konsheng": "konsheng（词库来源）",
    "Run the three TC260 test banks through the configured service; write report.json and report.html.":
        "用本机配置的服务跑 TC260 的三个测试题库，生成 report.json 和 report.html"
        "（在一次性数据库上运行，测试请求不会进入真实审计日志）。",
    "safety test data (JSONL), read at run time": "安全测试数据（JSONL），运行时读取",
    "where report.json and report.html go": "report.json 和 report.html 的输出目录",
    "model to assess (default: lite)": "被评估的模型（默认：lite）",
    "at most N items per refusal bank": "每个拒答题库最多 N 条",
    "score even if the classifier was trained on --data (marked)": "即使分类器用 --data 训练过也评分（会标注）",
    # audit
    "Check every record's MAC and compare the chain with the latest signed checkpoint; exit 1 on a problem.":
        "校验每条记录的 MAC，并与最新的签名检查点比对；发现问题时退出码为 1"
        "（可发现被改、伪造、重新串链的记录，以及尾部截断、清空或旧副本）。",
    "checkpoints file (JSON lines; default: [audit] checkpoint_file)":
        "检查点文件（JSON 行；默认：[audit] checkpoint_file）",
    "print the full report as JSON": "以 JSON 输出完整报告",
    "Sign the chain's head now and send it to the configured sink (file and/or HTTP; e.g. from cron).":
        "立即签名哈希链的最新位置并发送到配置的接收端（文件和/或 HTTP；可由 cron 调用）。",
    "Export records in a time range as JSON lines, with their chain hashes (for a regulator).":
        "按时间范围导出记录为 JSON 行，附哈希链字段（供监管检查）。",
    "ISO-8601, inclusive (UTC if no offset)": "ISO-8601，含该时刻（无时区时按 UTC）",
    "ISO-8601, exclusive": "ISO-8601，不含该时刻",
    "JSON lines file (default: stdout)": "JSON 行文件（默认：标准输出）",
    "Delete records past retention, leaving a checkpoint so the rest still verifies.":
        "删除超过保留期的记录并留下检查点，其余记录仍可校验；低于最短保留期（六个月）或哈希链断裂时拒绝执行。",
    "delete records older than this (≥ 183)": "删除早于该天数的记录（≥ 183）",
    # labels, complaints
    "Write TEXT to DEST with the explicit and the signed implicit label ([labels] provider_name/provider_code).":
        "把 TEXT 写入 DEST，并加上显式标识和签名的隐式标识（[labels] provider_name/provider_code）。",
    "text file to label, or - for stdin": "要加标识的文本文件，- 表示标准输入",
    "output file: .md, .txt, .pdf or .docx": "输出文件：.md、.txt、.pdf 或 .docx",
    "the text came from the extractive lite tier": "文本来自抽取式轻量层（非大模型）",
    "start or end": "start（开头）或 end（结尾）",
    "request id (default: a new one)": "请求 ID（默认：新生成）",
    "Check files for both labels and the label's signature; exit code 1 if any file has problems.":
        "检查文件的显式与隐式标识及其签名；任一文件有问题时退出码为 1"
        "（可发现冒充标识的否认声明、空的生成者/ID 字段、被改的内容、从别处复制或伪造的标识）。",
    "files to check": "要检查的文件",
    "verify ReservedCode1 with this installation's key (off: files from elsewhere)":
        "用本机密钥校验 ReservedCode1（关闭：检查来自别处的文件）",
    "Record a complaint (status received).": "登记一条投诉（状态：已受理）。",
    "pseudonym, phone or e-mail": "化名、电话或电子邮箱",
    "what the complaint is about": "投诉内容",
    "content, privacy or other": "content（内容）、privacy（隐私）或 other（其他）",
    "linked request id": "关联的请求 ID",
    "linked audit record id": "关联的审计记录 ID",
    "List complaints, oldest first.": "列出投诉，最早的在前。",
    "received, processing, resolved or rejected":
        "received（已受理）、processing（处理中）、resolved（已处理）或 rejected（不予处理）",
    "only open complaints past their deadline": "只列出超过处理期限的未结投诉",
    "A complaint with its status history.": "一条投诉及其处理记录。",
    "complaint id": "投诉 ID",
    "Mark a complaint resolved (or --reject, or --processing).":
        "把投诉标记为已处理（或 --reject 不予处理、--processing 处理中）。",
    "what was done (shown to the complainant)": "处理说明（投诉人可见）",
    "reject instead of resolve": "不予处理（而非已处理）",
    "only mark as being processed": "只标记为处理中",
    "who handled it": "处理人",
    "Every complaint with its history, as JSON.": "以 JSON 导出全部投诉及其处理记录。",
    "JSON file (default: stdout)": "JSON 文件（默认：标准输出）",
    # privacy
    "Grant consent scopes; 'all' grants every scope except payments and cloud_processing, which must be named "
    "(PIPL Art. 29 and 23).":
        "授予同意范围；all 授予除 payments 和 cloud_processing 之外的全部范围，"
        "这两项须单独写明（个保法第二十九、二十三条）。",
    "the app's id for the user": "应用中的用户 ID",
    "Withdraw consent scopes ('all' withdraws every scope); effective from the next request.":
        "撤回同意范围（all 撤回全部）；从下一次请求起生效。",
    "Show a user's scopes, non-personalized mode, age band and guardian consent.":
        "显示用户的授权范围、非个性化模式、年龄段和监护人同意情况。",
    "Turn non-personalized mode on or off (PIPL Art. 24): features then use no profile or stored context.":
        "开启或关闭非个性化模式（个保法第二十四条）：开启后功能不使用画像和已存数据。",
    "on or off": "on（开启）或 off（关闭）",
    "Mark a user as under 14 and record whether a guardian consented (PIPL Art. 31).":
        "标记用户未满 14 岁，并记录监护人是否同意（个保法第三十一条）；无监护人同意时该用户的所有请求都会被拒绝。",
    "whether a parent or guardian consented": "父母或其他监护人是否同意",
    "the user is not under 14 (clears the mark)": "该用户已满 14 岁（清除标记）",
    "Export everything held about a user as JSON: events (decrypted), consents, profile, egress, audit.":
        "以 JSON 导出关于该用户的全部数据：事件（已解密）、授权、画像、出境记录、审计。",
    "write to this file (default: stdout)": "写入该文件（默认：标准输出）",
    "Delete a user's data and print a verified receipt (PIPL Art. 47). Cannot be undone.":
        "删除用户的数据并输出经校验的删除回执（个保法第四十七条），不可撤销。",
    "confirm: this cannot be undone": "确认：此操作不可撤销",
    "Redact Chinese PII in text read from stdin, line by line (what the egress boundary sends to the cloud).":
        "逐行脱敏标准输入中的中文个人信息（即出境边界发往云端的内容）；人名识别使用已构建的人名资源，否则用内置种子。",
    "one JSON object per line with the spans found": "每行输出一个 JSON 对象，含找到的片段",
    # adapt / bakeoff adapted
    "Compare base vs adapted on held-out items: quality, latency, cost, 95% CI of the difference.":
        "在留出样本上比较基础模型与适配模型：质量、时延、成本，以及差值的 95% 置信区间。",
    "replies, proofread, rewrite, notifications…": "replies、proofread、rewrite、notifications 等功能",
    "the base model's name": "基础模型名",
    "the adapted model's name": "适配后的模型名",
    "eval.jsonl from `adapt export`": "`adapt export` 生成的 eval.jsonl",
    "where report.json and report.md go": "report.json 与 report.md 的输出目录",
    "scopes: messages, notifications, shopping, payments, calendar, location, camera_photos, cloud_processing, "
    "model_improvement, or 'all'":
        "授权范围：messages、notifications、shopping、payments、calendar、location、camera_photos、cloud_processing、"
        "model_improvement，或 all（all 不含需单独同意的范围）",
    "Build SFT + preference JSONL, eval items and a data card from consented feedback.":
        "从已同意的反馈生成 SFT 与偏好对 JSONL、评测样本和数据卡。",
    "directory to write": "输出目录",
    "Upload the training set and start a fine-tuning job.": "上传训练集并启动微调任务。",
    "an `adapt export` directory": "`adapt export` 的输出目录",
    "a [providers.KEY] of lingxi.toml, or a preset id": "lingxi.toml 中的 [providers.KEY]，或预设名",
    "the base model id at the vendor": "厂商处的基础模型 id",
    "the fine-tuning API's base URL (default: the preset's)": "微调接口的基础 URL（默认：预设中的）",
    "name suffix for the tuned model": "微调后模型名的后缀",
    "n_epochs hyperparameter": "训练轮数（n_epochs）",
    "A job's status and events (or the list of submitted jobs).":
        "微调任务的状态与事件（不给 id 时列出已提交的任务）。",
    "a job id; none lists submitted jobs": "任务 id；不填则列出已提交的任务",
    "poll until the job ends": "轮询直到任务结束",
    "seconds between polls with --wait": "--wait 时两次轮询的间隔秒数",
    "Cancel a running or queued job.": "取消排队中或运行中的任务。",
    "Register a succeeded job's model as routable, with its lineage.": "把成功任务的模型注册为可路由模型，并记录来源。",
    "routable name (default: PROVIDER/TUNED_MODEL_ID)": "可路由的模型名（默认：PROVIDER/微调模型 id）",
    "Route the feature to the adapted model — only if the CI's lower bound is above 0.":
        "把该功能路由到适配模型——仅当置信区间下界大于 0 时。",
    "report.json of `adapt bakeoff`": "`adapt bakeoff` 生成的 report.json",
    "Remove a feature's promoted route.": "删除某功能已切换的路由。",
    "each source weighs the same (experimental: more blocked, more wrong blocks)":
        "每个来源权重相同（实验性：拦截更多，误拦也更多）",
    "opt-in floors under the thresholds: the share of ordinary must-pass prompts of unseen sources that may be "
    "blocked (e.g. 0.01: fewer everyday blocks, fewer must-refuse blocked)":
        "可选的阈值下限：未见来源的普通应放行提示词允许被误拦的比例（如 0.01：日常误拦更少，应拒答的拦截也更少）",
    "also train the semantic layer (request-aware, out-of-source thresholds)":
        "同时训练语义筛查层（识别请求意图，阈值按来源外验证选取）",
    "the semantic layer's model: linear (default), mlp (opt-in: a small network over char and word "
    "n-grams; ranks new banks better, blocks more everyday text) or request (opt-in: that network on more "
    "risky prompts, thresholds from --everyday)":
        "语义筛查层的模型：linear（默认）、mlp（可选：基于字与词 n 元组的小型神经网络；"
        "对新来源题库排序更好，但误拦日常文本更多）或 request（可选：该网络加上更多风险提示的变体训练，"
        "阈值取自 --everyday 的日常语句）",
    "opt-in: learn risk words from the training prompts; a classifier block under twice its "
    "threshold then needs one that is not only asked about (fewer wrong blocks, a few fewer must-refuse)":
        "可选：从训练提示词中学习风险锚词；分类器低于两倍阈值的拦截须有一个并非仅被询问的锚词才成立"
        "（误拦更少，应拒答的拦截略少）",
    "train on the everyday lines shipped with lingxi as must-pass prompts (the default), at thresholds "
    "that block no source's must-pass prompts more than without them (far fewer everyday messages blocked; "
    "minutes more: benchmarks/README.md, wave 13)":
        "用 lingxi 自带的日常语句作为应放行的样本参与训练（默认），阈值取在每个授权来源的应放行提示词在来源外"
        "被误拦不多于不用这些语句时的位置（日常消息误拦少得多；训练多花几分钟：见 benchmarks/README.md，第 13 轮）",
    "opt-in: a file of everyday lines that must pass (repeatable), trained on as must-pass prompts "
    "(fewer everyday and must-answer blocks, a little fewer must-refuse: benchmarks/README.md)":
        "可选：必须放行的日常语句文件（可重复），作为应放行的样本参与训练（日常与应回答题的误拦更少，"
        "应拒答的拦截略少：见 benchmarks/README.md）",
    "opt-in: a file of everyday lines that must pass (repeatable); the classifier's thresholds are "
    "raised above them, and the request model takes its thresholds from them":
        "可选：必须放行的日常语句文件（可重复）；分类器阈值提高到这些语句之上，request 模型的阈值也由它们选取",
    "opt-in: also look for given names alone in person slots mid-text, familiar names (doubled, X子) and a "
    "surname alone before a title or 家":
        "可选：还在句中的人物位置识别单独的名字、小名（叠字、X子），以及称谓或“家”前单独的姓",
    "opt-in: also take names from parallel roster clauses, vocatives, a naming 叫, interpunct names of the "
    "wider transliteration table and rare surnames before clear given-name characters":
        "可选：还从并列的名单分句、称呼语、“叫某某”、用更宽的音译字表识别的间隔号人名，以及名字用字明确的罕见姓氏中识别姓名",
    "whose picture (consent camera_photos)": "谁的图片（需授权 camera_photos）",
    "confirm the proposed actions without asking": "不再询问，直接确认建议的操作",
}  # fmt: skip


def _zh(text: str | None) -> str | None:
    """The Chinese for ``text``: its first paragraph looked up, its 「示例」 part kept; None when not listed."""
    if not text:
        return None
    first = text.split("\n\n", 1)[0].strip()
    zh = HELP_ZH.get(first) or HELP_ZH.get(" ".join(first.split()))
    if zh is None:
        return None
    examples = text[text.find("示例") :] if "示例" in text else ""
    return zh + (f"\n\n{examples}" if examples else "")


#: what the help screens themselves print (Typer's panel titles, Click's --help option)
FRAME_ZH = {"ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
            "ERRORS_PANEL_TITLE": "错误", "ABORTED_TEXT": "已中止。"}  # fmt: skip
HELP_OPTION_ZH = "显示此帮助并退出"


def _frame() -> None:
    """Typer's panel titles in Chinese: module constants its help renderer reads on each call."""
    import typer.rich_utils as rich_utils

    for name, zh in FRAME_ZH.items():
        setattr(rich_utils, name, zh)


def localize(command: Any) -> None:
    """Swap the Chinese help into ``command``, its options and (for a group) every sub-command, in place.

    Idempotent: Chinese text is not in the catalog, so a second pass changes nothing.
    """
    _frame()
    from typer import _click as click

    help_option = command.get_help_option(click.Context(command)) if hasattr(command, "get_help_option") else None
    if help_option is not None:
        help_option.help = HELP_OPTION_ZH
    for attr in ("help", "short_help"):
        zh = _zh(getattr(command, attr, None))
        if zh is not None:
            setattr(command, attr, zh if attr == "help" else zh.split("\n\n", 1)[0])
    for param in getattr(command, "params", []):
        zh = _zh(getattr(param, "help", None))
        if zh is not None:
            param.help = zh
    for sub in getattr(command, "commands", {}).values():
        localize(sub)
