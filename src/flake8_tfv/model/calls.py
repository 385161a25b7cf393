"""Which functions of this file a call may run, and where each function is called from.

Traced-code detection follows these edges into callees ("traced via `step` -> `helper`"), and
the trace-timing questions of the TFV3xx rules follow them back to the callers. A `with`
statement is a call site too: it runs the `__enter__` and `__exit__` of its context manager
(measured in TF 2.21: once each per trace when the `with` is in a `tf.function`).
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .scopes import FUNCTION_NODES
from .values import Kind

if TYPE_CHECKING:
    from .semantic import SemanticModel


class CallGraph:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self._sites: dict[int, list[ast.AST]] | None = None
        # The model's one walk of the tree (with its parent map) gives everything this looks through.
        self.calls: list[ast.Call] = model.nodes_of(ast.Call)
        self.functions: list[ast.AST] = model.nodes_of(ast.FunctionDef)  # defs and lambdas
        self.classes: list[ast.ClassDef] = model.nodes_of(ast.ClassDef)
        self.assigns: list[ast.Assign] = model.nodes_of(ast.Assign)
        self.withs: list[ast.With] = model.nodes_of(ast.With)  # and async with
        self._bound_here: frozenset[str] | None = None
        self._derived: dict[int, list[ast.ClassDef]] | None = None

    # ---- call -> functions ------------------------------------------------------------------

    def targets(self, call: ast.Call) -> list[ast.AST]:
        """The functions and methods defined in this file that `call` may run."""
        found = self.function_values(call.func) or self._method_targets(call.func)
        func = call.func
        if isinstance(func, ast.Attribute) and self._derived_classes() and self._is_self(func.value):
            # `self.m()` in a class's method runs a subclass's override on the subclass's instances.
            for cls in self.instance_classes(func.value):
                for sub in self.subclasses(cls):
                    override = self._own_method(sub, func.attr)
                    if override is not None and override not in found:
                        found = [*found, override]
        return found

    def entered(self, stmt: ast.With | ast.AsyncWith) -> list[ast.AST]:
        """The `__enter__` and `__exit__` methods (`__aenter__`/`__aexit__` for `async with`) of
        this file's classes that a with statement runs: `with C(...):`, `with obj:`."""
        names = ("__aenter__", "__aexit__") if isinstance(stmt, ast.AsyncWith) else ("__enter__", "__exit__")
        found: list[ast.AST] = []
        for item in stmt.items:
            for cls in self.instance_classes(item.context_expr):
                for name in names:
                    method = self.method(cls, name)
                    if method is not None and method not in found:
                        found.append(method)
        return found

    def function_values(self, expr: ast.AST) -> list[ast.AST]:
        """Function definitions (or lambdas) that `expr` may evaluate to."""
        if isinstance(expr, ast.Lambda):
            return [expr]
        if not self._may_hold_own(expr):
            return []
        found = [
            v.origin
            for v in self.model.values_of(expr)
            if v.kind is Kind.FUNCTION and isinstance(v.origin, FUNCTION_NODES)
        ]
        if not found and isinstance(expr, ast.Attribute):
            # `self.helper` handed on as a value (`tf.function(self._step)`, `ds.map(self.parse)`).
            found = [m for cls in self.instance_classes(expr.value) for m in [self.method(cls, expr.attr)] if m]
        return found

    def _method_targets(self, func: ast.AST) -> list[ast.AST]:
        if isinstance(func, ast.Attribute):
            classes = self.instance_classes(func.value)
            return [m for cls in classes for m in [self.method(cls, func.attr)] if m is not None]
        # `obj(...)` runs `obj.__call__` (a Keras layer's `call` is a traced root of its own).
        return [m for cls in self.instance_classes(func) for m in [self.method(cls, "__call__")] if m is not None]

    def instance_classes(self, expr: ast.AST) -> list[ast.ClassDef]:
        """Classes of this file that `expr` may be an instance of: `self` in a method, a name
        bound to `C(...)`, or `super()` (then the bases, nearest first)."""
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "super":
            for ancestor in self.model.ancestors(expr):
                if isinstance(ancestor, ast.ClassDef):
                    return self.model.class_lineage(ancestor)[1:]
            return []
        if not self._may_hold_own(expr):
            return []
        classes: list[ast.ClassDef] = []
        for value in self.model.values_of(expr):
            if value.kind is Kind.INSTANCE and isinstance(value.origin, ast.ClassDef):
                classes.append(value.origin)
            elif value.kind is Kind.UNKNOWN and isinstance(value.origin, ast.Call):
                for made_by in self.model.values_of(value.origin.func):
                    if made_by.kind is Kind.CLASS and isinstance(made_by.origin, ast.ClassDef):
                        classes.append(made_by.origin)
        return classes

    def _may_hold_own(self, expr: ast.AST) -> bool:
        """Whether `expr` may be a function, class or instance defined in this file, asked of the
        syntax before the flow. A name (or an attribute of one) can be only if this file binds the
        name otherwise than by an import, is a method's first parameter, or stores attributes on
        it: an imported name holds another module's objects, whose facts keep no definitions."""
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Call):
            # A call's value is never a function, and an instance only from `C(...)` of a class
            # here (`C().method` then names a method of this file).
            root = root.func if isinstance(root.func, ast.Name) else None
        if root is None:
            return False
        if not isinstance(root, ast.Name):
            return True
        if self._bound_here is None:
            names = {n.id for n in self.model.nodes_of(ast.Name) if type(n.ctx) is not ast.Load}
            names.update(n.name for n in self.functions if not isinstance(n, ast.Lambda))
            for cls in self.classes:
                names.add(cls.name)
                for item in cls.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.args.posonlyargs + item.args.args:
                        names.add((item.args.posonlyargs + item.args.args)[0].arg)
            for node in self.model.nodes_of(ast.Attribute):
                if type(node.ctx) is not ast.Load:
                    base = node.value
                    while isinstance(base, (ast.Attribute, ast.Subscript)):
                        base = base.value
                    if isinstance(base, ast.Name):
                        names.add(base.id)
            self._bound_here = frozenset(names)
        return root.id in self._bound_here

    def _is_self(self, expr: ast.AST) -> bool:
        """`expr` is the first parameter of the method it is read in."""
        if not isinstance(expr, ast.Name):
            return False
        func = self.model.enclosing_function(expr)
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or not isinstance(self.model.parent(func), ast.ClassDef):
            return False
        params = func.args.posonlyargs + func.args.args
        return bool(params) and params[0].arg == expr.id and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list
        )

    def _derived_classes(self) -> dict[int, list[ast.ClassDef]]:
        """id(class) -> the classes of this file that derive from it, through bases in this file
        (empty in most files, which then skip the question of `self`)."""
        if self._derived is None:
            self._derived = {}
            for klass in self.classes:
                for base in self.model.class_lineage(klass)[1:]:
                    self._derived.setdefault(id(base), []).append(klass)
        return self._derived

    def subclasses(self, cls: ast.ClassDef) -> list[ast.ClassDef]:
        """The classes of this file that derive from `cls`, through bases in this file."""
        return self._derived_classes().get(id(cls), [])

    @staticmethod
    def _own_method(cls: ast.ClassDef, name: str) -> ast.AST | None:
        """The method `name` defined in the class's own body."""
        for item in cls.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == name:
                return item
        return None

    def method(self, cls: ast.ClassDef, name: str) -> ast.AST | None:
        """The method `name` that instances of `cls` run, looked up through the bases in this file."""
        for klass in self.model.class_lineage(cls):
            found = self._own_method(klass, name)
            if found is not None:
                return found
        return None

    # ---- function -> calls ------------------------------------------------------------------

    def sites(self, func: ast.AST) -> list[ast.Call | ast.With | ast.AsyncWith]:
        """Every call (or with statement, for `__enter__`/`__exit__`) in this file that may run
        `func`, in source order."""
        if self._sites is None:
            index: dict[int, list[ast.AST]] = {}
            for node in self.calls:
                for target in self.targets(node):
                    index.setdefault(id(target), []).append(node)
            for stmt in self.withs:
                for target in self.entered(stmt):
                    index.setdefault(id(target), []).append(stmt)
            for calls in index.values():
                calls.sort(key=lambda c: (c.lineno, c.col_offset))
            self._sites = index
        return self._sites.get(id(func), [])
