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


def _blocks(node: ast.AST) -> Iterator[ast.AST]:
    # `_fields` order is `iter_child_nodes` order, so the walks below visit in `ast.walk` order.
    for name in node._fields:
        value = getattr(node, name, None)
        if type(value) is list and value and isinstance(value[0], _BLOCK_HOLDERS):
            yield from value


def statements_breadth_first(tree: ast.AST) -> Iterator[ast.AST]:
    """The module, its statements, except handlers and match cases, in the order `ast.walk` visits them."""
    todo = deque([tree])
    while todo:
        node = todo.popleft()
        todo.extend(_blocks(node))
        yield node


def block_children(node: ast.AST) -> Iterator[ast.AST]:
    """The statements, handlers and match cases directly inside a statement."""
    return _blocks(node)
