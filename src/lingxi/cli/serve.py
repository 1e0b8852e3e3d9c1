"""`lingxi serve`: the HTTP service, with the checks that make its start-up errors one line each."""

from __future__ import annotations

from typing import Annotated

import typer

from lingxi.cli.common import HomeOpt, err, zh_help
from lingxi.errors import InvalidInput


@zh_help(
    "运行 HTTP 服务（OpenAI 兼容的 /v1/chat/completions、功能接口、/docs 文档）；存在 API 密钥或非本机地址时必须鉴权。"
)
def serve(
    home: HomeOpt = None,
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to bind")] = 8000,
) -> None:
    """Run the HTTP service (OpenAI-compatible /v1/chat/completions, feature endpoints, /docs).

    API keys are required once any exists (`lingxi keys create`) and always off loopback; in-flight
    requests and streams get server.graceful_shutdown_s to finish on Ctrl-C / SIGTERM.

    示例：lingxi serve --port 8000
    """
    import uvicorn

    from lingxi.facade import Lingxi
    from lingxi.models import registry
    from lingxi.server import logs
    from lingxi.server.app import create_app, serve_config
    from lingxi.server.keys import KeyStore, load_secret

    lx = Lingxi(home)
    server = lx.settings.server
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if server.auth == "off" and not loopback:
        raise InvalidInput(
            f"auth = off is only allowed on a loopback address, not {host}",
            message_zh="关闭鉴权只允许在本机回环地址上运行",
            hint="bind 127.0.0.1, or create keys with `lingxi keys create` and use auth = auto",
        )
    if looping := registry.providers_pointing_at(lx.settings, host, port):
        names = ", ".join(looping)
        raise InvalidInput(
            f"[providers.{looping[0]}] base_url points at this server ({host}:{port}): it would call itself",
            message_zh=f"云端服务 {names} 的 base_url 指向本服务（{host}:{port}），会造成循环调用",
            hint="point base_url at the real model server, or serve lingxi on another port",
        )
    mode = "required" if not loopback else server.auth
    if mode == "off" or (mode == "auto" and not KeyStore(lx.db, load_secret(lx.settings.home)).any_keys()):
        err.print(
            "[bold red]警告：未启用鉴权[/]——本机任何程序都能读写所有用户的数据。"
            "用 `lingxi keys create APP --scope features` 创建密钥即可启用。",
            highlight=False,
        )
    _ensure_port_free(host, port)
    logs.configure()
    uvicorn.run(create_app(lx, auth_mode=mode), host=host, port=port, **serve_config(server))


def _ensure_port_free(host: str, port: int) -> None:
    """A port already taken is a one-line error here, not uvicorn's startup trace after models were loaded."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InvalidInput(
                f"cannot listen on {host}:{port}: {exc.strerror}",
                message_zh=f"无法监听 {host}:{port}：端口已被占用或地址不可用",
                hint=f"stop the other process on port {port}, or choose another: lingxi serve --port {port + 1}",
            ) from exc
