"""Cheap walks over the statements of a tree.

Statements are a small fraction of an `ast` tree's nodes; the questions asked of the whole file
before (and besides) the flow analysis (which imports are there, which defs, which names a scope
binds) are about statements, so they need not visit every expression. `ast.walk` over a large
TensorFlow file costs several times its parse (issue 6 profile).
"""
from __future__ import annotations

import ast
from collections import deque
from typing import Iterator

# Node types that hold lists of statements (directly or through handlers and cases).
_BLOCK_HOLDERS = (ast.stmt, ast.excepthandler, ast.match_case, ast.Module)


# Fields that hold a statement's blocks.
BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
_FIELDS_OF: dict[type, tuple[str, ...]] = {}


def _blocks(node: ast.AST) -> list[ast.AST]:
    # `_fields` order is `iter_child_nodes` order, so the walks below visit in `ast.walk` order.
    fields = _FIELDS_OF.get(type(node))
    if fields is None:
        fields = _FIELDS_OF[type(node)] = tuple(f for f in node._fields if f in BLOCK_FIELDS)
    if not fields:
        return []
    found: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list and value and isinstance(value[0], _BLOCK_HOLDERS):
            found.extend(value)
    return found


def statements_breadth_first(tree: ast.AST) -> Iterator[ast.AST]:
    """The module, its statements, except handlers and match cases, in the order `ast.walk` visits them."""
    todo = deque([tree])
    while todo:
        node = todo.popleft()
        todo.extend(_blocks(node))
        yield node


def block_children(node: ast.AST) -> list[ast.AST]:
    """The statements, handlers and match cases directly inside a statement."""
    return _blocks(node)


def own_statements(node: ast.AST) -> list[ast.AST]:
    """The statements (and handlers, match cases) inside `node` at any depth, the defs and classes
    among them listed but not entered: a function's or a module's own statements."""
    found = []
    stack = list(_blocks(node))
    while stack:
        stmt = stack.pop()
        found.append(stmt)
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(_blocks(stmt))
    return found


def own_returns(func: ast.AST) -> list[ast.Return]:
    """The return statements of a function, not those of the functions and classes defined in it
    (a return is a statement: the walk need not enter expressions)."""
    return [stmt for stmt in own_statements(func) if isinstance(stmt, ast.Return)]


# Fields that never hold a node worth walking: names and numbers, and `ctx`/`op`, whose `Load`,
# `Store`, `Add`, ... are shared singletons that no question is ever asked about.
_NOT_CHILD_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "asname", "module", "level", "kind", "type_comment", "conversion",
     "is_async", "simple", "tag", "name", "rest", "kwd_attrs"}
)


def _child_fields() -> dict[type, tuple[str, ...]]:
    table: dict[type, tuple[str, ...]] = {}
    todo = [ast.AST]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        fields = tuple(f for f in getattr(cls, "_fields", ()) if f not in _NOT_CHILD_FIELDS)
        table[cls] = () if cls in (ast.Constant, ast.MatchSingleton) else fields
    return table


# Per node type, the fields that can hold child nodes (empty for leaves such as `Name`).
CHILD_FIELDS: dict[type, tuple[str, ...]] = _child_fields()


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """`ast.iter_child_nodes` without the context and operator singletons, as a list (issue 6:
    the generator was a few percent of the flow analysis)."""
    found: list[ast.AST] = []
    for name in CHILD_FIELDS.get(type(node), node._fields):
        value = getattr(node, name, None)
        if type(value) is list:
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            found.append(value)
    return found
