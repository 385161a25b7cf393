"""TFV301-TFV302: values that traced code captures, changed after it was traced.

A traced function keeps what it read while tracing: a Python number, list, NumPy array or
tensor by value (tf-semantics case 8b), a `tf.Variable` by its handle (case 8c). Assigning INTO
a captured variable (`v.assign(...)`) is seen by every later call (case 8a, NOT a bug, never
reported); rebinding the name or attribute, or changing a captured Python object, is not.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator

from ..codegen import OPERATOR_SYMBOLS, as_argument, as_right_operand
from ..diagnostic import Diagnostic, Edit, Position
from ..model.flow import dotted_path, none_guard
from ..model.needs import TRACED
from ..model.scopes import Binding
from ..model.semantic import SemanticModel
from ..model.timing import TraceTiming
from ..model.traced import TraceReason
from ..model.values import Kind
from .base import Rule
from .rebinding import _VALUE_FIRST_FACTORIES
from .traced import (
    MUTATING_METHODS,
    describe,
    lazily_guarded,
    own_nodes_of,
    outside_trace,
    tensorflow_alias,
    traced_call_sites,
    traced_functions,
)

_FROZEN_KINDS = frozenset({Kind.PYTHON, Kind.NUMPY, Kind.TENSOR, Kind.TENSOR_LIST})
# What a captured Python value may also be at some binding without making the finding uncertain.
_TOLERATED_KINDS = _FROZEN_KINDS | {Kind.NONE, Kind.UNKNOWN}


@dataclass
class Write:
    stmt: ast.AST  # the statement that writes
    node: ast.AST  # the store target, or the mutating call / subscript
    how: str  # "rebind", "augassign", "mutate"
    binding: Binding | None = None
    values: frozenset = frozenset()  # rebind: what is stored; mutate: what is changed

    @property
    def line(self) -> int:
        return self.node.lineno


@dataclass
class Capture:
    func: ast.AST  # the traced function that reads it
    load: ast.AST  # its first read there
    key: str  # "scale", "self.scale"
    reason: TraceReason
    bindings: list = field(default_factory=list)  # every binding of the name / attribute
    writes: list = field(default_factory=list)  # rebindings and mutations


class _Captures:
    """What traced code reads from outside, and every write to it; built once per model."""

    def __init__(self, model: SemanticModel):
        self.model = model
        self.timing = TraceTiming(model)
        self.captures: list[Capture] = []
        # Every place that changes an object in place, and every attribute store, indexed once.
        self._mutation_sites: list[tuple[ast.AST, ast.AST, ast.AST]] = []  # (changed expr, node, stmt)
        self._attribute_stores: dict[str, list[Binding]] = {}
        if not traced_functions(model):
            return  # nothing traced, nothing captured: the writes need not be indexed
        for node in model.call_graph.calls:
            if isinstance(node.func, ast.Attribute) and node.func.attr in MUTATING_METHODS:
                self._mutation_sites.append((node.func.value, node, model.statement_of(node) or node))
        for target, stmt in model.item_assignments:
            self._mutation_sites.append((target.value, target, stmt))
        for binding in model.attribute_store_bindings():
            self._attribute_stores.setdefault(binding.node.attr, []).append(binding)
        self._collect()

    @classmethod
    def of(cls, model: SemanticModel) -> "_Captures":
        # Kept on the model (it refers back to the model, so a weak-keyed cache would never let go).
        found = model.shared.get(cls)
        if found is None:
            found = model.shared[cls] = cls(model)
        return found

    def later(self, capture: Capture, write: Write) -> bool:
        if len(capture.writes) == 1 and not self.model.enclosing_loops(write.stmt):
            return False  # the only write, run once: it made what the trace captured
        return self.timing.may_run_after_trace(write.stmt, capture.reason)

    # ---- collecting -------------------------------------------------------------------------

    def _collect(self) -> None:
        model = self.model
        for func in traced_functions(model):
            reason = model.trace_reason(func)
            seen: set[str] = set()
            for node in own_nodes_of(model, func):
                if not isinstance(node, (ast.Name, ast.Attribute)) or not isinstance(node.ctx, ast.Load):
                    continue
                key = dotted_path(node)
                if key is None or key in seen or self._changed_here(node):
                    continue
                capture = None
                if isinstance(node, ast.Name):
                    capture = self._name_capture(func, node, key, reason)
                elif isinstance(node.value, ast.Name):
                    capture = self._attribute_capture(func, node, key, reason)
                if capture is not None:
                    seen.add(key)
                    self.captures.append(capture)

    def _changed_here(self, node: ast.AST) -> bool:
        """The load is the receiver of a mutation or `x[...] = ...` in traced code: TFV304's."""
        parent = self.model.parent(node)
        if isinstance(parent, ast.Attribute) and parent.attr in MUTATING_METHODS:
            return isinstance(self.model.parent(parent), ast.Call)
        return isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store)

    def _name_capture(self, func, node: ast.Name, key: str, reason) -> Capture | None:
        model = self.model
        reaching = list(model.reaching(node))
        if not outside_trace(model, reaching):
            return None
        owner = reaching[0].scope
        if owner.node is not model.tree and model.trace_reason(owner.node) is not None:
            return None
        bindings = [b for b in owner.bindings.get(key, []) if b.scope is owner]
        capture = Capture(func, node, key, reason, bindings)
        capture.writes = [self._binding_write(b) for b in bindings if b.how in ("assign", "annassign", "augassign")]
        ids = {id(b) for b in bindings}
        capture.writes += self._mutations(lambda expr: isinstance(expr, ast.Name) and expr.id == key
                                          and bool(model.reaching(expr)) and all(id(b) in ids for b in model.reaching(expr)))
        return capture

    def _attribute_capture(self, func, node: ast.Attribute, key: str, reason) -> Capture | None:
        model = self.model
        classes = [v.origin for v in model.values_of(node.value) if v.kind is Kind.INSTANCE and isinstance(v.origin, ast.ClassDef)]
        reaching = list(model.reaching(node))
        if len(classes) != 1 or (reaching and not outside_trace(model, reaching)):
            return None
        cls, attr = classes[0], node.attr
        lineage = model.class_lineage(cls)
        bindings: list[Binding] = []
        for klass in lineage:
            bindings.extend(model.class_attrs.get(id(klass), {}).get(attr, []))
        if not bindings:
            return None
        ids = {id(b) for b in bindings}
        graph = model.call_graph

        def instance_of_class(expr: ast.AST) -> bool:
            return any(cls in model.class_lineage(c) or c in lineage for c in graph.instance_classes(expr))

        for binding in self._attribute_stores.get(attr, []):
            if id(binding) not in ids and instance_of_class(binding.node.value):
                bindings.append(binding)
                ids.add(id(binding))
        capture = Capture(func, node, key, reason, bindings)
        capture.writes = [self._binding_write(b) for b in bindings if b.how in ("assign", "annassign", "augassign")]
        capture.writes += self._mutations(
            lambda expr: isinstance(expr, ast.Attribute) and expr.attr == attr and instance_of_class(expr.value)
        )
        return capture

    def _binding_write(self, binding: Binding) -> Write:
        how = "augassign" if binding.how == "augassign" else "rebind"
        return Write(binding.stmt, binding.node, how, binding, binding.values)

    def _mutations(self, matches) -> list[Write]:
        """`x.append(...)`, `x.update(...)`, `x[k] = v`, `x[k] += v` on the captured object."""
        model = self.model
        return [
            Write(stmt, node, "mutate", None, model.values_of(changed))
            for changed, node, stmt in self._mutation_sites
            if matches(changed)
        ]


