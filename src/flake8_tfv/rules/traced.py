"""TFV303 and TFV306: state created inside traced code (`tf.function`, Keras `call`/`train_step`,
`Dataset.map` functions) and `.numpy()` there; and the helpers every TFV3xx rule shares (which
code is traced, how to name it, lazy guards). Trace-time side effects and randomness are in
trace_time.py, stale captures in captures.py, retracing in retracing.py."""
from __future__ import annotations

import ast
from typing import Iterator

from ..codegen import precedence
from ..diagnostic import Diagnostic
from ..model import api
from ..model.eager import MAY_PRUNE, cannot_run_while_traced, in_init_scope, pruned_children
from ..model.flow import dotted_path, none_guard
from ..model.needs import TRACED
from ..model.scopes import FUNCTION_NODES
from ..model.semantic import INIT_METHODS, SemanticModel
from ..model.traced import function_name
from ..model.values import Kind
from ..model.walk import child_nodes
from .base import Rule

# ---- helpers shared by the TFV3xx rules --------------------------------------------------------

# `tf.executing_eagerly()` and the like are model/eager.py's; this one says whether tf.functions
# run as Python, which keeps their code from being traced, but it is True inside a Dataset.map
# trace too once `tf.config.run_functions_eagerly(True)` is set (measured: `.numpy()` there raises
# "AttributeError: 'SymbolicTensor' object has no attribute 'numpy'"), so it only silences rules,
# and not in a function mapped over a dataset.
_EXECUTING_EAGERLY = frozenset({"tensorflow.config.functions_run_eagerly"})
SINGLETON_ERROR = "ValueError: tf.function only supports singleton tf.Variables created on the first call"
KERAS_STATE_ERROR = (
    "ValueError: You cannot add new elements of state (variables or sub-layers) to a layer that is already built"
)


def traced_functions(model: SemanticModel) -> list[ast.AST]:
    """Every function whose body runs while TensorFlow traces (nested ones included)."""
    found = model.shared.get(traced_functions)
    if found is None:
        if model.traced:
            found = [n for n in model.call_graph.functions if model.trace_reason(n) is not None]
            found.sort(key=lambda n: (n.lineno, n.col_offset))
        else:
            found = []
        model.shared[traced_functions] = found
    return found


def own_nodes_of(model: SemanticModel, func: ast.AST) -> list[ast.AST]:
    """`own_nodes(func)`, walked once per file however many rules look through it."""
    key = (own_nodes, id(func))
    found = model.shared.get(key)
    if found is None:
        found = model.shared[key] = list(own_nodes(func, model))
    return found


def own_nodes(func: ast.AST, model: SemanticModel | None = None) -> Iterator[ast.AST]:
    """The nodes of a function's own body in source order; nested functions and classes are left
    to themselves (their decorators and defaults run here, so they are visited). With `model`,
    code that cannot run while TensorFlow traces (`if tf.executing_eagerly():`) is left out."""
    stack: list[ast.AST] = [func.body] if isinstance(func, ast.Lambda) else list(reversed(func.body))
    if model is not None:
        pruned = pruned_children(model, func)
        stack = [n for n in stack if id(n) not in pruned]
    while stack:
        node = stack.pop()
        if isinstance(node, FUNCTION_NODES + (ast.ClassDef,)):
            parts = list(getattr(node, "decorator_list", []))
            args = getattr(node, "args", None)
            if args is not None:
                parts += [d for d in args.defaults + args.kw_defaults if d is not None]
            stack.extend(reversed(parts))
            continue
        yield node
        children = child_nodes(node)
        if model is not None and isinstance(node, MAY_PRUNE):
            pruned = pruned_children(model, node)
            children = [c for c in children if id(c) not in pruned]
        stack.extend(reversed(children))


def describe(model: SemanticModel, func: ast.AST) -> str:
    """"`helper` (traced via `step` -> `helper`, where `step` is decorated with @tf.function)"."""
    name = function_name(model, func)
    reason = model.traced.get(id(func))
    if reason is not None:
        return f"`{name}` ({reason.explain()})"
    outer = model.enclosing_function(func)
    while outer is not None and id(outer) not in model.traced:
        outer = model.enclosing_function(outer)
    if outer is None:
        return f"`{name}`"
    return f"`{name}` (defined in `{function_name(model, outer)}`, {model.traced[id(outer)].explain()})"


def tensorflow_alias(model: SemanticModel) -> str | None:
    """The name a module-level `import tensorflow [as tf]` binds, for code a fix writes."""
    for stmt in model.tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name == "tensorflow":
                    return alias.asname or "tensorflow"
    return None


def contains(block: list[ast.stmt], node: ast.AST) -> bool:
    return any(stmt is node for stmt in block)


def eager_only(model: SemanticModel, node: ast.AST, func: ast.AST) -> bool:
    """Inside `if tf.executing_eagerly():` (or the `else` of its negation, and the other forms
    of model/eager.py) or `if tf.config.functions_run_eagerly():` within `func` (not mapped over a dataset)."""
    if cannot_run_while_traced(model, node, func):
        return True
    child = node
    for ancestor in model.ancestors(node):
        if ancestor is func:
            return False
        if isinstance(ancestor, ast.If):
            test, negated = ancestor.test, False
            if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                test, negated = test.operand, True
            if isinstance(test, ast.Call) and model.qualified_name(test.func) in _EXECUTING_EAGERLY:
                if contains(ancestor.orelse if negated else ancestor.body, child) and not _mapped_over_dataset(model, func):
                    return True
        child = ancestor
    return False


