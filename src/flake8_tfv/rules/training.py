"""TFV4xx: training loops (tf-semantics cases 9, 10 and 11).

An optimizer built anew for every step, an integer variable handed to the gradient machinery, and
a tensor turned into NumPy inside the tape that should differentiate through it.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterator

from ..codegen import precedence
from ..diagnostic import Diagnostic, Edit, Fix, Position
from ..model import api
from ..model.flow import dotted_path, none_guard
from ..model.needs import TRAINING, VARIABLES
from ..model.scopes import Binding, target_names
from ..model.usage import DIFFERENTIATING_METHODS
from ..model.values import Kind, Value
from .base import Rule
from .traced import made_once

_SINGLETON_ERROR = "ValueError: tf.function only supports singleton tf.Variables created on the first call"
_TRAINING_METHODS = frozenset({"apply_gradients", "minimize"})
_DIFFERENTIATING_METHODS = DIFFERENTIATING_METHODS | _TRAINING_METHODS
# TF1 optimizers without slots: a new one per step, or one made inside tf.function, changes nothing.
_STATELESS_TF1 = frozenset(
    {"tensorflow.compat.v1.train.GradientDescentOptimizer", "tensorflow.train.GradientDescentOptimizer"}
)
_GRAPH_CLASSES = frozenset({"tensorflow.Graph", "tensorflow.compat.v1.Graph"})
_TF1_OPTIMIZER_MODULES = ("tensorflow.compat.v1.train.", "tensorflow.train.")


def inside(node: ast.AST, container: ast.AST, model) -> bool:
    return node is container or any(a is container for a in model.ancestors(node))


class _TrainingRule(Rule):
    def calls(self) -> list[ast.Call]:
        return self.model.calls()

    def own_lines(self, stmt: ast.stmt) -> bool:
        """Nothing but indentation before the statement and nothing but a comment after it."""
        first = self.source.line(stmt.lineno)
        last = self.source.line(stmt.end_lineno)
        before = first[: self.source.start(stmt).col]
        after = last[self.source.end(stmt).col :].strip()
        return not before.strip() and (not after or after.startswith("#"))


# ---- TFV401 ---------------------------------------------------------------------------------------


class OptimizerInLoop(_TrainingRule):
    code = "TFV401"
    needs = frozenset({TRAINING})
    uses_tracing = True
    name = "optimizer-created-per-step"
    summary = "An optimizer is constructed inside the training loop that uses it, or inside traced code."
    what = """
        Finds the construction of an optimizer (`tf.keras.optimizers.*`, `keras.optimizers.*`,
        `tf_keras.optimizers.*`, `tf.optimizers.*`, `tf.compat.v1.train.*Optimizer`):

        - inside a loop whose body trains with it (`opt.apply_gradients(...)` or `opt.minimize(...)` in
          the same loop, with no inner loop in between), so every step gets a new optimizer; or
        - inside traced code (`@tf.function`, a Keras `train_step`, functions they call); a traced
          def's default values are not in it, they run once, where the def statement runs.

        Not reported: TF1's `GradientDescentOptimizer`, which keeps no state and makes no variables;
        an optimizer built once before the loop, one built per epoch or per trial that
        then serves an inner loop of steps, one per group of variables in a loop over the groups
        that is inside no other loop (`for variables, loss in parts: opt.minimize(loss,
        var_list=variables)`: each optimizer has its own variables to keep state for), one made under
        `with tf.Graph().as_default():` inside the loop (TF1 code that runs a whole training per
        iteration, each in a new graph with new variables), and lazy creation guarded by
        `if opt is None:`; in traced code, an optimizer made only on the first trace, as TFV303 tells
        (under `if self.opt is None:`, `if getattr(self, "opt", None) is None:` and the other lazy
        guards, also in a helper that only such guarded code calls).
    """
    why = """
        An optimizer keeps state between steps: Adam's moments, momentum, the `iterations` counter. A new
        one every step starts from zero each time, so training silently follows another trajectory
        (measured with Adam(0.3) for 8 steps: w = [2.4, -1.8] instead of [2.29, -2.16]; momentum SGD
        degenerates into plain SGD). Plain SGD keeps no state, so only the cost of building new optimizer
        variables every step remains.

        Inside `tf.function` every Keras optimizer (and every stateful TF1 optimizer) creates variables,
        and the call raises
        `ValueError: tf.function only supports singleton tf.Variables created on the first call`.
    """
    example = """
        import tensorflow as tf

        w = tf.Variable([0.0, 0.0])
        for step in range(8):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum((w - [3.0, -2.0]) ** 2)
            grads = tape.gradient(loss, [w])
            optimizer = tf.keras.optimizers.Adam(0.3)
            optimizer.apply_gradients(zip(grads, [w]))
    """
    use_instead = """
        import tensorflow as tf

        w = tf.Variable([0.0, 0.0])
        optimizer = tf.keras.optimizers.Adam(0.3)
        for step in range(8):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum((w - [3.0, -2.0]) ** 2)
            grads = tape.gradient(loss, [w])
            optimizer.apply_gradients(zip(grads, [w]))
    """
    fix_safety = """
        Unsafe. When the construction is a statement of its own directly in the loop body and its
        arguments do not depend on anything the loop binds, it is moved above the loop: the optimizer
        then keeps its state across steps, which changes the numbers the program computes (that is the
        point). No fix inside traced code, when the arguments change per step (use a learning-rate
        schedule, or assign `optimizer.learning_rate`, instead), or when the loop is inside another
        loop (which of them runs the steps is for the author to say).
    """

    def check(self) -> Iterator[Diagnostic]:
        for call in self.calls():
            # Only the call's API makes an optimizer (flow.call_value): asked first, it spares the flow.
            if api.classify_call(self.model.qualified_name(call.func) or "") is not Kind.OPTIMIZER:
                continue
            made = [v for v in self.model.values_of(call) if v.kind is Kind.OPTIMIZER and v.origin is call]
            if not made:
                continue
            qualname = made[0].api or ""
            if qualname in _STATELESS_TF1:
                continue  # no slots and no step counter of its own: one per step, or traced, changes nothing
            callee = self.text(call.func)
            if self.lazily_created(call):
                continue
            reason = self.model.trace_reason(call)
            if reason is not None:
                func = self.model.enclosing_function(call)
                if func is not None and made_once(self.model, call, func):
                    continue  # made on the first trace only, as TFV303 tells
                yield self.diagnostic(
                    call,
                    f"`{callee}(...)` builds an optimizer inside traced code ({reason.description}): an optimizer "
                    f"creates variables, so the call raises \"{_SINGLETON_ERROR}\"; create it once, outside "
                    f"(in `__init__`, or before the training loop)",
                )
                continue
            found = self.training_use(call)
            if found is None:
                continue
            loop, use = found
            if self.variables_of_the_iteration(use, loop, qualname) or self.in_new_graph(call, loop):
                continue
            state = (
                "plain SGD keeps no state, so the steps are unchanged, but every step builds new optimizer "
                "variables (with momentum or Adam the state would be lost every step)"
                if self.stateless(call, qualname)
                else "its state (Adam moments, momentum, `iterations`) restarts from zero every step, so training "
                "silently follows a different trajectory"
            )
            message = (
                f"`{callee}(...)` builds a new optimizer on every iteration of the loop on line {loop.lineno}, which "
                f"trains with it (`{self.text(use.func)}` on line {use.lineno}): {state}; inside tf.function it "
                f"raises \"{_SINGLETON_ERROR}\"; create the optimizer once, before the loop"
            )
            yield self.diagnostic(call, message, self.hoist_fix(call, loop))

    def stateless(self, call: ast.Call, qualname: str) -> bool:
        if not qualname.endswith(".SGD"):
            return False
        for kw in call.keywords:
            if kw.arg == "momentum":
                return isinstance(kw.value, ast.Constant) and kw.value.value in (0, 0.0)
            if kw.arg is None:
                return False
        return len(call.args) < 2  # SGD(learning_rate, momentum, ...)

    def target_key(self, call: ast.Call) -> tuple[ast.stmt | None, str | None]:
        stmt = self.model.parent(call)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is call:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if len(targets) == 1 and isinstance(targets[0], (ast.Name, ast.Attribute)):
                return stmt, dotted_path(targets[0])
        return None, None

    def lazily_created(self, call: ast.Call) -> bool:
        """Made under `if opt is None:` (or any condition) inside its loop or function: not every step."""
        stmt, key = self.target_key(call)
        for ancestor in self.model.ancestors(call):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.For, ast.While)):
                return False
            if isinstance(ancestor, ast.If):
                guarded = none_guard(ancestor.test)[0]  # the key the test is about
                if key is None or guarded == key or self.model.loop_of(ancestor) is not None:
                    return True
        return False

    def training_use(self, call: ast.Call) -> tuple[ast.AST, ast.Call] | None:
        """The innermost loop around the construction, and the step that trains with the new optimizer
        in that same loop (no inner loop in between)."""
        loops = self.model.enclosing_loops(call)
        if not loops:
            return None
        loop = loops[0]
        parent = self.model.parent(call)
        if isinstance(parent, ast.Attribute) and parent.attr in _TRAINING_METHODS:
            step = self.model.parent(parent)
            if isinstance(step, ast.Call):
                return loop, step
        stmt, key = self.target_key(call)
        if stmt is None:
            return None
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
        binding = self.model.binding_of(target)
        if binding is None:
            return None
        for use in self.model.uses_of(binding):
            attribute = self.model.parent(use)
            if not (isinstance(attribute, ast.Attribute) and attribute.attr in _TRAINING_METHODS):
                continue
            step = self.model.parent(attribute)
            if isinstance(step, ast.Call) and step.func is attribute:
                use_loops = self.model.enclosing_loops(step)
                if use_loops and use_loops[0] is loop:
                    return loop, step
        return None

    def in_new_graph(self, call: ast.Call, loop: ast.AST) -> bool:
        """Made under `with tf.Graph().as_default():` inside the loop (TF1 code that runs a whole
        training per iteration, each in a graph of its own): the variables it trains are new in
        every graph, and an optimizer of an earlier graph could not serve them."""
        for ancestor in self.model.ancestors(call):
            if ancestor is loop:
                return False
            if isinstance(ancestor, ast.With) and any(self.new_graph(item.context_expr, loop) for item in ancestor.items):
                return True
        return False

    def new_graph(self, expr: ast.expr, loop: ast.AST) -> bool:
        """`tf.Graph().as_default()`, or `g.as_default()` where the loop binds `g = tf.Graph()`."""
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_default"):
            return False
        graph = expr.func.value
        if isinstance(graph, ast.Name):
            bindings = self.model.reaching(graph)
            return bool(bindings) and all(
                isinstance(b.stmt, ast.Assign) and self._makes_graph(b.stmt.value) and loop in self.model.enclosing_loops(b.stmt)
                for b in bindings
            )
        return self._makes_graph(graph)

    def _makes_graph(self, expr: ast.AST) -> bool:
        return isinstance(expr, ast.Call) and self.model.qualified_name(expr.func) in _GRAPH_CLASSES

    def variables_of_the_iteration(self, use: ast.Call, loop: ast.AST, qualname: str) -> bool:
        """The training call is given variables picked by the loop's own target (`for vs, loss in
        parts: opt.minimize(loss, var_list=vs)`), in no other loop: each iteration sets up an
        optimizer for other variables, whose state has nothing to carry over from the last one's."""
        if not isinstance(loop, (ast.For, ast.AsyncFor)) or len(self.model.enclosing_loops(use)) > 1:
            return False  # inside a loop of steps, every step would set them up anew
        variables = _trained_variables(use, qualname.startswith(_TF1_OPTIMIZER_MODULES))
        if variables is None:
            return False
        picked = set(target_names(loop.target))
        return any(isinstance(node, ast.Name) and node.id in picked for node in ast.walk(variables))

    def hoist_fix(self, call: ast.Call, loop: ast.AST) -> Fix | None:
        stmt, key = self.target_key(call)
        if stmt is None or stmt not in loop.body or len(loop.body) < 2 or not self.own_lines(stmt):
            return None
        if len(self.model.enclosing_loops(loop)) > 0:
            return None  # above the inner loop it would still be made anew on each round of the outer one
        if self.source.line(loop.lineno)[: self.source.start(loop).col].strip():
            return None
        # The arguments must mean the same before the loop: nothing they read is bound inside it.
        for node in ast.walk(call):
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                if any(inside(b.stmt, loop, self.model) for b in self.model.reaching(node)):
                    return None
            if isinstance(node, (ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)):
                return None
        scope = self.model.scope_of(stmt)
        if any(b.stmt is not stmt and inside(b.stmt, loop, self.model) for b in scope.bindings.get(key, [])):
            return None
        loop_indent = self.source.indent_of(loop.lineno)
        stmt_indent = self.source.indent_of(stmt.lineno)
        moved = []
        for lineno in range(stmt.lineno, stmt.end_lineno + 1):
            line = self.source.line(lineno).rstrip("\r\n")
            if line.strip() and not line.startswith(stmt_indent):
                return None
            moved.append(loop_indent + line[len(stmt_indent) :] if line.strip() else "")
        # One edit from the loop's first line to the statement's last, so the statement's comments
        # travel with it and the lines in between are copied unchanged.
        kept = [self.source.line(n).rstrip("\r\n") for n in range(loop.lineno, stmt.lineno)]
        ending = "\n" if self.source.line(stmt.end_lineno).endswith(("\n", "\r")) else ""
        return self.fix(
            f"Create the optimizer once, before the loop on line {loop.lineno}",
            Edit(Position(loop.lineno, 0), Position(stmt.end_lineno + 1, 0), "\n".join(moved + kept) + ending),
            safe=False,
        )


def _trained_variables(use: ast.Call, tf1: bool) -> ast.expr | None:
    """What a training call is told to update: `minimize`'s `var_list` (its second argument, except
    for TF1 optimizers, whose second is `global_step`), or the variables zipped into `apply_gradients`."""
    method = use.func.attr if isinstance(use.func, ast.Attribute) else None
    keyword = next((k.value for k in use.keywords if k.arg == ("var_list" if method == "minimize" else "grads_and_vars")), None)
    if method == "minimize":
        if keyword is None and len(use.args) > 1 and not tf1:
            keyword = use.args[1]
        return keyword
    pairs = keyword if keyword is not None else (use.args[0] if use.args else None)
    if isinstance(pairs, ast.Call) and isinstance(pairs.func, ast.Name) and pairs.func.id == "zip" and len(pairs.args) == 2:
        return pairs.args[1]
    return None


# ---- TFV402 ---------------------------------------------------------------------------------------

_INTEGER_DTYPE = re.compile(r"^(u?int(8|16|32|64)?|bool)$")
# Factories whose dtype, when not given, is that of the initial value (`tf.Variable(0)` is int32).
_DTYPE_FROM_VALUE = frozenset(
    {
        "tensorflow.Variable",
        "tensorflow.compat.v1.Variable",
        "keras.Variable",
        "keras.backend.Variable",
        "keras.variables.Variable",
        "tensorflow.keras.Variable",
    }
)
_INITIAL_VALUE_KEYWORDS = ("initial_value", "initializer", "value")


def initial_value(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in _INITIAL_VALUE_KEYWORDS), None)


def integer_literal(node: ast.AST | None) -> str | None:
    """"int" / "bool" when the node is such a literal (or a list of them), else None."""
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        kinds = {integer_literal(e) for e in node.elts}
        return kinds.pop() if len(kinds) == 1 else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return "int"
        return None
    if isinstance(node, ast.Constant):
        if type(node.value) is bool:
            return "bool"
        if type(node.value) is int:
            return "int"
    return None


def dtype_kind(node: ast.AST) -> str | None:
    """"int" / "bool" for a dtype spelled `tf.int32`, `"int64"`, `np.uint8`, `bool`; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value
    elif isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Name):
        name = node.id
    else:
        return None
    if not _INTEGER_DTYPE.match(name):
        return None
    return "bool" if name == "bool" else "int"


class IntegerVariableInGradients(_TrainingRule):
    code = "TFV402"
    needs = frozenset({VARIABLES})
    name = "integer-variable-trained"
    summary = "An integer or boolean variable left trainable and handed to `tape.gradient`, `apply_gradients` or `minimize`."
    what = """
        Finds a variable created with an integer or boolean dtype (`tf.Variable(0)`, `dtype=tf.int32`,
        `add_weight(dtype="int32")`), left trainable (the default), that is passed to `tape.gradient`,
        `optimizer.apply_gradients` or `optimizer.minimize`; and `add_weight` with an integer or boolean
        dtype left trainable in a Keras layer, where `trainable_weights` (what `fit` and
        `model.trainable_variables` hand to the optimizer) includes it.
    """
    why = """
        `tf.Variable(0)` is an int32 variable, and variables are trainable unless told otherwise. Integers
        have no gradient: `tape.gradient` silently returns `None` for it (`tape.watch` logs
        "The dtype of the watched tensor must be floating"). Keras 3 optimizers then warn
        `UserWarning: Gradients do not exist for variables [...] when minimizing the loss` (tf_keras logs the
        same), and raise `ValueError: No gradients provided for any variable.` when no gradient is left;
        an integer gradient is applied truncated (SGD(0.1) with gradient 1 leaves the variable at 0).
    """
    example = """
        import tensorflow as tf

        counter = tf.Variable(0)
        optimizer = tf.keras.optimizers.SGD(0.01)
        for i in range(5):
            with tf.GradientTape() as tape:
                loss = counter * 2
            grads = tape.gradient(loss, [counter])
            optimizer.apply_gradients(zip(grads, [counter]))
    """
    use_instead = """
        import tensorflow as tf

        counter = tf.Variable(0.0)
        optimizer = tf.keras.optimizers.SGD(0.01)
        for i in range(5):
            with tf.GradientTape() as tape:
                loss = counter * 2
            grads = tape.gradient(loss, [counter])
            optimizer.apply_gradients(zip(grads, [counter]))
    """
    fix_safety = """
        Unsafe. A counter (a variable updated with `assign_add`/`assign_sub`, or an `add_weight` in a
        layer) gets `trainable=False`: it leaves `trainable_variables`; also leave it out of the list you
        differentiate. Any other variable whose dtype comes from an integer literal gets a float literal
        (`tf.Variable(0)` -> `tf.Variable(0.0)`), which makes it differentiable: its dtype changes, and
        so does what the code computes with it. No fix when the dtype is spelled out.
    """

    def check(self) -> Iterator[Diagnostic]:
        reported: dict[int, tuple[Value, ast.Call | None]] = {}
        for call in self.calls():
            for expr in self.differentiated(call):
                for value in self.model.values_of(expr):
                    if id(value.origin) not in reported and self.integer_trainable(value):
                        reported[id(value.origin)] = (value, call)
        for call in self.calls():
            if not (isinstance(call.func, ast.Attribute) and call.func.attr in api.VARIABLE_METHODS):
                continue
            for value in self.model.values_of(call):
                if value.origin is call and value.api in api.VARIABLE_METHODS and id(call) not in reported:
                    if self.integer_trainable(value) and self.in_keras_class(call):
                        reported[id(call)] = (value, None)
        for value, use in sorted(reported.values(), key=lambda item: (item[0].line or 0, item[0].origin.col_offset)):
            yield self.report(value, use)

    def report(self, value: Value, use: ast.Call | None) -> Diagnostic:
        origin = value.origin
        kind = self.integer_kind(value)
        counter = use is None or self.is_counter(value)
        callee = self.text(origin.func)
        if use is not None:
            where = f"is passed to `{self.text(use.func)}` on line {use.lineno}"
        else:
            where = (
                "is in the layer's `trainable_weights`, which `fit` and `model.trainable_variables` hand to the "
                "optimizer"
            )
        advice = (
            "declare it `trainable=False` (and leave it out of what you differentiate)"
            if counter
            else "give it a float initial value or dtype"
        )
        message = (
            f"`{callee}(...)` makes a trainable {kind} variable that {where}: {kind} variables have no gradient "
            f"(silently None; Keras warns \"Gradients do not exist for variables\", \"ValueError: No gradients "
            f"provided for any variable\" when none is left) and integer steps are truncated; {advice}"
        )
        fix = self.trainable_fix(origin) if counter else self.float_fix(value)
        return self.diagnostic(origin, message, fix)

    def differentiated(self, call: ast.Call) -> list[ast.expr]:
        """The expressions a call hands over as variables to differentiate or update."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _DIFFERENTIATING_METHODS:
            return []
        receiver = {v.kind for v in self.model.values_of(func.value)}
        if func.attr in ("gradient", "jacobian", "batch_jacobian"):
            if not receiver <= {Kind.TAPE, Kind.UNKNOWN}:
                return []
            sources = self.argument(call, 1, "sources")
            return self.expand(sources, pairs=False) if sources is not None else []
        if func.attr == "apply_gradients" and receiver <= {Kind.OPTIMIZER, Kind.UNKNOWN}:
            pairs = self.argument(call, 0, "grads_and_vars")
            return self.expand(pairs, pairs=True) if pairs is not None else []
        if func.attr == "minimize" and receiver <= {Kind.OPTIMIZER, Kind.UNKNOWN}:
            keras = receiver == {Kind.OPTIMIZER} and not any(
                (v.api or "").startswith(_TF1_OPTIMIZER_MODULES) for v in self.model.values_of(func.value)
            )
            # TF1 optimizers take `global_step` second; only `var_list=` is certain for them.
            var_list = self.argument(call, 1, "var_list") if keras else self.argument(call, None, "var_list")
            return self.expand(var_list, pairs=False) if var_list is not None else []
        return []

    @staticmethod
    def argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
        if position is not None and len(call.args) > position and not any(
            isinstance(a, ast.Starred) for a in call.args[: position + 1]
        ):
            return call.args[position]
        return next((k.value for k in call.keywords if k.arg == keyword), None)

    def expand(self, expr: ast.expr, pairs: bool, depth: int = 0) -> list[ast.expr]:
        if depth > 3:
            return []
        if isinstance(expr, (ast.List, ast.Tuple)):
            found = []
            for elt in expr.elts:
                if isinstance(elt, ast.Starred):
                    found += self.expand(elt.value, pairs, depth + 1)
                elif pairs:
                    if isinstance(elt, (ast.Tuple, ast.List)) and len(elt.elts) == 2:
                        found += self.expand(elt.elts[1], False, depth + 1)
                else:
                    found += self.expand(elt, False, depth + 1)
            return found
        if pairs and isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "zip":
            if len(expr.args) == 2 and not self.model.reaching(expr.func):
                return self.expand(expr.args[1], False, depth + 1)
            return []
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.expand(expr.left, pairs, depth + 1) + self.expand(expr.right, pairs, depth + 1)
        if isinstance(expr, ast.Name):
            found = [] if pairs else [expr]
            for binding in self.model.reaching(expr):
                stmt = binding.stmt
                if isinstance(stmt, ast.Assign) and binding.node in stmt.targets:
                    if isinstance(stmt.value, (ast.List, ast.Tuple, ast.BinOp, ast.Call)):
                        found += self.expand(stmt.value, pairs, depth + 1)
            return found
        return [] if pairs else [expr]

    def integer_kind(self, value: Value) -> str | None:
        call = value.origin
        if not isinstance(call, ast.Call):
            return None
        for kw in call.keywords:
            if kw.arg == "dtype":
                return dtype_kind(kw.value)
        if value.api in _DTYPE_FROM_VALUE:
            return integer_literal(initial_value(call))
        return None

    def integer_trainable(self, value: Value) -> bool:
        if value.kind is not Kind.VARIABLE or value.trainable is not True or not isinstance(value.origin, ast.Call):
            return False
        if any(kw.arg in ("synchronization", None) for kw in value.origin.keywords):
            return False  # ON_READ variables are not trainable by default; **kwargs may say anything
        return self.integer_kind(value) is not None

    def in_keras_class(self, call: ast.Call) -> bool:
        for ancestor in self.model.ancestors(call):
            if isinstance(ancestor, ast.ClassDef):
                return self.model.is_keras_class(ancestor)
        return False

    def is_counter(self, value: Value) -> bool:
        for call in self.calls():
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in ("assign_add", "assign_sub"):
                if any(v.origin is value.origin for v in self.model.values_of(func.value)):
                    return True
        return False

    def trainable_fix(self, call: ast.Call) -> Fix | None:
        for kw in call.keywords:
            if kw.arg == "trainable":
                return self.fix("Declare it `trainable=False`", self.replace(kw.value, "False"), safe=False)
        last = (call.args + [k.value for k in call.keywords])[-1:] if (call.args or call.keywords) else []
        if not last:
            return None
        return self.fix(
            "Declare it `trainable=False`",
            self.insert_at(self.source.end(last[0]), ", trainable=False"),
            safe=False,
        )

    def float_fix(self, value: Value) -> Fix | None:
        call = value.origin
        if any(kw.arg == "dtype" for kw in call.keywords):
            return None
        init = initial_value(call)
        if integer_literal(init) != "int":
            return None
        literals = init.elts if isinstance(init, (ast.List, ast.Tuple)) else [init]
        edits = []
        for literal in literals:
            number = literal.operand if isinstance(literal, ast.UnaryOp) else literal
            edits.append(self.replace(number, f"{number.value}.0"))
        return self.fix("Make it a float variable", *edits, safe=False)


# ---- TFV403 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Flow:
    """What an expression inside a tape block depends on: the watched things it reaches through
    differentiable ops (`roots`), and the NumPy conversions on its way, each with the roots of
    what it converted."""

    roots: frozenset = frozenset()
    conversions: frozenset = frozenset()  # (conversion call, frozenset of roots)

    def __or__(self, other: "_Flow") -> "_Flow":
        return _Flow(self.roots | other.roots, self.conversions | other.conversions)


_NOTHING = _Flow()
_WEIGHT_LISTS = frozenset({"trainable_variables", "trainable_weights", "variables", "weights"})


class NumpyInTape(_TrainingRule):
    code = "TFV403"
    needs = frozenset({TRAINING})
    uses_tracing = True
    name = "numpy-inside-gradient-tape"
    summary = "`.numpy()`, `float()`, `int()` or a NumPy function on a watched tensor inside a `tf.GradientTape`, on the way to the loss."
    what = """
        Finds, inside a `with tf.GradientTape() as tape:` block, `.numpy()`, `float(...)`, `int(...)` or a
        NumPy function (`np.square(w)`) applied to a watched value (a variable, a tensor computed from one,
        something passed to `tape.watch`, a Keras model's output) whose result flows into the target of
        `tape.gradient(target, ...)`, and the target depends on that watched value through nothing else.

        Not reported: `.numpy()` for logging (the result does not reach the loss), outside the tape, or
        a value used as a constant factor while the loss still depends on the variable directly; nor,
        when the gradient is asked for a model's weights (`model.trainable_variables`), a conversion of
        a local `tf.Variable` that the function never hands on (only its own methods and slices are
        used), which no model can hold: the weights' gradients do not go through it (MediaPipe's face
        stylizer feeds such a scratch latent to its decoder as NumPy).
    """
    why = """
        A NumPy value or Python number is outside TensorFlow: the tape cannot record through it. The loss
        is then a constant for the tape and `tape.gradient` silently returns `None` for the variables
        (or raises `AttributeError: 'numpy.float32' object has no attribute '_id'` /
        `'float' object has no attribute 'dtype'` when the loss itself is no longer a tensor). Inside
        `tf.function`, `.numpy()` and NumPy functions raise
        `NotImplementedError: numpy() is only available when eager execution is enabled.`
    """
    example = """
        import tensorflow as tf

        w = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            loss = w.numpy() ** 2
        grad = tape.gradient(loss, w)
    """
    use_instead = """
        import tensorflow as tf

        w = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            loss = w ** 2
        grad = tape.gradient(loss, w)
        print(loss.numpy())
    """
    fix_safety = """
        Unsafe. `x.numpy()` becomes `x` and `float(x)` becomes `x`, keeping the computation in TensorFlow
        so the gradient flows; the values are the same, but their types change (a tensor where there was
        a NumPy or Python number). No fix for `int(...)` (it truncates) or NumPy functions (they need a TF
        counterpart).
    """

    def may_open_tape(self, stmt: ast.With) -> bool:
        """A `with` that may bind a tape: a call only does when it is `tf.GradientTape(...)`."""
        for item in stmt.items:
            if isinstance(item.optional_vars, ast.Name):
                expr = item.context_expr
                if not isinstance(expr, ast.Call) or api.classify_call(self.model.qualified_name(expr.func) or "") is Kind.TAPE:
                    return True
        return False

    def check(self) -> Iterator[Diagnostic]:
        seen: set[int] = set()
        for stmt in self.model.reached_statements((ast.With,), self.may_open_tape):
            for item in stmt.items:
                if not isinstance(item.optional_vars, ast.Name):
                    continue
                if not any(v.kind is Kind.TAPE for v in self.model.values_of(item.context_expr)):
                    continue
                tape = self.model.binding_of(item.optional_vars)
                if tape is None:
                    continue
                for gradient, target, sources in self.gradient_calls(tape):
                    analysis = _TapeFlow(self, stmt, self.watched(tape, stmt))
                    flow = analysis.of(target)
                    # When what is differentiated is known, the conversion must cut the way to it.
                    wanted = analysis.of(sources).roots if sources is not None else frozenset()
                    for conversion, roots in sorted(flow.conversions, key=lambda c: (c[0].lineno, c[0].col_offset)):
                        if wanted and not roots & wanted:
                            continue
                        if not wanted and self.weights_of_a_model(sources) and self.only_local_variables(conversion, roots):
                            continue  # no model holds what the conversion cuts: the weights' gradients are whole
                        if roots and not roots & flow.roots and id(conversion) not in seen:
                            seen.add(id(conversion))
                            yield self.report(conversion, stmt, gradient, analysis)

    def gradient_calls(self, tape: Binding) -> Iterator[tuple[ast.Call, ast.expr, ast.expr | None]]:
        for use in self.model.uses_of(tape):
            attribute = self.model.parent(use)
            if isinstance(attribute, ast.Attribute) and attribute.attr in ("gradient", "jacobian", "batch_jacobian"):
                call = self.model.parent(attribute)
                if isinstance(call, ast.Call) and call.func is attribute:
                    target = IntegerVariableInGradients.argument(call, 0, "target")
                    if target is not None:
                        yield call, target, IntegerVariableInGradients.argument(call, 1, "sources")

    def weights_of_a_model(self, sources: ast.expr | None) -> bool:
        """`model.trainable_variables` (or `.trainable_weights`, `.variables`, `.weights`), directly or
        through a name bound only to it: what is differentiated is what some model holds."""
        if isinstance(sources, ast.Name):
            bindings = self.model.reaching(sources)
            if not bindings or not all(isinstance(b.stmt, ast.Assign) and len(b.stmt.targets) == 1 for b in bindings):
                return False
            return all(self.weights_of_a_model(b.stmt.value) for b in bindings)
        return isinstance(sources, ast.Attribute) and sources.attr in _WEIGHT_LISTS

    def only_local_variables(self, conversion: ast.Call, roots: frozenset) -> bool:
        """Everything the conversion cuts is a `tf.Variable(...)` bound to a local name of this
        function that is never handed on (only its own methods and slices are used: no argument,
        attribute, container or return holds it), so no model can hold it."""
        operand = conversion.func.value if isinstance(conversion.func, ast.Attribute) else None
        if operand is None or not roots:
            return False
        origins = [v.origin for v in self.model.values_of(operand) if v.kind is Kind.VARIABLE]
        if not origins or roots != frozenset(("variable", id(o)) for o in origins):
            return False
        for origin in origins:
            stmt = self.model.parent(origin)
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
                return False
            func = self.model.enclosing_function(stmt)
            if func is None:
                return False
            name = stmt.targets[0].id
            for node in ast.walk(func):
                if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
                    parent = self.model.parent(node)
                    if not (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node):
                        return False
        return True

    def watched(self, tape: Binding, block: ast.AST) -> set[int]:
        """Bindings whose values the block hands to `tape.watch(...)`."""
        found: set[int] = set()
        for use in self.model.uses_of(tape):
            attribute = self.model.parent(use)
            if isinstance(attribute, ast.Attribute) and attribute.attr == "watch":
                call = self.model.parent(attribute)
                if isinstance(call, ast.Call) and call.args and inside(call, block, self.model):
                    for node in ast.walk(call.args[0]):
                        found.update(id(b) for b in self.model.reaching(node))
        return found

    def report(self, conversion: ast.Call, block: ast.AST, gradient: ast.Call, analysis: "_TapeFlow") -> Diagnostic:
        kind = analysis.conversion_kind(conversion)
        shown = self.text(conversion) if len(self.text(conversion)) <= 40 else self.text(conversion.func) + "(...)"
        result = {"numpy": "a NumPy value", "float": "a Python float", "int": "a Python int"}.get(kind, "a NumPy value")
        message = (
            f"`{shown}` inside the GradientTape block (line {block.lineno}) turns a watched tensor into {result} "
            f"on the way to what `{self.text(gradient.func)}` on line {gradient.lineno} differentiates: the tape "
            f"cannot record through it, so the gradient is silently None (AttributeError when the loss itself is "
            f"no longer a tensor; NotImplementedError for .numpy() inside tf.function); keep the math in TF ops"
        )
        return self.diagnostic(conversion, message, self.removal_fix(conversion, kind))

    def removal_fix(self, conversion: ast.Call, kind: str) -> Fix | None:
        if kind == "numpy":
            inner = conversion.func.value
        elif kind == "float":
            inner = conversion.args[0]
        else:
            return None
        text = self.text(inner)
        parent = self.model.parent(conversion)
        if isinstance(parent, ast.Attribute):
            return None  # `w.numpy().sum()`: NumPy methods are not tensor methods
        operand_of = (ast.BinOp, ast.UnaryOp, ast.Subscript, ast.Compare, ast.Await)
        if precedence(inner) < 15 and isinstance(parent, operand_of):
            text = f"({text})"
        return self.fix(f"Keep `{self.text(inner)}` a tensor", self.replace(conversion, text), safe=False)


class _TapeFlow:
    """Follows what a gradient target is computed from, through the assignments of one tape block."""

    def __init__(self, rule: NumpyInTape, block: ast.AST, watched: set[int]):
        self.rule = rule
        self.model = rule.model
        self.block = block
        self.watched = watched
        self.traced = self.model.trace_reason(block) is not None
        self.memo: dict[int, _Flow] = {}

    def conversion_kind(self, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "numpy" and not call.args and not call.keywords:
            if self.model.qualified_name(func) is None:
                return "numpy"
        if isinstance(func, ast.Name) and func.id in ("float", "int") and len(call.args) == 1 and not call.keywords:
            if not self.model.reaching(func):
                # Inside tf.function autograph turns float() into a cast, which differentiates.
                return None if func.id == "float" and self.traced else func.id
        qualname = self.model.qualified_name(func)
        if qualname and qualname.startswith("numpy.") and qualname.rsplit(".", 1)[-1][:1].islower():
            return "numpy-function"
        return None

    def of(self, expr: ast.AST) -> _Flow:
        if isinstance(expr, ast.Call) and inside(expr, self.block, self.model):
            kind = self.conversion_kind(expr)
            if kind is not None:
                converted = _NOTHING
                operands = [expr.func.value] if kind == "numpy" else [*expr.args, *(k.value for k in expr.keywords)]
                for operand in operands:
                    converted = converted | self.of(operand)
                return _Flow(frozenset(), converted.conversions | {(expr, converted.roots)})
        flow = _NOTHING
        if isinstance(expr, (ast.Name, ast.Attribute)) and isinstance(expr.ctx, ast.Load) and dotted_path(expr):
            flow = flow | self.load(expr)
        if isinstance(expr, ast.Attribute) and expr.attr in _WEIGHT_LISTS:
            flow = flow | _Flow(self.model_roots(expr.value))  # `model.trainable_variables`
        if isinstance(expr, ast.Call) and inside(expr, self.block, self.model):
            flow = flow | _Flow(self.model_roots(expr.func))  # `model(x)`: computed from its weights
        for child in ast.iter_child_nodes(expr):
            if isinstance(child, ast.expr) and not (isinstance(expr, ast.Attribute) and dotted_path(expr)):
                flow = flow | self.of(child)
        return flow

    def model_roots(self, expr: ast.AST) -> frozenset:
        return frozenset(
            ("model", id(v.origin)) for v in self.model.values_of(expr) if v.kind in (Kind.LAYER, Kind.INSTANCE)
        )

    def load(self, node: ast.AST) -> _Flow:
        roots = frozenset(
            ("variable", id(v.origin)) for v in self.model.values_of(node) if v.kind is Kind.VARIABLE
        )
        flow = _Flow(roots)
        for binding in self.model.reaching(node):
            if id(binding) in self.watched:
                flow = flow | _Flow(frozenset({("watched", id(binding))}))
            if inside(binding.stmt, self.block, self.model) and binding.stmt is not self.block:
                flow = flow | self.binding(binding)
        return flow

    def binding(self, binding: Binding) -> _Flow:
        key = id(binding)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = _NOTHING  # a loop inside the block: its first pass is enough
        stmt = binding.stmt
        flow = _NOTHING
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            flow = self.of(stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            flow = self.of(stmt.value)
            for previous in self.model.reaching(stmt.target):
                if previous is not binding and inside(previous.stmt, self.block, self.model):
                    flow = flow | self.binding(previous)
            flow = flow | _Flow(frozenset(
                ("variable", id(v.origin)) for p in self.model.reaching(stmt.target) for v in p.values
                if v.kind is Kind.VARIABLE
            ))
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            flow = self.of(stmt.iter)
        self.memo[key] = flow
        return flow


__all__ = ["IntegerVariableInGradients", "NumpyInTape", "OptimizerInLoop"]
