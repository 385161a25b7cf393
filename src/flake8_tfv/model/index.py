"""One walk of a file's tree: the parent of every node, and the nodes of the kinds the model,
the call graph and the rules look for. Built before the model, so that what a file contains can
be asked (needs.py) before anything is analysed."""
from __future__ import annotations

import ast
from collections import deque

from .walk import CHILD_FIELDS

INDEXED = (
    ast.Call, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Global, ast.Nonlocal,
    ast.Name, ast.With, ast.Expr, ast.Attribute, ast.Subscript, ast.ImportFrom, ast.alias,
)


class SyntaxIndex:
    __slots__ = ("nodes", "parents", "worth_resolving", "names")

    def __init__(self, tree: ast.AST):
        """One breadth-first walk (ast.walk's order) for the parent map and the node lists."""
        parents: dict[int, ast.AST] = {}
        nodes: dict[type, list] = {kind: [] for kind in INDEXED}
        # Async defs and lambdas are listed with the defs.
        buckets = dict(nodes)
        buckets[ast.AsyncFunctionDef] = buckets[ast.Lambda] = nodes[ast.FunctionDef]
        buckets[ast.AsyncWith] = nodes[ast.With]
        fields_of, AST, list_type = CHILD_FIELDS, ast.AST, list
        todo = deque([tree])
        popleft, append = todo.popleft, todo.append
        # A node is listed when it is queued, which is the order it is taken out in (ast.walk's);
        # leaves are listed without being queued.
        while todo:
            node = popleft()
            for name in fields_of[type(node)]:
                value = getattr(node, name, None)
                for child in value if type(value) is list_type else (value,):
                    if isinstance(child, AST):
                        parents[id(child)] = node
                        kind = type(child)
                        if kind in buckets:
                            buckets[kind].append(child)
                        if fields_of.get(kind, True):
                            append(child)
        self.nodes = nodes
        self.parents = parents
        # project.names_worth_resolving's answer, once read (the admission and the model both ask).
        self.worth_resolving: frozenset[str] | None = None
        self.names: set[str] | None = None  # needs._names's answer, once read

    def nodes_of(self, kind: type) -> list:
        """Every node of one of the INDEXED kinds (ast.FunctionDef: defs, async defs and lambdas;
        ast.With: with and async with), in ast.walk order."""
        return self.nodes[kind]
