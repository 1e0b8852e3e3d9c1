"""Download GGUF weights into ``<home>/models``: resumable, verified, atomic, with mirror fallback.

Why each piece is here:

- A model file is gigabytes over links that drop, so bytes land in ``<file>.part`` and a later request asks
  for the rest with HTTP ``Range``. The sha256 is computed while streaming (the existing part is re-hashed
  first), so verification costs no second pass over the file.
- The file appears under its real name only after its digest matches, by an atomic rename: a model path
  that exists is a model that was verified. ``manifest.json`` (also replaced atomically) records what was
  installed, from which URL, under which licence and against which digest source, as DESIGN.md asks.
- Mirrors are tried in order and every failure reason is kept, because "it didn't download" is not
  actionable and "ModelScope: HTTP 404; huggingface.co: ConnectError" is.
- Where neither the catalog nor the hub gives a digest, the download is refused unless the caller passes
  ``allow_unverified``: a GGUF is parsed by native code in-process, so unverifiable bytes from an arbitrary
  URL are a supply-chain risk the user must accept explicitly, and refusing before the body costs nothing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from lingxi.__about__ import __version__
from lingxi.errors import (
    DigestMismatch,
    DownloadError,
    InvalidInput,
    ModelNotFound,
    NotFound,
    StorageError,
)
from lingxi.models import catalog
from lingxi.models.catalog import CatalogEntry

MIRROR_ENV = "LINGXI_MODEL_MIRROR"
_TIMEOUT = httpx.Timeout(30.0, read=60.0)
_RETRIES_PER_MIRROR = 2  # further attempts on one mirror, only while each attempt made progress
_CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")


class PulledModel(BaseModel):
    """One installed GGUF, as recorded in the manifest."""

    model_config = ConfigDict(frozen=True)

    name: str
    file: str
    path: Path = Field(exclude=True)  # derived from home when read, so a moved data dir keeps working
    size: int
    sha256: str
    digest_source: str
    verified: bool
    url: str
    mirror_failures: list[str]
    license: str
    source: str
    revision: str | None
    pulled_at_ms: int


@dataclass(frozen=True)
class _Target:
    name: str
    file: str
    urls: list[str]
    sha256: str | None
    size: int | None
    license: str
    source: str
    revision: str | None = None


class _MirrorFailed(Exception):
    """This mirror cannot serve the file now; the next one is tried and the reason recorded."""


def pull(
    name_or_url: str | CatalogEntry,
    home: Path,
    *,
    mirror: str | None = None,
    progress: bool = True,
    allow_unverified: bool = False,
) -> PulledModel:
    """Download a catalog model (by name, alias or entry) or a ``.gguf`` URL into ``<home>/models``.

    ``mirror`` (else ``LINGXI_MODEL_MIRROR``) replaces the catalog's mirrors; see :meth:`CatalogEntry.urls`.
    A model already pulled is returned without touching the network.
    """
    target = _target(name_or_url, mirror or os.environ.get(MIRROR_ENV))
    models = home / "models"
    models.mkdir(parents=True, exist_ok=True)
    dest = models / target.file
    known = _read_manifest(home).get(target.name)
    # Already pulled, unless the catalog's pin changed since (then there is a new file to fetch).
    if known and dest.is_file() and dest.stat().st_size == known.size and target.sha256 in (None, known.sha256):
        return known
    part = models / (target.file + ".part")
    failures: list[str] = []
    headers = {"User-Agent": f"lingxi/{__version__}", "Accept-Encoding": "identity"}  # byte offsets must be raw
    with (
        httpx.Client(timeout=_TIMEOUT, follow_redirects=True, headers=headers) as client,
        _progress_bar(progress) as bar,
    ):
        for url in target.urls:
            for attempt in range(_RETRIES_PER_MIRROR + 1):
                before = _size(part)
                try:
                    sha, digest_source = _attempt(client, url, part, target, bar, allow_unverified)
                except _MirrorFailed as exc:
                    failures.append(f"{url}: {exc}")
                    break
                except httpx.TransportError as exc:
                    if _size(part) <= before or attempt == _RETRIES_PER_MIRROR:
                        failures.append(f"{url}: {type(exc).__name__}: {exc}")
                        break
                    continue  # made progress before the drop: resume from the part on the same mirror
                os.replace(part, dest)
                pulled = PulledModel(
                    name=target.name, file=target.file, path=dest, size=dest.stat().st_size, sha256=sha,
                    digest_source=digest_source, verified=digest_source != "none", url=url, mirror_failures=failures,
                    license=target.license, source=target.source, revision=target.revision,
                    pulled_at_ms=int(time.time() * 1000),
                )  # fmt: skip
                _write_manifest(home, {**_read_manifest(home), target.name: pulled})
                return pulled
    raise DownloadError(
        f"could not download {target.file}: " + "; ".join(failures),
        message_zh=f"所有下载源均失败：{target.file}（已下载部分会保留，重试时续传）",
        hint=f"check the network, or point --mirror / {MIRROR_ENV} at a reachable mirror",
    )


def installed(home: Path) -> list[PulledModel]:
    """Every pulled model whose file is still in place, by name."""
    return [m for _, m in sorted(_read_manifest(home).items()) if m.path.is_file()]


def remove(name: str, home: Path) -> PulledModel:
    """Delete a pulled model's file, any leftover part, and its manifest entry."""
    manifest = _read_manifest(home)
    key = _manifest_key(name, manifest)
    if key is None:
        raise NotFound(
            f"model {name!r} is not pulled",
            message_zh=f"模型未下载：{name}",
            hint="see `lingxi models catalog` for what is pulled",
        )
    record = manifest.pop(key)
    record.path.unlink(missing_ok=True)
    record.path.with_name(record.file + ".part").unlink(missing_ok=True)
    _write_manifest(home, manifest)
    return record