def _mapped_over_dataset(model: SemanticModel, func: ast.AST) -> bool:
    """Traced because a `Dataset.map` (or a function it calls) runs it: traced whatever
    `run_functions_eagerly` says."""
    reason = model.traced.get(id(func))
    return reason is not None and reason.origin.how == "dataset"


def outside_trace(model: SemanticModel, bindings) -> bool:
    """Every binding is made outside traced code (a module global, a closure variable of an
    eager function, an attribute set in `__init__`): what traced code reads as a capture."""
    return bool(bindings) and all(model.trace_reason(b.stmt) is None for b in bindings)


def _nonlocal_key(model: SemanticModel, key: str, func: ast.AST) -> bool:
    """A guard key that outlives one trace: an attribute, or a global / free name of `func`
    (also through a constant index: `cache[0]` of a closure list)."""
    key = key.split("[", 1)[0]
    if "." in key:
        return True
    scope = model.scope_for(func)
    if scope is None:
        return False
    return key in scope.global_names or key in scope.nonlocal_names or key not in scope.local_names


def _none_test(test: ast.expr) -> tuple[str | None, bool]:
    key, missing, _ = none_guard(test)
    return key, missing


def _guard_test(test: ast.expr) -> tuple[str | None, bool]:
    membership = _membership_test(test)
    return membership if membership is not None else _none_test(test)


def _membership_test(test: ast.expr) -> tuple[str | None, bool] | None:
    """`name not in self.tables` (body runs only when the entry is missing) and `name in
    self.tables`, also negated with `not`: a cache of state by key, filled on the first trace that
    asks for the key (measured: a tf.function and a tf.Module with `if "w" not in cache: cache["w"] =
    tf.Variable(...)` work, trained, like the None guard; a key first asked on a later trace
    raises ValueError there, loudly). The key is the container's."""
    negated = False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negated, test = True, test.operand
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn))):
        return None
    container = dotted_path(test.comparators[0])
    if container is None:
        return None
    return container, isinstance(test.ops[0], ast.NotIn) != negated


def _guard_tests(test: ast.expr) -> Iterator[tuple[str | None, bool]]:
    """(key, body-runs-only-when-missing) for `x is None`, `not x`, `not hasattr(o, "x")`, `k not
    in self.cache`, and such tests joined by `and` (every part must hold, so each one guards)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        for value in test.values:
            key, missing = _guard_test(value)
            if missing:
                yield key, True
        return
    yield _guard_test(test)


def _lifted(model: SemanticModel, node: ast.AST, func: ast.AST) -> bool:
    """Under `with tf.init_scope():` in `func`, or in a lambda handed straight to a call made there
    (`tf.nest.map_structure(lambda t: tf.Variable(...), ...)`, which runs it right away)."""
    if in_init_scope(model, node, func):
        return True
    return isinstance(func, ast.Lambda) and isinstance(model.parent(func), ast.Call) and in_init_scope(model, func)


def _predicate_test(model: SemanticModel, test: ast.expr) -> ast.expr | None:
    """`self._needs_init()` whose method only returns a test of the instance (`return
    self._projections is None`, tensorflow_gnn's HGT layer): that test; None otherwise."""
    if not (isinstance(test, ast.Call) and not test.args and not test.keywords and isinstance(test.func, ast.Attribute)):
        return None
    if not (isinstance(test.func.value, ast.Name) and test.func.value.id == "self"):
        return None
    methods = model.call_graph.targets(test)
    if len(methods) != 1:
        return None
    body = [stmt for stmt in methods[0].body if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return None
    args = methods[0].args.posonlyargs + methods[0].args.args
    return body[0].value if args and args[0].arg == "self" else None


def traced_call_sites(model: SemanticModel, func: ast.AST) -> list[ast.AST] | None:
    """The calls in traced code that run `func`, when that is the only way it is traced (not a root
    of its own); None otherwise."""
    reason = model.traced.get(id(func))
    if reason is None or reason.how != "called":
        return None
    return [site for site in model.call_graph.sites(func) if model.trace_reason(site) is not None]


def lazily_guarded(model: SemanticModel, node: ast.AST, func: ast.AST) -> bool:
    """Under `if self.v is None:` / `if v is None:` (global) / `if not self.built:` within `func`,
    or after an early `if self.v is not None: return ...`: created once, on the first trace."""
    child = node
    for ancestor in model.ancestors(node):
        for block in ("body", "orelse", "finalbody"):
            stmts = getattr(ancestor, block, None)
            if isinstance(stmts, list) and contains(stmts, child) and _after_early_exit(model, stmts, child, func):
                return True
        if ancestor is func:
            break
        if isinstance(ancestor, ast.If):
            for key, missing in _guard_tests(_predicate_test(model, ancestor.test) or ancestor.test):
                if key is not None and not _nonlocal_key(model, key, func):
                    key = _looked_up_in_cache(model, ancestor, key, func)
                if key is None:
                    continue
                if contains(ancestor.body if missing else ancestor.orelse, child):
                    return True
        child = ancestor
    return False


def _looked_up_in_cache(model: SemanticModel, guard: ast.If, local: str, func: ast.AST) -> str | None:
    """`counter = self.counters.get(name)` just before `if counter is None:`, whose body stores
    into `self.counters[...]` (OpenNMT-tf's words counters): a cache by key, as `if name not in
    self.counters:` is; the cache's key, or None."""
    parent = model.parent(guard)
    block = next(
        (stmts for field in ("body", "orelse", "finalbody")
         if isinstance(stmts := getattr(parent, field, None), list) and any(s is guard for s in stmts)),
        None,
    )
    if block is None:
        return None
    index = next(i for i, s in enumerate(block) if s is guard)
    previous = block[index - 1] if index else None
    if not (
        isinstance(previous, ast.Assign)
        and len(previous.targets) == 1
        and isinstance(previous.targets[0], ast.Name)
        and previous.targets[0].id == local
        and isinstance(previous.value, ast.Call)
        and isinstance(previous.value.func, ast.Attribute)
        and previous.value.func.attr == "get"
    ):
        return None
    container = dotted_path(previous.value.func.value)
    if container is None or not _nonlocal_key(model, container, func):
        return None
    stored = any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Subscript) and dotted_path(t.value) == container for t in node.targets)
        for stmt in guard.body
        for node in ast.walk(stmt)
    )
    return container if stored else None


