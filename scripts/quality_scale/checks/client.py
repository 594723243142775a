"""Checks of the API client, typing and project metadata (brand, code owners)."""

import ast
from pathlib import Path
import struct
import subprocess
import sys
from typing import Final

from quality_scale.astutil import call_name, class_method
from quality_scale.integration import Integration
from quality_scale.registry import check
from quality_scale.source import Module

NO_API: Final = "no api/ client package"
BRAND_SIZES: Final = {"icon.png": (256, 256), "icon@2x.png": (512, 512)}
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
SESSION_HELPERS: Final = frozenset({"async_get_clientsession", "async_create_clientsession"})
MAX_MYPY_ERRORS: Final = 10


def read_png_size(path: Path) -> tuple[int, int] | None:
    """Return (width, height) of a PNG file, or None if it is not a PNG."""
    with path.open("rb") as file:
        header = file.read(24)
    if len(header) < 24 or not header.startswith(PNG_SIGNATURE) or header[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


@check("brands")
def check_brands(integ: Integration) -> list[str]:
    """brand/icon.png exists (256x256; icon@2x.png 512x512 if present)."""
    brand = integ.path / "brand"
    if not (brand / "icon.png").is_file():
        return ["brand/icon.png not found"]
    reasons: list[str] = []
    for name, expected in BRAND_SIZES.items():
        file = brand / name
        if not file.is_file():
            continue
        size = read_png_size(file)
        if size is None:
            reasons.append(f"brand/{name} is not a PNG")
        elif size != expected:
            reasons.append(
                f"brand/{name} is {size[0]}x{size[1]}, expected {expected[0]}x{expected[1]}"
            )
    integ.note("brands", ", ".join(sorted(p.name for p in brand.glob("*.png"))))
    return reasons


@check("integration-owner")
def check_integration_owner(integ: Integration) -> list[str]:
    """manifest.json lists at least one code owner."""
    owners = integ.manifest.get("codeowners")
    if not isinstance(owners, list) or not owners:
        return ["manifest.json has no codeowners"]
    return [
        f"manifest.json codeowner {owner!r} is not a @handle"
        for owner in owners
        if not (isinstance(owner, str) and owner.startswith("@") and len(owner) > 1)
    ]


def run_mypy(path: Path) -> tuple[int, str]:
    """Run ``mypy --strict`` over a directory; return (exit code, output)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent.parent,
        timeout=900,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


@check("strict-typing")
def check_strict_typing(integ: Integration) -> list[str]:
    """The client ships py.typed and mypy --strict passes."""
    reasons: list[str] = []
    if not (integ.path / "api" / "py.typed").is_file():
        reasons.append("api/py.typed not found")
    if integ.options.skip_mypy:
        integ.note("strict-typing", "mypy skipped (--skip-mypy)")
        return reasons
    code, output = run_mypy(integ.path)
    lines = [line for line in output.splitlines() if line.strip()]
    if code != 0:
        errors = [line for line in lines if ": error:" in line]
        reasons.extend(errors[:MAX_MYPY_ERRORS])
        if len(errors) > MAX_MYPY_ERRORS:
            reasons.append(f"... {len(errors) - MAX_MYPY_ERRORS} more mypy errors")
        reasons.append(f"mypy --strict exited {code}: {lines[-1] if lines else 'no output'}")
    elif lines:
        integ.note("strict-typing", lines[-1])
    return reasons


def _imported_modules(mod: Module) -> set[str]:
    """Return the top-level names of the absolute imports of a module."""
    names: set[str] = set()
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@check("async-dependency")
def check_async_dependency(integ: Integration) -> list[str]:
    """The client in api/ uses aiohttp; nothing imports requests."""
    reasons: list[str] = []
    api = integ.api_modules()
    if not api:
        reasons.append(NO_API)
    elif not any("aiohttp" in _imported_modules(mod) for mod in api):
        reasons.append("the client in api/ does not import aiohttp")
    reasons.extend(
        f"{mod.rel} imports requests (blocking)"
        for mod in integ.modules.values()
        if "requests" in _imported_modules(mod)
    )
    return reasons


def _takes_session(cls: ast.ClassDef) -> bool:
    """Return True when a class's ``__init__`` has a ``session`` parameter."""
    init = class_method(cls, "__init__")
    if init is None:
        return False
    params = [*init.args.posonlyargs, *init.args.args, *init.args.kwonlyargs]
    return any(p.arg == "session" for p in params)


@check("inject-websession")
def check_inject_websession(integ: Integration) -> list[str]:
    """The client takes a session; the integration passes Home Assistant's."""
    reasons: list[str] = []
    api = integ.api_modules()
    takes_session = False
    for mod in api:
        for cls in (n for n in ast.walk(mod.tree) if isinstance(n, ast.ClassDef)):
            if _takes_session(cls):
                takes_session = True
                integ.note("inject-websession", f"{integ.where(mod, cls)}: {cls.name}(session)")
    if not api:
        reasons.append(NO_API)
    elif not takes_session:
        reasons.append("no client class in api/ takes a `session` argument in __init__")
    if not any(
        call_name(call) in SESSION_HELPERS
        for mod, call in integ.calls()
        if mod.name.split(".")[0] != "api"
    ):
        reasons.append("the integration never calls async_get_clientsession")
    return reasons
