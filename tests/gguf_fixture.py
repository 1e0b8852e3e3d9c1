"""Random-weight Qwen2 GGUF files that llama.cpp loads and chats with, written with the ``gguf`` package.

Only PyPI is reachable from CI, so no real model can be downloaded for tests or benchmarks. A file
with random weights but a *working* tokenizer and chat template exercises everything lingxi does
with llama.cpp (template rendering, tokenization, sampling, grammars, streaming, stop strings);
only the words are gibberish, so tests assert mechanics, never content.

What the file holds (see the project's llama.cpp notes, §2):

* ``qwen2`` architecture with tied embeddings (no ``output.weight``), Q/K/V biases as in Qwen2,
  F32 norms and biases, 2-D weights in F16 or Q8_0.
* A GPT-2 style byte-level BPE tokenizer: the 256 byte tokens come first with id == byte value, so
  any UTF-8 text tokenizes; then merges learnt from :data:`CORPUS` by a small BPE trainer; then
  Qwen2.5's 22 added tokens with ``<|im_end|>`` as eos.
* A ChatML chat template with Qwen2.5-style tools (``<tools>`` block, ``<tool_call>`` JSON,
  ``<tool_response>``), written here, so llama.cpp's tool-call format detection sees Qwen's format.

``qwen05`` has Qwen2.5-0.5B's real dims and puts the special tokens at Qwen's real ids (the vocab is
padded with ``[PADn]`` tokens) so the cost per token matches the real model; it is for benchmarks.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import gguf
import numpy as np

__all__ = ["CHAT_TEMPLATE", "CORPUS", "SPECIAL_TOKENS", "write_random_lora_gguf", "write_random_qwen2_gguf"]


@dataclass(frozen=True)
class Dims:
    layers: int
    hidden: int
    ffn: int
    heads: int
    kv_heads: int
    merges: int
    vocab: int | None  # None: exactly bytes + merges + specials; else padded to this size
    context: int


DIMS: dict[str, Dims] = {
    "tiny": Dims(layers=2, hidden=64, ffn=128, heads=4, kv_heads=2, merges=200, vocab=None, context=2048),
    "qwen05": Dims(layers=24, hidden=896, ffn=4864, heads=14, kv_heads=2, merges=493, vocab=151_936, context=32768),
}

#: Qwen2.5's added tokens, in id order; in the real vocab they start at id 151643.
SPECIAL_TOKENS = (
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|object_ref_start|>",
    "<|object_ref_end|>",
    "<|box_start|>",
    "<|box_end|>",
    "<|quad_start|>",
    "<|quad_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|vision_pad|>",
    "<|image_pad|>",
    "<|video_pad|>",
    "<tool_call>",
    "</tool_call>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|fim_pad|>",
    "<|repo_name|>",
    "<|file_sep|>",
)
QWEN_FIRST_SPECIAL_ID = 151_643
#: Shown as text by llama.cpp (USER_DEFINED); every other added token is CONTROL.
TEXT_SPECIALS = frozenset({"<tool_call>", "</tool_call>"})

#: Training text for the BPE merges: short everyday Chinese and English, written for this fixture.
CORPUS = """
你好，世界！请总结：今天天气很好。我们明天一起去公园散步吧。
今天下午三点开会，请大家准时参加。会议讨论下个月的工作计划。
你的快递已经到了，请到小区门口的快递柜取件。取件码是一二三四。
妈妈说晚上回家吃饭，记得买一点水果和牛奶。
这家餐厅的菜很好吃，价格也不贵，周末我们再来吧。
明天上午九点的高铁去上海，记得带身份证。
请帮我总结一下今天的消息和通知，谢谢。
你好，请用一句话介绍一下杭州。杭州是一个美丽的城市。
Hello, world! Please summarize the messages of today.
The weather is nice today, let us go to the park tomorrow.
The meeting starts at three in the afternoon, please be on time.
Your package has arrived, please pick it up at the gate.
"""

#: ChatML with Qwen2.5-style tools; written for this fixture, structured like Qwen2.5-Instruct's template.
CHAT_TEMPLATE = """\
{%- if tools %}
{{- '<|im_start|>system\\n' }}
{%- if messages[0]['role'] == 'system' %}{{- messages[0]['content'] }}
{%- else %}{{- '你是一个有帮助的助手。' }}{%- endif %}
{{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n" }}
{{- "You are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
{%- for tool in tools %}{{- "\\n" }}{{- tool | tojson }}{%- endfor %}
{{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments " }}
{{- "within <tool_call></tool_call> XML tags:\\n<tool_call>\\n" }}
{{- '{"name": <function-name>, "arguments": <args-json-object>}\\n</tool_call><|im_end|>\\n' }}
{%- elif messages[0]['role'] == 'system' %}
{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- else %}
{{- '<|im_start|>system\\n你是一个有帮助的助手。<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
{%- if message.role == 'user' or (message.role == 'system' and not loop.first) %}
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
{%- elif message.role == 'assistant' %}
{{- '<|im_start|>assistant' }}
{%- if message.content %}{{- '\\n' + message.content }}{%- endif %}
{%- for tool_call in message.tool_calls | default([]) %}
{%- if tool_call.function is defined %}{%- set tool_call = tool_call.function %}{%- endif %}
{{- '\\n<tool_call>\\n{"name": "' + tool_call.name + '", "arguments": ' }}
{%- if tool_call.arguments is string %}{{- tool_call.arguments }}
{%- else %}{{- tool_call.arguments | tojson }}{%- endif %}
{{- '}\\n</tool_call>' }}
{%- endfor %}
{{- '<|im_end|>\\n' }}
{%- elif message.role == 'tool' %}
{%- if loop.index0 == 0 or messages[loop.index0 - 1].role != 'tool' %}{{- '<|im_start|>user' }}{%- endif %}
{{- '\\n<tool_response>\\n' + message.content + '\\n</tool_response>' }}
{%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}{{- '<|im_end|>\\n' }}{%- endif %}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}
"""

# GPT-2/Qwen pre-tokenization, simplified: letters, single digits, punctuation runs, whitespace.
_PRETOKENIZE = re.compile(r" ?[^\W\d_]+| ?\d| ?[^\s\w]+|\s+")


def _byte_symbols() -> list[str]:
    """GPT-2's printable stand-in for each byte value; token ``i`` is byte ``i``."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    extra = 0
    out: list[str] = []
    for b in range(256):
        if b in printable:
            out.append(chr(b))
        else:
            out.append(chr(256 + extra))
            extra += 1
    return out


def learn_merges(corpus: str, n: int) -> list[tuple[str, str]]:
    """The ``n`` most frequent pair merges of byte-level BPE over ``corpus`` (fewer if pairs run out)."""
    symbols = _byte_symbols()
    words = Counter(
        tuple(symbols[b] for b in piece.encode()) for piece in _PRETOKENIZE.findall(corpus) if piece.strip()
    )
    merges: list[tuple[str, str]] = []
    while len(merges) < n:
        pairs: Counter[tuple[str, str]] = Counter()
        for word, count in words.items():
            for pair in itertools.pairwise(word):
                pairs[pair] += count
        if not pairs:
            break
        best = max(pairs, key=lambda p: (pairs[p], p))  # ties broken by the pair itself: deterministic
        merges.append(best)
        merged: Counter[tuple[str, ...]] = Counter()
        for word, count in words.items():
            out: list[str] = []
            i = 0
            while i < len(word):
                if word[i : i + 2] == best:
                    out.append(best[0] + best[1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += count
        words = merged
    return merges


def _vocab(dims: Dims) -> tuple[list[str], list[gguf.TokenType], list[str], dict[str, int]]:
    """Tokens, token types, merges, and the ids of the special tokens."""
    normal, control, user, unused = (
        gguf.TokenType.NORMAL,
        gguf.TokenType.CONTROL,
        gguf.TokenType.USER_DEFINED,
        gguf.TokenType.UNUSED,
    )
    tokens = _byte_symbols()
    merges = learn_merges(CORPUS, dims.merges)
    for a, b in merges:
        if a + b not in tokens:  # two different pairs can spell the same string
            tokens.append(a + b)
    types = [normal] * len(tokens)
    first_special = QWEN_FIRST_SPECIAL_ID if dims.vocab else len(tokens)
    while len(tokens) < first_special:
        tokens.append(f"[PAD{len(tokens)}]")
        types.append(normal)
    ids = {}
    for tok in SPECIAL_TOKENS:
        ids[tok] = len(tokens)
        tokens.append(tok)
        types.append(user if tok in TEXT_SPECIALS else control)
    while dims.vocab and len(tokens) < dims.vocab:
        tokens.append(f"[PAD{len(tokens)}]")
        types.append(unused)
    return tokens, types, [f"{a} {b}" for a, b in merges], ids


def write_random_qwen2_gguf(
    path: str | Path,
    dims: Literal["tiny", "qwen05"] = "tiny",
    dtype: Literal["f16", "q8_0"] = "f16",
    seed: int = 0,
    context: int | None = None,
) -> Path:
    """Write a random-weight Qwen2 GGUF to ``path`` and return it; same arguments, same bytes.

    ``context`` overrides the trained context length (llama.cpp caps ``n_ctx`` at it): the tiny vocabulary
    spends several tokens per Chinese character, so prompts with tool schemas need more than 2048.
    """
    d = DIMS[dims]
    path = Path(path)
    rng = np.random.default_rng(seed)
    tokens, types, merges, ids = _vocab(d)
    head_dim = d.hidden // d.heads
    kv = d.kv_heads * head_dim

    w = gguf.GGUFWriter(str(path), "qwen2")
    w.add_name(f"lingxi-random-qwen2-{dims}")
    w.add_context_length(context or d.context)
    w.add_embedding_length(d.hidden)
    w.add_feed_forward_length(d.ffn)
    w.add_block_count(d.layers)
    w.add_head_count(d.heads)
    w.add_head_count_kv(d.kv_heads)
    w.add_rope_freq_base(1_000_000.0)
    w.add_layer_norm_rms_eps(1e-6)
    qtype = gguf.GGMLQuantizationType.F16 if dtype == "f16" else gguf.GGMLQuantizationType.Q8_0
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if dtype == "f16" else gguf.LlamaFileType.MOSTLY_Q8_0)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_eos_token_id(ids["<|im_end|>"])
    w.add_bos_token_id(ids["<|endoftext|>"])
    w.add_pad_token_id(ids["<|endoftext|>"])
    w.add_add_bos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    # Small weights keep the logits nearly flat, so sampled output is varied gibberish. Larger ones (0.1+)
    # make one token (a newline) win every step, which would hide stop-string and streaming bugs.
    def matrix(name: str, rows: int, cols: int) -> None:
        data = rng.standard_normal((rows, cols), dtype=np.float32) * np.float32(0.02)
        if dtype == "f16":
            w.add_tensor(name, data.astype(np.float16))
        else:
            w.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)

    def vector(name: str, n: int, ones: bool = False) -> None:
        w.add_tensor(name, np.ones(n, np.float32) if ones else rng.standard_normal(n, dtype=np.float32) * 0.02)

    matrix("token_embd.weight", len(tokens), d.hidden)
    vector("output_norm.weight", d.hidden, ones=True)
    for i in range(d.layers):
        b = f"blk.{i}"
        vector(f"{b}.attn_norm.weight", d.hidden, ones=True)
        matrix(f"{b}.attn_q.weight", d.hidden, d.hidden)
        vector(f"{b}.attn_q.bias", d.hidden)
        matrix(f"{b}.attn_k.weight", kv, d.hidden)
        vector(f"{b}.attn_k.bias", kv)
        matrix(f"{b}.attn_v.weight", kv, d.hidden)
        vector(f"{b}.attn_v.bias", kv)
        matrix(f"{b}.attn_output.weight", d.hidden, d.hidden)
        vector(f"{b}.ffn_norm.weight", d.hidden, ones=True)
        matrix(f"{b}.ffn_gate.weight", d.ffn, d.hidden)
        matrix(f"{b}.ffn_up.weight", d.ffn, d.hidden)
        matrix(f"{b}.ffn_down.weight", d.hidden, d.ffn)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def write_random_lora_gguf(
    path: str | Path, dims: Literal["tiny", "qwen05"] = "tiny", seed: int = 1, rank: int = 4, alpha: float = 8.0
) -> Path:
    """A random LoRA adapter GGUF for :func:`write_random_qwen2_gguf`'s model of the same ``dims``.

    The layout llama.cpp's ``convert_lora_to_gguf.py`` writes: ``general.type = "adapter"``,
    ``adapter.type = "lora"``, ``adapter.lora.alpha``, and per adapted weight ``W`` (here ``attn_q`` and
    ``ffn_up`` of every block) the pair ``W.lora_a`` (rank × in) and ``W.lora_b`` (out × rank), F32, so
    ``W' = W + scale · alpha/rank · B·A``. Weights are large enough (std 1) to change greedy output.
    """
    d = DIMS[dims]
    path = Path(path)
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(str(path), "qwen2")
    w.add_type(gguf.GGUFType.ADAPTER)
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", alpha)
    for i in range(d.layers):
        for name, out in (("attn_q", d.hidden), ("ffn_up", d.ffn)):
            w.add_tensor(f"blk.{i}.{name}.weight.lora_a", rng.standard_normal((rank, d.hidden), dtype=np.float32))
            w.add_tensor(f"blk.{i}.{name}.weight.lora_b", rng.standard_normal((out, rank), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path
