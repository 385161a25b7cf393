"""Code that cannot run while TensorFlow traces: the branch of `if tf.executing_eagerly():` (and
of conditions built on it) that the trace never takes is not traced code.

Measured with TF 2.21, Keras 3.15 and tf_keras 2.21 (tf-semantics): while `@tf.function`, a
`Dataset.map` function, or a Keras layer's `call` under `fit`/`predict` is traced,
`tf.executing_eagerly()` is False and `tf.inside_function()` is True (Keras `run_eagerly=True`
and direct eager calls do not trace, and the code is not traced then either). Two exceptions:
under `tf.init_scope()` `tf.executing_eagerly()` is True (that code runs eagerly, once, while
tracing), and in TF1 graph mode (`tf.compat.v1.disable_eager_execution()`) a tf_keras layer's
`call` builds its graph with `tf.inside_function()` False. `tf.config.functions_run_eagerly()`
is True inside a `Dataset.map` trace once `run_functions_eagerly(True)` is set, so it decides
nothing here.

A condition is known while traced when it is one of those calls (or `tf is None` where `tf`
holds the tensorflow module or None), a negation or `and`/`or` of known conditions, a name
assigned only known conditions, or a call to a predicate: a function (of this file, a method
through the class lineage, or of another project module through its facts) whose result is
known whenever it runs inside traced code, because it returns a known condition or begins with
`if <known>: return <known>`.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .scopes import FUNCTION_NODES, target_leaves
from .walk import block_children, own_returns

if TYPE_CHECKING:
    from .semantic import SemanticModel

# API -> its value whenever TensorFlow traces.
_WHILE_TRACED = {
    "tensorflow.executing_eagerly": False,
    "tensorflow.compat.v1.executing_eagerly": False,
    "tensorflow.inside_function": True,
}
_INSIDE_FUNCTION = "tensorflow.inside_function"
# After these, a tf_keras layer builds a TF1 graph with `tf.inside_function()` False.
_GRAPH_MODE = frozenset(
    {
        "tensorflow.compat.v1.disable_eager_execution",
        "tensorflow.compat.v1.disable_v2_behavior",
    }
)
_INIT_SCOPE = frozenset({"tensorflow.init_scope", "tensorflow.compat.v1.init_scope"})
# How many predicates deep a condition is followed (a predicate calling a predicate ...).
MAX_DEPTH = 4
_CACHE = "eager.known"  # model.shared key: id(expression) -> known value (None: unknown)
_PRUNED = "eager.pruned"  # model.shared key: id(node) -> ids of its children that cannot run while traced


def known_while_traced(model: "SemanticModel", expr: ast.AST, depth: int = 0) -> bool | None:
    """The value `expr` has whenever it is evaluated inside traced code, or None when unknown."""
    cache = model.shared.setdefault(_CACHE, {})
    key = id(expr)
    if key in cache:
        return cache[key]
    cache[key] = None  # a condition that reaches itself (through a name or a predicate) is unknown
    found = _known(model, expr, depth)
    cache[key] = found
    return found


def _known(model: "SemanticModel", expr: ast.AST, depth: int) -> bool | None:
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, bool):
        return expr.value  # what a predicate returns: `if in_tf_function(): return True`
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        value = known_while_traced(model, expr.operand, depth)
        return None if value is None else not value
    if isinstance(expr, ast.BoolOp):
        values = [known_while_traced(model, v, depth) for v in expr.values]
        decisive = isinstance(expr.op, ast.Or)  # `or` is True once one part is, `and` False once one is
        if decisive in values:
            return decisive
        return (not decisive) if all(v is not None for v in values) else None
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], (ast.Is, ast.IsNot)):
        left, right = expr.left, expr.comparators[0]
        if isinstance(left, ast.Constant) and left.value is None:
            left, right = right, left
        if isinstance(right, ast.Constant) and right.value is None and _tensorflow_or_none(model, left, depth):
            return isinstance(expr.ops[0], ast.IsNot)  # TensorFlow traces, so it is imported
        return None
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
        return _known_backend_test(model, expr, depth)
    if isinstance(expr, ast.Name):
        return _known_name(model, expr, depth)
    if isinstance(expr, ast.Call) and not expr.args and not expr.keywords:
        return _known_call(model, expr, depth)
    return None


# What Keras 3 (and tf_keras) answer for the backend in use: always the global backend, also while
# `tf.function` or a `Dataset.map` traces under JAX (measured: "jax" in both). Only Keras's own
# tracing of a layer or model (fit, evaluate, predict) uses TensorFlow just under the TensorFlow backend.
_BACKEND_CALLS = frozenset(
    {"keras.backend.backend", "keras.config.backend", "tensorflow.keras.backend.backend", "tf_keras.backend.backend"}
)
_KERAS_TRACING = frozenset({"keras", "compile"})


def _known_backend_test(model: "SemanticModel", test: ast.Compare, depth: int) -> bool | None:
    """`keras.backend.backend() == "jax"` (or `!=`, or `in ("jax", "torch")`, or
    `keras.config.backend()`): Keras traces a layer with TensorFlow only under the TensorFlow
    backend, so in code that only Keras's tracing reaches (a layer's `call`, a model's `train_step`,
    a loss passed to `compile`, and what they call) the test is known (keras-rs keeps its JAX
    preprocessing under one in a layer's `call`). Code that a `tf.function` or a `Dataset.map` of
    this file may trace runs under whatever backend is set, and the test stays unknown there."""
    op, left, right = test.ops[0], test.left, test.comparators[0]
    if isinstance(op, (ast.In, ast.NotIn)):
        names = _strings(right)
        call = left
    else:
        constant = next((s for s in (left, right) if isinstance(s, ast.Constant) and isinstance(s.value, str)), None)
        names = [constant.value] if constant is not None else None
        call = right if constant is left else left
    if names is None or not (isinstance(call, ast.Call) and not call.args and not call.keywords):
        return None
    if tensorflow_name(model, call.func, depth) not in _BACKEND_CALLS:
        return None
    func = model.running_function(test)
    kinds = model.trace_root_kinds(func) if func is not None else frozenset()
    if not kinds or not kinds <= _KERAS_TRACING:
        return None
    holds = "tensorflow" in names
    return holds if isinstance(op, (ast.Eq, ast.In)) else not holds


def _strings(node: ast.AST) -> list[str] | None:
    """The strings of a tuple, list or set written out, or None."""
    if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return None
    if not all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return None
    return [e.value for e in node.elts]


def _known_call(model: "SemanticModel", call: ast.Call, depth: int) -> bool | None:
    qualname = tensorflow_name(model, call.func, depth)
    if qualname in _WHILE_TRACED:
        if qualname == _INSIDE_FUNCTION and _graph_mode(model):
            return None
        return None if in_init_scope(model, call) else _WHILE_TRACED[qualname]
    targets = model.call_graph.targets(call)
    if targets:
        values = {predicate_value(model, t, depth + 1) for t in targets}
        return values.pop() if len(values) == 1 else None
    if model.project is None:
        return None
    if qualname:  # a function imported from another project module
        return model.project.traced_condition(qualname)
    func = call.func
    if isinstance(func, ast.Attribute):
        # `self.method()` where the method comes from a base class of another project module.
        for cls in model.call_graph.instance_classes(func.value):
            for klass in model.class_lineage(cls):
                for facts in model.project_bases(klass):
                    if func.attr in facts.traced_conditions:
                        return facts.traced_conditions[func.attr]
    return None


def _known_name(model: "SemanticModel", name: ast.Name, depth: int) -> bool | None:
    """A local name every reaching assignment of which stores the same known condition."""
    if name.id not in _condition_names(model):
        return None  # no assignment could store one: asked first, it spares the flow of the function
    bindings = model.reaching(name)
    values = set()
    for binding in bindings:
        stmt = binding.stmt
        if binding.how != "assign" or not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            return None
        if stmt.targets[0] is not binding.node:
            return None
        values.add(known_while_traced(model, stmt.value, depth + 1))
    return values.pop() if len(values) == 1 else None


def _may_be_condition(expr: ast.AST) -> bool:
    """The shapes _known can tell a value of (it must change with them): asked of an assignment's
    value before the flow says whether the assignment reaches a use."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, bool)
    if isinstance(expr, ast.UnaryOp):
        return isinstance(expr.op, ast.Not)
    if isinstance(expr, ast.Compare):
        return len(expr.ops) == 1 and isinstance(expr.ops[0], (ast.Is, ast.IsNot))
    if isinstance(expr, ast.Call):
        return not expr.args and not expr.keywords
    return isinstance(expr, (ast.BoolOp, ast.Name))


def _condition_names(model: "SemanticModel") -> frozenset[str]:
    """Names some single-target assignment of the file binds to a value of a condition's shape."""
    key = (_CACHE, "condition names")
    found = model.shared.get(key)
    if found is None:
        found = model.shared[key] = frozenset(
            stmt.targets[0].id
            for stmt in model.nodes_of(ast.Assign)
            if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and _may_be_condition(stmt.value)
        )
    return found


def _optional_module_names(model: "SemanticModel") -> frozenset[str]:
    """Names that may hold the tensorflow module: its import aliases, and names assigned the result
    of a call without arguments (`tf = try_import_tensorflow()`)."""
    key = (_CACHE, "optional module names")
    found = model.shared.get(key)
    if found is None:
        names = {name for name, target in model.imports.aliases.items() if target == "tensorflow"}
        for stmt in model.nodes_of(ast.Assign):
            value = stmt.value
            if isinstance(value, ast.Call) and not value.args and not value.keywords:
                names.update(leaf.id for t in stmt.targets for leaf in target_leaves(t) if isinstance(leaf, ast.Name))
        found = model.shared[key] = frozenset(names)
    return found


def tensorflow_name(model: "SemanticModel", expr: ast.AST, depth: int = 0) -> str | None:
    """`tf.executing_eagerly` -> "tensorflow.executing_eagerly", also where `tf` is bound by an
    optional import (`tf = try_import_tensorflow()`, which returns the module or None)."""
    qualname = model.qualified_name(expr)
    if qualname is not None:
        return qualname
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if parts and isinstance(expr, ast.Name) and _tensorflow_or_none(model, expr, depth):
        return ".".join(["tensorflow", *reversed(parts)])
    return None


def _tensorflow_or_none(model: "SemanticModel", expr: ast.AST, depth: int) -> bool:
    """`expr` holds the tensorflow module or None (an optional import)."""
    if depth > MAX_DEPTH or not isinstance(expr, ast.Name):
        return False
    if expr.id not in _optional_module_names(model):
        return False  # no binding of it can store the module: asked first, it spares the flow
    bindings = model.reaching(expr)
    if not bindings:
        return model.imports.aliases.get(expr.id) == "tensorflow"
    module = False  # some binding stores the module (a name only ever None is no optional import)
    for binding in bindings:
        if binding.how == "import":
            if model.imports.aliases.get(binding.key) != "tensorflow":
                return False
            module = True
            continue
        value = getattr(binding.stmt, "value", None)
        if binding.how != "assign" or value is None:
            return False
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if not (isinstance(value, ast.Call) and not value.args and not value.keywords):
            return False
        targets = model.call_graph.targets(value)
        if not targets or not all(_returns_tensorflow_or_none(model, t, depth + 1) for t in targets):
            return False
        module = True
    return module


def _returns_tensorflow_or_none(model: "SemanticModel", func: ast.AST, depth: int) -> bool:
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    module = False
    for ret in own_returns(func):
        if ret.value is None or (isinstance(ret.value, ast.Constant) and ret.value.value is None):
            continue
        if not _tensorflow_or_none(model, ret.value, depth):
            return False
        module = True
    return module


def _own_walk(func: ast.AST):
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        if isinstance(node, FUNCTION_NODES + (ast.ClassDef,)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _graph_mode(model: "SemanticModel") -> bool:
    key = (_GRAPH_MODE, "eager")
    found = model.shared.get(key)
    if found is None:
        found = model.shared[key] = any(model.qualified_name(c.func) in _GRAPH_MODE for c in model.call_graph.calls)
    return found


def in_init_scope(model: "SemanticModel", node: ast.AST, func: ast.AST | None = None) -> bool:
    """Inside `with tf.init_scope():` within `func` (default: the function around `node`): that
    code runs eagerly, once, even while TensorFlow traces the function."""
    for ancestor in model.ancestors(node):
        if ancestor is func or (func is None and isinstance(ancestor, FUNCTION_NODES)):
            return False
        if isinstance(ancestor, ast.With) and any(
            isinstance(item.context_expr, ast.Call) and model.qualified_name(item.context_expr.func) in _INIT_SCOPE
            for item in ancestor.items
        ):
            return True
    return False


# ---- predicates -----------------------------------------------------------------------------

_SIMPLE = (ast.Expr, ast.Assign, ast.AnnAssign, ast.Pass, ast.Import, ast.ImportFrom)


def predicate_value(model: "SemanticModel", func: ast.AST, depth: int = 0) -> bool | None:
    """What `func` returns whenever it runs inside traced code, or None when that is unknown."""
    if depth > MAX_DEPTH or not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    cache = model.shared.setdefault((_CACHE, "predicates"), {})
    if id(func) in cache:
        return cache[id(func)]
    cache[id(func)] = None  # recursion: unknown
    done, value = _block_value(model, func.body, depth)
    found = value if done else None
    # A coroutine or a generator returns no boolean. Asked last: every function of every module
    # is asked (facts), and walking each whole body first cost more than the rest of the facts.
    if found is not None and (
        isinstance(func, ast.AsyncFunctionDef) or any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_walk(func))
    ):
        found = None
    cache[id(func)] = found
    return found


def _block_value(model: "SemanticModel", block: list[ast.stmt], depth: int) -> tuple[bool, bool | None]:
    """(True, value) when the block surely returns while traced (value None: unknown), or
    (False, None) when it may fall through to the statements after it."""
    for stmt in block:
        if isinstance(stmt, ast.Return):
            if stmt.value is None:
                return True, None
            return True, known_while_traced(model, stmt.value, depth)
        if isinstance(stmt, ast.If):
            test = known_while_traced(model, stmt.test, depth)
            if test is None:
                if _may_exit(stmt):
                    return True, None  # an unknown test decides whether it returns here
                continue
            done, value = _block_value(model, stmt.body if test else stmt.orelse, depth)
            if done:
                return done, value
            continue
        if isinstance(stmt, _SIMPLE) and not _may_exit(stmt):
            continue
        return True, None  # loops, `try`, `raise`...: not followed
    return False, None


def _may_exit(stmt: ast.stmt) -> bool:
    # Returns and raises are statements: the walk need not enter expressions.
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Return, ast.Raise)):
            return True
        stack.extend(block_children(node))
    return False


