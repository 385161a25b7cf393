"""Which functions TensorFlow traces into a graph, and why (the chain is named in messages).

Roots: `@tf.function` / `tf.function(f)` / `tf.function(jit_compile=True)(f)`; Keras `call`,
`train_step`, `test_step`, `predict_step` of layers and models (and `call` of losses,
`update_state`/`result` of metrics); functions passed to `Dataset.map/filter/...`; loss and metric
functions passed to `model.compile`. Functions and methods of this file called from traced code
are traced too (a `with` statement calls its context manager's `__enter__` and `__exit__`), and so
are functions handed to TensorFlow's control flow (`tf.cond`, `tf.map_fn`) there. Functions handed
to `tf.py_function` / `tf.numpy_function` run eagerly, and nothing is traced where the file turns
tracing off (`tf.config.run_functions_eagerly(True)` at module level, `compile(run_eagerly=True)`
for Keras, and for a Keras class whose `__init__` calls `tf.config.run_functions_eagerly(True)`:
an instance exists only once it ran).
"""
from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

from . import api
from .eager import MAY_PRUNE as _MAY_PRUNE, pruned_children
from .scopes import FUNCTION_NODES
from .values import Kind
from .walk import child_nodes

if TYPE_CHECKING:
    from .semantic import SemanticModel


@dataclass(frozen=True)
class TraceReason:
    how: str  # "tf.function", "keras", "dataset", "compile", "called"
    description: str  # e.g. "decorated with @tf.function", "called from traced `step` on line 12"
    root: ast.AST  # the function whose tracing starts the chain
    # Names from the root down to this function: ("step", "helper") for a helper called by step.
    chain: tuple[str, ...] = ()
    # The call that makes the root traced: `tf.function(f)`, `ds.map(f)`, `model.compile(loss=f)`.
    site: ast.AST | None = None
    root_reason: "TraceReason | None" = None  # for callees: why the root is traced

    @property
    def origin(self) -> "TraceReason":
        """The reason of the root of the chain."""
        return self.root_reason or self

    def explain(self) -> str:
        """"traced via `step` -> `helper`, where `step` is decorated with @tf.function", or the
        root's own reason ("decorated with @tf.function")."""
        if len(self.chain) > 1:
            names = " -> ".join(f"`{n}`" for n in self.chain)
            return f"traced via {names}, where `{self.chain[0]}` is {self.origin.description}"
        return self.description


# Keras classes whose methods fit/evaluate/predict trace, by base class.
_LOSS_BASES = frozenset({"keras.losses.Loss", "keras.Loss", "tensorflow.keras.losses.Loss", "tf_keras.losses.Loss"})
_METRIC_BASES = frozenset(
    {"keras.metrics.Metric", "keras.Metric", "tensorflow.keras.metrics.Metric", "tf_keras.metrics.Metric"}
)
_KERAS_TRACED = (
    (api.KERAS_BASES, api.TRACED_METHODS),
    (_LOSS_BASES, frozenset({"call"})),
    (_METRIC_BASES, frozenset({"update_state", "result"})),
)
KERAS_TRACED_METHODS = frozenset().union(*(methods for _, methods in _KERAS_TRACED))
# Methods whose function arguments are traced: a Dataset's, and a Keras model's `compile`.
CALLBACK_METHODS = api.DATASET_TRACED_METHODS | {"compile"}

# What the roots of traced code need in the text (see may_trace). Each pattern starts with a
# literal, which the regex engine finds with a fast scan.
_TF_FUNCTION_ATTRIBUTE = re.compile(r"\.\s*function\b")
_FUNCTION_IMPORTED = re.compile(r"import(?:[^\n]*\\\n)*[^\n]*\bfunction\b|import\s*\([^)]*\bfunction\b")
_KERAS_METHOD_DEF = re.compile(r"def\s+(?:%s)\b" % "|".join(sorted(KERAS_TRACED_METHODS)))
_CALLBACK_CALL = re.compile(r"\.\s*(?:%s)\b" % "|".join(sorted(CALLBACK_METHODS)))
# Calls whose function argument runs eagerly as a Python function, even from traced code.
EAGER_WRAPPERS = frozenset(
    {
        "tensorflow.py_function",
        "tensorflow.numpy_function",
        "tensorflow.py_func",  # TF 1.x code that imports `tensorflow` itself (tf.compat.v1.py_func in TF 2)
        "tensorflow.compat.v1.py_func",
        "tensorflow.compat.v1.py_function",
        "tensorflow.compat.v1.numpy_function",
        "tensorflow.data.Dataset.from_generator",
    }
)
_RUN_EAGERLY = frozenset(
    {"tensorflow.config.run_functions_eagerly", "tensorflow.config.experimental_run_functions_eagerly"}
)
_COMPILE_FUNCTION_KEYWORDS = frozenset({"loss", "metrics", "weighted_metrics"})


