"""Chinese for the hints errors carry, so the Chinese CLI prints one language (issue 18 item 7).

Errors keep one English ``hint`` (developers, logs, the API's problem JSON); :func:`hint_zh` finds its
Chinese: exact hints in :data:`HINTS_ZH`, hints with values in them through :data:`PATTERNS`.
``tests/test_hints_zh.py`` reads every ``hint=`` in the source and fails on one without a translation.
"""

from __future__ import annotations

import re

HINTS_ZH: dict[str, str] = {
    'lingxi chat -m MODEL "提示"': '用法：lingxi chat -m 模型 "提示"',
    "e.g. --now 2026-11-22T21:30:00+08:00": "例如 --now 2026-11-22T21:30:00+08:00",
    "check the path": "请检查路径",
    'add [embeddings] model = "path/to/embedding.gguf" to lingxi.toml (see README)':
        '在 lingxi.toml 中添加 [embeddings] model = "path/to/embedding.gguf"（见 README）',
    "check `lingxi models list` and the provider status": "请查看 lingxi models list 及提供方的服务状态",
    "fix the file or move it away": "请修复该文件或将其移走",
    "konsheng": "来源：konsheng",
    "check the network, or pass --mirror URL (a mirror of raw.githubusercontent.com/konsheng/…)":
        "请检查网络，或用 --mirror URL 指定 raw.githubusercontent.com/konsheng/… 的镜像",
    "set [audit] checkpoint_file and/or checkpoint_url in lingxi.toml":
        "请在 lingxi.toml 中设置 [audit] checkpoint_file 和/或 checkpoint_url",
    "e.g. 2026-05-01 or 2026-05-01T00:00:00+08:00": "例如 2026-05-01 或 2026-05-01T00:00:00+08:00",
    "check the file and disk": "请检查文件和磁盘",
    "free some disk space and retry; earlier data is intact": "请释放磁盘空间后重试；已有数据完好",
    "another process holds a long write lock; retry": "另一个进程长时间占用写锁，请重试",
    "upgrade lingxi, or use another --home": "请升级 lingxi，或换一个 --home",
    "choose another --home or fix permissions": "请换一个 --home，或修正权限",
    "--from DIR": "用法：--from 目录",
    "bind 127.0.0.1, or create keys with `lingxi keys create` and use auth = auto":
        "请绑定 127.0.0.1，或用 lingxi keys create 创建密钥并使用 auth = auto",
    "point base_url at the real model server, or serve lingxi on another port":
        "请把 base_url 指向真正的模型服务，或让 lingxi 使用其他端口",
    "run `lingxi bakeoff run --out DIR` first": "请先运行 lingxi bakeoff run --out 目录",
    "e.g. LINGXI_DATABASE_URL=postgresql://lingxi:secret@db:5432/lingxi; unset it for SQLite":
        "例如 LINGXI_DATABASE_URL=postgresql://lingxi:secret@db:5432/lingxi；使用 SQLite 时取消该变量",
    'pip install "lingxi[postgres]"': '请安装：pip install "lingxi[postgres]"',
    "check that the server runs and the DSN's host, port, database, user and password":
        "请确认数据库服务在运行，并检查 DSN 中的主机、端口、数据库、用户和密码",
    "retry when the server is back; see the server log": "请在服务恢复后重试；详见服务日志",
    "run lingxi compliance assess": "请运行 lingxi compliance assess",
    "run lingxi bakeoff": "请运行 lingxi bakeoff",
    "re-run the assessment": "请重新运行评估",
    'add [embeddings] model = "<a GGUF>" to lingxi.toml (see `lingxi index status`)':
        '在 lingxi.toml 中添加 [embeddings] model = "<GGUF 文件>"（见 lingxi index status）',
    "raise server.daily_tokens_per_app / daily_tokens_per_user, or wait for the next day":
        "请调高 server.daily_tokens_per_app / daily_tokens_per_user，或等到第二天",
    "send less data per request": "请减少每次请求的数据量",
    "retry, use stream=true, or raise server.request_timeout_s":
        "请重试、使用 stream=true，或调高 server.request_timeout_s",
    "send the body at once, or raise server.body_timeout_s": "请一次发送完请求体，或调高 server.body_timeout_s",
    "use the user's own token, or the key of the app that owns the user":
        "请使用该用户自己的令牌，或该用户所属应用的密钥",
    "create one with `lingxi keys create APP --scope features`": "用 lingxi keys create 应用 --scope features 创建一个",
    "create a key with the needed --scope": "请创建带所需 --scope 的密钥",
    "send Authorization: Bearer lx_... (auth must be enabled: create a key first)":
        "请发送 Authorization: Bearer lx_...（须已启用鉴权：先创建密钥）",
    "send it in the X-Lingxi-Admin header, or use an API key with the admin scope":
        "请在 X-Lingxi-Admin 头中发送，或使用带 admin 权限的 API 密钥",
    "send one of them": "请只发送其中一个",
    "point the provider's base_url at the real model server, not at lingxi":
        "请把提供方的 base_url 指向真正的模型服务，而不是 lingxi",
    "send text parts": "请发送文本内容",
    "split the events into several requests": "请把事件拆成多次请求",
    "add ?user_id=... or the X-Lingxi-User header": "请添加 ?user_id=... 或 X-Lingxi-User 头",
    "send a JSON object or array as application/json, or JSON Lines as application/x-ndjson":
        "请以 application/json 发送 JSON 对象或数组，或以 application/x-ndjson 发送 JSON Lines",
    "send at least one event": "请至少发送一个事件",
    "for one event per line use Content-Type: application/x-ndjson":
        "每行一个事件时请使用 Content-Type: application/x-ndjson",
    "delete it to create a new one (all user tokens and API keys become invalid)":
        "删除它即可新建（所有用户令牌和 API 密钥将失效）",
    "e.g. --scope features --scope events": "例如 --scope features --scope events",
    "see `lingxi keys list`": "请查看 lingxi keys list",
    "wait until the suspension ends; an operator can lift it with SuspensionStore.lift()":
        "请等待暂停结束；运营人员可用 SuspensionStore.lift() 解除",
    "check [audit] checkpoint_file / checkpoint_url in lingxi.toml":
        "请检查 lingxi.toml 中的 [audit] checkpoint_file / checkpoint_url",
    "allowed: received → processing → resolved/rejected": "允许的变化：已受理 → 处理中 → 已处理/不予处理",
    "pass a .jsonl file or dir": "请传入 .jsonl 文件或目录",
    "each line needs text and expected_behavior (or label and kind)":
        "每行需要 text 和 expected_behavior（或 label 和 kind）",
    "minors mode applies to age bands under_14 and 14_17; the limits are in settings [minors]":
        "未成年人模式适用于 under_14 和 14_17 年龄段；限制在配置 [minors] 中",
    "pass --data FILE.jsonl": "请传入 --data 文件.jsonl",
    "assess with a file the classifier never saw, or pass --allow-overlap to score anyway (the report is marked)":
        "请用分类器未见过的文件评估，或加 --allow-overlap 仍然评分（报告会标注）",
    "one JSON object a line": "每行一个 JSON 对象",
    "run `lingxi audit verify` and investigate before pruning": "请先运行 lingxi audit verify 并查明原因，再清理",
    "point --from at a copy of konsheng/Sensitive-lexicon (or its Vocabulary folder)":
        "请把 --from 指向 konsheng/Sensitive-lexicon 的副本（或其 Vocabulary 目录）",
    "run: lingxi compliance train --from DIR": "请运行：lingxi compliance train --from 目录",
    "give at least one weight > 0": "请至少给一个大于 0 的权重",
    "e.g. --weights quality=0.4,cost=0.2,latency=0.2": "例如 --weights quality=0.4,cost=0.2,latency=0.2",
    "pass --mc-data with CMMLU/C-Eval CSV files": "请用 --mc-data 传入 CMMLU/C-Eval 的 CSV 文件",
    "CMMLU/C-Eval CSV files": "需要 CMMLU/C-Eval 的 CSV 文件",
    "CMMLU: Question,A,B,C,D,Answer; C-Eval: id,question,A,B,C,D,answer":
        "CMMLU 的列：Question,A,B,C,D,Answer；C-Eval 的列：id,question,A,B,C,D,answer",
    "omit session_id to start a new session": "省略 session_id 即开始新会话",
    "pass a notification id or a name": "请传入通知 ID 或名称",
    "pass an earlier --since": "请传入更早的 --since",
    "put one record per line (or separate records with ；) with the same fields, or use a language model":
        "请每行一条记录（或用“；”分隔），字段一致；或使用大模型",
    "see the tools list": "请查看工具列表",
    "configure a model (`lingxi models list`) and pass it with -m / model":
        "请配置模型（lingxi models list），并用 -m / model 指定",
    "pass a conversation_id": "请传入 conversation_id",
    "pass the text to work on": "请传入要处理的文本",
    "split the text into parts": "请把文本拆成几部分",
    "remove one of them from lingxi.toml": "请从 lingxi.toml 中删除其中一个",
    'e.g. model_id = "bge-m3", dimensions = 1024': '例如 model_id = "bge-m3", dimensions = 1024',
    "re-download the file and check its sha256": "请重新下载文件并核对 sha256",
    "use a GGUF embedding model, e.g. Qwen3-Embedding-0.6B": "请使用 GGUF 向量模型，如 Qwen3-Embedding-0.6B",
    "set [embeddings] dimensions to the model's vector length (or send_dimensions = true)":
        "请把 [embeddings] dimensions 设为模型的向量长度（或 send_dimensions = true）",
    "`lingxi models list` shows what is available": "lingxi models list 会列出可用的模型",
    "choose another model, relax the budget, or grant cloud_processing":
        "请换一个模型、放宽预算，或授权 cloud_processing",
    "leave the model out to let the policy choose, or ask the operator to change routing.rules":
        "不指定模型由策略选择，或请运营人员修改 routing.rules",
    "choose another model (GET /v1/models), or send X-Lingxi-Fallback: allow to let lingxi pick":
        "请换一个模型（GET /v1/models），或发送 X-Lingxi-Fallback: allow 由 lingxi 选择",
    "e.g. dashscope/qwen-plus or deepseek/deepseek-chat": "例如 dashscope/qwen-plus 或 deepseek/deepseek-chat",
    "set preset = one of the known presets in lingxi.toml": "请在 lingxi.toml 中把 preset 设为已知的预设之一",
    "`lingxi models list` shows the names": "lingxi models list 会列出名称",
    "split the text into smaller documents, or use a language model": "请把文本拆成更小的文档，或使用大模型",
    "put the answer text in task.documents": "请把答案文本放在 task.documents 中",
    "put the text in task.documents or in a user message": "请把文本放在 task.documents 或用户消息中",
    "e.g. --mirror https://hf-mirror.com/{repo}/resolve/main/{file}":
        "例如 --mirror https://hf-mirror.com/{repo}/resolve/main/{file}",
    "check the path, or download the model with `lingxi models pull NAME`":
        "请检查路径，或用 lingxi models pull 名称 下载模型",
    "llama.cpp loads .gguf files only; convert or download a GGUF build of the model":
        "llama.cpp 只能加载 .gguf 文件；请转换或下载该模型的 GGUF 版本",
    "simplify the schema": "请简化该 schema",
    "see `lingxi models catalog`, then `lingxi models pull NAME`":
        "请查看 lingxi models catalog，再运行 lingxi models pull 名称",
    "free some disk space (or move the data dir with --home / LINGXI_HOME), then run the same pull again":
        "请释放磁盘空间（或用 --home / LINGXI_HOME 换数据目录），再次运行同样的下载命令",
    "see `lingxi models catalog` for what is pulled": "已下载的模型见 lingxi models catalog",
    "the mirror may be corrupt or tampered with; retry, or use another --mirror":
        "镜像可能损坏或被篡改；请重试，或换一个 --mirror",
    "e.g. https://huggingface.co/ORG/REPO/resolve/main/FILE.gguf":
        "例如 https://huggingface.co/ORG/REPO/resolve/main/FILE.gguf",
    "see `lingxi models catalog`, or pass a URL to a .gguf file":
        "请查看 lingxi models catalog，或传入 .gguf 文件的 URL",
    "use a catalog name, a Hugging Face URL, or pass --allow-unverified to accept the risk":
        "请使用目录中的名称或 Hugging Face 的 URL，或加 --allow-unverified 自行承担风险",
    "move it away; pulled files stay, pull them again to re-register":
        "请将其移走；已下载的文件会保留，再次下载即可重新登记",
    "point --from at the names folder": "请把 --from 指向人名数据目录",
    "rebuild: lingxi privacy names build --from DIR": "请重新构建：lingxi privacy names build --from 目录",
    "restore it from your backup": "请从备份恢复",
    "events in PostgreSQL and the home's file cannot be re-sealed in one transaction":
        "PostgreSQL 中的事件与数据目录中的文件无法在一个事务中重新加密",
    "choose a new --out": "请换一个新的 --out",
    "record the guardian's consent first, e.g. `lingxi privacy minor USER --guardian`":
        "请先记录监护人同意，例如 lingxi privacy minor 用户 --guardian",
    "configure an on-device embedding model (e.g. a GGUF model run by llama.cpp)":
        "请配置端侧向量模型（如由 llama.cpp 运行的 GGUF 模型）",
    'a PostgreSQL deployment indexes server-side; leave hooks empty or set backend = "postgres"':
        'PostgreSQL 部署在服务端建索引；请让 hooks 留空或设置 backend = "postgres"',
    "upgrade every worker to the same lingxi version": "请把所有工作进程升级到同一 lingxi 版本",
    "see the server log": "详见服务日志",
    "retry when the server is back (adding events again is safe: duplicates are skipped)":
        "请在服务恢复后重试（重复写入事件是安全的：重复项会被跳过）",
    'use e.g. "postgresql://user@host:5432/lingxi" or "host=… port=… dbname=… user=…"':
        '例如 "postgresql://user@host:5432/lingxi" 或 "host=… port=… dbname=… user=…"',
    "one JSON object per event": "每个事件一个 JSON 对象",
    "pip install 'lingxi[otel]' (or set [server] tracing = false)":
        "请安装：pip install 'lingxi[otel]'（或设置 [server] tracing = false）",
    "lingxi retries, then falls back to the next model": "lingxi 会重试，然后切换到下一个模型",
    "check the model id in the vendor's console": "请在服务商控制台核对模型 ID",
    "the same request would fail again: check the parameters, or the vendor's content filter":
        "同样的请求会再次失败：请检查参数，或服务商的内容过滤",
    "rerun with LINGXI_DEBUG=1 for the traceback and report it":
        "请设置 LINGXI_DEBUG=1 重新运行以查看调用栈，并报告该问题",
    "run `lingxi adapt export --feature F --out DIR` first": "请先运行 lingxi adapt export --feature F --out DIR",
    "feedback is kept only for users who granted model_improvement": "只保存授权了 model_improvement 的用户的反馈",
    "`lingxi adapt status JOB` shows progress": "lingxi adapt status JOB 可查看进度",
    "run `lingxi adapt bakeoff` first": "请先运行 lingxi adapt bakeoff",
    "export more feedback": "请积累并导出更多反馈",
    "convert with llama.cpp's convert_lora_to_gguf.py": "请用 llama.cpp 的 convert_lora_to_gguf.py 转换",
    "`lingxi adapt status` lists them": "lingxi adapt status 可列出它们",
    "set LINGXI_PLUGINS to the plug-ins to load (empty: none) to rule it out":
        "设置 LINGXI_PLUGINS 为要加载的插件（留空则不加载）以排除该插件",
    "send text parts, or images as data URLs in image_url parts":
        "请发送文本，或以 data URL 形式在 image_url 中发送图片",
    "send a smaller or more compressed image": "请发送更小或压缩过的图片",
    "scale the image down": "请缩小图片尺寸",
    "an operator may allow hosts with [vision] allowed_url_hosts in lingxi.toml":
        "运营者可在 lingxi.toml 的 [vision] allowed_url_hosts 中允许这些主机",
}  # fmt: skip

