"""The semantic model of one file, built once and shared by every rule.

It answers the questions rules ask: what a qualified name is, what a name or `self.w` may
hold at a given use, where it was bound, whether a statement runs in a loop, and whether a
function is traced.
"""
from __future__ import annotations

import ast
from collections import deque
from typing import TYPE_CHECKING, Iterable

from . import api
from .flow import _UNKNOWN_SET, dotted_path, run_scope, scope_entry
from .imports import TF_PACKAGES, ImportMap, canonical
from .index import SyntaxIndex
from .needs import has_traced_roots
from .scopes import FUNCTION_NODES, LOOP_NODES, Binding, Scope, collect_local_names, statement_targets, target_leaves
from .calls import CallGraph
from .eager import cannot_run_while_traced
from .project import names_worth_resolving
from .traced import TraceReason, find_eager, find_traced, root_kinds
from .values import Kind, Value, ValueSet
from .walk import own_statements, statements_breadth_first

if TYPE_CHECKING:
    from .project import Project
from ..text import SourceText

_EMPTY: frozenset = frozenset()
# Methods that set a layer's state up: creating variables there is what Keras and tf.Module ask for.
# A test case's `setUp` runs before each test, on a new instance: it sets a test's state up too.
# `init` is the initializer's plainest name (a trainer module's `init(hparams)` that sets the
# module's globals before the input pipeline and the model are built).
INIT_METHODS = frozenset(
    {"__init__", "build", "_build", "setup", "setUp", "init", "_initialize", "initialize", "_create_slots",
     "_create_all_weights"}
)


def _stores_attribute_of(func: ast.AST, name: str) -> bool:
    """Whether a function's own statements store an attribute of `name` (`self.w = ...`, also
    `self.w.b = ...`, more than the flow records for the class: never less)."""
    for stmt in own_statements(func):
        for target in statement_targets(stmt):
            for leaf in target_leaves(target):
                if isinstance(leaf, ast.Attribute) and isinstance(leaf.ctx, ast.Store):
                    base = leaf.value
                    while isinstance(base, (ast.Attribute, ast.Subscript)):
                        base = base.value
                    if isinstance(base, ast.Name) and base.id == name:
                        return True
    return False


def _makes_variables(values) -> bool:
    return bool(values) and any(v.kind is Kind.VARIABLE or v.is_variable_factory for v in values)


