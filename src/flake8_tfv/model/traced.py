"""Which functions TensorFlow traces into a graph, and why (the chain is named in messages)."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import api
from .scopes import FUNCTION_NODES
from .values import Kind

if TYPE_CHECKING:
    from .semantic import SemanticModel


@dataclass(frozen=True)
class TraceReason:
    how: str  # "tf.function", "keras", "dataset", "called"
    description: str  # e.g. "decorated with @tf.function", "called from traced `step` (line 12)"
    root: ast.AST  # the function whose tracing starts the chain


def _function_defs(model: "SemanticModel", expr: ast.AST) -> list[ast.AST]:
    if isinstance(expr, ast.Lambda):
        return [expr]
    return [
        v.origin
        for v in model.values_of(expr)
        if v.kind is Kind.FUNCTION and isinstance(v.origin, FUNCTION_NODES)
    ]


def _is_tf_function(model: "SemanticModel", expr: ast.AST) -> bool:
    if isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Attribute) and expr.attr != "function":
        return False  # every name in TF_FUNCTION ends in `.function`: no need to resolve this one
    return model.qualified_name(expr) in api.TF_FUNCTION


def find_traced(model: "SemanticModel") -> dict[int, TraceReason]:
    traced: dict[int, TraceReason] = {}
    marked: list[ast.AST] = []

    def mark(func: ast.AST, how: str, description: str, root: ast.AST | None = None) -> None:
        if id(func) not in traced:
            traced[id(func)] = TraceReason(how, description, root or func)
            marked.append(func)

    # Every def and class the flow reached is a scope, listed parents first (a class before its
    # methods): no need to walk the file again for them.
    for scope in model.scopes:
        node = scope.node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(_is_tf_function(model, d) for d in node.decorator_list):
                mark(node, "tf.function", "decorated with @tf.function")
        elif isinstance(node, ast.ClassDef) and model.is_keras_class(node):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in api.TRACED_METHODS:
                    mark(item, "keras", f"Keras traces `{node.name}.{item.name}` in fit/predict")
    calls = sorted((call for call, _ in model.calls.values()), key=_position)
    for node in calls:
        func = node.func
        # tf.function(f) and tf.function(jit_compile=True)(f)
        if (_is_tf_function(model, func) and not isinstance(func, ast.Call)) or (
            isinstance(func, ast.Call) and _is_tf_function(model, func.func)
        ):
            if node.args:
                for target in _function_defs(model, node.args[0]):
                    mark(target, "tf.function", f"wrapped by tf.function on line {node.lineno}")
        elif isinstance(func, ast.Attribute) and func.attr in api.DATASET_TRACED_METHODS:
            if any(v.kind is Kind.DATASET for v in model.values_of(func.value)):
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    for target in _function_defs(model, arg):
                        mark(target, "dataset", f"passed to Dataset.{func.attr} on line {node.lineno}")

    # Functions of this file called from traced code are traced too.
    calls_in = _calls_by_scope(model)
    nested: dict[int, list[ast.AST]] = {}
    for scope in model.scopes:
        if scope.parent is not None:
            nested.setdefault(id(scope.parent.node), []).append(scope.node)
    todo = list(marked)
    while todo:
        caller = todo.pop()
        reason = traced[id(caller)]
        for node in _calls_within(caller, calls_in, nested):
            for target in _function_defs(model, node.func):
                if id(target) not in traced and target is not caller:
                    name = getattr(caller, "name", "<lambda>")
                    mark(target, "called", f"called from traced `{name}` on line {node.lineno}", reason.root)
                    todo.append(target)
    return traced


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _calls_by_scope(model: "SemanticModel") -> dict[int, list[ast.Call]]:
    found: dict[int, list[ast.Call]] = {}
    for call, scope in model.calls.values():
        found.setdefault(id(scope.node), []).append(call)
    return found


def _calls_within(func: ast.AST, calls_in: dict[int, list[ast.Call]], nested: dict[int, list[ast.AST]]) -> list[ast.Call]:
    """The calls in a function's body and in the functions nested in it, in source order."""
    if isinstance(func, ast.Lambda):  # evaluated inline by its enclosing scope: small, walk it
        return sorted((n for n in ast.walk(func.body) if isinstance(n, ast.Call)), key=_position)
    found: list[ast.Call] = []
    todo = [func]
    while todo:
        node = todo.pop()
        found.extend(calls_in.get(id(node), ()))
        todo.extend(nested.get(id(node), ()))
    return sorted(found, key=_position)

