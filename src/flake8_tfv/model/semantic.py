"""The semantic model of one file, built once and shared by every rule.

It answers the questions rules ask: what a qualified name is, what a name or `self.w` may
hold at a given use, where it was bound, whether a statement runs in a loop, and whether a
function is traced.
"""
from __future__ import annotations

import ast
from collections import deque
from typing import Iterable

from . import api
from .flow import build_scope, dotted_path
from .imports import ImportMap
from .scopes import FUNCTION_NODES, LOOP_NODES, Binding, Scope
from .traced import TraceReason, find_traced
from .values import UNKNOWN, Kind, ValueSet
from ..text import SourceText

_EMPTY: frozenset = frozenset()
# Methods that set a layer's state up: creating variables there is what Keras and tf.Module ask for.
INIT_METHODS = frozenset({"__init__", "build", "_build", "setup", "_initialize", "initialize"})


class SemanticModel:
    def __init__(
        self,
        tree: ast.Module,
        source: SourceText,
        imports: ImportMap | None = None,
        extra_factories: Iterable[str] = (),
    ):
        self.tree = tree
        self.source = source
        self.imports = imports or ImportMap.from_tree(tree)
        self.variable_factories = api.VARIABLE_FACTORIES | frozenset(extra_factories)

        self.bindings: dict[int, Binding] = {}  # id(target node) -> binding
        self.uses: dict[int, frozenset] = {}  # id(use node) -> reaching bindings
        self.previous: dict[int, frozenset] = {}  # id(store target) -> bindings it replaces
        self.use_nodes: dict[int, ast.AST] = {}
        self.values: dict[int, ValueSet] = {}  # id(expression) -> what it may evaluate to
        self.statements: list[ast.stmt] = []  # every statement, in the order first walked
        self.statement_scope: dict[int, Scope] = {}
        self.statement_loop: dict[int, ast.AST | None] = {}
        self.implicit_bindings: dict[tuple, Binding] = {}  # weights of built-in layers
        self.item_assignments: list[tuple[ast.Subscript, ast.stmt]] = []
        # Every call the flow evaluated, with the scope it runs in: find_traced reads these
        # instead of walking the whole tree again (issue 6: that walk cost more than the parse).
        self.calls: dict[int, tuple[ast.Call, Scope]] = {}
        # Without `:=` in the text only statements bind names, which makes scopes cheaper to read.
        self.may_have_walrus = ":=" in source.text
        self.scopes: list[Scope] = []
        self.scope_of_node: dict[int, Scope] = {}
        self.class_attrs: dict[int, dict[str, list[Binding]]] = {}
        self._current_statement: ast.AST | None = None
        self._queue: deque[Scope] = deque()
        self._pending_methods: dict[int, list[Scope]] = {}
        self._scheduled: set[int] = set()
        self._parents: dict[int, ast.AST] | None = None
        self._uses_of: dict[int, list[ast.AST]] | None = None

        self.module_scope = Scope("module", tree, None)
        self._build()
        self.traced: dict[int, TraceReason] = find_traced(self)

    # ---- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._queue.append(self.module_scope)
        while self._queue:
            scope = self._queue.popleft()
            self.scopes.append(scope)
            self.scope_of_node[id(scope.node)] = scope
            build_scope(self, scope)
            methods = self._pending_methods.pop(id(scope.node), [])
            # Set-up methods first, so the other methods see the attributes they create.
            methods.sort(key=lambda m: (m.node.name != "__init__", m.node.name not in INIT_METHODS))
            self._queue.extendleft(reversed(methods))

    def _schedule(self, node: ast.AST, parent: Scope) -> None:
        # A def in a loop is met on every pass of the loop; its body is analysed once.
        if id(node) in self._scheduled:
            return
        self._scheduled.add(id(node))
        kind = "class" if isinstance(node, ast.ClassDef) else "function"
        scope = Scope(kind, node, parent)
        if kind == "function" and parent.kind == "class" and node.args.args + node.args.posonlyargs:
            decorators = {dotted_path(d) for d in node.decorator_list}
            if not decorators & {"staticmethod", "classmethod"}:
                scope.self_name = (node.args.posonlyargs + node.args.args)[0].arg
                scope.class_scope = parent
        if scope.class_scope is not None:
            self._pending_methods.setdefault(id(parent.node), []).append(scope)
        else:
            self._queue.append(scope)

    def _note_statement(self, stmt: ast.stmt, scope: Scope, loop: ast.AST | None) -> None:
        self._current_statement = stmt
        if id(stmt) not in self.statement_scope:
            self.statements.append(stmt)
            self.statement_scope[id(stmt)] = scope
            self.statement_loop[id(stmt)] = loop

    def _record_use(self, node: ast.AST, reaching: frozenset, flow) -> None:
        previous = self.uses.get(id(node))
        if previous is None:
            self.uses[id(node)] = reaching
            self.use_nodes[id(node)] = node
            flow.version += 1
        elif not reaching <= previous:
            self.uses[id(node)] = previous | reaching
            flow.version += 1

    def _record_previous(self, target: ast.AST, reaching: frozenset, flow) -> None:
        previous = self.previous.get(id(target))
        if previous is None or not reaching <= previous:
            self.previous[id(target)] = reaching if previous is None else previous | reaching
            flow.version += 1

    def _record_value(self, node: ast.AST, values: ValueSet, flow) -> None:
        previous = self.values.get(id(node))
        if previous is None:
            self.values[id(node)] = values
        elif not values <= previous:
            self.values[id(node)] = previous | values
            flow.version += 1

    def _outer_bindings(self, scope: Scope, name: str, declared: bool = False) -> frozenset:
        """Bindings a scope reads for a name it does not bind itself: all of them, in any order,
        since a function may run before or after any statement of the scope that defines it."""
        if not declared and name in scope.local_names:
            return _EMPTY
        owner = scope.resolve_scope(name) if not declared else (
            scope.module() if name in scope.global_names else scope.resolve_scope(name)
        )
        if owner is None or owner is scope:
            if declared and owner is None and scope.parent is not None:
                owner = scope.parent.resolve_scope(name)
            if owner is None or owner is scope:
                return _EMPTY
        return frozenset(owner.bindings.get(name, ()))

    def _note_attribute_binding(self, scope: Scope, binding: Binding) -> None:
        if scope.self_name is None or scope.class_scope is None:
            return
        prefix = scope.self_name + "."
        if binding.key.startswith(prefix) and "." not in binding.key[len(prefix) :]:
            attrs = self.class_attrs.setdefault(id(scope.class_scope.node), {})
            bucket = attrs.setdefault(binding.key[len(prefix) :], [])
            if binding not in bucket:
                bucket.append(binding)

    def _class_attributes(self, class_scope: Scope, exclude: ast.AST | None = None) -> dict[str, list[Binding]]:
        """`self.<attr>` bindings made by the class's other methods and by its bases in this file."""
        result: dict[str, list[Binding]] = {}
        for cls in self.class_lineage(class_scope.node):
            for attr, bindings in self.class_attrs.get(id(cls), {}).items():
                kept = [b for b in bindings if b.scope.node is not exclude]
                if kept:
                    result.setdefault(attr, []).extend(kept)
        return result

    # ---- queries ----------------------------------------------------------------------------

    def qualified_name(self, node: ast.AST) -> str | None:
        return self.imports.qualified_name(node)

    def values_of(self, node: ast.AST) -> ValueSet:
        return self.values.get(id(node), frozenset({UNKNOWN}))

    def reaching(self, node: ast.AST) -> frozenset:
        """The bindings that may reach a use of a name or attribute path."""
        return self.uses.get(id(node), _EMPTY)

    def replaced(self, target: ast.AST) -> frozenset:
        """The bindings a store to `target` may overwrite (what the name held just before)."""
        return self.previous.get(id(target), _EMPTY)

    def binding_of(self, target: ast.AST) -> Binding | None:
        return self.bindings.get(id(target))

    def uses_of(self, binding: Binding) -> list[ast.AST]:
        """Every load that the binding may reach, in source order."""
        if self._uses_of is None:
            index: dict[int, list[ast.AST]] = {}
            for key, reaching in self.uses.items():
                node = self.use_nodes[key]
                for b in reaching:
                    index.setdefault(id(b), []).append(node)
            for nodes in index.values():
                nodes.sort(key=lambda n: (n.lineno, n.col_offset))
            self._uses_of = index
        return self._uses_of.get(id(binding), [])

    def scope_of(self, stmt: ast.AST) -> Scope:
        return self.statement_scope.get(id(stmt), self.module_scope)

    def loop_of(self, stmt: ast.AST) -> ast.AST | None:
        """The innermost loop around a statement within its own function."""
        return self.statement_loop.get(id(stmt))

    def parent(self, node: ast.AST) -> ast.AST | None:
        if self._parents is None:
            parents: dict[int, ast.AST] = {}
            for parent in ast.walk(self.tree):
                for child in ast.iter_child_nodes(parent):
                    parents[id(child)] = parent
            self._parents = parents
        return self._parents.get(id(node))

    def ancestors(self, node: ast.AST) -> Iterable[ast.AST]:
        current = self.parent(node)
        while current is not None:
            yield current
            current = self.parent(current)

    def enclosing_function(self, node: ast.AST) -> ast.AST | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, FUNCTION_NODES):
                return ancestor
        return None

    def enclosing_loops(self, node: ast.AST) -> list[ast.AST]:
        """Loops around a node, innermost first, up to the function that contains it."""
        loops = []
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, FUNCTION_NODES + (ast.ClassDef,)):
                break
            if isinstance(ancestor, LOOP_NODES):
                loops.append(ancestor)
        return loops

    def statement_of(self, node: ast.AST) -> ast.stmt | None:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parent(current)
        return current

    def trace_reason(self, node: ast.AST) -> TraceReason | None:
        """Why the code at `node` is traced, or None when it runs eagerly as far as we know."""
        func = node if isinstance(node, FUNCTION_NODES) else self.enclosing_function(node)
        while func is not None:
            reason = self.traced.get(id(func))
            if reason is not None:
                return reason
            func = self.enclosing_function(func)
        return None

    def class_lineage(self, class_node: ast.ClassDef) -> list[ast.ClassDef]:
        """The class and its base classes defined in this file, nearest first."""
        lineage, seen, todo = [], set(), [class_node]
        while todo:
            cls = todo.pop(0)
            if id(cls) in seen:
                continue
            seen.add(id(cls))
            lineage.append(cls)
            for base in cls.bases:
                for value in self.values_of(base):
                    if value.kind is Kind.CLASS and isinstance(value.origin, ast.ClassDef):
                        todo.append(value.origin)
        return lineage

    def class_bases(self, class_node: ast.ClassDef) -> set[str]:
        """Qualified names of the imported classes this class derives from (through local bases)."""
        names = set()
        for cls in self.class_lineage(class_node):
            for base in cls.bases:
                qualname = self.qualified_name(base)
                if qualname:
                    names.add(qualname)
        return names

    def is_keras_class(self, class_node: ast.ClassDef) -> bool:
        return bool(self.class_bases(class_node) & api.KERAS_BASES)

    def is_stateful_class(self, class_node: ast.ClassDef) -> bool:
        """Keras layers and models, `tf.Module`, `snt.Module`: classes whose attributes are tracked state."""
        return bool(self.class_bases(class_node) & (api.KERAS_BASES | api.MODULE_BASES))