class SemanticModel:
    def __init__(
        self,
        tree: ast.Module,
        source: SourceText,
        imports: ImportMap | None = None,
        extra_factories: Iterable[str] = (),
        project: "Project | None" = None,
        module_name: str | None = None,
        lazy: bool = True,
        index: SyntaxIndex | None = None,
    ):
        self.tree = tree
        self.source = source
        self.imports = imports or ImportMap.from_tree(tree)
        self.variable_factories = api.VARIABLE_FACTORIES | frozenset(extra_factories)
        self.project = project  # other modules of the linted project, or None for one-file facts
        self.module_name = module_name
        self._inherited: dict[tuple[int, str], Binding] = {}
        self._instance_variables: dict[int, dict] = {}
        self._project_modules: dict[str, str | None] = {}  # imported project name -> TF module it stands for
        # Cross-module answers, asked again by every method of a class and every use of a name
        # (issue 6: 230k questions on the corpus); the file's dependencies are noted on the first.
        self._project_bases: dict[int, list] = {}
        self._external: dict[str, object] = {}

        self._bindings: dict[int, Binding] = {}  # id(target node) -> binding
        self._uses: dict[int, frozenset] = {}  # id(use node) -> reaching bindings
        self._previous: dict[int, frozenset] = {}  # id(store target) -> bindings it replaces
        self._use_nodes: dict[int, ast.AST] = {}
        self._values: dict[int, ValueSet] = {}  # id(expression) -> what it may evaluate to
        self._paths: dict[int, str | None] = {}  # id(Attribute) -> "self.w" (None: not a dotted path)
        self._statements: list[ast.stmt] = []  # every statement, in the order first walked
        self._statement_scope: dict[int, Scope] = {}
        self._statement_loop: dict[int, ast.AST | None] = {}
        self._implicit_bindings: dict[tuple, Binding] = {}  # weights of built-in layers
        self._item_assignments: list[tuple[ast.Subscript, ast.stmt]] = []
        # Without `:=` in the text only statements bind names, which makes scopes cheaper to read.
        self.may_have_walrus = ":=" in source.text
        self._scopes: list[Scope] = []
        self.scope_of_node: dict[int, Scope] = {}
        self.class_attrs: dict[int, dict[str, list[Binding]]] = {}
        self._current_statement: ast.AST | None = None
        self._queue: deque[Scope] = deque()
        self._pending_methods: dict[int, list[Scope]] = {}
        self._scheduled: set[int] = set()
        self.index = index = index or SyntaxIndex(tree)
        self._parents: dict[int, ast.AST] = index.parents
        self._nodes: dict[type, list] = index.nodes
        self._qualnames: dict[int, str | None] = {}
        # What several rules compute from the model once per file, keyed by the rule family's own key.
        self.shared: dict[object, object] = {}
        self._uses_of: dict[int, list[ast.AST]] | None = None
        self._uses_of_runs = -1
        # Functions whose flow waits until a question is asked about them (see _may_defer): id(def)
        # -> (scope, entry state as it was at the function's turn).
        self._deferred: dict[int, tuple[Scope, dict]] = {}
        self._runs = 0  # deferred flows run so far: what memos built from the flow's tables check
        self._draining = False
        self._variable_sources_run = False
        self._lazy = lazy

        self.module_scope = Scope("module", tree, None)
        # A `global` or `nonlocal` statement lets a function add bindings that other scopes read,
        # which ties every flow to the order they run in: such files are analysed all at once.
        if self._nodes[ast.Global] or self._nodes[ast.Nonlocal]:
            self._lazy = False
        self._build()
        # Traced code (TFV3xx): the call graph it follows, functions that run eagerly, and roots.
        self.call_graph = CallGraph(self)
        self.eager_functions: set[int] = find_eager(self)
        self._traced: dict[int, TraceReason] | None = None

    @property
    def traced(self) -> dict[int, TraceReason]:
        """Traced functions of the file and why, found when first asked (many files' rules never
        ask). Without a root of traced code in its syntax (needs.py), nothing of the file is
        traced until other modules' traced callers are found (retrace)."""
        if self._traced is None:
            self._traced = find_traced(self) if has_traced_roots(self.index) else {}
        return self._traced

    def trace_root_kinds(self, func: ast.AST) -> frozenset[str]:
        """How the roots of this file that may reach `func` are traced (traced.root_kinds); empty
        when none does."""
        kinds = self.shared.get("trace root kinds")
        if kinds is None:
            kinds = self.shared["trace root kinds"] = root_kinds(self)
        return kinds.get(id(func), frozenset())

    def retrace(self, external=()) -> None:
        """Traced functions again, with `external` (functions of this module that other modules'
        traced code calls) traced from there; what the rules cached from the old answer goes."""
        self._traced = find_traced(self, external)
        self.shared.clear()

    def release(self) -> None:
        """Break the cycles between scopes and their bindings once the findings are out: the file's
        model and tree are then freed by reference counting, not by a cyclic collection that has to
        visit all of them first (issue 6: most of the collector's time in `tfv check`)."""
        for scope in self._scopes:
            scope.bindings.clear()
            scope.parent = scope.class_scope = None
        # The call graph and the trace timing point back at the model: dropping everything the model
        # holds lets the tree and the maps go at once instead of waiting for the collector.
        self.__dict__.clear()

    # ---- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._queue.append(self.module_scope)
        self._drain()

    def _drain(self) -> None:
        self._draining = True
        try:
            while self._queue:
                scope = self._queue.popleft()
                self._scopes.append(scope)
                self.scope_of_node[id(scope.node)] = scope
                if self._may_defer(scope):
                    # Its names are collected when it runs: a waiting function has no `global`.
                    self._deferred[id(scope.node)] = (scope, scope_entry(self, scope))
                else:
                    collect_local_names(scope, walrus=self.may_have_walrus)
                    run_scope(self, scope, scope_entry(self, scope))
                methods = self._pending_methods.pop(id(scope.node), [])
                # Set-up methods first, so the other methods see the attributes they create.
                methods.sort(key=lambda m: (m.node.name != "__init__", m.node.name not in INIT_METHODS))
                self._queue.extendleft(reversed(methods))
        finally:
            self._draining = False

    def _may_defer(self, scope: Scope) -> bool:
        """Whether a function's flow can wait until a question is asked about its code (issue 6:
        rules ask about a few functions of most files, and the flow was most of the analysis).

        A function's flow writes, besides its own tables, only its own bindings (read by the
        functions nested in it, which wait with it) and, for a method, the `self.<attr>` bindings
        that the class's later methods start from: those methods run at their turn. With its entry
        state taken at its turn, a waiting function's flow is the one it would have had."""
        if not self._lazy or scope.kind != "function" or isinstance(scope.node, ast.Lambda):
            return False
        return scope.self_name is None or not _stores_attribute_of(scope.node, scope.self_name)

    def _run(self, key: int) -> None:
        scope, entry = self._deferred.pop(key)
        self._runs += 1
        collect_local_names(scope, walrus=self.may_have_walrus)
        run_scope(self, scope, entry)
        self._drain()  # the functions and classes defined in it, now met

    def ensure(self, node: ast.AST) -> None:
        """Run the flows of the functions around `node` (and of `node`, when it is one) that wait."""
        if not self._deferred or self._draining:
            return  # while flows run, what has not run is unknown, as it would be in one pass
        chain = []
        current = node if isinstance(node, FUNCTION_NODES) else self.parent(node)
        while current is not None:
            if isinstance(current, FUNCTION_NODES):
                key = id(current)
                if key not in self._deferred and key in self.scope_of_node:
                    break  # its flow ran, and so did those of the functions around it
                chain.append(current)  # waiting, or not met yet (inside a function that waits)
            current = self.parent(current)
        for func in reversed(chain):
            if id(func) in self._deferred:
                self._run(id(func))

    def ensure_all(self) -> None:
        """Run every flow that waits: for questions about the whole file."""
        if self._draining:
            return
        while self._deferred:
            self._run(next(iter(self._deferred)))

    def ensure_within(self, node: ast.AST) -> None:
        """Run the flows of `node`'s function (or module) and of every function nested in it."""
        if not self._deferred or self._draining:
            return
        if isinstance(node, ast.Module):
            self.ensure_all()
            return
        self.ensure(node)
        for func in self.nodes_of(ast.FunctionDef):
            if id(func) in self._deferred and any(a is node for a in self.ancestors(func)):
                self.ensure(func)

    def _ensure_where(self, nodes) -> None:
        """Run the waiting flows of the functions that contain any of `nodes`, and of all the
        functions nested in those (what they bind is read only there)."""
        if not self._deferred or self._draining:
            return
        # At most one function around a node waits: those inside it are not met until it runs.
        waiting: dict[int, ast.AST] = {}
        for node in nodes:
            for ancestor in self.ancestors(node):
                if id(ancestor) in self._deferred:
                    waiting[id(ancestor)] = ancestor
                    break
        for func in waiting.values():
            self.ensure_within(func)

    def ensure_variable_sources(self) -> None:
        """Run every waiting flow that may bind a variable, so that the bindings that hold one are
        all known (what the rebinding rules start from). A flow can make a variable only from a
        variable factory or `add_weight` call, a layer's or instance's weight attribute, a name or
        `self.<attr>` that holds one, or another module's variable or factory: a function whose code
        has none of these stays waiting."""
        if not self._deferred or self._draining or self._variable_sources_run:
            return
        # Once they ran, no waiting flow can make a variable: later demands add none.
        self._variable_sources_run = True
        factories = self.variable_factories
        # A qualified name ends with the attribute's own name: most calls are ruled out by it.
        tails = {f.rpartition(".")[2] for f in factories}
        held = self._variable_names()
        weights = set(api.LAYER_WEIGHT_ATTRIBUTES) | self._variable_attributes()
        sources: list[ast.AST] = []
        for call in self._nodes[ast.Call]:
            func = call.func
            if isinstance(func, ast.Attribute):
                if func.attr in api.VARIABLE_METHODS or (func.attr in tails and self.qualified_name(func) in factories):
                    sources.append(call)
            elif self.qualified_name(func) in factories:
                sources.append(call)
        sources.extend(n for n in self._nodes[ast.Name] if n.id in held)
        cross = self.project is not None
        for node in self._nodes[ast.Attribute]:
            if node.attr in weights:
                sources.append(node)
            elif cross and isinstance(node.value, ast.Name) and self.worth_resolving(node.value.id):
                if _makes_variables(self.external_values(self.qualified_name(node), node.value.id)):
                    sources.append(node)
        if cross:
            for node in self._nodes[ast.ImportFrom]:
                for alias in node.names:
                    local = alias.asname or alias.name
                    if _makes_variables(self.external_values(self.imports.aliases.get(local), local)):
                        sources.append(node)
        self._ensure_where(sources)
        # Methods that start from an attribute holding a variable (made by another method or a base).
        for key, (scope, entry) in list(self._deferred.items()):
            if key in self._deferred and any(b.holds_variable for bindings in entry.values() for b in bindings):
                self.ensure_within(scope.node)

    def _variable_names(self) -> set[str]:
        """Names that some binding of a flow that ran may hold a variable or a variable factory in."""
        return {
            b.key
            for b in self._bindings.values()
            if "." not in b.key and _makes_variables(b.values)
        }

    def _variable_attributes(self) -> set[str]:
        """Attributes an instance of a class of this file may hold a variable in (instance_variables)."""
        found: set[str] = set()
        for attrs in self.class_attrs.values():
            for attr, bindings in attrs.items():
                if any(b.holds_variable for b in bindings):
                    found.add(attr)
        for cls in self._nodes[ast.ClassDef]:
            for facts in self.project_bases(cls):
                for attr, values in facts.attributes.items():
                    if any(v.kind is Kind.VARIABLE for v in values):
                        found.add(attr)
        return found

    def variable_bindings(self) -> list[Binding]:
        """Every binding that may hold a variable: of this file's flows, implicit ones (built-in
        layer weights, instances of this file's classes) and those inherited from project bases."""
        self.ensure_variable_sources()
        return [
            b
            for b in (*self._bindings.values(), *self._implicit_bindings.values(), *self._inherited.values())
            if b.holds_variable
        ]

    def has_implicit_weights(self) -> bool:
        self.ensure_variable_sources()
        return bool(self._implicit_bindings)

    def reached_statements(self, kinds: tuple[type, ...], where=None) -> list[ast.stmt]:
        """The statements of indexed kinds that the flow reaches and `where` (a test of the syntax,
        asked first) accepts, in source order; only their functions' flows are run."""
        found = []
        for kind in kinds:
            for stmt in self.nodes_of(kind):
                if (where is None or where(stmt)) and self.reached(stmt):
                    found.append(stmt)
        found.sort(key=lambda n: (n.lineno, n.col_offset))
        return found

    def waiting(self, func: ast.AST) -> bool:
        """Whether a function's flow has not run (yet)."""
        return id(func) in self._deferred

    def scope_for(self, func: ast.AST) -> Scope | None:
        """The scope of a function (or class), its flow run."""
        self.ensure(func)
        return self.scope_of_node.get(id(func))

    # Whole tables: whoever reads them needs every flow run (rules ask reached_statements instead).
    @property
    def statements(self) -> list[ast.stmt]:
        """Every statement the flow reaches, in the order first walked."""
        self.ensure_all()
        return self._statements

    @property
    def scopes(self) -> list[Scope]:
        self.ensure_all()
        return self._scopes

    @property
    def item_assignments(self) -> list[tuple[ast.Subscript, ast.stmt]]:
        """`x[i] = ...` and the like: (target, statement), of every flow (only those with one run)."""
        self._ensure_where(n for n in self._nodes[ast.Subscript] if type(n.ctx) is not ast.Load)
        return self._item_assignments

    def item_assignments_in_variable_flows(self) -> list[tuple[ast.Subscript, ast.stmt]]:
        """The item assignments of the flows that may make a variable (ensure_variable_sources): all
        those whose value can be one made right there."""
        self.ensure_variable_sources()
        return self._item_assignments

    def attribute_store_bindings(self) -> list[Binding]:
        """The bindings made by storing an attribute (`obj.x = ...`), of every flow."""
        self._ensure_where(n for n in self._nodes[ast.Attribute] if type(n.ctx) is ast.Store)
        return [b for b in self._bindings.values() if isinstance(b.node, ast.Attribute) and isinstance(b.node.ctx, ast.Store)]

    def reached(self, stmt: ast.stmt) -> bool:
        """Whether the flow reaches a statement (code after `return` is not walked)."""
        if id(stmt) not in self._statement_scope:
            self.ensure(stmt)
        return id(stmt) in self._statement_scope

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
        if id(stmt) not in self._statement_scope:
            self._statements.append(stmt)
            self._statement_scope[id(stmt)] = scope
            self._statement_loop[id(stmt)] = loop

    def _record_previous(self, target: ast.AST, reaching: frozenset, flow) -> None:
        previous = self._previous.get(id(target))
        if previous is None or not reaching <= previous:
            self._previous[id(target)] = reaching if previous is None else previous | reaching
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
        """`self.<attr>` bindings made by the class's other methods, by its bases in this file, and
        by its bases in other modules of the project."""
        result: dict[str, list[Binding]] = {}
        for cls in self.class_lineage(class_scope.node):
            for attr, bindings in self.class_attrs.get(id(cls), {}).items():
                kept = [b for b in bindings if b.scope.node is not exclude]
                if kept:
                    result.setdefault(attr, []).extend(kept)
            for facts in self.project_bases(cls):
                for attr, values in facts.attributes.items():
                    if attr not in result:
                        result[attr] = [self._inherited_binding(class_scope, cls, attr, values)]
        return result

    def _inherited_binding(self, scope: Scope, cls: ast.ClassDef, attr: str, values) -> Binding:
        key = (id(cls), attr)
        binding = self._inherited.get(key)
        if binding is None:
            name = scope.self_name or "self"
            binding = Binding(f"{name}.{attr}", cls, cls, scope, "inherited", values)
            self._inherited[key] = binding
        return binding

    def instance_variables(self, class_node: ast.ClassDef) -> dict:
        """attr -> Value for `self.<attr> = <variable factory>(...)` in the methods of a class of this
        file or its bases: what `obj.<attr>` holds on an instance made outside the class. Read off
        the syntax, since the methods' own flow may not have run when module code uses the instance."""
        cached = self._instance_variables.get(id(class_node))
        if cached is not None:
            return cached
        found: dict = {}
        self._instance_variables[id(class_node)] = found  # a cycle in bases sees the partial answer
        for cls in self.class_lineage(class_node):
            for method in cls.body:
                if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
                    continue
                self_name = method.args.args[0].arg
                # Statements only (an assignment is one), in ast.walk's order.
                for node in statements_breadth_first(method):
                    if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call)):
                        continue
                    target = node.targets[0]
                    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == self_name):
                        continue
                    func = node.value.func
                    qualname = self.qualified_name(func)
                    if qualname in self.variable_factories or (isinstance(func, ast.Attribute) and func.attr in api.VARIABLE_METHODS):
                        found.setdefault(target.attr, Value(Kind.VARIABLE, origin=node.value, api=qualname or func.attr))
            for facts in self.project_bases(cls):
                for attr, values in facts.attributes.items():
                    for value in values:
                        if value.kind is Kind.VARIABLE:
                            found.setdefault(attr, value)
        return found

    def project_bases(self, class_node: ast.ClassDef) -> list:
        """Facts of the bases of a class that are defined in other modules of the project."""
        if self.project is None:
            return []
        found = self._project_bases.get(id(class_node))
        if found is None:
            found = self._project_bases[id(class_node)] = []
            for base in class_node.bases:
                qualname = self.qualified_name(base)
                facts = self.project.class_facts(qualname) if qualname else None
                if facts is not None:
                    found.append(facts)
        return found

    def worth_resolving(self, local_name: str) -> bool:
        """Whether what `local_name` holds in another project module can change a finding here."""
        if self.project is None:
            return False
        worth = self.index.worth_resolving  # asked for every attribute of the file: read once
        return local_name in (worth if worth is not None else names_worth_resolving(self.index))

    def external_values(self, qualname: str | None, local_name: str | None = None):
        """What a name of another project module holds, or None (also when it cannot matter here)."""
        if self.project is None or qualname is None:
            return None
        if local_name is not None and not self.worth_resolving(local_name):
            return None
        try:
            return self._external[qualname]
        except KeyError:
            found = self._external[qualname] = self.project.value_of(qualname)
            return found

    # ---- queries ----------------------------------------------------------------------------

    def qualified_name(self, node: ast.AST) -> str | None:
        # Asked of the same node by the flow, the traced-code search and several rules.
        key = id(node)
        try:
            return self._qualnames[key]
        except KeyError:
            found = self._qualnames[key] = self.imports.qualified_name(node)
            # Only a name imported from a project module can stand for TensorFlow through it.
            if found is not None and found.split(".", 1)[0] not in TF_PACKAGES and self.project is not None:
                found = self._qualnames[key] = self._through_project(node) or found
            return found

    def _through_project(self, node: ast.AST) -> str | None:
        """`tf.py_function` -> "tensorflow.py_function" where `tf` is imported from a project module
        in which it stands for TensorFlow (`Project.module_alias`); None otherwise."""
        if self.project is None or not isinstance(node, ast.Attribute):
            return None
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        target = self.imports.aliases.get(node.id) if isinstance(node, ast.Name) else None
        if target is None or "." not in target or target.split(".", 1)[0] in TF_PACKAGES:
            return None
        if target not in self._project_modules:
            self._project_modules[target] = self.project.module_alias(target)
        module = self._project_modules[target]
        return canonical(".".join([module, *reversed(parts)])) if module else None

    def values_of(self, node: ast.AST) -> ValueSet:
        found = self._values.get(id(node))
        if found is None and self._deferred:
            self.ensure(node)
            found = self._values.get(id(node))
        return _UNKNOWN_SET if found is None else found

    def variables_made_by(self, expr: ast.AST) -> list[Value]:
        """The variables `expr` itself makes (`tf.Variable(...)`, `self.add_weight(...)`), not
        those it reads."""
        return [v for v in self.values_of(expr) if v.kind is Kind.VARIABLE and v.origin is expr]

    def reaching(self, node: ast.AST) -> frozenset:
        """The bindings that may reach a use of a name or attribute path."""
        found = self._uses.get(id(node))
        if found is None and self._deferred:
            self.ensure(node)
            found = self._uses.get(id(node))
        return _EMPTY if found is None else found

    def replaced(self, target: ast.AST) -> frozenset:
        """The bindings a store to `target` may overwrite (what the name held just before)."""
        found = self._previous.get(id(target))
        if found is None and self._deferred:
            self.ensure(target)
            found = self._previous.get(id(target))
        return _EMPTY if found is None else found

    def binding_of(self, target: ast.AST) -> Binding | None:
        found = self._bindings.get(id(target))
        if found is None and self._deferred:
            self.ensure(target)
            found = self._bindings.get(id(target))
        return found

    def uses_of(self, binding: Binding) -> list[ast.AST]:
        """Every load that the binding may reach, in source order."""
        self.ensure_within(binding.scope.node)
        if self._uses_of is None or self._uses_of_runs != self._runs:
            self._uses_of_runs = self._runs
            index: dict[int, list[ast.AST]] = {}
            for key, reaching in self._uses.items():
                node = self._use_nodes[key]
                for b in reaching:
                    index.setdefault(id(b), []).append(node)
            for nodes in index.values():
                nodes.sort(key=lambda n: (n.lineno, n.col_offset))
            self._uses_of = index
        return self._uses_of.get(id(binding), [])

    def scope_of(self, stmt: ast.AST) -> Scope:
        if self._deferred and id(stmt) not in self._statement_scope:
            self.ensure(stmt)
        return self._statement_scope.get(id(stmt), self.module_scope)

    def loop_of(self, stmt: ast.AST) -> ast.AST | None:
        """The innermost loop around a statement within its own function."""
        if self._deferred and id(stmt) not in self._statement_loop:
            self.ensure(stmt)
        return self._statement_loop.get(id(stmt))

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(id(node))

    def nodes_of(self, kind: type) -> list:
        """Every node of one of the index's kinds (ast.FunctionDef: defs, async defs and lambdas;
        ast.With: with and async with), in ast.walk order."""
        return self._nodes[kind]

    def calls(self) -> list[ast.Call]:
        """Every call in the file (for the call rules)."""
        return self.nodes_of(ast.Call)

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

    def running_function(self, node: ast.AST) -> ast.AST | None:
        """The function whose call runs the code at `node`: as enclosing_function, except that a
        def's decorators, default values and annotations run where the def statement does (`def
        step(x, opt=tf.optimizers.Adam()):` makes one optimizer, when the module is loaded)."""
        child = node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.Lambda):
                if child is ancestor.body:
                    return ancestor
            elif isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(child is stmt for stmt in ancestor.body):
                    return ancestor
            child = ancestor
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

    def statement_in(self, block: list[ast.stmt], node: ast.AST) -> ast.stmt | None:
        """The statement of `block` that is `node` or holds it, or None."""
        held = {id(node), *(id(a) for a in self.ancestors(node))}
        return next((stmt for stmt in block if id(stmt) in held), None)

    def statement_of(self, node: ast.AST) -> ast.stmt | None:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parent(current)
        return current

    def trace_reason(self, node: ast.AST) -> TraceReason | None:
        """Why the code at `node` is traced, or None when it runs eagerly as far as we know."""
        func = node if isinstance(node, FUNCTION_NODES) else self.running_function(node)
        inner = node
        while func is not None:
            if id(func) in self.eager_functions:
                return None  # tf.py_function and friends run their function eagerly
            reason = self.traced.get(id(func))
            if reason is not None:
                if inner is not func and cannot_run_while_traced(self, inner, func):
                    return None  # `if tf.executing_eagerly():` and the like (eager.py)
                return reason
            inner, func = func, self.enclosing_function(func)
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
            for facts in self.project_bases(cls):
                names |= facts.bases
        return names

    def is_keras_class(self, class_node: ast.ClassDef) -> bool:
        return bool(self.class_bases(class_node) & api.KERAS_BASES)
