"""When traced code gets traced, and whether a write may happen after that.

A Python value read by traced code is frozen at trace time (tf-semantics case 8b): a write to it
matters only when it can run after a trace and before a later call of the same traced function.
For a module-level (or enclosing-function) write that means a call that traces the function
before it and one after it, or one in a loop around it; a write inside another function counts
when that function runs at such a point, or, when this file never calls it (a callback, a setter
called from elsewhere), at any time. Set-up methods (`__init__`, `build`, Keras `compile`, which
measurably resets Keras's cached train/predict functions, and a Keras layer's shape inference,
run when the model is built) never run after a trace that matters.
A Keras layer's `adapt` / `set_vocabulary` is the preprocessing API whose documented contract is
that traces made before it keep the old state (see `follows_preprocessing_contract`).
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .semantic import INIT_METHODS
from .traced import TraceReason

if TYPE_CHECKING:
    from .semantic import SemanticModel

# Keras methods that run the traced train/test/predict functions.
KERAS_RUNNERS = frozenset({"fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch"})
# Keras preprocessing methods that set a layer's state for the graphs compiled after them.
KERAS_STATE_SETTERS = frozenset({"adapt", "set_vocabulary"})
# A Keras layer's shape inference: Keras 3 runs `compute_output_shape` when a functional model is
# built on symbolic inputs, tf_keras not even then, and neither during fit/evaluate/predict
# (measured, TF 2.21): what it stores is set before the traces that read it.
KERAS_SHAPE_INFERENCE = frozenset({"compute_output_shape", "compute_output_spec", "compute_output_signature"})
_MAX_CALLER_DEPTH = 4


def _position(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)


def _branch_path(model, node: ast.AST, stop: ast.AST | None = None) -> dict[int, tuple[ast.If, int]]:
    """id(if ancestor) -> (the `if`, which of its blocks holds `node`: 0 the body, 1 the `else`),
    up to `stop` when given."""
    path: dict[int, tuple[ast.If, int]] = {}
    child = node
    for ancestor in model.ancestors(node):
        if ancestor is stop:
            break
        if isinstance(ancestor, ast.If):
            if any(s is child for s in ancestor.orelse):
                path[id(ancestor)] = (ancestor, 1)
            elif any(s is child for s in ancestor.body):
                path[id(ancestor)] = (ancestor, 0)
        child = ancestor
    return path


def exclusive_branches(model, a: ast.AST, b: ast.AST) -> bool:
    """`a` and `b` sit in different branches of one `if`: at most one of them runs."""
    first = _branch_path(model, a)
    second = _branch_path(model, b)
    return any(key in second and second[key][1] != side for key, (_, side) in first.items())


def exclusive_by_fixed_flag(model, a: ast.AST, b: ast.AST) -> bool:
    """`a` and `b`, in two methods of one class, sit in opposite branches of an `if` with the same
    test, a test that reads only attributes of `self` that no method but `__init__` stores (`if
    self.split > 1:` in `build`, and again in `call`): on any instance, both tests give the same
    answer, so at most one of the two runs."""
    func_a, func_b = model.enclosing_function(a), model.enclosing_function(b)
    if func_a is None or func_b is None:
        return False
    owner_a, owner_b = model.parent(func_a), model.parent(func_b)
    if not isinstance(owner_a, ast.ClassDef) or not isinstance(owner_b, ast.ClassDef):
        return False
    lineage = model.class_lineage(owner_b)
    if not any(c is owner_a for c in lineage) and not any(c is owner_b for c in model.class_lineage(owner_a)):
        return False
    sides_b = {ast.dump(branch.test): side for branch, side in _branch_path(model, b, func_b).values()}
    for branch, side in _branch_path(model, a, func_a).values():
        other = sides_b.get(ast.dump(branch.test))
        if other is not None and other != side and _fixed_flag_test(model, branch.test, [owner_a, owner_b]):
            return True
    return False


def _fixed_flag_test(model, test: ast.expr, classes: list[ast.ClassDef]) -> bool:
    """A test of constants and `self.<attr>`, where no method of the classes (and their bases in
    this file) but `__init__` stores any of those attributes."""
    attrs = set()
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            attrs.add(node.attr)
        elif isinstance(node, ast.Name) and node.id != "self":
            return False
        elif isinstance(node, (ast.Call, ast.Subscript, ast.NamedExpr, ast.Await, ast.Lambda)):
            return False
    if not attrs:
        return False
    for cls in {id(c): c for k in classes for c in model.class_lineage(k)}.values():
        for method in cls.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or method.name == "__init__":
                continue
            for node in ast.walk(method):
                if (
                    isinstance(node, ast.Attribute)
                    and not isinstance(node.ctx, ast.Load)
                    and node.attr in attrs
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "self"
                ):
                    return False
    return True


class TraceTiming:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self.graph = model.call_graph
        self._triggers: dict[int, list[ast.Call]] = {}

    # ---- what traces a root -----------------------------------------------------------------

    def triggers(self, reason: TraceReason) -> list[ast.Call]:
        """Calls that may trace the root of `reason`: calls of the traced function itself, then
        the calls of every function that contains one (transitively)."""
        root = reason.origin
        cached = self._triggers.get(id(root.root))
        if cached is not None:
            return cached
        found = list(self.direct_triggers(root))
        seen: set[int] = set()
        todo = list(found)
        while todo:
            call = todo.pop()
            container = self.model.enclosing_function(call)
            if container is None or id(container) in seen:
                continue
            seen.add(id(container))
            for site in self.graph.sites(container):
                found.append(site)
                todo.append(site)
        self._triggers[id(root.root)] = found
        return found

    def direct_triggers(self, reason: TraceReason) -> list[ast.Call]:
        """Calls that trace the root of `reason` themselves (not through a caller)."""
        root = reason.origin
        if root.how in ("keras", "compile"):
            return [
                node
                for node in self.graph.calls
                if isinstance(node.func, ast.Attribute) and node.func.attr in KERAS_RUNNERS
            ]
        if root.how == "dataset":
            return [root.site] if isinstance(root.site, ast.Call) else []
        if root.site is None:  # @tf.function on the definition: its calls trace it
            return list(self.graph.sites(root.root))
        return self._wrapper_calls(root.site)

    def _wrapper_calls(self, site: ast.Call) -> list[ast.Call]:
        """Calls of what `tf.function(f)` returned: `tf.function(f)(x)`, or `g(x)` after `g = tf.function(f)`."""
        model = self.model
        parent = model.parent(site)
        if isinstance(parent, ast.Call) and parent.func is site:
            return [parent]
        if not isinstance(parent, (ast.Assign, ast.AnnAssign)):
            return []
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        calls: list[ast.Call] = []
        for target in targets:
            binding = model.binding_of(target)
            if binding is not None:
                for use in model.uses_of(binding):
                    call = model.parent(use)
                    if isinstance(call, ast.Call) and call.func is use:
                        calls.append(call)
            if isinstance(target, ast.Attribute):
                # `self.step = tf.function(self._step)` called as `obj.step(x)` elsewhere.
                owner = next((a for a in model.ancestors(site) if isinstance(a, ast.ClassDef)), None)
                if owner is not None:
                    for node in self.graph.calls:
                        if (
                            isinstance(node.func, ast.Attribute)
                            and node.func.attr == target.attr
                            and node not in calls
                            and any(owner in model.class_lineage(c) for c in self.graph.instance_classes(node.func.value))
                        ):
                            calls.append(node)
        return calls

    # ---- whether a write may come after a trace ---------------------------------------------

    def may_run_after_trace(self, stmt: ast.AST, reason: TraceReason, depth: int = 0) -> bool:
        model = self.model
        func = model.enclosing_function(stmt)
        if func is None:
            return self._between_traces(stmt, None, reason)
        traced = model.trace_reason(func)
        if traced is not None:
            # Runs while tracing: TFV304's concern, not a later write; unless traced code merely
            # calls it (or enters it with `with`) and eager code of this file calls it too.
            if traced.how != "called" or model.traced.get(id(func)) is None or depth >= _MAX_CALLER_DEPTH:
                return False
            eager_sites = [s for s in self.graph.sites(func) if model.trace_reason(s) is None]
            return any(
                self.may_run_after_trace(model.statement_of(site) or site, reason, depth + 1) for site in eager_sites
            )
        if self.is_setup(func):
            return False
        if self.follows_preprocessing_contract(func):
            # Only this file's own calls between traces break the contract; unseen callers and the
            # layer's own methods (`load_assets`, `__init__`) are held to it.
            owner = model.parent(func)
            outside = [s for s in self.graph.sites(func) if not any(a is owner for a in model.ancestors(s))]
            return depth < _MAX_CALLER_DEPTH and any(
                self.may_run_after_trace(model.statement_of(site) or site, reason, depth + 1) for site in outside
            )
        if self.runs_before_own_call(func, reason):
            return False
        root = reason.origin.root
        if any(a is func for a in model.ancestors(root)):
            # The traced function is made anew by every run of `func`: only the order inside counts.
            return self._between_traces(stmt, func, reason)
        if any(model.enclosing_function(t) is func for t in self.triggers(reason)):
            return self._between_traces(stmt, func, reason)
        if self.remakes_after(stmt, func, model.enclosing_function(root)):
            return False
        sites = self.graph.sites(func)
        if not sites:
            return True  # called from elsewhere (a callback, another module): at any time
        if depth >= _MAX_CALLER_DEPTH:
            return False
        return any(
            self.may_run_after_trace(model.statement_of(site) or site, reason, depth + 1) for site in sites
        )

    def remakes_after(self, stmt: ast.AST, func: ast.AST, maker: ast.AST | None) -> bool:
        """`func` calls the function that makes the traced function anew (its maker) after `stmt`,
        on every path: the write comes before a new function, which traces with what it wrote
        (`self.nets[p] = Network(); self.steps[p] = self._make_train_step(p)`, OpenSpiel's Deep CFR)."""
        if maker is None or not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        body = func.body
        statement = self.model.statement_in(body, stmt)
        if statement is None:
            return False
        for later in body[body.index(statement):]:
            for node in ast.walk(later):
                if later is statement and getattr(node, "lineno", 0) <= getattr(stmt, "lineno", 0):
                    continue
                if isinstance(node, ast.Call) and maker in self.graph.targets(node) and self._always_runs(node, func):
                    return True
        return False

    def _always_runs(self, node: ast.AST, func: ast.AST) -> bool:
        """No branch, loop or handler between `node` and its function's body (a `with` block is fine)."""
        for ancestor in self.model.ancestors(node):
            if ancestor is func:
                return True
            if isinstance(ancestor, (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.BoolOp,
                                     ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.comprehension)):
                return False
        return False

    @staticmethod
    def creates_state(func: ast.AST) -> bool:
        """The method makes weights or optimizer slots through Keras's set-up API (`add_weight`,
        `add_slot`): it prepares state, before the traced code that uses it runs. (A raw
        `tf.Variable(...)` in a method proves nothing: re-creating in `reset` is TFV302's bug.)"""
        return any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("add_slot", "add_weight", "add_variable")
            for node in ast.walk(func)
        )

    def is_setup(self, func: ast.AST) -> bool:
        """`__init__`, `build` and the like; `compile` of a Keras model, which drops Keras's cached
        traced functions (measured); a Keras layer's shape inference, which runs while the model
        is built (measured, KERAS_SHAPE_INFERENCE)."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        if func.name in INIT_METHODS or self.creates_state(func):
            return True
        if func.name != "compile" and func.name not in KERAS_SHAPE_INFERENCE:
            return False
        owner = self.model.parent(func)
        return isinstance(owner, ast.ClassDef) and self.model.is_keras_class(owner)

    def follows_preprocessing_contract(self, func: ast.AST) -> bool:
        """`adapt` or `set_vocabulary` of a Keras layer: Keras's preprocessing API, whose state is
        documented as constant for the graphs compiled before it ("kept constant with respect to
        any compiled `tf.Graph`s that call the layer ... you will need to take care to re-compile",
        tf_keras `PreprocessingLayer.adapt`). Measured in TF 2.21: Keras 3 and tf_keras
        `StringLookup`, `IntegerLookup`, `TextVectorization` (`set_vocabulary`, `adapt`) and
        `Normalization.adapt` all leave a `tf.function` traced before them computing with the old
        state (1 trace). A trace that keeps the old state after these is the API's contract, to be
        met by the caller re-compiling or re-mapping, not the layer's bug; a call in this file
        that breaks it (`ds.map(layer)`, then `layer.adapt(...)`) is still a stale read."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or func.name not in KERAS_STATE_SETTERS:
            return False
        owner = self.model.parent(func)
        return isinstance(owner, ast.ClassDef) and self.model.is_keras_class(owner)

    def runs_before_own_call(self, func: ast.AST, reason: TraceReason) -> bool:
        """An override of a Keras layer's `__call__`, when the traced code is that layer's `call`:
        Keras runs `call` from `__call__` in the same Python invocation, so the override runs while
        that `call` is traced, once per trace and not on the trace's later calls (measured), like a
        write in `call` itself."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or func.name != "__call__":
            return False
        owner = self.model.parent(func)
        if not isinstance(owner, ast.ClassDef) or not self.model.is_keras_class(owner):
            return False
        root = reason.origin.root
        if reason.origin.how != "keras" or not isinstance(root, ast.FunctionDef) or root.name != "call":
            return False
        root_class = self.model.parent(root)
        return isinstance(root_class, ast.ClassDef) and any(c is owner for c in self.model.class_lineage(root_class))

    def _between_traces(self, stmt: ast.AST, container: ast.AST | None, reason: TraceReason) -> bool:
        """A trace before `stmt` and a call after it in the same body, or a trace in a loop around it
        (for a `Dataset.map` function, a trace before it is enough: the dataset is used later). A
        loop that makes the traced function (or maps the dataset) anew every iteration traces it
        afresh each time, so it does not count."""
        model = self.model
        root = reason.origin
        here = [
            t
            for t in self.triggers(reason)
            if model.enclosing_function(t) is container and not exclusive_branches(model, t, stmt)
        ]
        if not here:
            return False
        made = root.site if root.site is not None else root.root
        remade = {id(loop) for loop in model.enclosing_loops(made)}
        loops = {id(loop) for loop in model.enclosing_loops(stmt)} - remade
        if root.how != "dataset" and any(loops & {id(loop) for loop in model.enclosing_loops(t)} for t in here):
            return True
        position = _position(stmt)
        if not any(_position(t) < position for t in here):
            return False
        if root.how == "dataset":
            return True  # the dataset keeps the function traced by `map`; every later element uses it
        resets = []
        if root.how in ("keras", "compile"):
            # `model.compile(...)` drops Keras's cached traced functions (measured).
            resets = [
                _position(node)
                for node in self.graph.calls
                if isinstance(node.func, ast.Attribute)
                and node.func.attr == "compile"
                and model.enclosing_function(node) is container
            ]
        return any(
            _position(t) > position and not any(position < r < _position(t) for r in resets) for t in here
        )

