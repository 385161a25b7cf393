"""Scopes and bindings: which names a scope owns, and every place a name or attribute is bound."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .values import Kind, Value, ValueSet
from .walk import block_children, child_nodes

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
LOOP_NODES = (ast.For, ast.AsyncFor, ast.While)


@dataclass(eq=False)
class Binding:
    """One place where a name (`v`) or an attribute path (`self.w`) gets a value."""

    key: str
    node: ast.AST  # the target (Name/Attribute), or the def/import/parameter node
    stmt: ast.AST  # the statement that binds (for a parameter: the function)
    scope: "Scope"
    how: str  # "assign", "augassign", "annassign", "for", "with", "import", "def", "param", ...
    values: ValueSet = frozenset()
    loop: ast.AST | None = None  # innermost loop of the scope around the statement

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 0)

    @property
    def is_attribute(self) -> bool:
        return "." in self.key

    @property
    def holds_variable(self) -> bool:
        return any(v.kind is Kind.VARIABLE for v in self.values)

    def owned_variables(self) -> list[Value]:
        """Variables this binding owns: made here, or stored in an attribute (the object's state)."""
        if self.is_attribute or self.how in ("augassign", "import"):
            return [v for v in self.values if v.kind is Kind.VARIABLE]
        value = getattr(self.stmt, "value", None)
        return [v for v in self.values if v.kind is Kind.VARIABLE and v.origin is value]

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Binding {self.key}@{self.line} {sorted(v.kind.value for v in self.values)}>"


@dataclass(eq=False)
class Scope:
    kind: str  # "module", "class", "function", "lambda"
    node: ast.AST
    parent: "Scope | None"
    local_names: set[str] = field(default_factory=set)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    # For a method: the name of its first parameter (usually `self`) and its class scope.
    self_name: str | None = None
    class_scope: "Scope | None" = None

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<module>" if self.kind == "module" else "<lambda>")

    def add(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.key, []).append(binding)

    def resolve_scope(self, name: str) -> "Scope | None":
        """The scope whose binding of `name` this scope reads (Python's LEGB without builtins)."""
        if name in self.global_names:
            return self.module()
        if name in self.local_names and name not in self.nonlocal_names:
            return self
        scope = self.parent
        while scope is not None:
            if scope.kind != "class" and name in scope.local_names and name not in scope.nonlocal_names:
                return scope
            if scope.kind == "module" and name in scope.local_names:
                return scope
            scope = scope.parent
        return None

    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


def target_names(target: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(target):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
    return names


def reads_loop_item(node: ast.AST, loop: ast.For | ast.AsyncFor) -> bool:
    """The code reads the loop's item: a name its target binds, or one the loop body computes from
    those (`filter_shape = [size, depth]` then `tf.Variable(tf.zeros(filter_shape))`). Read from the
    syntax, a few assignments deep: what differs from one iteration to the next."""
    from_item = set(target_names(loop.target))
    assigns = [n for n in ast.walk(loop) if isinstance(n, ast.Assign)]
    for _ in range(4):
        grown = {
            name
            for stmt in assigns
            if any(isinstance(n, ast.Name) and n.id in from_item for n in ast.walk(stmt.value))
            for target in stmt.targets
            for name in target_names(target)
        } - from_item
        if not grown:
            break
        from_item |= grown
    return any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in from_item for n in ast.walk(node))


def collect_local_names(scope: Scope, walrus: bool = True) -> None:
    """Fill in the names a scope binds, and its `global`/`nonlocal` declarations (no nested scopes).

    `walrus=False` promises that the file has no `:=`: then only statements bind names, and
    their expressions need not be visited (issue 6: this walk cost as much as the parse)."""
    node = scope.node
    if isinstance(node, FUNCTION_NODES):
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                scope.local_names.add(arg.arg)
    if not walrus:
        if not isinstance(node, ast.Lambda):  # a lambda's body binds nothing without `:=`
            _collect_statement_names(scope, node.body)
        scope.local_names -= scope.global_names
        return
    stack: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.local_names.add(child.name)
            stack.extend(child.decorator_list)
            if not isinstance(child, ast.ClassDef):
                stack.extend(d for d in child.args.defaults + child.args.kw_defaults if d is not None)
            else:
                stack.extend(child.bases)
            continue
        if isinstance(child, ast.Lambda):
            stack.extend(d for d in child.args.defaults + child.args.kw_defaults if d is not None)
            continue
        if isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            # Only a walrus inside a comprehension binds in the enclosing function.
            for sub in ast.walk(child):
                if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name):
                    scope.local_names.add(sub.target.id)
            continue
        if isinstance(child, ast.Global):
            scope.global_names.update(child.names)
        elif isinstance(child, ast.Nonlocal):
            scope.nonlocal_names.update(child.names)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            scope.local_names.add(child.id)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            for alias in child.names:
                if alias.name != "*":
                    scope.local_names.add((alias.asname or alias.name).split(".", 1)[0])
        elif isinstance(child, ast.ExceptHandler) and child.name:
            scope.local_names.add(child.name)
        elif isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
            scope.local_names.add(child.name)
        elif isinstance(child, ast.MatchMapping) and child.rest:
            scope.local_names.add(child.rest)
        stack.extend(child_nodes(child))
    scope.local_names -= scope.global_names


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_TYPE_ALIAS = getattr(ast, "TypeAlias", None)  # Python 3.12 `type X = ...`


def statement_targets(stmt: ast.AST) -> list[ast.expr]:
    """What an assignment, augmented or annotated assignment, `for`, `with` or `del` stores to."""
    if isinstance(stmt, (ast.Assign, ast.Delete)):
        return stmt.targets
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        return [stmt.target]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in stmt.items if item.optional_vars is not None]
    return []


def target_leaves(target: ast.expr) -> list[ast.expr]:
    """The names, attributes and subscripts a target stores to, through tuples, lists and `*rest`."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return [leaf for elt in target.elts for leaf in target_leaves(elt)]
    if isinstance(target, ast.Starred):
        return target_leaves(target.value)
    return [target]


def _store_names(target: ast.AST, names: set[str]) -> None:
    """Names bound by an assignment, `for`, `with` or `del` target (not those it only reads)."""
    for leaf in target_leaves(target):
        if isinstance(leaf, ast.Name) and isinstance(leaf.ctx, (ast.Store, ast.Del)):
            names.add(leaf.id)


def _collect_statement_names(scope: Scope, body: list[ast.stmt]) -> None:
    names = scope.local_names
    stack: list[ast.AST] = list(body)
    while stack:
        child = stack.pop()
        if isinstance(child, _DEFS):
            names.add(child.name)
            continue
        targets = statement_targets(child)
        if targets:
            for target in targets:
                _store_names(target, names)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            for alias in child.names:
                if alias.name != "*":
                    names.add((alias.asname or alias.name).split(".", 1)[0])
        elif isinstance(child, ast.Global):
            scope.global_names.update(child.names)
        elif isinstance(child, ast.Nonlocal):
            scope.nonlocal_names.update(child.names)
        elif isinstance(child, ast.ExceptHandler):
            if child.name:
                names.add(child.name)
        elif isinstance(child, ast.match_case):
            for sub in ast.walk(child.pattern):
                if isinstance(sub, (ast.MatchAs, ast.MatchStar)) and sub.name:
                    names.add(sub.name)
                elif isinstance(sub, ast.MatchMapping) and sub.rest:
                    names.add(sub.rest)
        elif _TYPE_ALIAS is not None and isinstance(child, _TYPE_ALIAS):
            _store_names(child.name, names)
        stack.extend(block_children(child))
