"""The Python requirements of the integrations Home Assistant loads, and their pins.

scripts/develop pre-installs them, so that Home Assistant's first start installs
nothing itself; ``lock`` writes the pins of the whole development venv.
"""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys
import tempfile
from typing import Any

from .common import BootstrapError, log
from .onboarding import ONBOARDING_INTEGRATIONS

LOCK_HEADER = (
    "# Full resolution of requirements/develop.txt plus the requirements of every\n"
    "# Home Assistant integration that config/configuration.yaml loads, on CPython 3.14\n"
    "# (written by `scripts/develop --lock`); scripts/develop installs .venv-ha with\n"
    "# these as constraints so every machine gets the same versions.\n"
)


def _config_domains(config_dir: Path) -> set[str]:
    """Top-level integration domains of configuration.yaml (as Home Assistant reads it)."""
    from homeassistant.helpers import config_validation as cv  # noqa: PLC0415
    from homeassistant.util.yaml import load_yaml_dict  # noqa: PLC0415

    config = load_yaml_dict(config_dir / "configuration.yaml")
    return {cv.domain_key(key) for key in config}


def integration_requirements(config_dir: Path) -> dict[str, list[str]]:
    """Requirements by domain of the integrations Home Assistant would set up.

    Mirrors what Home Assistant does at start: the configured domains, its default
    integrations and base platforms, custom integrations with config entries,
    the integrations onboarding sets up, and, through every manifest,
    ``dependencies``, ``after_dependencies`` and the discovery integrations whose
    requirements are processed alongside (homeassistant/requirements.py).
    """
    import homeassistant  # noqa: PLC0415
    from homeassistant import bootstrap  # noqa: PLC0415
    from homeassistant.const import BASE_PLATFORMS  # noqa: PLC0415
    from homeassistant.requirements import DISCOVERY_INTEGRATIONS  # noqa: PLC0415

    builtin = Path(homeassistant.__file__).parent / "components"
    custom = config_dir / "custom_components"
    todo = [
        *_config_domains(config_dir),
        *bootstrap.CORE_INTEGRATIONS,
        *bootstrap.DEFAULT_INTEGRATIONS,
        *BASE_PLATFORMS,
        *ONBOARDING_INTEGRATIONS,
        *(path.parent.name for path in custom.glob("*/manifest.json")),
    ]
    manifests: dict[str, dict[str, Any]] = {}
    while todo:
        domain = todo.pop()
        if domain in manifests:
            continue
        path = custom / domain / "manifest.json"
        if not path.is_file():
            path = builtin / domain / "manifest.json"
        if not path.is_file():
            raise BootstrapError(f"integration {domain!r} not found (no {path})")
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        manifests[domain] = manifest
        todo.extend(manifest.get("dependencies", []))
        todo.extend(manifest.get("after_dependencies", []))
        for discovery, keys in DISCOVERY_INTEGRATIONS.items():
            if any(key in manifest for key in keys):
                todo.append(discovery)
    return {
        domain: list(manifest["requirements"])
        for domain, manifest in sorted(manifests.items())
        if manifest.get("requirements")
    }


def requirement_lines(config_dir: Path) -> list[str]:
    """Sorted, de-duplicated requirement lines."""
    lines = {req for reqs in integration_requirements(config_dir).values() for req in reqs}
    return sorted(lines, key=str.lower)


def package_constraints() -> Path:
    """The constraints file Home Assistant itself installs requirements with."""
    import homeassistant  # noqa: PLC0415

    return Path(homeassistant.__file__).parent / "package_constraints.txt"


def missing_requirements(requirements_file: Path) -> list[str]:
    """The requirements of a file that are not installed (as Home Assistant checks them)."""
    from homeassistant.util.package import is_installed  # noqa: PLC0415

    return [
        req
        for line in requirements_file.read_text(encoding="utf-8").splitlines()
        if (req := line.split("#", 1)[0].strip()) and not is_installed(req)
    ]


def _resolve(requirements_file: Path, config_dir: Path) -> list[tuple[str, str]]:
    """Resolve a requirements file plus the integrations' requirements from scratch.

    pip resolves without installing (``--dry-run --ignore-installed``); returns
    (name, version) of every package it would install.
    """
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp) / "integrations.txt"
        extra.write_text("\n".join(requirement_lines(config_dir)) + "\n", encoding="utf-8")
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--dry-run",
                "--ignore-installed",
                "--report",
                str(report),
                "-r",
                str(requirements_file),
                "-r",
                str(extra),
                "-c",
                str(package_constraints()),
            ],
            check=True,
        )
        resolved = json.loads(report.read_text(encoding="utf-8"))
    return [(item["metadata"]["name"], item["metadata"]["version"]) for item in resolved["install"]]


def write_lock(config_dir: Path, requirements_file: Path, output: Path) -> int:
    """Write the pins of the development venv to ``output``; return how many."""
    pins = sorted(_resolve(requirements_file, config_dir), key=lambda pin: (pin[0].lower(), pin))
    body = "".join(f"{name}=={version}\n" for name, version in pins)
    output.write_text(LOCK_HEADER + body, encoding="utf-8")
    log(f"wrote {len(pins)} pins to {output}")
    return len(pins)