def _after_early_exit(model: SemanticModel, block: list[ast.stmt], stmt: ast.AST, func: ast.AST) -> bool:
    for previous in block:
        if previous is stmt:
            return False
        if isinstance(previous, ast.If) and previous.body and isinstance(previous.body[-1], (ast.Return, ast.Raise)):
            for key, missing in _guard_tests(previous.test):
                if key is not None and not missing and _nonlocal_key(model, key, func):
                    return True
    return False


def is_builtin_call(model: SemanticModel, call: ast.Call, name: str) -> bool:
    func = call.func
    return isinstance(func, ast.Name) and func.id == name and not model.reaching(func)


# ---- TFV303 -----------------------------------------------------------------------------------

_KERAS_OPTIMIZER_MODULES = (
    "keras.optimizers.",
    "tensorflow.keras.optimizers.",
    "tf_keras.optimizers.",
    "tensorflow.optimizers.",
)
_METRIC_MODULES = ("keras.metrics.", "tensorflow.keras.metrics.", "tf_keras.metrics.")
# Keras layers that make no variables, measured inside tf.function with Keras 3 (Dropout,
# GaussianNoise and the random augmentation layers make a seed variable there; in tf_keras they
# do not).
_STATELESS_LAYERS = frozenset(
    {
        "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Flatten", "Reshape",
        "Permute", "RepeatVector", "Lambda", "Masking", "Identity", "Rescaling", "UnitNormalization",
        "ActivityRegularization", "CenterCrop", "Resizing", "Concatenate", "Add", "Subtract",
        "Multiply", "Average", "Maximum", "Minimum", "Dot", "MaxPooling1D", "MaxPooling2D",
        "MaxPooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AveragePooling1D", "AveragePooling2D",
        "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalMaxPooling1D",
        "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
        "GlobalAveragePooling3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
        "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "ZeroPadding1D", "ZeroPadding2D",
        "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D",
        "UpSampling3D",
    }
)
_STATELESS_TF_KERAS_LAYERS = frozenset(
    {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout"}
)


def _stateless_layer(qualname: str) -> bool:
    name = qualname.rpartition(".")[2]
    return name in _STATELESS_LAYERS or (qualname.startswith("tf_keras.") and name in _STATELESS_TF_KERAS_LAYERS)


# Wrapper layers that make no weights of their own, and the argument naming what they wrap.
# Measured inside a tf.function called twice and retraced (TF 2.21, tf_keras and Keras 3):
# `RNN(cell)` and `TimeDistributed(layer)` made on every call work when what they wrap makes no
# variables, and raise the singleton ValueError when it does (`SimpleRNNCell`, `Dense`) or with
# `RNN(..., stateful=True)`, which makes its state variables. `Bidirectional` is not among them:
# it copies its layer through `get_config`/`from_config`, which fails while tracing for other reasons.
_WEIGHTLESS_WRAPPERS = {"RNN": "cell", "TimeDistributed": "layer"}
_RNN_STATEFUL_POSITION = 4  # RNN(cell, return_sequences, return_state, go_backwards, stateful, ...)
# Base classes that make no variables themselves: a subclass makes only what its own code makes.
_WEIGHTLESS_BASES = frozenset(
    {f"{module}{name}" for module in api.LAYER_MODULES for name in ("Layer", "AbstractRNNCell")}
    | {"keras.Layer", "tensorflow.keras.Layer"}
)
# What a cell's set-up code may store without it being a sub-layer: shapes and dtypes of its arguments.
_PLAIN_ATTRIBUTES = frozenset({"shape", "dtype", "ndim", "rank"})
_NOT_LAYER_KINDS = frozenset({Kind.TENSOR, Kind.TENSOR_LIST, Kind.NUMPY, Kind.PYTHON, Kind.NONE})


def weightless_class(model: SemanticModel, cls: ast.ClassDef, seen: frozenset = frozenset()) -> bool:
    """A layer class of this file proven to make no variables: its bases are this file's classes or
    plain `Layer`/`AbstractRNNCell`, nothing in it makes a variable, weight or sub-layer that has
    weights, its set-up methods (`__init__`, `build`) call only TensorFlow ops and `super()`, and a
    value they store that could be a layer handed in (`self.inner = inner`) is never called or
    handed on (a layer makes its weights when first called)."""
    if id(cls) in seen:
        return False
    seen = seen | {id(cls)}
    lineage = model.class_lineage(cls)
    local = {id(klass) for klass in lineage}
    handed_in: set[str] = set()
    methods = []
    for klass in lineage:
        for base in klass.bases:
            if model.qualified_name(base) in _WEIGHTLESS_BASES:
                continue
            if not any(v.kind is Kind.CLASS and id(v.origin) in local for v in model.values_of(base)):
                return False
        for item in klass.body:
            setup = isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in INIT_METHODS
            for node in ast.walk(item):
                if isinstance(node, ast.Call) and not _weightless_call(model, node, setup, seen):
                    return False
                if setup and isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    if _may_hold_layer(model, node.value):
                        handed_in.update(t.attr for t in targets if isinstance(t, ast.Attribute))
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.args.args:
                methods.append((item, item.args.args[0].arg))
    return not any(
        isinstance(node, ast.Attribute) and node.attr in handed_in and isinstance(node.value, ast.Name)
        and node.value.id == self_name and _used_as_layer(model, node)
        for method, self_name in methods
        for node in ast.walk(method)
    )


def _used_as_layer(model: SemanticModel, load: ast.Attribute) -> bool:
    """`self.inner(...)`, `self.inner.build(...)`, or `self.inner` handed to a call that is not a
    TensorFlow op (which could call it)."""
    parent = model.parent(load)
    if isinstance(parent, ast.Call) and parent.func is load:
        return True
    if isinstance(parent, ast.Attribute):
        grand = model.parent(parent)
        return isinstance(grand, ast.Call) and grand.func is parent
    if isinstance(parent, ast.keyword):
        parent = model.parent(parent)
    if isinstance(parent, ast.Call):
        qualname = model.qualified_name(parent.func)
        return not (qualname and api.classify_call(qualname) in (Kind.TENSOR, Kind.TENSOR_LIST))
    return False


def _weightless_call(model: SemanticModel, call: ast.Call, setup: bool, seen: frozenset) -> bool:
    for value in model.values_of(call):
        if value.kind in (Kind.VARIABLE, Kind.OPTIMIZER):
            return False
        if value.kind is Kind.LAYER and not (value.api and _stateless_layer(value.api)):
            return False
        if value.kind is Kind.INSTANCE and isinstance(value.origin, ast.ClassDef):
            if not weightless_class(model, value.origin, seen):
                return False
        elif value.kind is Kind.UNKNOWN and setup and not _calls_super(call):
            return False  # a helper or factory could make a weight or a sub-layer
    return True


def _calls_super(call: ast.Call) -> bool:
    """`super()`, `super().__init__(...)`, `super(C, self).build(...)`."""
    func = call.func.value.func if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call) else call.func
    return isinstance(func, ast.Name) and func.id == "super"


