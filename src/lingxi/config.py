"""Settings: defaults, then ``<home>/lingxi.toml``, then ``LINGXI_*`` environment variables.

The home directory holds everything lingxi writes for one installation (the SQLite store, pulled models,
built libraries). It defaults to the platform's user data dir so that a plain ``lingxi demo`` works on a
fresh machine with no configuration; ``--home`` or ``LINGXI_HOME`` moves it (tests use a temp dir).
API keys are never read from the TOML file, only from the environment, so config files can be shared.

A ``lingxi.toml`` that enables an on-device model, two cloud vendors and a routing rule::

    default_model = "dashscope/qwen-plus"

    [models.qwen-local]
    path = "qwen2.5-1.5b-instruct"        # a pulled catalog name, or a .gguf path
    threads = 4

    [providers.dashscope]                  # key from DASHSCOPE_API_KEY
    models = ["qwen-plus", "qwen-turbo"]
    [providers.deepseek]                   # key from DEEPSEEK_API_KEY

    [[routing.rules]]                      # first match wins; the lite tier is always the last resort
    feature = "notifications.*"
    privacy = "sensitive"
    candidates = ["qwen-local"]

    [filing]                               # shown to users wherever the model that answered is shown
    service_filing_no = "Beijing-XX-202X0000"
    algorithm_filing_no = "网信算备110000000000000000001号"
    model_name = "通义千问"
    deployer = "示例科技有限公司"

    [labels]
    placement = "end"                      # explicit AI label in the text: start | end | interface (app shows it)
    provider_name = "示例科技有限公司"        # ContentProducer of the implicit label (or provider_code)

    [audit]                                # signed checkpoints of the audit chain, kept off this machine
    checkpoint_file = "/mnt/worm/lingxi-audit.jsonl"
    checkpoint_url = "https://siem.example.com/lingxi/checkpoints"

    [minors]
    daily_limit_min = 40
    curfew_start = "22:00"
    curfew_end = "06:00"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lingxi.errors import InvalidInput
from lingxi.policies import Filing, MinorsPolicy, Placement


class LocalModelConfig(BaseModel):
    """An on-device GGUF: ``path`` is a file, or the name of a pulled catalog model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    n_ctx: int = Field(default=4096, ge=256)
    threads: int = Field(default=2, ge=1)
    slots: int = Field(default=1, ge=1, description="requests served concurrently")
    adapters: dict[str, str] = Field(
        default_factory=dict,
        description="per-feature LoRA adapters (GGUF paths) on this base: each is routable as NAME+FEATURE",
    )


