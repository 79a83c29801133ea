"""Starting the gateway: the checks that refuse an unsafe start, then uvicorn.

- a host other than loopback with no API key configured is refused (anyone on the
  network could read the knowledge bases and use the models);
- more than one worker needs a Chroma server (``vectorstore.host``);
- with embedded Chroma the data folder is claimed (`inhouse.rag.serving`), so an
  ``inhouse ingest`` from another process stops with a line naming this server.

Example:
    >>> check_start(load_settings(server={"host": "0.0.0.0"}))  # doctest: +SKIP
    Traceback (most recent call last):
    ConfigError: refusing to serve on 0.0.0.0 without an API key; ...
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from inhouse.errors import ConfigError
from inhouse.gateway.keys import KeyStore
from inhouse.providers.openai import is_loopback as url_is_loopback
from inhouse.rag.kb import KnowledgeBase
from inhouse.rag.serving import Claim
from inhouse.settings import Settings, load_settings

WORKER_ENV = "IH_SERVE_WORKER_SETTINGS"
"""How worker processes learn the parent's profile, config folder and command-line
overrides (not an INHOUSE_ variable: the settings loader would read it as a setting)."""


def is_loopback(host: str) -> bool:
    return url_is_loopback(f"http://[{host}]/" if ":" in host else f"http://{host}/")


def keys_of(settings: Settings) -> KeyStore:
    return KeyStore(settings.server.keys_file or Path(settings.data_dir) / "keys.sqlite3")


def check_start(settings: Settings) -> None:
    server = settings.server
    if not is_loopback(server.host) and not keys_of(settings).any_keys():
        msg = (
            f"refusing to serve on {server.host} without an API key; create one with"
            " `inhouse keys create NAME`, or serve on 127.0.0.1"
        )
        raise ConfigError(msg)
    if server.workers > 1 and not settings.vectorstore.host:
        msg = (
            f"server.workers = {server.workers} needs a Chroma server: embedded Chroma is for"
            " one process; set vectorstore.host (see `chroma run`) or use one worker"
        )
        raise ConfigError(msg)


def serve(
    settings: Settings,
    *,
    profile: str | None = None,
    config_dir: str | None = None,
    overrides: dict | None = None,
) -> None:
    """Run the gateway until interrupted (blocking)."""
    import uvicorn

    check_start(settings)
    server = settings.server
    url = f"http://{server.host}:{server.port}"
    claim = None
    if not settings.vectorstore.host:
        claim = Claim.take(KnowledgeBase.root(settings), url)
    try:
        if server.workers > 1:
            os.environ[WORKER_ENV] = json.dumps(
                {"profile": profile, "config_dir": config_dir, "overrides": overrides or {}}
            )
            uvicorn.run("inhouse.server.run:app_from_env", factory=True, host=server.host,
                        port=server.port, workers=server.workers, log_level="warning")  # fmt: skip
        else:
            from inhouse.server.app import create_app

            uvicorn.run(create_app(settings), host=server.host, port=server.port,
                        log_level="warning", timeout_graceful_shutdown=5)  # fmt: skip
    finally:
        if claim is not None:
            claim.release()


def app_from_env():
    """The app for one worker process, with the settings the parent was started with."""
    from inhouse.server.app import create_app

    given = json.loads(os.environ.get(WORKER_ENV) or "{}")
    settings = load_settings(
        given.get("profile"), config_dir=given.get("config_dir"), **given.get("overrides", {})
    )
    return create_app(settings)