def may_trace(text: str) -> bool:
    """Whether a module's text can hold a root of traced code (find_traced): `tf.function` as an
    attribute or imported by name, a method Keras traces, or a call of a Dataset method or of
    `compile`. A module without any traces nothing of its own, so it calls nothing of another
    module from traced code (project.possible_callers)."""
    if "function" in text and (_TF_FUNCTION_ATTRIBUTE.search(text) or _FUNCTION_IMPORTED.search(text)):
        return True
    return bool(_KERAS_METHOD_DEF.search(text) or _CALLBACK_CALL.search(text))


def function_name(model: "SemanticModel", func: ast.AST) -> str:
    if isinstance(func, ast.Lambda):
        return "<lambda>"
    parent = model.parent(func)
    if isinstance(parent, ast.ClassDef):
        return f"{parent.name}.{func.name}"
    return func.name


def is_tf_function(model: "SemanticModel", expr: ast.AST) -> bool:
    """`tf.function` or `tf.function(...)` (a decorator or a wrapper)."""
    if isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Attribute) and expr.attr != "function":
        return False  # a qualified name ends with the attribute's own name (asked of every call)
    return model.qualified_name(expr) in api.TF_FUNCTION


def applies_tf_function(model: "SemanticModel", call: ast.Call) -> bool:
    """`tf.function(f, ...)` or `tf.function(jit_compile=True)(f)`: `call.args[0]` is wrapped."""
    if not call.args:
        return False
    func = call.func
    if isinstance(func, ast.Call):
        return not func.args and is_tf_function(model, func.func)
    return is_tf_function(model, func)