class EmbeddingsConfig(BaseModel):
    """``[embeddings]``: ``model`` (a GGUF run here) or ``base_url`` (an OpenAI-compatible ``/v1/embeddings``).

    See :mod:`lingxi.models.embeddings`. An endpoint counts as ``cloud`` unless it says ``locality =
    "on_device"`` (an Ollama or vLLM on this machine): the personal vector index accepts on-device only.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str | None = Field(default=None, description="a [models] name, a pulled catalog name, or a .gguf path")
    n_ctx: int = Field(default=512, ge=64, description="tokens per text; longer texts are truncated")
    threads: int = Field(default=2, ge=1)
    pooling: Literal["mean", "cls", "last"] | None = Field(default=None, description="None: the GGUF's own")
    base_url: str | None = None
    model_id: str | None = None
    key_env: str | None = Field(default=None, description="environment variable holding the API key")
    locality: Literal["on_device", "cloud"] = "cloud"
    dimensions: int | None = Field(default=None, ge=1, description="vector length; required with base_url")
    send_dimensions: bool = Field(default=False, description="ask the endpoint for `dimensions` (v3/v4, -3 models)")
    batch_size: int = Field(default=10, ge=1, description="texts per request (DashScope allows 10)")
    timeout_s: float = Field(default=60.0, gt=0)
    min_similarity: float = Field(
        default=0.2, ge=-1, le=1, description="cosine below which a vector match is no match (model-dependent)"
    )


class ProviderConfig(BaseModel):
    """A cloud provider to enable; ``preset`` defaults to the table key (e.g. ``[providers.dashscope]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    preset: str | None = None
    models: list[str] = Field(default_factory=list, description="model ids; empty = the preset's defaults")
    base_url: str | None = None
    key_env: str | None = Field(default=None, description="environment variable holding the API key")
    timeout_s: float = Field(default=120.0, gt=0, description="deadline for a whole call, retries included")
    vision_models: list[str] = Field(
        default_factory=list, description="model ids that accept images, beyond the preset table's (e.g. a VL model)"
    )


class RuleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    feature: str = "*"
    privacy: Literal["public", "personal", "sensitive"] | None = None
    candidates: list[str] = Field(min_length=1)


class RoutingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[RuleConfig] = Field(default_factory=list)
    breaker_threshold: int = Field(default=3, ge=1)
    breaker_cooldown_s: float = Field(default=30.0, gt=0)


class LabelSettings(BaseModel):
    """``[labels]``: where the explicit label goes, and who the implicit label names (GB 45438-2025 Annex).

    ``ContentProducer`` / ``ContentPropagator`` must be the service provider's name or code — the deployer's,
    not lingxi's — so they come from here (``provider_code`` first, else ``provider_name``, else
    ``[filing] deployer``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    placement: Placement = Field(default=Placement.INTERFACE, description="start | end | interface")
    provider_name: str = Field(default="", description="服务提供者名称 written as ContentProducer")
    provider_code: str = Field(default="", description="服务提供者编码 (e.g. the filing number); preferred when set")


class AuditSettings(BaseModel):
    """``[audit]``: where signed checkpoints of the audit chain go, and how often (see compliance/audit_sink)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    checkpoint_file: str = Field(default="", description="JSON-lines file off this machine (mounted share, bucket)")
    checkpoint_url: str = Field(default="", description="HTTP endpoint receiving one JSON checkpoint per POST")
    checkpoint_every: int = Field(default=100, ge=1, description="export after this many records")
    checkpoint_interval_s: float = Field(default=3600.0, gt=0, description="or after this long, at the next record")


class ComplaintSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    deadline_days: int = Field(default=15, ge=1)
    admin_token: str = Field(default="", description="empty: status changes rely on binding 127.0.0.1")


class ServerSettings(BaseModel):
    """``lingxi serve``: auth mode, limits and timeouts (see :mod:`lingxi.server.auth` and ``limits``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    auth: Literal["auto", "required", "off"] = Field(
        default="auto", description="auto: required once any API key exists or when binding a non-loopback host"
    )
    key_rate_per_s: float = Field(default=20.0, gt=0, description="requests per second per API key (per process)")
    key_burst: int = Field(default=40, ge=1)
    user_rate_per_s: float = Field(default=5.0, gt=0, description="requests per second per end user (per process)")
    user_burst: int = Field(default=20, ge=1)
    daily_tokens_per_app: int = Field(default=0, ge=0, description="model tokens per app per day; 0 = unlimited")
    daily_tokens_per_user: int = Field(default=0, ge=0, description="model tokens per user per day; 0 = unlimited")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    request_timeout_s: float = Field(default=120.0, gt=0, description="until the response starts (streams excluded)")
    graceful_shutdown_s: float = Field(default=30.0, gt=0, description="in-flight requests may finish this long")
    user_token_ttl_s: int = Field(default=3600, ge=60, le=7 * 24 * 3600, description="longest user-token lifetime")
    tracing: bool = Field(default=False, description="OpenTelemetry spans per turn and stage (docs/deploy.md)")
    # off by default: on a quiet machine the thread's two hand-offs per awaited record cost a sequential request
    # 15-22 % more CPU and 0.96-1.45x the added latency; on (many clients, a busy disk) it buys throughput
    # (benchmarks/README.md, the lead's wave-11 section)
    write_thread: bool = Field(
        default=False, description="commit requests' records in one writer thread, together (docs/deploy.md)"
    )
    allowed_hosts: tuple[str, ...] = Field(
        default=(), description="Host names accepted with auth off, besides loopback and the bound address"
    )
    header_timeout_s: float = Field(default=10.0, gt=0, description="a client must send its headers within this")
    body_timeout_s: float = Field(default=30.0, gt=0, description="longest wait for the next piece of a body")


class VisionSettings(BaseModel):
    """Images handed in (``lingxi.vision``): what is accepted, and how much CPU on-device OCR may take."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_bytes: int = Field(default=6 * 1024 * 1024, ge=1024, description="largest encoded image")
    max_pixels: int = Field(default=40_000_000, ge=10_000, description="largest width × height decoded")
    allowed_url_hosts: tuple[str, ...] = Field(
        default=(), description="hosts whose http(s) image URLs lingxi may fetch; empty = data URLs and bytes only"
    )
    fetch_timeout_s: float = Field(default=10.0, gt=0, le=120)
    ocr_threads: int = Field(default=2, ge=1, le=64, description="CPU threads for one OCR run (onnxruntime)")
    ocr_concurrency: int = Field(default=1, ge=1, le=16, description="OCR runs at once; more wait their turn")
    max_side: int = Field(
        default=2400, ge=640, le=4096, description="longest side OCR works at: larger pictures are scaled down"
    )
    det_side: int = Field(
        default=960, ge=320, le=4096, description="longest side text detection sees (recognition: max_side)"
    )
    rec_batch: int = Field(default=1, ge=1, le=64, description="text lines recognized per model call")
    skip_background: bool = Field(default=True, description="cut empty background bands before detection")
    cloud_images: bool = Field(
        default=True,
        description="a vision-capable cloud model may see the picture itself when the user consented to both "
        "camera_photos and cloud_processing; false = only the redacted recognized text ever leaves",
    )
    cloud_image_side: int = Field(default=1600, ge=256, le=4096, description="longest side of a picture sent out")


class Settings(BaseModel):
    """Resolved settings for one lingxi home."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    home: Path
    default_model: str = Field(default="lite", description="model used when a request names none")
    timezone: str = Field(default="Asia/Shanghai", description="zone for Chinese time expressions and display")
    notification_window_hours: int = Field(default=24, ge=1, le=24 * 31)
    models: dict[str, LocalModelConfig] = Field(default_factory=dict, description="on-device GGUF models by name")
    providers: dict[str, ProviderConfig] = Field(default_factory=dict, description="cloud providers to enable")
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    filing: Filing = Field(default_factory=Filing, description="the deployer's filing numbers shown to users")
    labels: LabelSettings = Field(default_factory=LabelSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    complaints: ComplaintSettings = Field(default_factory=ComplaintSettings)
    minors: MinorsPolicy = Field(default_factory=MinorsPolicy)
    server: ServerSettings = Field(default_factory=ServerSettings)
    embeddings: EmbeddingsConfig = Field(default_factory=EmbeddingsConfig, description="optional vectors")
    vision: VisionSettings = Field(default_factory=VisionSettings, description="images: limits and OCR")
    guard_model: str | None = Field(
        default=None, description="a Qwen3Guard-Gen GGUF (path, pulled name or [models] name) as a screening layer"
    )
    screen_ordinary_use: bool = Field(
        default=True,
        description="input screen: a risk word used in an ordinary way (across two words, at play in a game or "
        "household frame, only asked about) does not block (compliance/ordinary_use.py, wave 15)",
    )
    screen_ordinary_frames: bool = Field(
        default=True,
        description="input screen: a grey-band classifier block on a work talked about (a film, a documentary), "
        "food prepared (杀鸡) or a word mistyped does not stand (compliance/ordinary_frames.py, wave 15)",
    )
    screen_ordinary_games: bool = Field(
        default=False,
        description="input screen: a grey-band classifier block on a game played (只狼, 剧本杀; no person or harm "
        "named) does not stand either; opt-in: it released 3 of 713 must-refuse test prompts (wave 15, screen3)",
    )
    query_planner: str | None = Field(
        default=None,
        description="model that writes the assistant's query plans as JSON (None: the rule parser; docs/query.md)",
    )
    database_url: str | None = Field(
        default=None, description="PostgreSQL for events, audit and complaints shared by workers (docs/deploy.md)"
    )

    @property
    def db_path(self) -> Path:
        return self.home / "lingxi.db"

    @property
    def provider(self) -> str:
        """The provider's code or name for implicit labels; empty when none is configured."""
        return self.labels.provider_code or self.labels.provider_name or self.filing.deployer

    @classmethod
    def load(cls, home: Path | str | None = None) -> Settings:
        """Resolve settings for ``home`` (or ``LINGXI_HOME``, or the user data dir)."""
        resolved = Path(home or os.environ.get("LINGXI_HOME") or platformdirs.user_data_dir("lingxi"))
        values: dict[str, Any] = {}
        toml_path = resolved / "lingxi.toml"
        if toml_path.is_file():
            try:
                values.update(tomllib.loads(toml_path.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as exc:
                raise InvalidInput(
                    f"{toml_path}: not valid TOML: {exc}",
                    message_zh=f"配置文件格式错误：{toml_path}",
                    hint="fix the file or move it away",
                ) from exc
        for name in ("default_model", "timezone", "notification_window_hours", "database_url"):
            env = os.environ.get(f"LINGXI_{name.upper()}")
            if env is not None:
                values[name] = env
        try:
            return cls(home=resolved, **values)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidInput(
                f"bad setting {where}: {first['msg']}",
                message_zh=f"配置项 {where} 无效：{first['msg']}",
                hint=f"check {toml_path} and LINGXI_* environment variables",
            ) from exc