def resolve_local(name_or_path: str, home: Path) -> Path:
    """A GGUF file path, or the path of a pulled model named ``name_or_path``."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path.resolve()
    manifest = _read_manifest(home)
    key = _manifest_key(name_or_path, manifest)
    if key is not None and manifest[key].path.is_file():
        return manifest[key].path
    entry = catalog.get(name_or_path)
    if entry is not None:
        raise NotFound(
            f"model {entry.name} is not pulled yet",
            message_zh=f"模型尚未下载：{entry.name}",
            hint=f"lingxi models pull {entry.alias or entry.name}",
        )
    if name_or_path.endswith(".gguf") or os.sep in name_or_path:
        raise NotFound(f"{name_or_path}: no such file", message_zh=f"找不到文件：{name_or_path}", hint="check the path")
    raise ModelNotFound(
        f"unknown model {name_or_path!r}",
        message_zh=f"未知模型：{name_or_path}",
        hint="see `lingxi models catalog`, then `lingxi models pull NAME`",
    )


def _target(spec: str | CatalogEntry, mirror: str | None) -> _Target:
    if isinstance(spec, str) and spec.startswith(("http://", "https://")):
        file = unquote(urlsplit(spec).path.rsplit("/", 1)[-1])
        if not file.endswith(".gguf"):
            raise InvalidInput(
                f"{spec} does not name a .gguf file",
                message_zh="下载地址必须指向 .gguf 文件",
                hint="e.g. https://huggingface.co/ORG/REPO/resolve/main/FILE.gguf",
            )
        known = catalog.by_file(file)  # a catalog file fetched from elsewhere is still checked against its pin
        if known is None:
            return _Target(
                file.removesuffix(".gguf").lower(), file, [spec], None, None, "unknown", urlsplit(spec).netloc
            )
        entry, urls = known, [spec]
    else:
        found = spec if isinstance(spec, CatalogEntry) else catalog.get(spec)
        if found is None:
            raise ModelNotFound(
                f"{spec!r} is not in the model catalog",
                message_zh=f"模型目录中没有：{spec}",
                hint="see `lingxi models catalog`, or pass a URL to a .gguf file",
            )
        entry, urls = found, found.urls(mirror)
    return _Target(entry.name, entry.file, urls, entry.sha256, entry.size, entry.license, entry.hf_repo, entry.revision)


def _attempt(
    client: httpx.Client, url: str, part: Path, target: _Target, bar: Progress, allow_unverified: bool
) -> tuple[str, str]:
    """One request: resume or restart the part, stream it, verify it; returns (sha256, digest source)."""
    offset = _size(part)
    if target.size is not None and offset > target.size:
        part.unlink()
        offset = 0
    with client.stream("GET", url, headers={"Range": f"bytes={offset}-"} if offset else {}) as resp:
        if resp.status_code not in (200, 206, 416):
            raise _MirrorFailed(f"HTTP {resp.status_code}")
        expected, digest_source = target.sha256, "catalog"
        if expected is None:
            expected, digest_source = _header_digest(resp)
        if expected is None and not allow_unverified:
            raise DownloadError(
                f"no sha256 is known for {url}: neither the catalog nor the server gives one",
                message_zh="无法确定该文件的 sha256，为安全起见拒绝下载",
                hint="use a catalog name, a Hugging Face URL, or pass --allow-unverified to accept the risk",
            )
        if resp.status_code == 416:
            total = resp.headers.get("content-range", "").rpartition("/")[2]  # "bytes */<size>"
            if not offset or (int(total) if total.isdigit() else target.size) != offset:
                part.unlink(missing_ok=True)
                raise _MirrorFailed("HTTP 416 for a part that is not complete; part discarded")
            hasher = _hash_prefix(part, offset)  # the part already holds the whole file
        else:
            if resp.status_code == 200 or not resp.headers.get("content-range", "").startswith(f"bytes {offset}-"):
                offset = 0  # the server ignored Range: start over rather than append a second copy
            length = resp.headers.get("content-length")
            total = offset + int(length) if length is not None else target.size
            if target.size is not None and total is not None and total != target.size:
                raise _MirrorFailed(f"serves {total} bytes, expected {target.size}")
            free = shutil.disk_usage(part.parent).free
            if (total or 0) - offset > free:
                raise _disk_full(part, f"{target.file} needs {(total or 0) - offset} more bytes, {free} free")
            hasher = _stream(resp, part, offset, total, bar, target.file)
    got = hasher.hexdigest()
    if expected is not None and got != expected:
        part.unlink()
        raise DigestMismatch(
            f"{target.file} from {url}: sha256 expected {expected} ({digest_source}), got {got}",
            message_zh=f"文件校验失败：{target.file}，期望 sha256 {expected}，实际 {got}，已删除",
            hint="the mirror may be corrupt or tampered with; retry, or use another --mirror",
        )
    return got, digest_source


def _stream(
    resp: httpx.Response, part: Path, offset: int, total: int | None, bar: Progress, label: str
) -> hashlib._Hash:
    hasher = _hash_prefix(part, offset)
    task = bar.add_task(label, total=total, completed=offset)
    try:
        with part.open("ab" if offset else "wb") as out:
            for chunk in resp.iter_bytes():  # as received: a drop loses nothing already read
                out.write(chunk)
                hasher.update(chunk)
                bar.advance(task, len(chunk))
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise _disk_full(part, f"disk full while writing {part}") from exc
    finally:
        bar.remove_task(task)
    return hasher


def _hash_prefix(part: Path, length: int) -> hashlib._Hash:
    """sha256 state after the first ``length`` bytes of the part, so a resumed stream verifies the whole file."""
    hasher = hashlib.sha256()
    if length:
        with part.open("rb") as f:
            while chunk := f.read(min(_CHUNK, length - f.tell())):
                hasher.update(chunk)
    return hasher


def _header_digest(resp: httpx.Response) -> tuple[str | None, str]:
    """The LFS sha256 a hub states for a file: Hugging Face puts it in ``X-Linked-Etag`` on the redirect."""
    for r in (*resp.history, resp):
        for header in ("x-linked-etag", "etag"):
            value = r.headers.get(header, "").removeprefix("W/").strip('"').lower()
            if _SHA256.fullmatch(value):
                return value, f"{header} from {r.url.host}"
    return None, "none"


def _disk_full(part: Path, message: str) -> StorageError:
    """The part is kept either way: after freeing space, the same pull resumes from it."""
    return StorageError(
        message,
        message_zh=f"磁盘空间不足，无法下载 {part.stem}（已下载部分保留，腾出空间后重试即可续传）",
        hint="free some disk space (or move the data dir with --home / LINGXI_HOME), then run the same pull again",
    )


def _progress_bar(enabled: bool) -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    return Progress(*columns, TimeRemainingColumn(), console=Console(stderr=True), disable=not enabled)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _manifest_key(name: str, manifest: dict[str, PulledModel]) -> str | None:
    """The manifest key for a name, an alias, or a file name."""
    entry = catalog.get(name)
    for key in (name, name.lower(), entry.name if entry else None):
        if key in manifest:
            return key
    return next((k for k, m in manifest.items() if m.file == name), None)


def _read_manifest(home: Path) -> dict[str, PulledModel]:
    path = home / "models" / "manifest.json"
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["models"]
        return {k: PulledModel.model_validate({**v, "path": path.parent / v["file"]}) for k, v in raw.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # ValidationError is a ValueError
        raise StorageError(
            f"{path} is not a valid model manifest: {exc}",
            message_zh=f"模型清单文件损坏：{path}",
            hint="move it away; pulled files stay, pull them again to re-register",
        ) from exc


def _write_manifest(home: Path, models: dict[str, PulledModel]) -> None:
    path = home / "models" / "manifest.json"
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        body = {"version": 1, "models": {k: m.model_dump(mode="json") for k, m in models.items()}}
        json.dump(body, f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