def _true(expr: ast.AST | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


def _function_arguments(call: ast.Call) -> Iterator[ast.AST]:
    yield from call.args
    for keyword in call.keywords:
        yield keyword.value


# What the wrappers' names need in a text: the last part of each is spelt out in it, also when an
# import renames it (tests/test_needs.py checks the table against EAGER_WRAPPERS).
EAGER_WRAPPER_TEXT = ("py_func", "numpy_function", "from_generator")


def find_eager(model: "SemanticModel") -> set[int]:
    """Functions of this file handed to `tf.py_function` and friends: they run eagerly."""
    eager: set[int] = set()
    text = model.source.text
    if not any(part in text for part in EAGER_WRAPPER_TEXT):
        return eager
    for node in model.call_graph.calls:
        if model.qualified_name(node.func) in EAGER_WRAPPERS:
            candidates = node.args[:1] + [k.value for k in node.keywords if k.arg in ("func", "generator")]
            for arg in candidates:
                eager.update(id(f) for f in model.call_graph.function_values(arg))
    return eager


def _tracing_turned_off(model: "SemanticModel") -> bool:
    """`tf.config.run_functions_eagerly(True)` as a statement of the module itself."""
    return _turns_tracing_off(model, model.tree)


def _turns_tracing_off(model: "SemanticModel", block: ast.AST) -> bool:
    """`tf.config.run_functions_eagerly(True)` as a statement of `block`'s own body."""
    for stmt in block.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            if model.qualified_name(call.func) in _RUN_EAGERLY and call.args and _true(call.args[0]):
                return True
    return False


def _keras_run_eagerly(model: "SemanticModel") -> tuple[bool, set[int]]:
    """(every Keras class, ids of classes) whose models the file compiles with `run_eagerly=True`,
    and the classes whose `__init__` (theirs or a base's in this file) calls
    `tf.config.run_functions_eagerly(True)` as a statement of its own: an instance exists only once
    that ran, and `fit` then runs `call` eagerly (measured)."""
    everything, classes = False, set()
    graph = model.call_graph
    for cls in graph.classes:
        if any(_turns_tracing_off(model, item) for item in cls.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"):
            classes.add(id(cls))
            classes.update(id(c) for c in graph.subclasses(cls))
    for node in [*graph.calls, *graph.assigns]:
        receiver = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compile":
            if any(k.arg == "run_eagerly" and _true(k.value) for k in node.keywords):
                receiver = node.func.value
        elif isinstance(node, ast.Assign) and _true(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "run_eagerly":
                    receiver = target.value
        if receiver is None:
            continue
        local = graph.instance_classes(receiver)
        if local:
            for cls in local:
                classes.update(id(c) for c in model.class_lineage(cls))
        else:
            everything = True
    return everything, classes


def _is_compile_receiver(model: "SemanticModel", call: ast.Call) -> bool:
    receiver = call.func.value
    if any(v.kind is Kind.LAYER for v in model.values_of(receiver)):
        return True
    if any(model.is_keras_class(cls) for cls in model.call_graph.instance_classes(receiver)):
        return True
    # `re.compile`, `builtins.compile` take no `loss=`; a Keras model does.
    return any(k.arg == "loss" for k in call.keywords)


def _compiled_functions(call: ast.Call) -> Iterator[ast.AST]:
    values = [k.value for k in call.keywords if k.arg in _COMPILE_FUNCTION_KEYWORDS]
    if len(call.args) > 1:
        values.append(call.args[1])  # compile(optimizer, loss, ...) in Keras 2 and 3
    for value in values:
        if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            yield from value.elts
        elif isinstance(value, ast.Dict):
            yield from value.values
        else:
            yield value


def _walk_traced(model: "SemanticModel", node: ast.AST, eager: set[int], prune: bool = True) -> Iterator[ast.AST]:
    """The nodes of a traced function, not descending into functions that run eagerly nor (with
    `prune`) into code that cannot run while TensorFlow traces (`if tf.executing_eagerly():`, eager.py)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        pruned = pruned_children(model, current) if prune and isinstance(current, _MAY_PRUNE) else ()
        for child in child_nodes(current):
            if not (isinstance(child, FUNCTION_NODES) and id(child) in eager) and id(child) not in pruned:
                stack.append(child)


def trace_roots(
    model: "SemanticModel", functions_off: bool = False, keras_off: bool = False, keras_off_classes: frozenset | set = frozenset()
) -> Iterator[tuple[ast.AST, str, str, ast.AST | None]]:
    """(function, how, why, site) for each root of traced code in this file: `@tf.function` and
    `tf.function(f)`, the methods Keras traces, functions passed to a Dataset's `map` and the like,
    and functions passed to `compile`."""
    graph = model.call_graph
    for node in graph.functions:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not functions_off and any(is_tf_function(model, d) for d in node.decorator_list):
                yield node, "tf.function", "decorated with @tf.function", None
    if not (functions_off or keras_off):
        for node in graph.classes:
            if id(node) in keras_off_classes or not node.bases:
                continue
            bases = model.class_bases(node)
            for base_names, methods in _KERAS_TRACED:
                if bases & base_names:
                    for item in node.body:
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in methods:
                            yield item, "keras", "traced by Keras fit/evaluate/predict", None
    for node in graph.calls:
        func = node.func
        if applies_tf_function(model, node):  # tf.function(f), tf.function(jit_compile=True)(f)
            if not functions_off:
                for target in graph.function_values(node.args[0]):
                    yield target, "tf.function", f"wrapped by tf.function on line {node.lineno}", node
        elif isinstance(func, ast.Attribute) and func.attr in api.DATASET_TRACED_METHODS:
            if any(v.kind is Kind.DATASET for v in model.values_of(func.value)):
                for arg in _function_arguments(node):
                    for target in graph.function_values(arg):
                        yield target, "dataset", f"passed to Dataset.{func.attr} on line {node.lineno}", node
        elif isinstance(func, ast.Attribute) and func.attr == "compile" and not (functions_off or keras_off):
            if _is_compile_receiver(model, node):
                for arg in _compiled_functions(node):
                    for target in graph.function_values(arg):
                        yield target, "compile", f"passed to `compile` on line {node.lineno}, traced by Keras fit", node


def root_kinds(model: "SemanticModel") -> dict[int, frozenset[str]]:
    """id(function) -> how each root of this file that reaches it is traced ("tf.function",
    "keras", "dataset", "compile"), following calls through every branch: what code may be traced
    under, whatever its own conditions say (eager.py asks this of a Keras backend test, which
    holds only under Keras's own tracing). Functions that only other modules' traced code reaches
    are not in it."""
    eager = model.eager_functions
    found: dict[int, set[str]] = {}
    for root, how, _, _ in trace_roots(model):
        if id(root) in eager or how in found.get(id(root), ()):
            continue
        found.setdefault(id(root), set()).add(how)
        todo = [root]
        while todo:
            # Through every branch: the pruning itself asks this (of a Keras backend test).
            for node in _walk_traced(model, todo.pop(), eager, prune=False):
                for target, _ in _traced_callees(model, node, any_call=True):
                    if id(target) not in eager and how not in found.get(id(target), ()):
                        found.setdefault(id(target), set()).add(how)
                        todo.append(target)
    return {key: frozenset(hows) for key, hows in found.items()}


def _traced_callees(model: "SemanticModel", node: ast.AST, any_call: bool = False) -> list[tuple[ast.AST, str]]:
    """(function of this file, how `node` runs it) for a node of traced code: the callee of a call,
    a `with`'s context manager (its `__enter__`/`__exit__` run while tracing, measured), and the
    functions handed to TensorFlow's control flow (`tf.cond`, `tf.map_fn`, `tf.while_loop`); with
    `any_call`, the functions handed to any call (`map(f, xs)` may run them too)."""
    graph = model.call_graph
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [(t, "entered by a `with` in") for t in graph.entered(node)]
    if not isinstance(node, ast.Call):
        return []
    found = [(t, "called from") for t in graph.targets(node)]
    qualname = model.qualified_name(node.func) or ""
    if any_call or (qualname.startswith("tensorflow.") and qualname not in EAGER_WRAPPERS):
        verb = f"passed to {qualname.replace('tensorflow.', 'tf.', 1) or 'a call'} in"
        for arg in _function_arguments(node):
            found.extend((t, verb) for t in graph.function_values(arg))
    return found


def find_traced(model: "SemanticModel", external: Iterable[tuple[ast.AST, TraceReason]] = ()) -> dict[int, TraceReason]:
    """Traced functions of this file and why; `external`: functions of this module that traced
    code in other modules calls (found by `external_callers`), traced from there."""
    traced: dict[int, TraceReason] = {}
    eager: set[int] = model.eager_functions
    graph = model.call_graph
    functions_off = _tracing_turned_off(model)
    keras_off, keras_off_classes = _keras_run_eagerly(model)

    for func, how, description, site in trace_roots(model, functions_off, keras_off, keras_off_classes):
        if id(func) not in traced and id(func) not in eager:
            traced[id(func)] = TraceReason(how, description, func, (function_name(model, func),), site)

    # Functions of this module that traced code in other project modules calls.
    if not functions_off:
        for node, reason in external:
            if id(node) not in traced and id(node) not in eager:
                traced[id(node)] = reason

    # Functions of this file called from traced code are traced too (shortest chain first).
    by_id = {id(n): n for n in graph.functions}
    todo = deque(traced)
    while todo:
        caller = by_id.get(todo.popleft())
        if caller is None:
            continue
        reason = traced[id(caller)]
        for node in _walk_traced(model, caller, eager):
            for target, verb in _traced_callees(model, node):
                if id(target) in traced or id(target) in eager or target is caller:
                    continue
                name = function_name(model, caller)
                traced[id(target)] = TraceReason(
                    "called",
                    f"{verb} traced `{name}` on line {node.lineno}",
                    reason.root,
                    reason.chain + (function_name(model, target),),
                    None,
                    reason.origin,
                )
                todo.append(id(target))
    return traced


_NOT_PROJECT = ("tensorflow.", "keras.", "tf_keras.", "numpy.", "builtins.")


def _short(model: "SemanticModel", name: str) -> str:
    module = (model.module_name or "").rpartition(".")[2]
    return f"{module}.{name}" if module else name


def calls_into_other_modules(model: "SemanticModel") -> dict[str, tuple[tuple[str, ...], str, str]]:
    """qualified name of a function of another project module -> (chain, how, why) for each call
    traced code of this module makes to it, for that module's own analysis."""
    found: dict[str, tuple[tuple[str, ...], str, str]] = {}
    if model.project is None:
        return found
    by_id = {id(n): n for n in model.call_graph.functions}
    eager = model.eager_functions
    for key, reason in model.traced.items():
        caller = by_id.get(key)
        if caller is None:
            continue
        for node in _walk_traced(model, caller, eager):
            if not isinstance(node, ast.Call):
                continue
            qualname = model.qualified_name(node.func)
            if not qualname or qualname.startswith(_NOT_PROJECT) or qualname in found:
                continue
            # A project module's function (its facts are not needed to say so, only its file).
            if model.project.module_file(qualname.rpartition(".")[0]) is None:
                continue
            chain = tuple(_short(model, n) for n in reason.chain)
            found[qualname] = (chain, reason.origin.how, reason.origin.description)
    return found


def untraced_module_functions(model: "SemanticModel") -> list[ast.AST]:
    """Module-level functions that nothing in this file traces: other modules' traced code may call them."""
    return [
        node
        for node in model.tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and id(node) not in model.traced
        and id(node) not in model.eager_functions
    ]


def external_callers(model: "SemanticModel", functions: list[ast.AST]) -> list[tuple[ast.AST, TraceReason]]:
    """Which of `functions` traced code in other project modules calls, and why (one module hop)."""
    if model.project is None or not model.module_name:
        return []
    by_name = {node.name: node for node in functions}
    callers = model.project.traced_callers(model.module_name, frozenset(by_name))
    found = []
    for name, node in by_name.items():
        if name in callers:
            chain, how, why = callers[name]
            origin = TraceReason(how, why, node, chain[:1])
            found.append(
                (node, TraceReason("called", f"called from traced `{chain[-1]}`", node, chain + (_short(model, node.name),), None, origin))
            )
    return found