def _may_hold_layer(model: SemanticModel, expr: ast.AST) -> bool:
    """Whether a value stored on the cell could be a layer (then Keras tracks its weights too)."""
    values = model.values_of(expr)
    if values and all(v.kind in _NOT_LAYER_KINDS for v in values):
        return False
    if isinstance(expr, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Call)):
        return False  # calls are judged by `_weightless_call`
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        return any(_may_hold_layer(model, e) for e in expr.elts)
    if isinstance(expr, (ast.Attribute, ast.Subscript)):
        node = expr
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Attribute) and node.attr in _PLAIN_ATTRIBUTES:
                return False
            node = node.value
    return True


class StateCreatedInTracedCode(Rule):
    code = "TFV303"
    needs = frozenset({TRACED})
    uses_tracing = True
    # In traced code an optimizer made per call raises the singleton ValueError: that is the symptom.
    supersedes = ("TFV401",)
    name = "state-created-in-traced-code"
    summary = "A variable, optimizer, metric or Keras layer is created inside traced code."
    what = """
        Finds `tf.Variable(...)`, `tf.compat.v1.get_variable`, `keras.Variable`, `K.variable`,
        `self.add_weight(...)`, a Keras optimizer, a Keras metric, or a Keras layer that makes
        weights, created inside a `@tf.function`, a Keras `call`/`train_step`, a `Dataset.map`
        function, or a function called from one.

        Not reported: creation under the lazy guard `if self.v is None:` / `if v is None:` (a global) /
        `if not self.built:` / `if not hasattr(self, "v"):` / `if getattr(self, "v", None) is None:` / `if name not in self.tables:` (a cache
        by key, filled on the first trace that asks for the key; also `v = self.tables.get(name)`
        then `if v is None:` with a body that stores into `self.tables[...]`) (also spelt as a method that returns
        such a test, `if self._needs_init():`), or after an early
        `if self.v is not None: return ...` / `if name in self.tables: return ...`, also when the guarded code calls a helper that creates the
        variable; creation under `with tf.init_scope():`, which lifts it out of the function's graph on
        purpose: called inside a TF1 graph, as TensorFlow Federated's `tf_computation` calls its
        functions, it works (measured), and in an eager `tf.function` it raises on the first call,
        loudly; anything created in `__init__` or `build`, or in a method decorated with Sonnet's
        `@snt.once`; layers that make no variables
        (`Flatten`, `Reshape`, `Activation`, pooling, merging, padding layers), and an `RNN` or
        `TimeDistributed` wrapping only such layers or cells of a class of this file that makes no
        variables (no weight, variable or sub-layer; bases only `Layer`/`AbstractRNNCell`), unless
        the `RNN` is `stateful=True`; code passed to `tf.py_function`.
    """
    why = """
        TensorFlow traces a function twice when it creates variables, and the second trace creates them
        again, so an unguarded `v = tf.Variable(1.0)` in a `tf.function` fails already on the FIRST call,
        and on every call after it, with

        `ValueError: tf.function only supports singleton tf.Variables created on the first call. Make sure the tf.Variable is only created once or created outside tf.function.`

        The same error comes from `self.v = tf.Variable(...)` in a `tf.function` method of a `tf.Module`,
        from a Keras optimizer or metric constructed there (they make their `iterations`/`total`
        variables), from a `Dense` layer created and called there, and from a `tf.Variable` in a
        `Dataset.map` function, also under `with tf.init_scope():`. In Keras 3, `self.add_weight`
        inside `call` raises
        `ValueError: You cannot add new elements of state (variables or sub-layers) to a layer that is already built.`
        even eagerly. (A TF 2.21 quirk makes it worse: when the first trace created a variable and then
        raised, later calls silently return `None`.)

        Precision: only calls known to make state are reported; a layer class known to make no
        variables is not (measured: `Flatten`, `Reshape`, `Activation`, pooling, merging, `Rescaling`
        and `Lambda` work inside `tf.function`; Keras 3 `Dropout` and `GaussianNoise` do not, because
        they make a seed variable). An `RNN`/`TimeDistributed` made per call around a cell that makes
        no variables works too, called twice and retraced (tf_keras and Keras 3); around
        `SimpleRNNCell` or `Dense`, or with `stateful=True`, it raises the error above. A cell that
        cannot be seen (a parameter, another module's class) is reported. A guard on a local name (`v = None; if v is None: ...`) does not
        count: it is re-run on every trace.
    """
    example = """
        import tensorflow as tf

        @tf.function
        def step(x):
            v = tf.Variable(1.0)
            v.assign_add(x)
            return v
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(1.0)

        @tf.function
        def step(x):
            v.assign_add(x)
            return v
    """
    fix_safety = """
        No fix: where the state belongs (`__init__`, `build`, module level, a lazy guard) is a design
        decision. The message names the traced function and how it is traced.
    """

    def check(self) -> Iterator[Diagnostic]:
        model = self.model
        for func in traced_functions(model):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                func.name in INIT_METHODS or any(_runs_once(d) for d in func.decorator_list)
            ):
                continue
            for node in own_nodes_of(model, func):
                if not isinstance(node, ast.Call):
                    continue
                made = self.made(node)
                if made is None:
                    continue
                if made_once(model, node, func):
                    continue
                what, error = made
                message = (
                    f"`{self.text(node.func)}(...)` creates {what} inside traced {describe(model, func)}: "
                    f"{error}; create it once, in `__init__`/`build` or outside the traced function, "
                    f"or lazily under `if self.<name> is None:`"
                )
                yield self.diagnostic(node, message)

    def made(self, call: ast.Call) -> tuple[str, str] | None:
        model = self.model
        singleton = f'TensorFlow raises "{SINGLETON_ERROR}" (already on the first call)'
        for value in model.values_of(call):
            if value.kind is Kind.VARIABLE and value.origin is call:
                if value.api in api.VARIABLE_METHODS:
                    return "a Keras weight", (
                        f'Keras 3 raises "{KERAS_STATE_ERROR}" and under tf.function TensorFlow raises "{SINGLETON_ERROR}"'
                    )
                return "a variable", singleton
        qualname = model.qualified_name(call.func)
        if qualname is not None:
            module, _, name = qualname.rpartition(".")
            module += "."
            if module in _KERAS_OPTIMIZER_MODULES and api.classify_call(qualname) is Kind.OPTIMIZER:
                return "an optimizer", f"it makes its variables right there, and {singleton}"
            if module in _METRIC_MODULES and name[:1].isupper() and name != "Metric":
                return "a metric", f"it makes its variables right there, and {singleton}"
            if api.classify_call(qualname) is Kind.LAYER:
                if not (_stateless_layer(qualname) or self.wraps_weightless(call, name)):
                    return "a Keras layer", f"it makes its weights when first called, and {singleton}"
            return None
        # `C(...)` of a class of this file; not `super(...)`, which makes no new object.
        constructs = isinstance(call.func, ast.Name) and call.func.id != "super"
        for cls in model.call_graph.instance_classes(call) if constructs else ():
            if model.is_keras_class(cls) and self.class_makes_state(cls):
                return "a Keras layer", f"it makes its weights when first called, and {singleton}"
        return None

    def wraps_weightless(self, call: ast.Call, name: str) -> bool:
        """`RNN(cell)` / `TimeDistributed(layer)` whose wrapped cells or layer are known to make no
        variables, and (RNN) not `stateful`: nothing is created, so nothing fails on a later trace."""
        keyword = _WEIGHTLESS_WRAPPERS.get(name)
        if keyword is None or any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
            return False
        wrapped = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == keyword), None)
        if wrapped is None:
            return False
        if name == "RNN":
            stateful = next((k.value for k in call.keywords if k.arg == "stateful"), None)
            if len(call.args) > _RNN_STATEFUL_POSITION:
                stateful = call.args[_RNN_STATEFUL_POSITION]
            if stateful is not None and not (isinstance(stateful, ast.Constant) and stateful.value is False):
                return False
        cells = wrapped.elts if name == "RNN" and isinstance(wrapped, (ast.List, ast.Tuple)) else [wrapped]
        return bool(cells) and all(self.weightless(cell) for cell in cells)

    def weightless(self, expr: ast.AST) -> bool:
        """Every value `expr` may hold is a layer known to make no variables."""
        values = self.model.values_of(expr)
        if not values:
            return False
        for value in values:
            if value.kind is Kind.LAYER and value.api and _stateless_layer(value.api):
                continue
            if value.kind is Kind.INSTANCE and isinstance(value.origin, ast.ClassDef):
                if weightless_class(self.model, value.origin):
                    continue
            return False
        return True

    def class_makes_state(self, cls: ast.ClassDef) -> bool:
        for klass in self.model.class_lineage(cls):
            for node in ast.walk(klass):
                if isinstance(node, ast.Call) and node is not None:
                    for value in self.model.values_of(node):
                        if value.kind in (Kind.VARIABLE, Kind.LAYER) and value.origin is node:
                            return True
        return False


