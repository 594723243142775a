"""Small helpers over ``ast`` nodes, shared by the checks."""

import ast
from typing import Any, Final

type FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
FUNCTION_NODES: Final = (ast.FunctionDef, ast.AsyncFunctionDef)


def name_of(node: ast.expr) -> str | None:
    """Return ``x`` for the expressions ``x`` and ``a.b.x``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def call_name(call: ast.Call) -> str | None:
    """Return the called name: ``f`` for ``f()`` and ``x.f()``."""
    return name_of(call.func)


def ref_name(node: ast.expr) -> str | None:
    """Return the referenced name of a Name/Attribute expression or string annotation."""
    if (value := str_value(node)) is not None:
        return value.strip().rpartition(".")[2]
    return name_of(node)


def base_name(node: ast.expr) -> str | None:
    """Return the name of a class base: ``X`` for ``X``, ``m.X`` and ``X[T]``."""
    return ref_name(node.value if isinstance(node, ast.Subscript) else node)


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    """Return the keyword argument ``name`` of a call, if given."""
    return next((kw for kw in call.keywords if kw.arg == name), None)


def keyword_str(call: ast.Call | None, name: str) -> str | None:
    """Return the plain string given as keyword argument ``name``, if any."""
    found = keyword(call, name) if call is not None else None
    return str_value(found.value) if found is not None else None


def has_star_kwargs(call: ast.Call) -> bool:
    """Return True when a call passes ``**kwargs`` (its keywords are unknown)."""
    return any(kw.arg is None for kw in call.keywords)


def is_str_literal(node: ast.expr) -> bool:
    """Return True for a string constant or f-string."""
    return isinstance(node, ast.JoinedStr) or str_value(node) is not None


def str_value(node: ast.expr | None) -> str | None:
    """Return the value of a plain string constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_const(node: ast.expr | None, *, value: object) -> bool:
    """Return True when ``node`` is the constant ``value`` (``True``, ``None``...)."""
    return isinstance(node, ast.Constant) and node.value is value


def assign_targets(node: ast.AST) -> list[ast.expr]:
    """Return the targets of an assignment statement (empty for anything else)."""
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [node.target]
    return []


def assigned_value(node: ast.AST) -> ast.expr | None:
    """Return the value of an assignment statement."""
    if isinstance(node, ast.Assign | ast.AnnAssign):
        return node.value
    return None


def assigns(node: ast.AST, name: str) -> bool:
    """Return True when ``node`` assigns ``name`` (or ``self.name``)."""
    return any(name_of(target) == name for target in assign_targets(node))


def is_function(node: ast.AST, name: str) -> bool:
    """Return True when ``node`` defines the function or method ``name``."""
    return isinstance(node, FUNCTION_NODES) and node.name == name


def class_method(cls: ast.ClassDef, name: str) -> FunctionNode | None:
    """Return the method ``name`` defined in a class body."""
    for item in cls.body:
        if isinstance(item, FUNCTION_NODES) and item.name == name:
            return item
    return None


def raises(node: ast.AST, names: frozenset[str]) -> bool:
    """Return True for ``raise X`` or ``raise X(...)`` with X one of ``names``."""
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return ref_name(exc) in names


def nested(data: dict[str, Any] | None, *keys: str) -> Any:
    """Return ``data[k1][k2]...`` or None."""
    current: Any = data
    for key in keys:
        if not isinstance(current, dict) or key not in current:
            return None
        current = current[key]
    return current