def _kinds(values) -> set[Kind]:
    return {v.kind for v in values}


def _instances_made_while_tracing(model: SemanticModel, method: ast.AST) -> bool:
    """Traced code calls `method` only on an instance it has just made (`p = Processor(image)` then
    `p.normalize_image(...)` in a `Dataset.map` function, as TF's EfficientDet input pipeline does),
    and nothing traces it otherwise: each trace reads the attributes of its own new instance, so
    no write can fall between a trace and a later call of the graph it built."""
    sites = traced_call_sites(model, method)
    if not sites:
        return False
    for site in sites:
        receiver = site.func.value if isinstance(site, ast.Call) and isinstance(site.func, ast.Attribute) else None
        if not isinstance(receiver, ast.Name):
            return False
        caller = model.enclosing_function(site)
        bindings = model.reaching(receiver)
        if not bindings or not all(
            isinstance(b.stmt, ast.Assign)
            and isinstance(b.stmt.value, ast.Call)
            and model.enclosing_function(b.stmt) is caller
            and model.call_graph.instance_classes(b.stmt.value)
            for b in bindings
        ):
            return False
    return True


def _captured_kinds(capture: Capture) -> set[Kind]:
    return set().union(*(_kinds(b.values) for b in capture.bindings)) if capture.bindings else set()


