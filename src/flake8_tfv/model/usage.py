"""How a value is used at one load: read in place, used as a variable, or handed on (escapes)."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from . import api
from .values import Kind

if TYPE_CHECKING:
    from .semantic import SemanticModel

# Builtins that read their argument and keep no reference to it.
_READING_BUILTINS = frozenset(
    {"print", "len", "str", "repr", "float", "int", "bool", "format", "isinstance", "type", "id", "hash", "abs", "round"}
)
# Tape methods that differentiate what they are given.
DIFFERENTIATING_METHODS = frozenset({"gradient", "jacobian", "batch_jacobian"})
# Calls that take variables to differentiate or update them.
_VARIABLE_CONSUMERS = DIFFERENTIATING_METHODS | frozenset({"apply_gradients", "minimize", "watch"})
_VARIABLE_ONLY_ATTRIBUTES = api.UPDATE_METHODS | frozenset({"trainable", "read_value", "handle", "initializer"})


def _call_keeps_no_reference(model: "SemanticModel", call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name) and func.id in _READING_BUILTINS:
        return True
    qualname = model.qualified_name(func)
    if qualname is None:
        return False
    if qualname.rsplit(".", 1)[-1] in ("get_value", "eval", "print", "batch_get_value"):
        return True
    return api.classify_call(qualname) in (Kind.TENSOR, Kind.TENSOR_LIST, Kind.NUMPY)


def escapes(model: "SemanticModel", node: ast.AST) -> bool:
    """The value loaded at `node` may be stored somewhere else: put in a container, passed to a
    function that may keep it, returned, or bound to another name."""
    parent = model.parent(node)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return False
    if isinstance(parent, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.FormattedValue, ast.Subscript, ast.If, ast.While)):
        return False
    if isinstance(parent, ast.Expr):
        return False
    if isinstance(parent, ast.keyword):
        parent = model.parent(parent)
    if isinstance(parent, ast.Call):
        if parent.func is node:
            return False
        return not _call_keeps_no_reference(model, parent)
    return True


def used_as_variable(model: "SemanticModel", node: ast.AST) -> bool:
    """The load only makes sense for a variable: `.assign*`, `.trainable`, or handed to
    `tape.gradient` / `apply_gradients` / `minimize` / `tape.watch`."""
    parent = model.parent(node)
    if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in _VARIABLE_ONLY_ATTRIBUTES:
        return True
    child = node
    for ancestor in model.ancestors(node):
        if isinstance(ancestor, ast.stmt):
            return False
        if isinstance(ancestor, ast.Call) and isinstance(ancestor.func, ast.Attribute):
            if ancestor.func.attr in _VARIABLE_CONSUMERS and ancestor.func is not child:
                # The first argument of gradient/jacobian/minimize is the loss, which only reads.
                first = ancestor.args[0] if ancestor.args else None
                if not (child is first and ancestor.func.attr != "apply_gradients"):
                    return True
        child = ancestor
    return False


def in_assertion(model: "SemanticModel", node: ast.AST) -> bool:
    """The load is checked by an assertion (`assert ...`, `self.assertEqual(...)`,
    `np.testing.assert_allclose(...)`): code that examines a value as an object of its own."""
    for ancestor in model.ancestors(node):
        if isinstance(ancestor, ast.Assert):
            return True
        if isinstance(ancestor, ast.Call):
            func = ancestor.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name.startswith("assert"):
                return True
        if isinstance(ancestor, ast.stmt):
            return False
    return False