def made_once(model: SemanticModel, node: ast.AST, func: ast.AST) -> bool:
    """State made at `node` in traced `func` only on the first trace: under a lazy guard there, in a
    helper that only lazily guarded traced code calls, or lifted out by `tf.init_scope`."""
    return lazily_guarded(model, node, func) or _only_called_lazily(model, func) or _lifted(model, node, func)


def _only_called_lazily(model: SemanticModel, func: ast.AST, depth: int = 0) -> bool:
    """A helper whose every call from traced code sits under a lazy guard (`if self.v is None:
    self._create()`), directly or through its callers."""
    sites = traced_call_sites(model, func) if depth <= 4 else None
    if not sites:
        return False
    for site in sites:
        caller = model.enclosing_function(site)
        if caller is None:
            return False
        if not (lazily_guarded(model, site, caller) or _only_called_lazily(model, caller, depth + 1)):
            return False
    return True


def _runs_once(decorator: ast.AST) -> bool:
    """`@snt.once` / `@once.once`: Sonnet's decorator that runs a method (its initializer) only once."""
    path = dotted_path(decorator.func if isinstance(decorator, ast.Call) else decorator)
    return path is not None and path.rsplit(".", 1)[-1] == "once"


# ---- shared with TFV301 and TFV304 --------------------------------------------------------------