def traced_conditions(model: "SemanticModel", functions) -> dict[str, bool | None]:
    """name -> predicate value, for the facts other modules read (None: defined, not a predicate,
    which hides a base class's predicate of the same name)."""
    return {f.name: predicate_value(model, f) for f in functions if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}


# ---- pruning ------------------------------------------------------------------------------------


# Nodes with children that may not run while traced (branches, and statements after an early exit).
MAY_PRUNE = (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Module)
MAY_PRUNE += FUNCTION_NODES + tuple(getattr(ast, name) for name in ("Match", "TryStar") if hasattr(ast, name))


def pruned_children(model: "SemanticModel", node: ast.AST) -> frozenset[int]:
    """Ids of the children of `node` that cannot run while traced: the branch of an `if` (or of
    `a if c else b`) that a known test rules out, and the statements after an `if` whose taken
    branch always returns or raises."""
    cache = model.shared.setdefault(_PRUNED, {})
    found = cache.get(id(node))
    if found is not None:
        return found
    pruned: set[int] = set()
    if not isinstance(node, MAY_PRUNE):
        return frozenset()
    if isinstance(node, (ast.If, ast.IfExp)):
        test = known_while_traced(model, node.test)
        if test is not None:
            skipped = node.orelse if test else node.body
            pruned.update(id(s) for s in (skipped if isinstance(skipped, list) else [skipped]))
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list):
            pruned.update(_after_traced_exit(model, block))
    if type(node).__name__ == "Match":
        for case in node.cases:
            pruned.update(_after_traced_exit(model, case.body))
    found = cache[id(node)] = frozenset(pruned)
    return found


def _after_traced_exit(model: "SemanticModel", block: list) -> list[int]:
    for index, stmt in enumerate(block):
        if isinstance(stmt, ast.If):
            test = known_while_traced(model, stmt.test)
            taken = None if test is None else (stmt.body if test else stmt.orelse)
            if taken and _always_exits(taken):
                return [id(s) for s in block[index + 1 :]]
    return []


def _always_exits(block: list[ast.stmt]) -> bool:
    last = block[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    return isinstance(last, ast.If) and bool(last.orelse) and _always_exits(last.body) and _always_exits(last.orelse)


def cannot_run_while_traced(model: "SemanticModel", node: ast.AST, func: ast.AST) -> bool:
    """`node`, within function `func`, lies in code that does not run while `func` is traced."""
    child = node
    for ancestor in model.ancestors(node):
        if id(child) in pruned_children(model, ancestor):
            return True
        if ancestor is func:
            return False
        child = ancestor
    return False
