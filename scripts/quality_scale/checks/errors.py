"""Checks of translated errors: raised exceptions and repair issues."""

import ast
from typing import Final

from quality_scale.astutil import (
    assign_targets,
    base_name,
    call_name,
    class_method,
    has_star_kwargs,
    keyword,
    keyword_str,
    name_of,
    ref_name,
)
from quality_scale.integration import Integration
from quality_scale.registry import check

from .lifecycle import SETUP_EXCEPTIONS

TRANSLATABLE_EXCEPTIONS: Final = frozenset(
    {"HomeAssistantError", "ServiceValidationError", "UpdateFailed"} | SETUP_EXCEPTIONS
)
TRANSLATION_ARGS: Final = ("translation_domain", "translation_key")


def _translatable_exceptions(integ: Integration) -> dict[str, set[str] | None]:
    """Map exception names to the translation attributes their class already sets.

    Integration subclasses of the Home Assistant exceptions are included; None means
    the class has its own ``__init__`` and cannot be judged.
    """
    result: dict[str, set[str] | None] = {name: set() for name in TRANSLATABLE_EXCEPTIONS}
    classes = [node for _mod, node in integ.walk() if isinstance(node, ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name in result:
                continue
            bases = [name for b in cls.bases if (name := base_name(b)) in result]
            if not bases:
                continue
            inherited = [result[b] for b in bases]
            if class_method(cls, "__init__") or any(attrs is None for attrs in inherited):
                result[cls.name] = None
            else:
                attrs = {
                    name
                    for item in cls.body
                    for target in assign_targets(item)
                    if (name := name_of(target)) in TRANSLATION_ARGS
                }
                for parent in inherited:
                    attrs |= parent or set()
                result[cls.name] = attrs
            changed = True
    return result


@check("exception-translations")
def check_exception_translations(integ: Integration) -> list[str]:
    """Raised Home Assistant exceptions carry a translation domain and key."""
    reasons: list[str] = []
    known = _translatable_exceptions(integ)
    for mod, node in integ.walk():
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        call = node.exc if isinstance(node.exc, ast.Call) else None
        name = ref_name(call.func if call else node.exc)
        if name not in known or (preset := known[name]) is None:
            continue
        if call is not None and has_star_kwargs(call):
            continue
        missing = [
            arg
            for arg in TRANSLATION_ARGS
            if arg not in preset and (call is None or keyword(call, arg) is None)
        ]
        if missing:
            reasons.append(f"{integ.where(mod, node)}: raise {name} without {', '.join(missing)}")
            continue
        key = keyword_str(call, "translation_key")
        if key is not None and integ.lacks_string("exceptions", key, "message"):
            reasons.append(f"{integ.where(mod, node)}: exceptions.{key}.message not in strings")
    return reasons


@check("repair-issues")
def check_repair_issues(integ: Integration) -> list[str]:
    """repairs.py exists or issues are created; issue keys are translated."""
    reasons: list[str] = []
    creates = [(mod, c) for mod, c in integ.calls() if call_name(c) == "async_create_issue"]
    if integ.module("repairs") is None and not creates:
        return ["neither repairs.py nor any async_create_issue call"]
    for mod, call in creates:
        key = keyword_str(call, "translation_key")
        if key is not None and integ.lacks_string("issues", key):
            reasons.append(f"{integ.where(mod, call)}: issues.{key} missing from strings")
    return reasons