# Methods that change a list, dict, set or NumPy array in place.
MUTATING_METHODS = frozenset(
    {"append", "extend", "insert", "remove", "pop", "clear", "update", "setdefault", "add", "discard",
     "sort", "reverse", "popitem", "fill", "put", "resize", "itemset"}
)


# ---- TFV306 -----------------------------------------------------------------------------------

_VARIABLE_KINDS = frozenset({Kind.VARIABLE, Kind.SLICE, Kind.ASSIGN_RESULT})
# Calls that take a tensor where the code passed `x.numpy()`: dropping `.numpy()` keeps them working.
_TENSOR_CONSUMING_BUILTINS = frozenset({"float", "int"})
# NumPy functions that convert their first argument to an array: given a graph tensor while
# TensorFlow traces, each raises NotImplementedError (measured in TF 2.21, also a list of them).
_NUMPY_CONVERSIONS = frozenset(
    {"numpy.asarray", "numpy.array", "numpy.asanyarray", "numpy.ascontiguousarray", "numpy.asfortranarray",
     "numpy.asarray_chkfinite"}
)
_CONVERTED_KEYWORDS = ("a", "object")
# `isinstance(x, tf.Tensor)` holds for a graph tensor while tracing; a `tf.Variable` is no `tf.Tensor`
# (measured) but converts no better.
_TENSOR_TYPES = frozenset({"tensorflow.Tensor", "tensorflow.compat.v1.Tensor", "tensorflow.Variable"})
_RAGGED_TYPES = frozenset({"tensorflow.RaggedTensor"})
_SYMBOLIC_ERROR = (
    "NotImplementedError: Cannot convert a symbolic tf.Tensor (...) to a numpy array. This error may indicate "
    "that you're trying to pass a Tensor to a NumPy call, which is not supported."
)
_EAGER_ONLY_ERROR = "NotImplementedError: numpy() is only available when eager execution is enabled."


def tensor_checked(model: SemanticModel, name: ast.Name, func: ast.AST, types: frozenset[str] = _TENSOR_TYPES) -> bool:
    """`name` is read where `isinstance(name, tf.Tensor)` (also `and`-joined with other tests, or
    with a tuple of tensor types; or another of `types`) held, in `func`, with nothing rebinding it
    in between."""
    reaching = {id(b) for b in model.reaching(name)}
    child: ast.AST = name
    for ancestor in model.ancestors(name):
        if isinstance(ancestor, (ast.If, ast.IfExp)):
            in_body = (
                any(s is child for s in ancestor.body) if isinstance(ancestor, ast.If) else ancestor.body is child
            )
            if in_body and _checks_tensor(model, ancestor.test, name.id, reaching, types):
                return True
        if ancestor is func:
            return False
        child = ancestor
    return False


def _checks_tensor(model: SemanticModel, test: ast.AST, name: str, reaching: set[int], types: frozenset[str]) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_checks_tensor(model, part, name, reaching, types) for part in test.values)
    if not (
        isinstance(test, ast.Call)
        and is_builtin_call(model, test, "isinstance")
        and len(test.args) == 2
        and isinstance(test.args[0], ast.Name)
        and test.args[0].id == name
    ):
        return False
    if {id(b) for b in model.reaching(test.args[0])} != reaching:
        return False
    checked = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
    return bool(checked) and all(model.qualified_name(t) in types for t in checked)


