"""The GGUF models ``lingxi models pull`` knows by name: where to get them and what the bytes must hash to.

The catalog is data, not code, so that reviewing a new model is reviewing one entry. Each entry pins the
publisher's own LFS sha256 and byte size, read from public pins of the named Hugging Face revision (the
note on each entry says how sure that reading is). A pinned digest is what makes a mirror safe to use: a
download from ModelScope, Hugging Face or a user's own mirror is installed only if it hashes to the pin.
An entry whose digest could not be confirmed would carry ``sha256=None``; ``pull`` then takes the digest
from the hub's own response headers and records where it came from.

ModelScope is listed before Hugging Face because it is reachable from mainland China; both serve the same
files for the Qwen organisation's GGUF repositories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lingxi.errors import InvalidInput

Role = Literal["chat", "guard"]


@dataclass(frozen=True)
class CatalogEntry:
    """A pullable GGUF file and everything needed to fetch, verify and credit it."""

    name: str
    family: str
    parameters: str
    quantization: str
    file: str
    size: int | None
    sha256: str | None
    license: str
    context_length: int
    role: Role
    hf_repo: str
    modelscope_repo: str | None = None
    revision: str | None = None
    recommended: bool = True
    note: str = ""

    @property
    def alias(self) -> str | None:
        """The name without its quant suffix, which picks the recommended quant of a model."""
        if not self.recommended:
            return None
        return self.name.removesuffix("-" + self.quantization.lower())

    def urls(self, mirror: str | None = None) -> list[str]:
        """Download URLs in the order to try them: ModelScope, then Hugging Face; or the user's ``mirror``.

        ``mirror`` is a comma-separated list of base URLs, each a directory (the file name is appended) or a
        template with ``{file}`` and ``{repo}`` (the Hugging Face repo), e.g.
        ``https://hf-mirror.com/{repo}/resolve/main/{file}``. It replaces the defaults rather than adding to
        them, so that a site that points at its own mirror never reaches the internet.
        """
        if not mirror:
            hf = f"https://huggingface.co/{self.hf_repo}/resolve/main/{self.file}"
            if self.modelscope_repo is None:
                return [hf]
            return [f"https://modelscope.cn/models/{self.modelscope_repo}/resolve/master/{self.file}", hf]
        urls = []
        for base in (b.strip() for b in mirror.split(",") if b.strip()):
            if not base.startswith(("http://", "https://")):
                raise InvalidInput(
                    f"mirror {base!r} is not an http(s) URL",
                    message_zh=f"镜像地址无效：{base}",
                    hint="e.g. --mirror https://hf-mirror.com/{repo}/resolve/main/{file}",
                )
            templated = base.replace("{file}", self.file).replace("{repo}", self.hf_repo)
            urls.append(templated if "{file}" in base else f"{base.rstrip('/')}/{self.file}")
        return urls


_QWEN25 = "Qwen/Qwen2.5-{}-Instruct-GGUF"
_QWEN3 = "Qwen/Qwen3-{}-GGUF"

CATALOG: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        name="qwen2.5-0.5b-instruct-q4_k_m",
        family="qwen2.5",
        parameters="0.5B",
        quantization="Q4_K_M",
        file="qwen2.5-0.5b-instruct-q4_k_m.gguf",
        size=491_400_032,
        sha256="74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
        license="Apache-2.0",
        context_length=32_768,
        role="chat",
        hf_repo=_QWEN25.format("0.5B"),
        modelscope_repo=_QWEN25.format("0.5B"),
        revision="9217f5db79a29953eb74d5343926648285ec7e67",
        note="Qwen's own GGUF; digest and size agree across several independent public pins of this revision.",
    ),
    CatalogEntry(
        name="qwen2.5-1.5b-instruct-q4_k_m",
        family="qwen2.5",
        parameters="1.5B",
        quantization="Q4_K_M",
        file="qwen2.5-1.5b-instruct-q4_k_m.gguf",
        size=1_117_320_736,
        sha256="6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
        license="Apache-2.0",
        context_length=32_768,
        role="chat",
        hf_repo=_QWEN25.format("1.5B"),
        modelscope_repo=_QWEN25.format("1.5B"),
        revision="91cad51170dc346986eccefdc2dd33a9da36ead9",
        note="Qwen's own GGUF; digest and size agree across several independent public pins of this revision.",
    ),
    CatalogEntry(
        name="qwen2.5-3b-instruct-q4_k_m",
        family="qwen2.5",
        parameters="3B",
        quantization="Q4_K_M",
        file="qwen2.5-3b-instruct-q4_k_m.gguf",
        size=2_104_932_768,
        sha256="626b4a6678b86442240e33df819e00132d3ba7dddfe1cdc4fbb18e0a9615c62d",
        license="Qwen-Research",
        context_length=32_768,
        role="chat",
        hf_repo=_QWEN25.format("3B"),
        modelscope_repo=_QWEN25.format("3B"),
        revision="7dabda4d13d513e3e842b20f0d435c732f172cbe",
        note="Qwen Research License: research and evaluation only; commercial use needs a separate grant from Qwen.",
    ),
    CatalogEntry(
        name="qwen3-0.6b-q8_0",
        family="qwen3",
        parameters="0.6B",
        quantization="Q8_0",
        file="Qwen3-0.6B-Q8_0.gguf",
        size=639_446_688,
        sha256="9465e63a22add5354d9bb4b99e90117043c7124007664907259bd16d043bb031",
        license="Apache-2.0",
        context_length=32_768,
        role="chat",
        hf_repo=_QWEN3.format("0.6B"),
        modelscope_repo=_QWEN3.format("0.6B"),
        revision="23749fefcc72300e3a2ad315e1317431b06b590a",
        note="Qwen publishes only Q8_0 for this size; thinking mode on by default (use /no_think).",
    ),
    CatalogEntry(
        name="qwen3-1.7b-q8_0",
        family="qwen3",
        parameters="1.7B",
        quantization="Q8_0",
        file="Qwen3-1.7B-Q8_0.gguf",
        size=1_834_426_016,
        sha256="061b54daade076b5d3362dac252678d17da8c68f07560be70818cace6590cb1a",
        license="Apache-2.0",
        context_length=32_768,
        role="chat",
        hf_repo=_QWEN3.format("1.7B"),
        modelscope_repo=_QWEN3.format("1.7B"),
        revision="90862c4b9d2787eaed51d12237eafdfe7c5f6077",
        note="Qwen publishes only Q8_0 for this size; thinking mode on by default (use /no_think).",
    ),
    CatalogEntry(
        name="qwen3-4b-q4_k_m",
        family="qwen3",
        parameters="4B",
        quantization="Q4_K_M",
        file="Qwen3-4B-Q4_K_M.gguf",
        size=2_497_280_256,
        sha256="7485fe6f11af29433bc51cab58009521f205840f5b4ae3a32fa7f92e8534fdf5",
        license="Apache-2.0",
        context_length=32_768,
        role="chat",
        hf_repo=_QWEN3.format("4B"),
        modelscope_repo=_QWEN3.format("4B"),
        revision="bc640142c66e1fdd12af0bd68f40445458f3869b",
        note="32K native context (131K with YaRN); thinking mode on by default (use /no_think).",
    ),
    CatalogEntry(
        name="qwen3guard-gen-0.6b-q8_0",
        family="qwen3guard",
        parameters="0.6B",
        quantization="Q8_0",
        file="Qwen.Qwen3Guard-Gen-0.6B.Q8_0.gguf",
        size=804_753_472,
        sha256="ec2c655af07f633bc2a305d097d67c2b88676d969b03dc66de413a5c5c3cb855",
        license="Apache-2.0",
        context_length=32_768,
        role="guard",
        hf_repo="DevQuasar/Qwen.Qwen3Guard-Gen-0.6B-GGUF",
        revision="d170d1d53dad98a28df67d1946319c03dec5fb3c",
        note="Community conversion (Qwen publishes no GGUF of Qwen3Guard); digest from a single public pin of this "
        "revision; context length assumed from its Qwen3-0.6B base. No confirmed ModelScope copy: in mainland "
        "China set LINGXI_MODEL_MIRROR.",
    ),
)


def get(name: str) -> CatalogEntry | None:
    """The entry called ``name`` or aliased by it (case-insensitive), or None."""
    key = name.strip().lower()
    for entry in CATALOG:
        if key in (entry.name, entry.alias):
            return entry
    return None


def by_file(file: str) -> CatalogEntry | None:
    """The entry whose file is ``file``: lets a pull by URL still be checked against the catalog's pin."""
    return next((e for e in CATALOG if e.file == file), None)
