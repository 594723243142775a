"""Checks of the config entry life cycle: setup, runtime data, unloading, actions."""

import ast
from collections.abc import Iterator
from typing import Final

from quality_scale.astutil import (
    FunctionNode,
    assign_targets,
    assigns,
    call_name,
    keyword,
    raises,
    ref_name,
)
from quality_scale.integration import Integration
from quality_scale.registry import check
from quality_scale.source import Located

NO_SETUP_ENTRY: Final = "__init__.py has no async_setup_entry"
SETUP_EXCEPTIONS: Final = frozenset(
    {"ConfigEntryNotReady", "ConfigEntryAuthFailed", "ConfigEntryError"}
)
SERVICE_REGISTRATION: Final = frozenset(
    {
        "async_register_admin_service",
        "async_register_entity_service",
        "async_register_platform_entity_service",
    }
)


def _entry_param(func: FunctionNode) -> ast.arg | None:
    """Return the config entry parameter (the second positional one)."""
    args = [*func.args.posonlyargs, *func.args.args]
    return args[1] if len(args) >= 2 else None


def _typed_entry_reasons(integ: Integration, aliases: set[str]) -> Iterator[str]:
    """Yield each function receiving a config entry that does not use the typed alias."""
    functions: list[Located[FunctionNode]] = [
        found
        for mod in [m for m in (integ.module(""), *integ.platform_modules()) if m is not None]
        if (found := integ.entry_point("async_setup_entry", mod.name)) is not None
    ]
    functions += integ.diagnostics_functions()
    for mod, func in functions:
        param = _entry_param(func)
        if param is None or param.annotation is None:
            yield f"{integ.where(mod, func)}: {func.name} has no typed entry argument"
        elif integ.imported_name(mod, param.annotation) not in aliases:
            yield (
                f"{integ.where(mod, func)}: {func.name} annotates the entry as "
                f"{ast.unparse(param.annotation)}, not {' or '.join(sorted(aliases))}"
            )


@check("runtime-data")
def check_runtime_data(integ: Integration) -> list[str]:
    """async_setup_entry stores entry.runtime_data, typed by a ConfigEntry alias."""
    reasons: list[str] = []
    setup = integ.entry_point("async_setup_entry")
    if setup is None:
        reasons.append(NO_SETUP_ENTRY)
    elif not any(
        isinstance(target, ast.Attribute) and target.attr == "runtime_data"
        for _mod, node in integ.reachable(*setup)
        for target in assign_targets(node)
    ):
        reasons.append("async_setup_entry in __init__.py does not assign entry.runtime_data")
    aliases = integ.config_entry_aliases()
    if not aliases:
        reasons.append("no `type <Name>ConfigEntry = ConfigEntry[...]` alias in the integration")
    else:
        integ.note("runtime-data", f"config entry alias: {', '.join(sorted(aliases))}")
    if aliases and integ.statuses.get("strict-typing") == "done":
        # Like core: with strict typing the typed alias must be used where entries come in.
        reasons += _typed_entry_reasons(integ, aliases)
    return reasons


@check("test-before-setup")
def check_test_before_setup(integ: Integration) -> list[str]:
    """Setup fails early: raises a setup exception or runs the first refresh."""
    setup = integ.entry_point("async_setup_entry")
    if setup is None:
        return [NO_SETUP_ENTRY]
    for mod, node in integ.reachable(*setup):
        if raises(node, SETUP_EXCEPTIONS) or (
            isinstance(node, ast.Call) and call_name(node) == "async_config_entry_first_refresh"
        ):
            integ.note("test-before-setup", integ.where(mod, node))
            return []
    coordinators = {mod.name for mod, _cls in integ.subclasses("DataUpdateCoordinator")}
    for mod in integ.modules.values():
        if mod.stem.startswith("coordinator") or mod.name in coordinators:
            for node in ast.walk(mod.tree):
                if raises(node, SETUP_EXCEPTIONS):
                    integ.note("test-before-setup", integ.where(mod, node))
                    return []
    return [
        (
            "async_setup_entry neither calls async_config_entry_first_refresh nor raises "
            "ConfigEntryNotReady/ConfigEntryAuthFailed/ConfigEntryError "
            "(nor does the coordinator)"
        )
    ]


def _is_service_registration(call: ast.Call) -> bool:
    """Return True for a call that registers a service action."""
    name = call_name(call)
    if name in SERVICE_REGISTRATION:
        return True
    # Plain async_register is only a service when called on `<x>.services`.
    return (
        name == "async_register"
        and isinstance(call.func, ast.Attribute)
        and ref_name(call.func.value) == "services"
    )


@check("action-setup")
def check_action_setup(integ: Integration) -> list[str]:
    """No service action is registered from (anything called by) async_setup_entry."""
    reasons: list[str] = []
    for mod, setup in integ.setup_entry_functions():
        for found_mod, node in integ.reachable(mod, setup):
            if isinstance(node, ast.Call) and _is_service_registration(node):
                via = "" if found_mod is mod else f" (reached from {integ.where(mod, setup)})"
                reasons.append(
                    f"{integ.where(found_mod, node)}: {call_name(node)} in async_setup_entry"
                    f"{via}; register actions in async_setup"
                )
    return reasons


@check("config-entry-unloading")
def check_unloading(integ: Integration) -> list[str]:
    """__init__.py defines (or imports) async_unload_entry."""
    if integ.entry_point("async_unload_entry") is None:
        return ["__init__.py does not define async_unload_entry"]
    return []


@check("stale-devices")
def check_stale_devices(integ: Integration) -> list[str]:
    """Devices can be removed (automatically or manually)."""
    if integ.entry_point("async_remove_config_entry_device") is not None:
        return []
    for _mod, call in integ.calls():
        name = call_name(call)
        if name == "async_remove_device" or (
            name == "async_update_device" and keyword(call, "remove_config_entry_id")
        ):
            return []
    return ["neither async_remove_config_entry_device nor any device removal"]


@check("common-modules")
def check_common_modules(integ: Integration) -> list[str]:
    """The coordinator lives in coordinator.py, the base entity in entity.py."""
    return [
        f"{name}.py not found" for name in ("coordinator", "entity") if integ.module(name) is None
    ]


def _sets_parallel_updates(node: ast.stmt) -> bool:
    """Return True for a module-level PARALLEL_UPDATES assignment or import."""
    if isinstance(node, ast.ImportFrom):
        return any((alias.asname or alias.name) == "PARALLEL_UPDATES" for alias in node.names)
    return assigns(node, "PARALLEL_UPDATES")


@check("parallel-updates")
def check_parallel_updates(integ: Integration) -> list[str]:
    """Every platform module sets a module-level PARALLEL_UPDATES."""
    platforms = integ.platform_modules()
    if not platforms:
        return ["no platform modules found (mark the rule exempt if there are no entities)"]
    integ.note("parallel-updates", f"platforms: {', '.join(m.name for m in platforms)}")
    return [
        f"{mod.rel} does not set PARALLEL_UPDATES"
        for mod in platforms
        if not any(_sets_parallel_updates(node) for node in mod.tree.body)
    ]