class NumpyInTracedCode(Rule):
    code = "TFV306"
    needs = frozenset({TRACED})
    uses_tracing = True
    # In traced code `.numpy()` raises before any tape could lose the gradient.
    supersedes = ("TFV403",)
    name = "numpy-in-traced-code"
    summary = "`.numpy()` or `np.asarray(...)` / `np.array(...)` of a tensor or variable inside traced code."
    what = """
        Finds `x.numpy()` inside traced code (`@tf.function`, Keras `call`/`train_step`,
        `Dataset.map` functions, and what they call) when `x` is a variable, a parameter of the
        traced function (a symbolic tensor while tracing), or a tensor computed in it; and
        `np.asarray(x)`, `np.array(x)`, `np.asanyarray(x)`, `np.ascontiguousarray(x)`,
        `np.asfortranarray(x)`, `np.asarray_chkfinite(x)` there when `x` is known to be a variable or a
        graph tensor: a TensorFlow op's result (or arithmetic on one, an item of one, a list of them),
        or a parameter read under `if isinstance(x, tf.Tensor):`.

        Precision decisions: `.numpy()` on an eager tensor captured from outside (`t = tf.constant(3.)`
        at module level) is not reported: it works while tracing (measured: returns 6.0 for `t.numpy() * 2`),
        though the value is frozen. Receivers of unknown origin (`self.model(x).numpy()`) are not
        reported. Code under `if tf.executing_eagerly():` (also the `else` of `if tf.inside_function():`,
        and a path chosen by a function that returns such a test, such as `if not in_tf_function():`)
        and functions passed to `tf.py_function` are not reported, nor is code under a test for
        another Keras backend (`if keras.backend.backend() == "jax":`) where only Keras's own tracing
        reaches it (a layer's `call`, a `train_step`, a loss passed to `compile`): Keras traces with
        TensorFlow only under the TensorFlow backend; code that a `tf.function` or a `Dataset.map` of
        the file may trace keeps such a branch, since `keras.backend.backend()` answers the global
        backend there (measured: "jax"). Nor are the methods of a Keras class whose `__init__` calls
        `tf.config.run_functions_eagerly(True)`: an instance exists only once that ran, and `fit` then
        runs `call` eagerly (measured). A NumPy conversion of a value of
        unknown kind is not reported: a parameter may be a Python number or list (`np.asarray(factor)`
        works while tracing then), so a parameter counts only where an `isinstance(x, tf.Tensor)` test
        holds; nor is one of a tensor captured from eager code (it converts, measured), or of a
        Python list of numbers, or of a static shape.
    """
    why = """
        There are no NumPy values while a graph is traced. Measured in TF 2.21: `v.assign(v.numpy() + 2)`
        inside a `tf.function` raises
        `NotImplementedError: numpy() is only available when eager execution is enabled.`, and
        `x.numpy()` on an argument raises
        `AttributeError: 'SymbolicTensor' object has no attribute 'numpy'` (on a `tf.RaggedTensor`:
        `ValueError: RaggedTensor.numpy() is only supported in eager mode.`). `np.asarray(t)` and
        `np.array(t)` of a graph tensor raise `NotImplementedError: Cannot convert a symbolic tf.Tensor
        (x:0) to a numpy array. This error may indicate that you're trying to pass a Tensor to a NumPy
        call, which is not supported.` in a `tf.function`, a `Dataset.map` function and under Keras 3 and
        tf_keras `fit` (a model's `call`, a metric's `update_state`); of a variable, the `numpy()` error
        above. Keras `fit` traces `train_step` and `call`, so code that worked when called eagerly (or
        with `run_eagerly=True`, measured) fails there.
    """
    example = """
        import tensorflow as tf

        v = tf.Variable(1.0)

        @tf.function
        def bump():
            v.assign(v.numpy() + 2)
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(1.0)

        @tf.function
        def bump():
            v.assign(v + 2)
    """
    fix_safety = """
        Unsafe: `.numpy()` is dropped where the value goes straight into TensorFlow (a `tf.` op, a
        variable's `assign*`, `tf.print`, arithmetic inside them, or `float()`/`int()`, which autograph
        turns into casts), so the tensor is used instead of a NumPy copy. The result is a tensor where
        the code had a NumPy value. Elsewhere (NumPy functions, Python logic) and for `np.asarray(...)`
        and the other conversions there is no fix.
    """

    def check(self) -> Iterator[Diagnostic]:
        model = self.model
        for func in traced_functions(model):
            where = describe(model, func)
            for node in own_nodes_of(model, func):
                if not isinstance(node, ast.Call):
                    continue
                if not (
                    isinstance(node.func, ast.Attribute)
                    and node.func.attr == "numpy"
                    and not node.args
                    and not node.keywords
                ):
                    found = self.conversion(node, func, where)
                    if found is not None:
                        yield found
                    continue
                receiver = node.func.value
                if not self.symbolic(receiver) or eager_only(model, node, func) or in_init_scope(model, node, func):
                    continue
                if {v.kind for v in model.values_of(receiver)} & _VARIABLE_KINDS:
                    error = _EAGER_ONLY_ERROR
                elif isinstance(receiver, ast.Name) and tensor_checked(model, receiver, func, _RAGGED_TYPES):
                    error = "ValueError: RaggedTensor.numpy() is only supported in eager mode."
                else:
                    error = "AttributeError: 'SymbolicTensor' object has no attribute 'numpy'"
                message = (
                    f"`{self.text(receiver)}.numpy()` in traced {where}: there are no NumPy values while "
                    f"TensorFlow traces, and it raises \"{error}\"; keep the computation in TensorFlow ops"
                )
                yield self.diagnostic(node, message, self.drop_fix(node, receiver))

    # ---- np.asarray(t) and the like -------------------------------------------------------------

    def conversion(self, call: ast.Call, func: ast.AST, where: str) -> Diagnostic | None:
        """`np.asarray(t)` / `np.array(t)` of a value known to be a graph tensor or a variable."""
        model = self.model
        if model.qualified_name(call.func) not in _NUMPY_CONVERSIONS:
            return None
        converted = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in _CONVERTED_KEYWORDS), None)
        if converted is None or isinstance(converted, ast.Starred):
            return None
        made = self.graph_value(converted, func)
        if made is None or eager_only(model, call, func) or in_init_scope(model, call, func):
            return None
        error = _EAGER_ONLY_ERROR if made == "variable" else _SYMBOLIC_ERROR
        name = self.text(call.func)
        text = self.text(converted)
        shown = f"{name}({text})" if "\n" not in text and len(text) <= 30 else f"{name}(...)"
        message = (
            f"`{shown}` in traced {where} converts {'a variable' if made == 'variable' else 'a graph tensor'} to a "
            f"NumPy array: there are no NumPy values while TensorFlow traces, and it raises \"{error}\"; keep the "
            f"computation in TensorFlow ops"
        )
        return self.diagnostic(call, message)

    def graph_value(self, expr: ast.AST, func: ast.AST, depth: int = 0) -> str | None:
        """"variable" or "tensor" when `expr` is known to be one made or read while tracing: a
        variable, a TensorFlow op's result, arithmetic on one, an item of one, a list of them, or a
        name bound only to such values in traced code (a parameter only under `if isinstance(p,
        tf.Tensor):`). A value of unknown kind, or one captured from eager code, is None."""
        model = self.model
        if {v.kind for v in model.values_of(expr)} & _VARIABLE_KINDS:
            return "variable"
        if depth > 4:
            return None
        if isinstance(expr, ast.Call):
            qualname = model.qualified_name(expr.func)
            known = qualname is not None and api.classify_call(qualname) in (Kind.TENSOR, Kind.TENSOR_LIST)
            return "tensor" if known else None
        if isinstance(expr, ast.BinOp):
            if isinstance(expr.op, ast.Mod) and not self.graph_value(expr.left, func, depth + 1):
                return None  # `"%s" % t` formats a string
            found = self.graph_value(expr.left, func, depth + 1) or self.graph_value(expr.right, func, depth + 1)
            return "tensor" if found else None
        if isinstance(expr, ast.UnaryOp) and not isinstance(expr.op, ast.Not):
            return "tensor" if self.graph_value(expr.operand, func, depth + 1) else None
        if isinstance(expr, ast.Subscript):
            return "tensor" if self.graph_value(expr.value, func, depth + 1) else None
        if isinstance(expr, (ast.List, ast.Tuple)):
            found = [self.graph_value(e, func, depth + 1) for e in expr.elts]
            return "tensor" if expr.elts and any(found) else None
        if isinstance(expr, ast.Name):
            bindings = list(model.reaching(expr))
            if not bindings or any(model.trace_reason(b.stmt) is None for b in bindings):
                return None  # captured from eager code: an EagerTensor converts fine
            for binding in bindings:
                if binding.how == "param":
                    if not tensor_checked(model, expr, func):
                        return None
                    continue
                value = getattr(binding.stmt, "value", None)
                if binding.how not in ("assign", "annassign") or value is None or not self.graph_value(value, func, depth + 1):
                    return None
            return "tensor"
        return None

    def symbolic(self, expr: ast.AST, depth: int = 0) -> bool:
        """A variable, or a tensor made while tracing (a traced function's parameter or an op's result)."""
        model = self.model
        kinds = {v.kind for v in model.values_of(expr)}
        if kinds & _VARIABLE_KINDS:
            return True
        if depth > 4:
            return False
        if isinstance(expr, ast.Call):
            qualname = model.qualified_name(expr.func)
            return qualname is not None and api.classify_call(qualname) in (Kind.TENSOR, Kind.TENSOR_LIST)
        if isinstance(expr, ast.BinOp):
            return self.symbolic(expr.left, depth + 1) or self.symbolic(expr.right, depth + 1)
        if isinstance(expr, ast.Subscript):
            return self.symbolic(expr.value, depth + 1)
        if isinstance(expr, ast.Name):
            bindings = list(model.reaching(expr))
            if not bindings or any(model.trace_reason(b.stmt) is None for b in bindings):
                return False  # captured from eager code: an EagerTensor still has .numpy() there
            for binding in bindings:
                if binding.how == "param":
                    continue
                value = getattr(binding.stmt, "value", None)
                if binding.how not in ("assign", "annassign") or value is None or not self.symbolic(value, depth + 1):
                    return False
            return True
        return False

    def drop_fix(self, call: ast.Call, receiver: ast.AST):
        model = self.model
        child: ast.AST = call
        parent = model.parent(call)
        while isinstance(parent, (ast.BinOp, ast.UnaryOp)):
            child, parent = parent, model.parent(parent)
        if isinstance(parent, ast.keyword):
            parent = model.parent(parent)
        elif not (isinstance(parent, ast.Call) and any(a is child for a in parent.args)):
            return None
        if not isinstance(parent, ast.Call) or parent.func is child:
            return None
        consumer = parent.func
        qualname = model.qualified_name(consumer)
        takes_tensor = (
            (qualname is not None and (api.classify_call(qualname) in (Kind.TENSOR, Kind.TENSOR_LIST)
                                        or qualname in ("tensorflow.print", "tensorflow.compat.v1.print")))
            or (isinstance(consumer, ast.Attribute) and consumer.attr in api.UPDATE_METHODS
                and {v.kind for v in model.values_of(consumer.value)} & _VARIABLE_KINDS)
            or (isinstance(consumer, ast.Name) and consumer.id in _TENSOR_CONSUMING_BUILTINS and not model.reaching(consumer))
        )
        if not takes_tensor:
            return None
        text = self.text(receiver)
        if precedence(receiver) < 15:
            text = f"({text})"
        return self.fix("Use the tensor instead of `.numpy()`", self.replace(call, text), safe=False)