class StaleCapturedValue(Rule):
    code = "TFV301"
    needs = frozenset({TRACED})
    uses_tracing = True
    name = "stale-captured-value"
    summary = "Traced code reads a Python value, NumPy array or tensor from outside that is changed after tracing."
    what = """
        Finds a module global, a closure variable or a `self` attribute that traced code
        (`@tf.function`, Keras `call`/`train_step`, `Dataset.map` functions, loss functions passed to
        `compile`, and what they call) reads, that holds a Python number, string, list, dict, a NumPy
        array or a tensor, and that is rebound or changed where it can happen after the function was
        traced: a later module-level assignment between two calls (or in a loop with a call),
        `global x; x = ...` in another function, `self.x = ...` in another method, `lst.append(...)`,
        `arr[0] = ...`, `obj.x = ...` on an instance.

        Reported once per traced function and name, at its first read there.

        Precision decisions: a write is counted only when it can follow a trace and precede a later
        call: module-level writes need a call of the traced function (or `fit`/`predict` for Keras
        code) before them and one after them, or one in a loop around them; writes in `__init__`,
        `build`, an initializer named `init` (a trainer module's `init(hparams)` setting its globals),
        a test case's `setUp`, a Keras model's `compile` and a Keras layer's shape inference
        (`compute_output_shape`, `compute_output_spec`, `compute_output_signature`) never count
        (Keras's `compile` measurably drops the cached traced functions; Keras 3 runs
        `compute_output_shape` once, when a functional model is built, tf_keras not even then, and
        neither during `fit` or `predict`), nor do those of a method that only they call
        (also a subclass's override of it), nor a write that the same method follows, on every path,
        with a call of the function that makes the traced function anew (the new function traces
        with what was written); a write in a function this file never calls (a callback, a setter)
        counts, except in a Keras layer's `adapt` or `set_vocabulary`: Keras's preprocessing contract
        keeps such state constant for the graphs traced before them (re-compile or re-map after a
        change; measured on Keras 3 and tf_keras `StringLookup`, `IntegerLookup`, `TextVectorization`
        and `Normalization`), so only this file's own calls of them between traces count. Values of
        unknown type are reported only when another write shows a Python value, NumPy array or
        tensor. A `tf.Variable` assigned with `.assign()` is never reported (case 8a), nor a value
        whose every write is its lazy initialisation (`if TABLE is None: TABLE = ...`) that the traced
        code uses without testing it: a trace made before it fails on the `None`, loudly; nor a value
        that the traced function reads only under a lazy guard (`if self._cdf is None: self._cdf =
        Make(skip=self._skip)`), which plain Python reads once too. An attribute of
        `self` in a method that traced code runs only on instances it has just made (`p =
        Processor(image)` then `p.normalize()` in a `Dataset.map` function) is not reported: each
        trace reads its own new instance.
    """
    why = """
        A traced function keeps what it read while tracing. Measured in TF 2.21, after the first call
        and then a change: a Python float global `scale = 3.0`, a `nonlocal` closure value, a
        `self.scale` of a `tf.Module` or a Keras 3 layer (also under `model.predict`), a list changed with
        `append` or `lst[0] = ...`, a NumPy array changed in place, and a rebound `tf.constant` all give
        the value from the first trace on the next call with the same signature (1 trace). A call with a
        new input signature re-traces and sees the new value, so the same function returns inconsistent
        results. In Keras `fit`, a hyper-parameter changed from a callback (`model.alpha = 0.0`) is
        silently ignored (loss stayed `[4.0, 4.0, 4.0]`; with a `tf.Variable` it became `[4.0, 0.0, 0.0]`).
    """
    example = """
        import tensorflow as tf

        scale = 2.0

        @tf.function
        def apply(x):
            return x * scale

        print(apply(tf.constant(1.0)))
        scale = 3.0
        print(apply(tf.constant(1.0)))
    """
    use_instead = """
        import tensorflow as tf

        scale = tf.Variable(2.0, trainable=False)

        @tf.function
        def apply(x):
            return x * scale

        print(apply(tf.constant(1.0)))
        scale.assign(3.0)
        print(apply(tf.constant(1.0)))
    """
    fix_safety = """
        Unsafe, and offered only for a number written with `=`, `+=`, `-=`, `*=` or `/=` where every
        write is in this file and the first value is a float literal: the first binding becomes
        `tf.Variable(<value>, trainable=False)` and each later write an `.assign(...)` /
        `.assign_add(...)` / `.assign_sub(...)` (a `global x` left without a write is removed). Code
        that uses the name as a Python number (formatting, `if`, arithmetic with float64 tensors) then
        sees a float32 variable. No fix for ints (an int32 variable does not mix with float tensors),
        strings, lists, dicts, NumPy arrays, tensors, or values first set from a parameter.
    """

    def check(self) -> Iterator[Diagnostic]:
        captures = _Captures.of(self.model)
        for capture in captures.captures:
            kinds = _captured_kinds(capture)
            if Kind.VARIABLE in kinds or not kinds or not kinds <= _TOLERATED_KINDS or not kinds & _FROZEN_KINDS:
                continue
            if capture.key.startswith("self.") and _instances_made_while_tracing(self.model, capture.func):
                continue
            later = [w for w in capture.writes if self.counts(w) and captures.later(capture, w)]
            if not later or self.initialised_lazily(capture, later) or self.read_only_lazily(capture):
                continue
            first = min(later, key=lambda w: (w.line, w.node.col_offset))
            change = "changed in place" if first.how == "mutate" else "rebound"
            more = f" (and {len(later) - 1} more write{'s' if len(later) > 2 else ''})" if len(later) > 1 else ""
            held = self.what_it_holds(capture, kinds)
            if held in ("a Python number", "a NumPy array", "a tensor (captured by value)", "a Python value"):
                advice = "hold it in `tf.Variable(..., trainable=False)` and `.assign()` it, or pass it as a tensor argument"
            else:
                advice = "pass it as an argument (a new value re-traces), or keep what changes in a `tf.Variable`"
            message = (
                f"`{capture.key}` holds {held} that traced {describe(self.model, capture.func)} reads, but it is "
                f"{change} on line {first.line}{more} after tracing: calls with the same signature keep the "
                f"value from the first trace; {advice}"
            )
            yield self.diagnostic(capture.load, message, self.variable_fix(capture, later))

    def initialised_lazily(self, capture: Capture, later: list[Write]) -> bool:
        """Every write is the lazy initialisation `if X is None: X = ...` (keras-cv's 64 MB colour
        table), and the traced function uses the value without testing it: a trace made before the
        initialisation fails on the `None`, loudly, and one made after reads the value for good."""
        model = self.model
        for write in later:
            func = model.enclosing_function(write.stmt)
            if func is None or not lazily_guarded(model, write.stmt, func):
                return False
        for node in ast.walk(capture.func):
            if isinstance(node, (ast.If, ast.IfExp, ast.While)) and none_guard(node.test)[0] == capture.key:
                return False
            if isinstance(node, ast.BoolOp) and any(none_guard(v)[0] == capture.key for v in node.values):
                return False
        return True

    def read_only_lazily(self, capture: Capture) -> bool:
        """Every read in the traced function sits under a lazy guard (`if self._cdf is None: self._cdf =
        Make(skip=self._skip)`, trieste's expected improvement): plain Python reads it once too, so the
        trace keeps what an eager run would have used."""
        model = self.model
        reads = [
            node
            for node in own_nodes_of(model, capture.func)
            if isinstance(node, (ast.Name, ast.Attribute)) and type(node.ctx) is ast.Load and dotted_path(node) == capture.key
        ]
        return bool(reads) and all(lazily_guarded(model, node, capture.func) for node in reads)

    @staticmethod
    def counts(write: Write) -> bool:
        if write.how == "mutate":
            return bool(_kinds(write.values) & {Kind.PYTHON, Kind.NUMPY})
        return True

    @staticmethod
    def what_it_holds(capture: Capture, kinds: set[Kind]) -> str:
        values = [getattr(b.stmt, "value", None) for b in capture.bindings]
        if any(isinstance(v, ast.Constant) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool) for v in values):
            return "a Python number"
        if any(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
            return "a Python string"
        if any(isinstance(v, (ast.List, ast.ListComp)) for v in values):
            return "a Python list"
        if any(isinstance(v, (ast.Dict, ast.DictComp)) for v in values):
            return "a Python dict"
        if Kind.NUMPY in kinds:
            return "a NumPy array"
        if kinds & {Kind.TENSOR, Kind.TENSOR_LIST} and Kind.PYTHON not in kinds:
            return "a tensor (captured by value)"
        return "a Python value"

    # ---- the fix ----------------------------------------------------------------------------

    def variable_fix(self, capture: Capture, later: list[Write]):
        model = self.model
        tf = tensorflow_alias(model)
        if tf is None or any(w.how == "mutate" for w in capture.writes):
            return None
        later_ids = {id(w) for w in later}
        initial = [w for w in capture.writes if id(w) not in later_ids]
        if len(initial) != 1 or len(capture.writes) != len(capture.bindings):
            return None
        first = initial[0]
        stmt = first.stmt
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or dotted_path(stmt.targets[0]) is None:
            return None
        if _numeric_literal(stmt.value) is not float:
            return None  # an int would make an int32 variable, which does not mix with float tensors
        edits = [self.replace(stmt.value, f"{tf}.Variable({self.text(stmt.value)}, trainable=False)")]
        for write in later:
            edit = self.assign_edit(write)
            if edit is None:
                return None
            edits.append(edit)
        edits.extend(self.unused_globals(capture, later))
        return self.fix(f"Hold `{capture.key}` in a non-trainable `tf.Variable` and assign to it", *edits, safe=False)

    def assign_edit(self, write: Write) -> Edit | None:
        stmt = write.stmt
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1 or stmt.targets[0] is not write.node or not _numeric(stmt.value):
                return None
            return self.replace(stmt, f"{self.text(write.node)}.assign({as_argument(stmt.value, self.text(stmt.value))})")
        if isinstance(stmt, ast.AugAssign) and stmt.target is write.node and _numeric(stmt.value):
            target, value = self.text(stmt.target), self.text(stmt.value)
            if isinstance(stmt.op, ast.Add):
                return self.replace(stmt, f"{target}.assign_add({as_argument(stmt.value, value)})")
            if isinstance(stmt.op, ast.Sub):
                return self.replace(stmt, f"{target}.assign_sub({as_argument(stmt.value, value)})")
            if isinstance(stmt.op, (ast.Mult, ast.Div)):
                operand = as_right_operand(stmt.value, value, stmt.op)
                return self.replace(stmt, f"{target}.assign({target} {OPERATOR_SYMBOLS[type(stmt.op)]} {operand})")
        return None

    def unused_globals(self, capture: Capture, later: list[Write]) -> list[Edit]:
        """`global x` statements that declare only `x`, in functions whose writes all became `.assign`."""
        model = self.model
        if "." in capture.key:
            return []
        edits = []
        functions = {id(f): f for w in later for f in [model.enclosing_function(w.stmt)] if f is not None}
        for func in functions.values():
            if any(
                isinstance(n, ast.Name) and n.id == capture.key and isinstance(n.ctx, (ast.Store, ast.Del))
                and not any(w.node is n for w in later)
                for n in ast.walk(func)
            ):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Global) and node.names == [capture.key] and model.enclosing_function(node) is func:
                    line = self.source.line(node.lineno)
                    if line.strip() == self.text(node) and node.end_lineno == node.lineno:
                        edits.append(Edit(Position(node.lineno, 0), Position(node.lineno + 1, 0), ""))
        return edits


