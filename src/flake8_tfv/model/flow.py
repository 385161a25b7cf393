"""Reaching bindings, scope by scope: what each name and attribute may hold at each use.

The walk follows the structure of the code (branches merge, loops run to a fixpoint, `break`,
`continue`, `return` and `raise` end a path) rather than building a control-flow graph: for
the questions the rules ask ("can `v` still hold the variable made on line 7 here?") that is
exact enough, and it costs one or two passes over each function.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from . import api
from .scopes import FUNCTION_NODES, LOOP_NODES, Binding, Scope
from .walk import child_nodes
from .values import (
    NONE,
    NUMPY,
    PYTHON,
    TENSOR,
    TENSORLIKE,
    UNKNOWN,
    Kind,
    Value,
    ValueSet,
)

if TYPE_CHECKING:
    from .semantic import SemanticModel

State = dict  # key -> frozenset[Binding]; None stands for "this path does not go on"

_MAX_LOOP_PASSES = 4
_EMPTY: frozenset = frozenset()
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def dotted_path(node: ast.AST) -> str | None:
    """`self.w` -> "self.w"; None for anything that is not names joined by dots."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def merge(*states: Optional[State]) -> Optional[State]:
    live = [s for s in states if s is not None]
    if not live:
        return None
    if len(live) == 1:
        return dict(live[0])
    merged: State = dict(live[0])
    for state in live[1:]:
        for key, bindings in state.items():
            current = merged.get(key)
            # Branches mostly pass the same sets on untouched: no union to build for those.
            if current is None:
                merged[key] = bindings
            elif current is not bindings:
                merged[key] = current | bindings
    # A key that one path binds and another leaves as it was at entry is absent from the latter;
    # for free names and attributes that means "whatever the entry had", kept by the caller's
    # pre-populated entry state, so plain union is right here.
    return merged


def _trainable_of(call: ast.Call) -> bool | None:
    for kw in call.keywords:
        if kw.arg == "trainable":
            if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, bool):
                return kw.value.value
            return None
    return True


# ---- speed (issue 6): the flow evaluates every expression of a file, so its dispatch and its
# commonest step (the values a name may hold) avoid building strings and sets they do not need.
_UNKNOWN_SET: ValueSet = frozenset({UNKNOWN})
_PYTHON_SET: ValueSet = frozenset({PYTHON})
_NONE_SET: ValueSet = frozenset({NONE})
# Receivers whose attributes can be weights nobody bound in this flow (see layer_weight).
_WEIGHT_HOLDERS = frozenset({Kind.LAYER, Kind.INSTANCE})
class _Handlers(dict):
    """Node type -> `ScopeFlow.stmt_If` (and so on) for one flow class and prefix, filled on first use."""

    def __init__(self, flow_type: type, prefix: str):
        super().__init__()
        self.flow_type = flow_type
        self.prefix = prefix

    def __missing__(self, node_type: type):
        method = self[node_type] = getattr(self.flow_type, self.prefix + node_type.__name__, None)
        return method


_HANDLERS: dict[tuple[type, str], _Handlers] = {}


def _handlers(flow_type: type, prefix: str) -> _Handlers:
    table = _HANDLERS.get((flow_type, prefix))
    if table is None:
        table = _HANDLERS[flow_type, prefix] = _Handlers(flow_type, prefix)
    return table


def _union_of_values(reaching: frozenset) -> ValueSet:
    if len(reaching) == 1:
        for binding in reaching:
            return binding.values or _UNKNOWN_SET
    values = frozenset().union(*(b.values for b in reaching)) if reaching else _EMPTY
    return values or _UNKNOWN_SET


def guard_key(expr: ast.AST) -> str | None:
    """The thing a guard tests: `self.v` -> "self.v", `cache[0]` -> "cache[0]" (a constant index)."""
    key = dotted_path(expr)
    if key is None and isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
        base = dotted_path(expr.value)
        if base is not None:
            return f"{base}[{expr.slice.value!r}]"
    return key


