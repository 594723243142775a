"""The development instance's HTTP settings, stored the way Home Assistant keeps them.

Since 2026.11 Home Assistant keeps its HTTP settings in ``.storage/http`` as a
confirmed ``stable`` slot and an unconfirmed ``pending`` one
(homeassistant/components/http/config.py). An ``http:`` block in
configuration.yaml is migrated once into ``pending``: Home Assistant then waits
five minutes for someone to confirm it in the UI, and otherwise restarts with
``stable``, the built-in default that listens on every interface.

So configuration.yaml has no ``http:`` block, and before each start
scripts/develop writes the loopback-only settings into ``stable`` itself (with
the YAML migration marked done, nothing pending): Home Assistant listens on
loopback from its first second, shows no confirmation dialog and never
reverts. The settings are validated and stamped with Home Assistant's own
schema and storage version, so they look exactly like settings it stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .common import log

LOOPBACK_HOSTS = ("127.0.0.1",)


def _store_path(config_dir: Path) -> Path:
    """Where Home Assistant keeps the HTTP settings of a configuration directory."""
    return config_dir / ".storage" / "http"


def wanted_settings(port: int) -> dict[str, Any]:
    """The loopback-only settings, completed with Home Assistant's defaults."""
    from homeassistant.components.http.config import HTTP_STORAGE_SCHEMA  # noqa: PLC0415

    validated: dict[str, Any] = HTTP_STORAGE_SCHEMA(
        {"server_host": list(LOOPBACK_HOSTS), "server_port": port}
    )
    # The SSL profile is an enum member; storage keeps its string value.
    settings: dict[str, Any] = json.loads(json.dumps(validated))
    return settings


def _meta_free(settings: dict[str, Any] | None) -> dict[str, Any] | None:
    """Settings without the metadata Home Assistant adds to each slot."""
    if settings is None:
        return None
    return {k: v for k, v in settings.items() if k not in ("created_at", "error", "error_message")}


def _is_current(stored: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether a stored file already holds exactly the wanted settings and nothing pending."""
    from homeassistant.components.http import config as http_config  # noqa: PLC0415

    data = stored.get("data") or {}
    return (
        stored.get("version") == http_config.STORAGE_VERSION
        and data.get(http_config.KEY_PENDING) is None
        and data.get(http_config.KEY_YAML_MIGRATION_DONE) is True
        and _meta_free(data.get(http_config.KEY_STABLE)) == wanted
    )


def write_http_settings(config_dir: Path, port: int) -> bool:
    """Store loopback-only HTTP settings for ``config_dir``; return whether the file changed.

    Must run while Home Assistant is stopped (it rewrites the file on changes).
    """
    from homeassistant.components.http import config as http_config  # noqa: PLC0415
    from homeassistant.util import dt as dt_util  # noqa: PLC0415

    path = _store_path(config_dir)
    wanted = wanted_settings(port)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except OSError, ValueError:
        stored = {}
    if _is_current(stored, wanted):
        return False
    stable = {
        **wanted,
        "created_at": dt_util.utcnow().isoformat(),
        "error": None,
        "error_message": None,
    }
    document = {
        "version": http_config.STORAGE_VERSION,
        "minor_version": http_config.STORAGE_MINOR_VERSION,
        "key": http_config.STORAGE_KEY,
        "data": {
            http_config.KEY_STABLE: stable,
            http_config.KEY_PENDING: None,
            http_config.KEY_YAML_MIGRATION_DONE: True,
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    temporary.chmod(0o600)  # Home Assistant keeps this store private
    temporary.replace(path)
    hosts = ", ".join(LOOPBACK_HOSTS)
    log(f"HTTP settings stored for Home Assistant: listen on {hosts} port {port} only")
    return True