#: hints with values in them: (pattern over the English, Chinese template using the groups)
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), zh)
    for p, zh in (
        (r"ask the user to grant the scope\(s\) first, e\.g\. `(.+)`$", r"请先让用户授权，例如 \1"),
        (r"check (.+) and LINGXI_\* environment variables$", r"请检查 \1 和 LINGXI_* 环境变量"),
        (r"(lingxi privacy delete .+ --yes)$", r"确认删除请运行：\1"),
        (r"stop the other process on port (\d+), or choose another: (.+)$",
         r"请停止占用端口 \1 的进程，或换一个端口：\2"),
        (r"runs: (.*)$", r"已有的运行：\1"),
        (r"get the data from (.+)$", r"数据下载：\1"),
        (r'use model="(.+)"$', r'请使用 model="\1"'),
        (r"use --older-than-days (\d+) or more$", r"请使用 --older-than-days \1 或更大的值"),
        (r"--tasks takes a comma-separated list of: (.+)$", r"--tasks 接受逗号分隔的以下任务：\1"),
        (r"pass the folder holding (\S+) \(text/edits/corrected records\)$",
         r"请传入包含 \1 的目录（text/edits/corrected 记录）"),
        (r"arguments must match the schema of (.+)$", r"参数须符合 \1 的 schema"),
        (r"export (\S+)=\.\.\.$", r"请设置环境变量：export \1=..."),
        (r"export (\S+)=\.\.\.  \(create a key in the (.+) console\)$",
         r"请设置：export \1=...（在 \2 控制台创建密钥）"),
        (r"the operator adds \[providers\.(.+)\] to lingxi\.toml to allow it$",
         r"需运营人员在 lingxi.toml 中添加 [providers.\1]"),
        (r"use (.+) or a language model for (.+)$", r"请对 \2 使用 \1 或大模型"),
        (r"check the network, or point --mirror / (\S+) at a reachable mirror$",
         r"请检查网络，或用 --mirror / \1 指定可访问的镜像"),
        (r"(lingxi models pull \S+)$", r"请运行：\1"),
        (r"use the key this database was sealed with: restore it to (.+) \(chmod 600\) or set (\S+); "
         r"`lingxi keys master backup` on the original machine makes a copy$",
         r"请使用加密该数据库时的密钥：恢复到 \1（chmod 600）或设置 \2；可在原机器上用 lingxi keys master backup 备份"),
        (r"restore the key from your backup \(`lingxi keys master backup`\): copy it to (.+) \(chmod 600\) or set "
         r"(\S+)=\$\(base64 -w0 BACKUP\); without it the sealed data cannot be read — to start afresh, move "
         r"lingxi\.db away$",
         r"请从备份恢复密钥（lingxi keys master backup）：复制到 \1（chmod 600）或设置 \2=$(base64 -w0 备份文件)；"
         r"没有它加密数据无法读取——如要重新开始，请移走 lingxi.db"),
        (r"every worker sharing a database needs the same key: set the same (\S+) on each$",
         r"共用一个数据库的所有工作进程需要同一密钥：请在每个进程上设置相同的 \1"),
        (r"check (\S+) / (\S+)$", r"请检查 \1 / \2"),
        (r"lingxi keys master rotate --out new\.key, then set (\S+)=\$\(base64 -w0 new\.key\) and restart$",
         r"请运行 lingxi keys master rotate --out new.key，然后设置 \1=$(base64 -w0 new.key) 并重启"),
        (r"pages: (.+)$", r"可用页面：\1"),
        (r"check (\S+) \(export \S+=\.\.\.\) and that the key may use this model$",
         r"请检查 \1（export \1=...），并确认该密钥有权使用此模型"),
        (r"check the network and the base URL (\S+); lingxi retries, then falls back to the next model$",
         r"请检查网络和 base URL \1；lingxi 会重试，然后切换到下一个模型"),
    )
]  # fmt: skip


def hint_zh(hint: str | None) -> str | None:
    """The Chinese for an error's ``hint``, or None when there is no hint or no translation."""
    if not hint:
        return None
    if hint in HINTS_ZH:
        return HINTS_ZH[hint]
    for pattern, zh in PATTERNS:
        match = pattern.match(hint)
        if match:
            return match.expand(zh)
    return None