def _numeric_literal(node: ast.AST) -> type | None:
    """int or float for `3`, `-0.5`, `1e-3`; None otherwise (bools are not numbers here)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return type(node.value)
    return None


def _numeric(node: ast.AST) -> bool:
    """No string, bool or container literal: a value a float variable can take."""
    for sub in ast.walk(node):
        if isinstance(sub, (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.JoinedStr, ast.ListComp, ast.DictComp)):
            return False
        if isinstance(sub, ast.Constant) and type(sub.value) not in (int, float):
            return False
    return True


class CapturedVariableRebound(Rule):
    code = "TFV302"
    needs = frozenset({TRACED})
    uses_tracing = True
    # The capture is the sharper explanation of the same line than a plain rebinding.
    supersedes = ("TFV104", "TFV105")
    name = "captured-variable-rebound"
    summary = "A name or attribute holding a variable that traced code captured is rebound after tracing."
    what = """
        Finds `v = tf.Variable(5.0)`, `v = tf.constant(...)`, `self.w = ...` or `layer.w = ...` where the
        name or attribute holds a variable that traced code (`@tf.function`, Keras `call`/`train_step`,
        `Dataset.map` functions, and what they call) reads, and the rebinding can happen after the
        function was traced (the timing rules of TFV301).

        Not reported: `v.assign(...)` / `assign_add` / `assign_sub` from outside (tf-semantics case 8a:
        the trace reads the variable by reference and sees the new value), rebinding to `None`, `+=`
        (TFV102), updates computed from the variable itself (`v = v - x`, `v = tf.Variable(v * 2)`:
        TFV101/TFV105 report them with a better fix), and rebindings inside the traced function itself
        (TFV101, TFV104).

        Precision decisions: the rebinding must be able to run between two calls of the traced
        function (see TFV301); the only write of a name, run once, is what the trace captured and
        never counts, nor does the first variable stored over a `None` placeholder (`self.step =
        None` in `__init__`, then `self.step = tf.Variable(0)` in an initialisation method that this
        file calls at most once, outside loops): a rebind would need that method to run twice. A new value of unknown type is still reported (whatever it is, the trace keeps
        the old variable), but gets no fix. A re-creation that TFV104/TFV105 also report is reported
        by both: TFV302 adds which traced function goes stale.
    """
    why = """
        The trace holds the old variable's resource, not the name. Measured in TF 2.21: after
        `v = tf.Variable(5.)` the traced `f()` still returns `2.0` from the old `v` (1 trace), and it
        keeps doing so even after the old Python object is garbage-collected: no error, no warning.
        On a built Keras 3 layer `layer.w = tf.Variable(5.)` is accepted and the traced function stays
        stale while an eager call sees the new one (`layer.w = keras.Variable(5.)` raises
        `ValueError: You cannot add new elements of state ...`).
    """
    example = """
        import tensorflow as tf

        v = tf.Variable(1.0)

        @tf.function
        def double():
            return v * 2

        print(double())
        v = tf.Variable(5.0)
        print(double())
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(1.0)

        @tf.function
        def double():
            return v * 2

        print(double())
        v.assign(5.0)
        print(double())
    """
    fix_safety = """
        Unsafe: `v = tf.Variable(new, ...)` becomes `v.assign(new)` and `v = <tensor or number>` becomes
        `v.assign(<value>)`. The value must fit the variable's dtype and shape, other arguments of the
        constructor (`name`, `trainable`) are dropped, and code that wanted a separate new variable
        (another owner of the old one) now shares one. No fix when the new value's type is unknown.
    """

    def check(self) -> Iterator[Diagnostic]:
        model = self.model
        captures = _Captures.of(model)
        reported: set[int] = set()
        for capture in captures.captures:
            created = [v for b in capture.bindings for v in b.values if v.kind is Kind.VARIABLE]
            if not created:
                continue
            for write in capture.writes:
                stmt = write.stmt
                if (
                    write.how != "rebind"
                    or id(stmt) in reported
                    or not isinstance(stmt, (ast.Assign, ast.AnnAssign))
                    or _kinds(write.values) <= {Kind.NONE}
                    or self.reads_itself(stmt, capture.key)
                    or self.first_variable(capture, write)
                    or not captures.later(capture, write)
                ):
                    continue
                reported.add(id(stmt))
                old = [v for b in model.replaced(write.node) for v in b.values if v.kind is Kind.VARIABLE] or created
                line = min((v.line for v in old if v.line), default=None)
                where = f" (created on line {line})" if line else ""
                shown = self.text(write.node)
                message = (
                    f"`{shown} = ...` rebinds a variable{where} that traced {describe(model, capture.func)} "
                    f"captured: the traced function keeps using the old variable, silently; update it in place "
                    f"with `{shown}.assign(...)`"
                )
                yield self.diagnostic(stmt, message, self.assign_fix(write))

    def first_variable(self, capture: Capture, write: Write) -> bool:
        """The write stores the first variable over a `None` placeholder (`self.step = None` in
        `__init__`, then `self.step = tf.Variable(0)` in an initialisation method), is the only
        other write, and runs once as far as this file tells (its function called at most once,
        outside loops): a rebind would need it to run twice."""
        model = self.model
        replaced = model.replaced(write.node)
        if not replaced or not all(_kinds(b.values) <= {Kind.NONE} for b in replaced):
            return False
        if any(w is not write and not _kinds(w.values) <= {Kind.NONE} for w in capture.writes):
            return False
        func = model.enclosing_function(write.stmt)
        if model.enclosing_loops(write.stmt):
            return False
        if func is None:
            return True
        sites = model.call_graph.sites(func)
        return len(sites) <= 1 and not any(model.enclosing_loops(site) for site in sites)

    @staticmethod
    def reads_itself(stmt: ast.stmt, key: str) -> bool:
        """`v = v - x`, `v = v.assign(...)`, `v = tf.Variable(v * 2)`: an update TFV101/TFV103/TFV105
        report, with a better fix."""
        value = getattr(stmt, "value", None)
        return value is not None and any(
            isinstance(n, (ast.Name, ast.Attribute)) and isinstance(n.ctx, ast.Load) and dotted_path(n) == key
            for n in ast.walk(value)
        )

    def assign_fix(self, write: Write):
        stmt = write.stmt
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            return None
        if any(Kind.NONE in _kinds(b.values) for b in self.model.replaced(write.node)):
            return None  # where it held None until now, `.assign` would raise
        value = stmt.value
        made = self.model.variables_made_by(value)
        if made:
            if not {v.api for v in made} <= _VALUE_FIRST_FACTORIES:
                return None
            value = value.args[0] if value.args else next(
                (k.value for k in value.keywords if k.arg in ("initial_value", "value")), None
            )
            if value is None or isinstance(value, ast.Starred):
                return None
        elif not _kinds(self.model.values_of(value)) <= _FROZEN_KINDS - {Kind.TENSOR_LIST}:
            return None
        return self.fix(
            f"Assign into the captured variable with `{self.text(write.node)}.assign(...)`",
            self.replace(stmt, f"{self.text(write.node)}.assign({as_argument(value, self.text(value))})"),
            safe=False,
        )