def _getattr_key(expr: ast.AST, defaults: tuple = (None, False, 0)) -> str | None:
    """`getattr(o, "x", None)` (or another of `defaults`) -> "o.x": read as `o.x` is, an absent
    attribute reading as the default."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "getattr"):
        return None
    args = expr.args
    if len(args) != 3 or expr.keywords or not all(isinstance(a, ast.Constant) for a in args[1:]):
        return None
    name, default = args[1].value, args[2].value
    if not isinstance(name, str) or default not in defaults:
        return None
    base = dotted_path(args[0])
    return f"{base}.{name}" if base is not None else None


def none_guard(test: ast.expr) -> tuple[str | None, bool, bool]:
    """(key, body runs only when key is unset, unset means absent rather than None) for
    `x is None`, `x is not None`, `not x`, `x`, `hasattr(o, "x")`, `getattr(o, "x", None) is None`
    and their negations: the lazy-creation guards. (None, False, False) for any other test."""
    negated = False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negated, test = True, test.operand
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and len(test.comparators) == 1:
        comp = test.comparators[0]
        if isinstance(comp, ast.Constant) and comp.value is None and isinstance(test.ops[0], (ast.Is, ast.IsNot)):
            key = guard_key(test.left) or _getattr_key(test.left, defaults=(None,))
            return key, isinstance(test.ops[0], ast.Is) != negated, False
        return None, False, False
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr":
        args = test.args
        if len(args) == 2 and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
            base = dotted_path(args[0])
            if base is not None:
                return f"{base}.{args[1].value}", negated, True
        return None, False, False
    key = guard_key(test) or _getattr_key(test)
    return (key, negated, False) if key is not None else (None, False, False)


class ScopeFlow:
    """Walks one scope's statements in order, recording bindings, uses and values in the model."""

    def __init__(self, model: "SemanticModel", scope: Scope, entry: State):
        self.model = model
        self.scope = scope
        self.entry = entry
        self.loops: list[tuple[ast.AST, list, list]] = []  # (loop, break states, continue states)
        # Bumped whenever a recorded binding, use or value grows: a loop pass that bumps it
        # has not reached its fixpoint yet.
        self.version = 0
        self.bindings_version = 0  # bumped only when a binding is made or what it holds grows
        self._stmt_handlers = _handlers(type(self), "stmt_")
        self._eval_handlers = _handlers(type(self), "eval_")
        # What the enclosing scopes hold for a free name: those scopes are complete before this
        # one runs, so each name is looked up once per scope, not at every use.
        self._outer: dict[str, frozenset] = {}
        self._values = model._values
        self._uses = model._uses
        self._paths = model._paths
        self._prefixes: set[str] = set()
        for key in entry:
            self.note_path(key)

    # ---- statements -------------------------------------------------------------------------

    def run(self, body: list[ast.stmt]) -> None:
        self.block(body, dict(self.entry))

    def block(self, body: list[ast.stmt], state: Optional[State]) -> Optional[State]:
        for stmt in body:
            if state is None:
                break
            state = self.stmt(stmt, state)
        return state

    def stmt(self, node: ast.stmt, state: State) -> Optional[State]:
        self.model._note_statement(node, self.scope, self.loops[-1][0] if self.loops else None)
        method = self._stmt_handlers[type(node)]
        if method is not None:
            return method(self, node, state)
        for child in child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child, state)
        return state

    def stmt_Assign(self, node: ast.Assign, state: State) -> State:
        if (
            isinstance(node.value, (ast.Tuple, ast.List))
            and len(node.targets) == 1
            and isinstance(node.targets[0], (ast.Tuple, ast.List))
            and len(node.targets[0].elts) == len(node.value.elts)
            and not any(isinstance(e, ast.Starred) for e in node.targets[0].elts + node.value.elts)
        ):
            element_values = [self.eval(e, state) for e in node.value.elts]
            self._record_value(node.value, _PYTHON_SET)
            for target, values in zip(node.targets[0].elts, element_values):
                self.bind(target, values, node, "assign", state)
            return state
        values = self.eval(node.value, state)
        for target in node.targets:
            self.bind(target, values, node, "assign", state)
        return state

    def stmt_AnnAssign(self, node: ast.AnnAssign, state: State) -> State:
        if node.value is not None:
            values = self.eval(node.value, state)
            self.bind(node.target, values, node, "annassign", state)
        return state

    def stmt_AugAssign(self, node: ast.AugAssign, state: State) -> State:
        target = node.target
        if isinstance(target, (ast.Name, ast.Attribute)):
            current = self.load_target(target, state)
        else:
            current = self.eval(target.value, state) if isinstance(target, ast.Subscript) else frozenset({UNKNOWN})
            if isinstance(target, ast.Subscript):
                self.eval(target.slice, state)
                self.model._item_assignments.append((target, node))
            self.eval(node.value, state)
            return state
        operand = self.eval(node.value, state)
        # `v += x` on a variable is meant as an in-place update (and raises for tf.Variable), so the
        # code after it is read as still holding the variable, as it will once the line is fixed.
        values = self.binop_values(current, operand) | frozenset(v for v in current if v.kind is Kind.VARIABLE)
        self.bind(target, values, node, "augassign", state)
        return state

    def stmt_Expr(self, node: ast.Expr, state: State) -> State:
        self.eval(node.value, state)
        return state

    def stmt_Return(self, node: ast.Return, state: State) -> None:
        if node.value is not None:
            self.eval(node.value, state)
        return None

    def stmt_Raise(self, node: ast.Raise, state: State) -> None:
        for child in (node.exc, node.cause):
            if child is not None:
                self.eval(child, state)
        return None

    def stmt_Delete(self, node: ast.Delete, state: State) -> State:
        for target in node.targets:
            key = dotted_path(target)
            if key is not None and isinstance(target, (ast.Name, ast.Attribute)):
                if isinstance(target, ast.Attribute):
                    self.eval(target.value, state)
                state[key] = _EMPTY
                self.note_path(key)
                self.kill_paths(key, state)
            else:
                self.eval(target, state)
        return state

    def stmt_Global(self, node: ast.AST, state: State) -> State:
        return state

    stmt_Nonlocal = stmt_Global
    stmt_Pass = stmt_Global

    def stmt_Break(self, node: ast.Break, state: State) -> None:
        if self.loops:
            self.loops[-1][1].append(dict(state))
        return None

    def stmt_Continue(self, node: ast.Continue, state: State) -> None:
        if self.loops:
            self.loops[-1][2].append(dict(state))
        return None

    def stmt_If(self, node: ast.If, state: State) -> Optional[State]:
        self.eval(node.test, state)
        body_state, else_state = self.narrow(node.test, state)
        after_body = self.block(node.body, body_state)
        after_else = self.block(node.orelse, else_state)
        return merge(after_body, after_else)

    def stmt_While(self, node: ast.While, state: State) -> Optional[State]:
        self.eval(node.test, state)
        return self.loop(node, state, lambda s: (self.eval(node.test, s), s)[1])

    def stmt_For(self, node: ast.For, state: State) -> Optional[State]:
        iter_values = self.eval(node.iter, state)
        element = self.element_of(node.iter, iter_values)

        def head(s: State) -> State:
            self.bind(node.target, element, node, "for", s)
            return s

        return self.loop(node, state, head)

    stmt_AsyncFor = stmt_For

    def element_of(self, iterable: ast.expr, values: ValueSet) -> ValueSet:
        """What iterating over `iterable` yields: tensors of a tensor list, ints of `range(...)`."""
        if any(v.kind is Kind.TENSOR_LIST for v in values):
            return frozenset({TENSOR})
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and iterable.func.id == "range"
            and not self.lookup("range", {})
        ):
            return frozenset({PYTHON})
        return frozenset({UNKNOWN})

    def loop(self, node: ast.AST, state: State, head) -> Optional[State]:
        pre = dict(state)
        entry = dict(state)
        breaks: list = []
        end = None
        for _ in range(_MAX_LOOP_PASSES):
            breaks, continues = [], []
            self.loops.append((node, breaks, continues))
            version, bindings_version = self.version, self.bindings_version
            end = self.block(node.body, head(dict(entry)))
            self.loops.pop()
            new_entry = merge(pre, end, *continues)
            # A pass is a function of its entry state and of what the bindings hold: when neither
            # changed during it, another pass would record exactly what this one did.
            if new_entry == entry and (version == self.version or bindings_version == self.bindings_version):
                break
            entry = new_entry
        # The loop may run zero times; `else` runs when it ends without `break`.
        after = self.block(node.orelse, merge(pre, entry, end))
        return merge(after, *breaks)

    def stmt_With(self, node: ast.With, state: State) -> Optional[State]:
        for item in node.items:
            values = self.eval(item.context_expr, state)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, values, node, "with", state)
        return self.block(node.body, state)

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, node: ast.Try, state: State) -> Optional[State]:
        pre = dict(state)
        after_body = self.block(node.body, state)
        # A handler can start anywhere in the body: from the entry or from its end.
        handler_entry = merge(pre, after_body) or pre
        outs = []
        for handler in node.handlers:
            h_state = dict(handler_entry)
            if handler.type is not None:
                self.eval(handler.type, h_state)
            if handler.name:
                self.bind_name(handler.name, handler, handler, "except", frozenset({UNKNOWN}), h_state)
            outs.append(self.block(handler.body, h_state))
        after_else = self.block(node.orelse, after_body)
        result = merge(after_else, *outs)
        if node.finalbody:
            final_in = merge(result, handler_entry) if result is not None else dict(handler_entry)
            final_out = self.block(node.finalbody, final_in)
            return final_out if result is not None else None
        return result

    stmt_TryStar = stmt_Try

    def stmt_Match(self, node: ast.AST, state: State) -> Optional[State]:
        self.eval(node.subject, state)
        outs = []
        for case in node.cases:
            c_state = dict(state)
            for sub in ast.walk(case.pattern):
                name = getattr(sub, "name", None) if isinstance(sub, (ast.MatchAs, ast.MatchStar)) else None
                if isinstance(sub, ast.MatchMapping):
                    name = sub.rest
                if name:
                    self.bind_name(name, sub, node, "match", frozenset({UNKNOWN}), c_state)
                if isinstance(sub, ast.expr):
                    self.eval(sub, c_state)
            if case.guard is not None:
                self.eval(case.guard, c_state)
            outs.append(self.block(case.body, c_state))
        return merge(state, *outs)

    def stmt_FunctionDef(self, node: ast.FunctionDef, state: State) -> State:
        for expr in [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
            self.eval(expr, state)
        self.bind_name(node.name, node, node, "def", frozenset({Value(Kind.FUNCTION, origin=node)}), state)
        self.model._schedule(node, self.scope)
        return state

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, node: ast.ClassDef, state: State) -> State:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.eval(expr, state)
        self.bind_name(node.name, node, node, "class", frozenset({Value(Kind.CLASS, origin=node)}), state)
        self.model._schedule(node, self.scope)
        return state

    def stmt_Import(self, node: ast.AST, state: State) -> State:
        for alias in node.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name.split(".", 1)[0]
            values = frozenset({Value(Kind.MODULE, origin=node)})
            if isinstance(node, ast.ImportFrom):
                # `from .state import step`: what `step` holds over there, when the project says.
                values = self.model.external_values(self.model.imports.aliases.get(local), local) or values
            self.bind_name(local, node, node, "import", values, state)
        return state

    stmt_ImportFrom = stmt_Import

    # ---- binding ----------------------------------------------------------------------------

    def binding_for(self, key: str, node: ast.AST, stmt: ast.AST, how: str, values: ValueSet, scope: Scope) -> Binding:
        binding = self.model._bindings.get(id(node))
        if binding is None or binding.key != key:
            binding = Binding(key, node, stmt, scope, how, values, self.loops[-1][0] if self.loops else None)
            self.model._bindings[id(node)] = binding
            scope.add(binding)
            if scope is not self.scope:
                self.scope.add(binding)
            self.version += 1
            self.bindings_version += 1
        elif not values <= binding.values:
            binding.values = binding.values | values
            self.version += 1
            self.bindings_version += 1
        return binding

    def bind_name(self, name: str, node: ast.AST, stmt: ast.AST, how: str, values: ValueSet, state: State) -> None:
        owner = self.scope.module() if name in self.scope.global_names else self.scope
        if name in self.scope.nonlocal_names:
            owner = self.scope.resolve_scope(name) or self.scope
        self.model._record_previous(node, self.lookup(name, state), self)
        binding = self.binding_for(name, node, stmt, how, values, owner)
        state[name] = frozenset({binding})
        self.kill_paths(name, state)

    def bind(self, target: ast.AST, values: ValueSet, stmt: ast.AST, how: str, state: State) -> None:
        if isinstance(target, ast.Name):
            self.bind_name(target.id, target, stmt, how, values, state)
        elif isinstance(target, ast.Attribute):
            receiver = self.eval(target.value, state)
            key = dotted_path(target)
            if key is None:
                return
            previous = self.lookup(key, state) or self.layer_weight(target, receiver)
            self.model._record_previous(target, previous, self)
            binding = self.binding_for(key, target, stmt, how, values, self.scope)
            state[key] = frozenset({binding})
            self.note_path(key)
            self.kill_paths(key, state)
            self.model._note_attribute_binding(self.scope, binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            element = frozenset({TENSOR}) if any(v.kind is Kind.TENSOR_LIST for v in values) else frozenset({UNKNOWN})
            for elt in target.elts:
                if isinstance(elt, ast.Starred):
                    self.bind(elt.value, frozenset({PYTHON}), stmt, how, state)
                else:
                    self.bind(elt, element, stmt, how, state)
        elif isinstance(target, ast.Subscript):
            self.eval(target.value, state)
            self.eval(target.slice, state)
            self.model._item_assignments.append((target, stmt))
        elif isinstance(target, ast.Starred):
            self.bind(target.value, values, stmt, how, state)

    def layer_weight(self, node: ast.Attribute, receiver: ValueSet) -> frozenset:
        """A variable attribute nobody bound on this path: `layer.kernel` of a built-in Keras layer
        made in this file, or `m.w` of an instance of a class of this file whose methods create it."""
        for value in receiver:
            if value.kind is Kind.LAYER and node.attr in api.LAYER_WEIGHT_ATTRIBUTES:
                made = Value(Kind.VARIABLE, origin=value.origin, api="layer weight")
                return self._implicit(node, value.origin, made)
            # Only instances made by calling the class: inside its methods, `self.<attr>` follows the flow.
            if value.kind is Kind.INSTANCE and value.api == "constructed" and isinstance(value.origin, ast.ClassDef):
                made = self.model.instance_variables(value.origin).get(node.attr)
                if made is not None:
                    return self._implicit(node, value.origin, made)
        return _EMPTY

    def _implicit(self, node: ast.Attribute, origin: ast.AST | None, value: Value) -> frozenset:
        key = (id(origin), dotted_path(node), node.attr)
        binding = self.model._implicit_bindings.get(key)
        if binding is None:
            stmt = self.model.statement_of(origin) if origin is not None else node
            binding = Binding(dotted_path(node) or node.attr, origin or node, stmt, self.scope, "implicit", frozenset({value}))
            self.model._implicit_bindings[key] = binding
        return frozenset({binding})

    def note_path(self, key: str) -> None:
        """Remember the prefixes of a dotted key put in a state (`self` and `self.a` for
        `self.a.b`), so that rebinding any other name needs no search for paths under it."""
        while "." in key:
            key = key.rpartition(".")[0]
            self._prefixes.add(key)

    def kill_paths(self, key: str, state: State) -> None:
        # Every binding calls this, and module scopes hold hundreds of keys, almost never a path
        # under this one (issue 6: 10 million key tests on the corpus).
        if key not in self._prefixes:
            return
        prefix = key + "."
        for other in [k for k in state if k.startswith(prefix)]:
            del state[other]

    def load_target(self, target: ast.AST, state: State) -> ValueSet:
        """The value of an augmented-assignment target before the operation (recorded as a use)."""
        return self.eval(target, state)

    # ---- narrowing --------------------------------------------------------------------------

    def narrow(self, test: ast.expr, state: State) -> tuple[State, State]:
        """Split the state for `if x is None:` style guards (the lazy-creation pattern)."""
        # The body goes on with the state itself (the caller no longer reads it), the other branch with a copy.
        body, orelse = state, dict(state)
        key, when_missing, absent = none_guard(test)
        if key is not None:
            self.note_path(key)
            current = self.lookup(key, state)
            missing = body if when_missing else orelse
            present = orelse if when_missing else body
            if absent:  # `hasattr` is false: the attribute was never set on this path
                missing[key] = _EMPTY
            else:
                missing[key] = frozenset(b for b in current if any(v.kind in (Kind.NONE, Kind.UNKNOWN) for v in b.values))
            present[key] = frozenset(b for b in current if any(v.kind is not Kind.NONE for v in b.values))
        return body, orelse

    # ---- expressions ------------------------------------------------------------------------

    def lookup(self, key: str, state: State) -> frozenset:
        found = state.get(key)
        if found is not None:
            return found
        if "." in key:
            return _EMPTY
        found = self._outer.get(key)
        if found is None:
            found = self._outer[key] = self.model._outer_bindings(self.scope, key)
        return found

    def eval_name(self, node: ast.Name, state: State) -> ValueSet:
        name = node.id
        reaching = state.get(name)
        if reaching is None:
            reaching = self.lookup(name, state)
        self._record_use(node, reaching)
        if len(reaching) == 1:  # the common case, without a call
            for binding in reaching:
                return binding.values or _UNKNOWN_SET
        return _union_of_values(reaching)

    def _record_use(self, node: ast.AST, reaching: frozenset) -> None:
        key = id(node)
        previous = self._uses.get(key)
        if previous is None:
            self._uses[key] = reaching
            self.model._use_nodes[key] = node
            self.version += 1
        elif previous is not reaching and not reaching <= previous:
            self._uses[key] = previous | reaching
            self.version += 1

    def eval(self, node: ast.expr, state: State) -> ValueSet:
        method = self._eval_handlers[type(node)]
        if method is not None:
            values = method(self, node, state)
        else:
            for child in child_nodes(node):
                if isinstance(child, ast.expr):
                    self.eval(child, state)
            values = _UNKNOWN_SET
        self._record_value(node, values)
        return values

    def _record_value(self, node: ast.AST, values: ValueSet) -> None:
        key = id(node)
        previous = self._values.get(key)
        if previous is None:
            self._values[key] = values
        elif previous is not values and not values <= previous:
            self._values[key] = previous | values
            self.version += 1

    eval_Name = eval_name

    def eval_Constant(self, node: ast.Constant, state: State) -> ValueSet:
        return _NONE_SET if node.value is None else _PYTHON_SET

    def eval_Attribute(self, node: ast.Attribute, state: State) -> ValueSet:
        base = node.value
        receiver = self.eval(base, state)
        # The path is built from the receiver's, which its own evaluation just recorded.
        if type(base) is ast.Name:
            key = base.id + "." + node.attr
        else:
            prefix = self._paths.get(id(base)) if type(base) is ast.Attribute else None
            key = prefix + "." + node.attr if prefix is not None else None
        self._paths[id(node)] = key
        if key is not None:
            reaching = state.get(key)
            if reaching:
                self._record_use(node, reaching)
                return _union_of_values(reaching)
        kinds = {v.kind for v in receiver}
        if kinds & _WEIGHT_HOLDERS:
            implicit = self.layer_weight(node, receiver)
            if implicit:
                self._record_use(node, implicit)
                return next(iter(implicit)).values
        if Kind.DATASET in kinds:
            return frozenset({Value(Kind.DATASET)})
        if Kind.MODULE in kinds and key is not None:
            root = key.split(".", 1)[0]
            if self.model.worth_resolving(root):
                external = self.model.external_values(self.model.qualified_name(node), root)
                if external:
                    return external
        return _UNKNOWN_SET

    def eval_Call(self, node: ast.Call, state: State) -> ValueSet:
        func_values = self.eval(node.func, state)
        for arg in node.args:
            self.eval(arg, state)
        for kw in node.keywords:
            self.eval(kw.value, state)
        return frozenset({self.call_value(node, func_values)})

    def call_value(self, node: ast.Call, func_values: ValueSet) -> Value:
        func = node.func
        qualname = self.model.qualified_name(func)
        if qualname is not None:
            if qualname in self.model.variable_factories:
                return Value(Kind.VARIABLE, origin=node, api=qualname, trainable=_trainable_of(node))
            kind = api.classify_call(qualname)
            if kind is not Kind.UNKNOWN:
                return Value(kind, origin=node, api=qualname)
            if any(v.is_variable_factory for v in func_values):
                return Value(Kind.VARIABLE, origin=node, api=qualname)
            return UNKNOWN
        if isinstance(func, ast.Attribute):
            method = func.attr
            receiver = self._values.get(id(func.value), frozenset())
            if method in api.VARIABLE_METHODS:
                return Value(Kind.VARIABLE, origin=node, api=method, trainable=_trainable_of(node))
            receiver_kinds = {v.kind for v in receiver}
            if receiver_kinds & {Kind.VARIABLE, Kind.SLICE, Kind.ASSIGN_RESULT}:
                if method in api.UPDATE_METHODS:
                    return Value(Kind.ASSIGN_RESULT, origin=node)
                if method in api.READ_METHODS:
                    return Value(Kind.TENSOR, origin=node)
            if receiver_kinds & TENSORLIKE and method == "numpy":
                return NUMPY
            if Kind.DATASET in receiver_kinds:
                return Value(Kind.DATASET)
            return UNKNOWN
        if isinstance(func, ast.Name):
            if api.is_builtin_python(func.id) and not self.lookup(func.id, {}):
                return PYTHON
            for value in func_values:
                if value.kind is Kind.CLASS and isinstance(value.origin, ast.ClassDef):
                    return Value(Kind.INSTANCE, origin=value.origin, api="constructed")
        return UNKNOWN

    def binop_values(self, left: ValueSet, right: ValueSet) -> ValueSet:
        both = left | right
        kinds = {v.kind for v in both}
        if kinds & TENSORLIKE:
            return frozenset({TENSOR})
        if kinds <= {Kind.PYTHON}:
            return frozenset({PYTHON})
        if kinds <= {Kind.PYTHON, Kind.NUMPY}:
            return frozenset({NUMPY})
        return frozenset({UNKNOWN})

    def eval_BinOp(self, node: ast.BinOp, state: State) -> ValueSet:
        return self.binop_values(self.eval(node.left, state), self.eval(node.right, state))

    def eval_UnaryOp(self, node: ast.UnaryOp, state: State) -> ValueSet:
        operand = self.eval(node.operand, state)
        if isinstance(node.op, ast.Not):
            return frozenset({UNKNOWN})
        return self.binop_values(operand, frozenset({PYTHON}))

    def eval_Subscript(self, node: ast.Subscript, state: State) -> ValueSet:
        receiver = self.eval(node.value, state)
        self.eval(node.slice, state)
        kinds = {v.kind for v in receiver}
        if kinds == {Kind.VARIABLE}:
            return frozenset({Value(Kind.SLICE, origin=node)})
        if kinds and kinds <= TENSORLIKE | {Kind.TENSOR_LIST}:
            if Kind.TENSOR_LIST in kinds and isinstance(node.slice, ast.Slice):
                # `tf.unstack(x)[:]` is a Python list of tensors again, whose items can be replaced.
                lists = frozenset({Value(Kind.TENSOR_LIST, origin=node)})
                return lists if kinds == {Kind.TENSOR_LIST} else lists | {TENSOR}
            return frozenset({TENSOR})
        return frozenset({UNKNOWN})

    def eval_IfExp(self, node: ast.IfExp, state: State) -> ValueSet:
        self.eval(node.test, state)
        return self.eval(node.body, state) | self.eval(node.orelse, state)

    def eval_BoolOp(self, node: ast.BoolOp, state: State) -> ValueSet:
        values: frozenset = frozenset()
        for value in node.values:
            values |= self.eval(value, state)
        return values

    def eval_NamedExpr(self, node: ast.NamedExpr, state: State) -> ValueSet:
        values = self.eval(node.value, state)
        stmt = self.model._current_statement
        self.bind_name(node.target.id, node.target, stmt, "walrus", values, state)
        self._record_value(node.target, values)
        return values

    def _containers(self, node: ast.expr, state: State) -> ValueSet:
        for child in child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child, state)
        return _PYTHON_SET

    eval_List = eval_Tuple = eval_Set = eval_Dict = eval_JoinedStr = _containers

    def _comprehension(self, node: ast.expr, state: State) -> ValueSet:
        inner = dict(state)
        for gen in node.generators:
            element = self.element_of(gen.iter, self.eval(gen.iter, inner))
            for name_node in ast.walk(gen.target):
                if isinstance(name_node, ast.Name):
                    inner[name_node.id] = frozenset({Binding(name_node.id, name_node, node, self.scope, "comprehension", element)})
            for cond in gen.ifs:
                self.eval(cond, inner)
        for part in ("elt", "key", "value"):
            child = getattr(node, part, None)
            if child is not None:
                self.eval(child, inner)
        # A walrus in a comprehension binds in the enclosing scope.
        for key, bindings in inner.items():
            if any(b.how == "walrus" for b in bindings):
                state[key] = bindings
        return frozenset({PYTHON})

    eval_ListComp = eval_SetComp = eval_DictComp = eval_GeneratorExp = _comprehension

    def eval_Lambda(self, node: ast.Lambda, state: State) -> ValueSet:
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
            self.eval(default, state)
        inner = dict(state)
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                inner[arg.arg] = frozenset({Binding(arg.arg, arg, node, self.scope, "param", frozenset({UNKNOWN}))})
                self.kill_paths(arg.arg, inner)
        self.eval(node.body, inner)
        return frozenset({Value(Kind.FUNCTION, origin=node)})


def scope_entry(model: "SemanticModel", scope: Scope) -> State:
    """What a scope's flow starts from: its parameters, for a method the attributes the class's
    methods that ran before it made, and its `global` / `nonlocal` names (collect_local_names
    first)."""
    node = scope.node
    entry: State = {}
    if isinstance(node, FUNCTION_NODES):
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        for index, arg in enumerate([*positional, *args.kwonlyargs, args.vararg, args.kwarg]):
            if arg is None:
                continue
            value = UNKNOWN
            if index == 0 and scope.self_name == arg.arg:
                value = Value(Kind.INSTANCE, origin=scope.class_scope.node if scope.class_scope else None)
            binding = Binding(arg.arg, arg, node, scope, "param", frozenset({value}))
            model._bindings[id(arg)] = binding
            scope.add(binding)
            entry[arg.arg] = frozenset({binding})
        if scope.self_name and scope.class_scope is not None:
            for attr, bindings in model._class_attributes(scope.class_scope, exclude=node).items():
                entry[f"{scope.self_name}.{attr}"] = frozenset(bindings)
    for name in scope.global_names | scope.nonlocal_names:
        entry[name] = model._outer_bindings(scope, name, declared=True)
    return entry


def run_scope(model: "SemanticModel", scope: Scope, entry: State) -> None:
    node = scope.node
    flow = ScopeFlow(model, scope, entry)
    flow.run(node.body if isinstance(node.body, list) else [ast.Expr(node.body)])


__all__ = ["ScopeFlow", "dotted_path", "merge", "run_scope", "scope_entry", "LOOP_NODES"]
