"""TFV1xx: updating a variable by rebinding a name or attribute instead of assigning into it."""
from __future__ import annotations

import ast
from typing import Iterator

from ..codegen import OPERATOR_SYMBOLS, as_argument, as_right_operand
from ..diagnostic import Diagnostic
from ..model import api
from ..model.flow import dotted_path
from ..model.needs import VARIABLES
from ..model.scopes import Binding, reads_loop_item
from ..model.semantic import INIT_METHODS
from ..model.usage import DIFFERENTIATING_METHODS, escapes, in_assertion, used_as_variable
from ..model.timing import exclusive_by_fixed_flag
from ..model.values import Kind, Value, only
from .base import Rule

# `+= -= *= /= **=` raise on a tf.Variable; every other operator rebinds silently (case 2).
_RAISING_AUGMENTED = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
# Factories whose first argument is the initial value (not `get_variable(name, ...)`, `add_weight`).
_VALUE_FIRST_FACTORIES = frozenset(
    {"tensorflow.Variable", "tensorflow.compat.v1.Variable", "keras.Variable", "keras.backend.Variable",
     "keras.variables.Variable", "tensorflow.keras.Variable", "keras.backend.variable",
     "tensorflow.keras.backend.variable", "tf_keras.backend.variable"}
)
_COMPUTED = frozenset({Kind.TENSOR, Kind.PYTHON, Kind.NUMPY})
# Keras 3 variables, whose assign_add/assign_sub broadcast the operand like `v + x` does.
_KERAS3_VARIABLE_APIS = frozenset(
    {"keras.Variable", "keras.backend.Variable", "keras.variables.Variable", "tensorflow.keras.Variable"}
)
_TF_VARIABLE_APIS = frozenset(
    {"tensorflow.Variable", "tensorflow.compat.v1.Variable", "tensorflow.compat.v1.get_variable",
     "tensorflow.keras.backend.variable", "tf_keras.backend.variable", "keras.backend.variable"}
)


def single_target(stmt: ast.stmt) -> ast.expr | None:
    """The one Name or dotted attribute an assignment statement binds, if that is all it binds."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target = stmt.target
    else:
        return None
    if isinstance(target, (ast.Name, ast.Attribute)) and dotted_path(target) is not None:
        return target
    return None


def loads_of(expr: ast.AST, key: str) -> list[ast.AST]:
    return [
        n
        for n in ast.walk(expr)
        if isinstance(n, (ast.Name, ast.Attribute)) and isinstance(n.ctx, ast.Load) and dotted_path(n) == key
    ]


def _is_number(node: ast.AST | None) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _initial_value(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in ("initial_value", "value")), None)


def in_place_add_sub_ok(values: list[Value]) -> bool:
    """Whether `v.assign_add(x)` / `v.assign_sub(x)` may stand for `v + x` / `v - x`.

    A tf.Variable's assign_add and assign_sub do not broadcast: `tf.Variable(tf.ones((2, 2))).assign_sub(0.5)`
    raises InvalidArgumentError where `v - 0.5` works. They are equivalent only for a variable known to
    be a scalar (a number literal, or `shape=()`) and for Keras 3 `keras.Variable`s, which broadcast.
    """
    for value in values:
        if value.api in _KERAS3_VARIABLE_APIS:
            continue
        call = value.origin
        if not isinstance(call, ast.Call):
            return False
        shape = next((k.value for k in call.keywords if k.arg == "shape"), None)
        if isinstance(shape, (ast.Tuple, ast.List)) and not shape.elts:
            continue
        if shape is None and value.api in _VALUE_FIRST_FACTORIES and _is_number(_initial_value(call)):
            continue
        return False
    return bool(values)


def created_line(values: list[Value]) -> str:
    lines = sorted({v.line for v in values if v.line})
    return f" (created on line {lines[0]})" if lines else ""


class _RebindingRule(Rule):
    _variable_keys: frozenset[str] | None = None

    def assignments(self) -> Iterator[tuple[ast.stmt, ast.expr, str]]:
        """Single-target assignments to a name or attribute path that owns a variable somewhere in
        the file: the only ones a rebinding rule can report (a cheap filter, issue 6 profile)."""
        keys = self.variable_keys()
        weights = self.model.has_implicit_weights()
        if not keys and not weights:
            return

        def candidate(stmt: ast.stmt) -> bool:
            target = single_target(stmt)
            if target is None:
                return False
            key = dotted_path(target)
            # A built-in layer's weight is one binding for every spelling of its path.
            return key in keys or (weights and key.rpartition(".")[2] in api.LAYER_WEIGHT_ATTRIBUTES)

        for stmt in self.model.reached_statements((ast.Assign, ast.AnnAssign), candidate):
            target = single_target(stmt)
            yield stmt, target, dotted_path(target)

    def variable_keys(self) -> frozenset[str]:
        """Names and attribute paths that some binding of this file may store a variable in."""
        if self._variable_keys is None:
            keys = self.model.shared.get(_RebindingRule)  # the same for the five rules of this module
            if keys is None:
                model = self.model
                # Bindings of this file, implicit ones (built-in layer weights, instances of this
                # file's classes) and those inherited from project base classes in other modules.
                keys = model.shared[_RebindingRule] = frozenset(b.key for b in model.variable_bindings())
            self._variable_keys = keys
        return self._variable_keys

    def owned_variables(self, bindings) -> list[Value]:
        found: list[Value] = []
        for binding in bindings:
            found.extend(binding.owned_variables())
        return sorted(found, key=lambda v: v.line or 0)

    @staticmethod
    def is_update_call(expr: ast.AST, key: str) -> bool:
        """`key.assign*(...)`, `key[...].assign*(...)` or `tf.compat.v1.assign*(key, ...)`."""
        if not isinstance(expr, ast.Call):
            return False
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in api.UPDATE_METHODS:
            receiver = func.value
            while isinstance(receiver, ast.Subscript):
                receiver = receiver.value
            return dotted_path(receiver) == key
        return False


class VariableRebound(_RebindingRule):
    code = "TFV101"
    needs = frozenset({VARIABLES})
    name = "variable-rebound-to-tensor"
    summary = "A variable is 'updated' by rebinding its name or attribute with `=` to a tensor computed from it."
    what = """
        Finds `v = v - lr * g`, `self.w = self.w * decay`, `w = tf.clip_by_value(w, 0., 1.)`: a name
        or attribute that holds a `tf.Variable` (or `keras.Variable`, `add_weight(...)`, `K.variable`)
        bound again with `=` to an expression computed from that same variable.
    """
    why = """
        Arithmetic on a variable returns a new tensor; `=` only rebinds the Python name. The variable
        itself is never updated, and from then on the name holds a plain tensor:

        - in a `tf.GradientTape` loop, `tape.gradient(loss, v)` silently returns `None` from the
          second step on, and the update line then fails with
          `TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'`;
          an optimizer given the tensor raises
          `AttributeError: 'tensorflow.python.framework.ops.EagerTensor' object has no attribute '_unique_id'`;
        - on `self.w` of a `tf.Module` or a tf_keras layer, the variable silently drops out of
          `trainable_variables`, so nothing trains it, and `tf.train.Checkpoint` saves the stale value;
          in a Keras 3 layer the weight stays listed but gets `None` gradients;
        - inside `tf.function`, a graph tensor leaks into the attribute and later raises
          `TypeError: <tf.Tensor ...> is out of scope and cannot be used here`.

        A local alias of a variable (`kernel = self.kernel; kernel = kernel * mask`) is not reported:
        the variable still lives where it was created. Nor is a value-preserving conversion of a local
        name (`w = tf.cast(w, x.dtype)`, `tf.convert_to_tensor`, `tf.identity`, or a reshape that keeps
        the values in order: `tf.reshape`, `tf.expand_dims`, `tf.squeeze`), which reads the
        variable rather than updating it, unless the name is used as a variable afterwards; on an
        attribute such a conversion is reported (the object's state is lost) without a fix: give the
        converted value a name of its own. An attribute of a plain object (no base but `object`,
        `abc.ABC` and the like, here or in the project's other modules) is no tracked weight: there,
        as for a local name, only a later use as a variable is reported (xplique freezes its search's
        variable buffers as tensors when the search is done). Nor is a function's local name that
        `tf.compat.v1.get_variable(...)` bound in the same block (`w = get_variable("w", ...)` then `w = tf.tanh(w) * mask`, as
        tensor2tensor's layers do): the variable store keeps the variable and hands it out again each
        time the code runs, so gradients reach it on every step (measured in TF1 graph mode and
        eagerly), unless the name is then used as a variable.
    """
    example = """
        import tensorflow as tf

        v = tf.Variable(3.0)
        for step in range(3):
            with tf.GradientTape() as tape:
                loss = v * v
            grad = tape.gradient(loss, v)
            v = v - 0.1 * grad
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(3.0)
        for step in range(3):
            with tf.GradientTape() as tape:
                loss = v * v
            grad = tape.gradient(loss, v)
            v.assign_sub(0.1 * grad)
    """
    fix_safety = """
        Safe. `v = <expression>` becomes `v.assign(<expression>)`: the variable is updated in place,
        as the code evidently meant, and keeps being a variable for the code after it. Where the
        variable is a scalar or a Keras 3 `keras.Variable`, `v = v - x` becomes `v.assign_sub(x)` and
        `v = v + x` or `v = x + v` becomes `v.assign_add(x)`; not otherwise, because a `tf.Variable`'s
        `assign_sub` and `assign_add` do not broadcast (`tf.Variable(tf.ones((2, 2))).assign_sub(0.5)`
        raises `InvalidArgumentError` where `v - 0.5` works).
    """

    def check(self) -> Iterator[Diagnostic]:
        for stmt, target, key in self.assignments():
            rhs = stmt.value
            # Cheapest test first: most right-hand sides are not known to be tensors at all.
            if not only(self.model.values_of(rhs), {Kind.TENSOR}):
                continue
            if self.is_update_call(rhs, key):
                continue  # TFV103 speaks about these
            loads = loads_of(rhs, key)
            if not loads:
                continue
            variables = self.owned_variables(b for load in loads for b in self.model.reaching(load))
            if not variables:
                continue
            if isinstance(target, ast.Name) and self.derived_from_store(variables, stmt, target):
                continue
            where = created_line(variables)
            if isinstance(target, ast.Attribute):
                effect = (
                    "it drops out of `trainable_variables` (Keras 3: gets None gradients) and "
                    "checkpoints keep the stale value"
                )
            else:
                effect = "gradients for it are None from the next step on"
            converter = self.conversion(rhs, key)
            if converter is not None:
                diagnostic = self.converted(stmt, target, key, converter, where, effect)
                if diagnostic is not None:
                    yield diagnostic
                continue
            method, argument = self.update_for(stmt, key, variables)
            message = (
                f"`{key} = ...` rebinds the variable{where} to a new tensor: the variable is never "
                f"updated and {effect}; use `{key}.{method}(...)`"
            )
            fix = None
            if isinstance(stmt, ast.Assign):
                fix = self.fix(
                    f"Update in place with `{key}.{method}(...)`",
                    self.replace(stmt, f"{self.text(target)}.{method}({argument})"),
                )
            yield self.diagnostic(stmt, message, fix)

    def derived_from_store(self, variables: list[Value], stmt: ast.stmt, target: ast.Name) -> bool:
        """`w = tf.compat.v1.get_variable("w", ...)` then `w = tf.tanh(w) * mask` in the same block
        of the same function (tensor2tensor's layers): the name takes a value computed from the
        variable, which the variable store keeps and hands out again each time the code runs, so
        gradients reach it on every step (measured in TF1 graph mode and eagerly). Reported still
        when the name is then used as a variable."""
        model = self.model
        function, loops = model.enclosing_function(stmt), model.enclosing_loops(stmt)
        if function is None:
            return False  # a module's global is the handle other code reads the variable by
        for value in variables:
            made = value.origin
            if value.api not in api.STORED_VARIABLE_FACTORIES or not isinstance(made, ast.Call):
                return False
            if model.enclosing_function(made) is not function or model.enclosing_loops(made) != loops:
                return False
        binding = model.binding_of(target)
        return binding is not None and not any(used_as_variable(model, use) for use in model.uses_of(binding))

    def conversion(self, rhs: ast.expr, key: str) -> str | None:
        """`tf.cast(key, ...)` and other value-preserving conversions of the variable itself: the
        callee's text, else None."""
        if not isinstance(rhs, ast.Call) or not rhs.args or dotted_path(rhs.args[0]) != key:
            return None
        if self.model.qualified_name(rhs.func) not in api.VALUE_PRESERVING_OPS:
            return None
        return self.text(rhs.func)

    def converted(self, stmt, target, key: str, converter: str, where: str, effect: str) -> Diagnostic | None:
        """A conversion reads the variable; it is not a botched update. Losing the variable matters
        only where the name is the object's state (an attribute) or is used as a variable later.
        No fix: `.assign(tf.cast(v, ...))` would be a no-op or a dtype error; the converted value
        wants a name of its own."""
        if isinstance(target, ast.Name) or self.state_of_a_plain_object(stmt, target):
            binding = self.model.binding_of(target)
            use = next(
                (u for u in (self.model.uses_of(binding) if binding else ()) if used_as_variable(self.model, u)),
                None,
            )
            if use is None:
                return None
            effect = (
                f"it is used as a variable on line {use.lineno}, where it holds a tensor "
                f"(`tape.gradient` returns None for it, `.assign` raises AttributeError)"
            )
        message = (
            f"`{key} = {converter}({key}, ...)` replaces the variable{where} with a converted tensor: {effect}; "
            f"bind the converted value to another name"
        )
        return self.diagnostic(stmt, message)

    def state_of_a_plain_object(self, stmt: ast.stmt, target: ast.expr) -> bool:
        """`self.x = ...` in a method of a class that tracks no variables: no base of it, here or in
        the project's other modules, is anything but `object`, `abc.ABC` or another such class. Its
        attributes are no layer's weights and no checkpoint's: only a later use as a variable
        matters (xplique's prototype search freezes its variable buffers as tensors when done)."""
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
            return False
        func = self.model.enclosing_function(stmt)
        owner = self.model.parent(func) if func is not None else None
        return isinstance(owner, ast.ClassDef) and plain_class(self.model, owner)

    def update_for(self, stmt: ast.Assign, key: str, variables: list[Value]) -> tuple[str, str]:
        rhs = stmt.value
        if isinstance(rhs, ast.BinOp) and in_place_add_sub_ok(variables):
            left_is_key = dotted_path(rhs.left) == key
            right_is_key = dotted_path(rhs.right) == key
            if isinstance(rhs.op, ast.Sub) and left_is_key and not loads_of(rhs.right, key):
                return "assign_sub", as_argument(rhs.right, self.text(rhs.right))
            if isinstance(rhs.op, ast.Add) and left_is_key and not loads_of(rhs.right, key):
                return "assign_add", as_argument(rhs.right, self.text(rhs.right))
            if isinstance(rhs.op, ast.Add) and right_is_key and not loads_of(rhs.left, key):
                return "assign_add", as_argument(rhs.left, self.text(rhs.left))
        return "assign", as_argument(rhs, self.text(rhs))


class AugmentedAssignmentOnVariable(_RebindingRule):
    code = "TFV102"
    needs = frozenset({VARIABLES})
    name = "augmented-assignment-on-variable"
    summary = "An augmented assignment (`+=`, `-=`, `*=`, ...) on a variable."
    what = """
        Finds `v += x`, `v -= g`, `self.w *= decay` and every other augmented operator
        (`/= //= %= **= @= &= |= ^= <<= >>=`) on a name or attribute that holds a variable.
    """
    why = """
        What happens depends on the variable and the operator, and none of it updates the variable:

        - a `tf.Variable` raises for `+= -= *= /= **=`, for example
          ``RuntimeError: `variable += value` with `tf.Variable`s is not supported. Use `variable.assign_add(value)` ...``
          (eagerly, inside `tf.function`, in a `tf.Module` and in a tf_keras layer);
        - Keras 3 `keras.Variable` (what Keras 3 `add_weight` returns), mixed-precision
          `AutoCastVariable` and `MirroredVariable` are silently rebound to a tensor: the variable keeps
          its old value and, in a layer, the tracked weight is orphaned; under `tf.function` the first
          call raises `TypeError: <tf.Tensor ...> is out of scope and cannot be used here`;
        - `//= %= @= &=` and the other operators silently rebind every kind of variable.

        A local name for a variable that lives elsewhere (`lr = self.lr` then `lr *= decay`, as Keras 2
        optimizers compute a decayed rate) is a working value: it is reported only where the operator
        raises, and rewritten as `lr = lr * decay`, which leaves the variable as it is; where the
        operator rebinds, the code already does what it means.
    """
    example = """
        import tensorflow as tf

        step = tf.Variable(0.0)
        step += 1.0
    """
    use_instead = """
        import tensorflow as tf

        step = tf.Variable(0.0)
        step.assign_add(1.0)
    """
    fix_safety = """
        Safe. `v <op>= x` becomes `v.assign(v <op> x)` (with `x` parenthesised where precedence needs
        it): the in-place update the operator was written for. Where the variable is a scalar or a
        Keras 3 `keras.Variable`, `v += x` becomes `v.assign_add(x)` and `v -= x` becomes
        `v.assign_sub(x)`; not otherwise, because a `tf.Variable`'s `assign_add` and `assign_sub` do
        not broadcast the operand as `+` and `-` do. On a local name for a variable that lives
        elsewhere, `lr *= x` becomes `lr = lr * x`: the value it computes, with the variable untouched.
    """

    def check(self) -> Iterator[Diagnostic]:
        keys = self.variable_keys()

        def candidate(stmt: ast.AugAssign) -> bool:
            # The target holds a variable only through a binding of its key that holds one.
            return isinstance(stmt.target, (ast.Name, ast.Attribute)) and dotted_path(stmt.target) in keys

        for stmt in self.model.reached_statements((ast.AugAssign,), candidate):
            key = dotted_path(stmt.target)
            variables = [v for v in self.model.values_of(stmt.target) if v.kind is Kind.VARIABLE]
            if not variables:
                continue
            symbol = OPERATOR_SYMBOLS[type(stmt.op)]
            raises = isinstance(stmt.op, _RAISING_AUGMENTED) and all(self.is_tf_variable(v) for v in variables)
            where = created_line(sorted(variables, key=lambda v: v.line or 0))
            if isinstance(stmt.target, ast.Name) and not any(b.owned_variables() for b in self.model.replaced(stmt.target)):
                # A local name for a variable that lives elsewhere (`lr = self.lr`): a working value.
                if raises:
                    yield self.working_copy(stmt, key, symbol, where)
                continue
            target_text = self.text(stmt.target)
            value_text = self.text(stmt.value)
            in_place = in_place_add_sub_ok(variables)
            if isinstance(stmt.op, ast.Add) and in_place:
                replacement = f"{target_text}.assign_add({as_argument(stmt.value, value_text)})"
            elif isinstance(stmt.op, ast.Sub) and in_place:
                replacement = f"{target_text}.assign_sub({as_argument(stmt.value, value_text)})"
            else:
                operand = as_right_operand(stmt.value, value_text, stmt.op)
                replacement = f"{target_text}.assign({target_text} {symbol} {operand})"
            if raises:
                consequence = (
                    f"tf.Variable raises {_runtime_error(stmt.op)} (keras.Variable and AutoCast/Mirrored variables "
                    f"are silently rebound to a tensor)"
                )
            else:
                consequence = "the name is silently rebound to a tensor and the variable keeps its old value"
            message = f"`{key} {symbol}= ...` on a variable{where}: {consequence}; use `{replacement}`"
            fix = self.fix(f"Replace with `{replacement}`", self.replace(stmt, replacement))
            yield self.diagnostic(stmt, message, fix)

    def working_copy(self, stmt: ast.AugAssign, key: str, symbol: str, where: str) -> Diagnostic:
        """`lr = self.lr` then `lr *= decay`: the code computes with a local copy of the value, and the
        variable raises; rebinding the local name is what it means, and leaves the variable alone."""
        operand = as_right_operand(stmt.value, self.text(stmt.value), stmt.op)
        target = self.text(stmt.target)
        replacement = f"{target} = {target} {symbol} {operand}"
        message = (
            f"`{key} {symbol}= ...` on `{key}`, a local name for a variable{where}: tf.Variable raises "
            f"{_runtime_error(stmt.op)}; to compute with its value and leave the variable as it is, write `{replacement}`"
        )
        return self.diagnostic(stmt, message, self.fix(f"Replace with `{replacement}`", self.replace(stmt, replacement)))

    def is_tf_variable(self, value: Value) -> bool:
        """A `tf.Variable` (which raises on `+=`), not a Keras 3 `keras.Variable` (which rebinds)."""
        if value.api in _TF_VARIABLE_APIS:
            return True
        if value.api in api.VARIABLE_METHODS and value.origin is not None:
            # `add_weight` returns a tf.Variable in tf_keras layers, a keras.Variable in Keras 3 ones.
            for node in self.model.ancestors(value.origin):
                if isinstance(node, ast.ClassDef):
                    bases = self.model.class_bases(node)
                    return bool(bases) and all(base.startswith("tf_keras.") for base in bases)
        return False


class RebindToAssignResult(_RebindingRule):
    code = "TFV103"
    needs = frozenset({VARIABLES})
    name = "rebound-to-assign-result"
    summary = "A variable's name or attribute is rebound to the result of its own `.assign*()`."
    what = """
        Finds `v = v.assign_sub(x)`, `self.w = self.w.assign(y)` and `a = a[0].assign(1)`: the update is
        right, but the name is then rebound to what `.assign*()` returns. Not reported when the name is
        only run afterwards (`sess.run(v)`, `self.evaluate(v)`): TF1 graph code keeps the update op so as
        to run it, and as a statement it would never run there.
    """
    why = """
        `tf.Variable.assign*` returns an `_UnreadVariable`, not the variable, and `keras.Variable.assign*`
        returns a plain tensor. After the rebinding:

        - reads through the `_UnreadVariable` are not recorded by `tf.GradientTape`, so
          `tape.gradient` returns `None` on the next step (then
          `TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'`);
        - on `self.w` of a `tf.Module`, `trainable_variables` holds the `UnreadVariable` and
          `tf.train.Checkpoint(...).save()` raises `ValueError: substring not found`;
        - in a Keras 3 layer the tracked weight is replaced by a tensor (as in TFV101).
    """
    example = """
        import tensorflow as tf

        v = tf.Variable(3.0)
        for step in range(3):
            with tf.GradientTape() as tape:
                loss = v * v
            grad = tape.gradient(loss, v)
            v = v.assign_sub(0.1 * grad)
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(3.0)
        for step in range(3):
            with tf.GradientTape() as tape:
                loss = v * v
            grad = tape.gradient(loss, v)
            v.assign_sub(0.1 * grad)
    """
    fix_safety = """
        Safe. The call stays as a statement and the rebinding goes: the variable is updated exactly as
        before, and the name keeps the variable itself.
    """

    def check(self) -> Iterator[Diagnostic]:
        for stmt, target, key in self.assignments():
            rhs = stmt.value
            if not self.is_update_call(rhs, key):
                continue
            receiver = rhs.func.value
            if not any(v.kind in (Kind.VARIABLE, Kind.SLICE) for v in self.model.values_of(receiver)):
                continue
            if self.only_run_later(target):
                continue
            method = rhs.func.attr
            message = (
                f"`{key} = {self.text(rhs.func)}(...)` rebinds `{key}` to what `{method}` returns, not the variable: "
                f"the tape stops watching it (gradient None on the next step) and tf.train.Checkpoint raises "
                f"\"ValueError: substring not found\"; call `{method}` as a statement"
            )
            fix = None
            if isinstance(stmt, ast.Assign):
                fix = self.fix(f"Call `{method}` as a statement", self.replace(stmt, self.text(rhs)))
            yield self.diagnostic(stmt, message, fix)

    def only_run_later(self, target: ast.AST) -> bool:
        """TF1 graph code keeps the update op to run it: `v = v.assign_add(1)` then only
        `sess.run(v)` / `self.evaluate(v)`. The name is never read as the variable again, and as a
        statement the op would never run there, so the rebinding is the point."""
        binding = self.model.binding_of(target)
        uses = self.model.uses_of(binding) if binding is not None else []
        return bool(uses) and all(_run_argument(self.model, use) for use in uses)


def _run_argument(model, use: ast.AST) -> bool:
    call = model.parent(use)
    return (
        isinstance(call, ast.Call)
        and use in call.args
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in _RUNNERS
    )


# `tf.compat.v1.Session.run`, `tf.test.TestCase.evaluate`: what runs a graph op.
_RUNNERS = frozenset({"run", "evaluate"})


class VariableOverwritten(_RebindingRule):
    code = "TFV104"
    needs = frozenset({VARIABLES})
    name = "variable-overwritten-by-value"
    summary = "A variable's name or attribute is overwritten with `=` by a tensor or Python value."
    what = """
        Finds `v = tf.constant(20.)`, `v = 0.5`, `self.kernel = np.zeros(...)`: a name or attribute that
        holds a variable bound with `=` to a value that is neither a variable nor computed from it, when
        that is evidently meant as an update:

        - the variable was never used before being overwritten (it is simply lost), or
        - the name is used as a variable afterwards (`.assign*`, `tape.gradient`, `apply_gradients`,
          `minimize`; `tape.gradient` does not count once the new value is handed to `tape.watch`, which
          is how a tensor is differentiated on purpose), or
        - the write is inside a loop the variable was created outside of, or in another method than the
          one that created the attribute.

        Rebinding to `None` (releasing the variable) is not reported, nor is a write that the variable
        can never reach because a flag keeps them apart: made in one branch of an `if` and overwritten
        in the other branch of the same test in another method of the class, where the test reads only
        attributes that no method but `__init__` stores (`if self.split > 1:` in `build` and in `call`).
    """
    why = """
        `=` replaces the variable with the new value; the variable is not changed. `v = tf.constant(20.)`
        after `v = tf.Variable(10.)` leaves `v` an `EagerTensor`: a later `v.assign(30.)` raises
        `AttributeError: 'tensorflow.python.framework.ops.EagerTensor' object has no attribute 'assign'`
        and `tape.gradient(..., v)` returns `None`. On a layer or module attribute the weight is orphaned:
        it drops out of `trainable_variables` (tf_keras, `tf.Module`) or stops training (Keras 3).
    """
    example = """
        import tensorflow as tf

        v = tf.Variable(10.0)
        v = tf.constant(20.0)
        print(v.numpy())
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(10.0)
        v.assign(20.0)
        print(v.numpy())
    """
    fix_safety = """
        Unsafe. `v = <value>` becomes `v.assign(<value>)`, which needs the value's dtype and shape to fit
        the variable, and the code after it then sees a variable where it saw a tensor.
    """

    def check(self) -> Iterator[Diagnostic]:
        for stmt, target, key in self.assignments():
            rhs = stmt.value
            # Cheapest tests first: most targets never held a variable.
            owners = [b for b in self.model.replaced(target) if b.owned_variables()]
            if not owners or not only(self.model.values_of(rhs), _COMPUTED):
                continue
            # A variable made only where a fixed flag says the other way never gets here.
            owners = [b for b in owners if not exclusive_by_fixed_flag(self.model, b.stmt, stmt)]
            if not owners:
                continue
            if loads_of(rhs, key) or self.is_update_call(rhs, key):
                continue
            binding = self.model.binding_of(target)
            reason = self.reason(stmt, target, binding, owners)
            if reason is None:
                continue
            where = created_line(self.owned_variables(owners))
            message = (
                f"`{key} = ...` overwrites the variable{where} with a "
                f"{'tensor' if only(self.model.values_of(rhs), {Kind.TENSOR}) else 'plain value'} {reason}: "
                f"the variable is lost (`.assign` on the new value raises AttributeError, gradients are None); "
                f"use `{key}.assign(...)`"
            )
            fix = None
            if isinstance(stmt, ast.Assign):
                fix = self.fix(
                    f"Assign into the variable with `{key}.assign(...)`",
                    self.replace(stmt, f"{self.text(target)}.assign({as_argument(rhs, self.text(rhs))})"),
                    safe=False,
                )
            yield self.diagnostic(stmt, message, fix)

    def reason(self, stmt: ast.stmt, target: ast.expr, binding: Binding | None, owners: list[Binding]) -> str | None:
        if binding is not None:
            uses = self.model.uses_of(binding)
            # A value handed to `tape.watch` is differentiated as the tensor it is, on purpose.
            watched = any(_tape_call(self.model, use, _WATCH) for use in uses)
            for use in uses:
                if watched and _tape_call(self.model, use, DIFFERENTIATING_METHODS):
                    continue
                if used_as_variable(self.model, use):
                    return f"but is used as a variable on line {use.lineno}"
        if all(not self.model.uses_of(owner) for owner in owners):
            return "before it was ever used"
        loop = self.model.loop_of(stmt)
        if loop is not None and all(self.model.loop_of(owner.stmt) is not loop for owner in owners):
            return "inside a loop"
        scope = self.model.scope_of(stmt)
        if isinstance(target, ast.Attribute) and all(owner.scope is not scope for owner in owners):
            return f"in `{scope.name}`, not where it was created"
        return None


# Bases that make no class track variables.
_PLAIN_BASES = frozenset({"object", "builtins.object", "abc.ABC", "typing.Generic", "typing.Protocol"})


def plain_class(model, cls: ast.ClassDef) -> bool:
    """Every base of the class, through its bases in this file and the facts of the project's other
    modules, is `object`, `abc.ABC` or the like: nothing in it tracks variables (no tf.Module, no
    Keras layer, no base this file cannot see into)."""
    for klass in model.class_lineage(cls):
        for base in klass.bases:
            if any(v.kind is Kind.CLASS and isinstance(v.origin, ast.ClassDef) for v in model.values_of(base)):
                continue  # a class of this file: in the lineage
            qualname = model.qualified_name(base)
            if qualname in _PLAIN_BASES:
                continue
            facts = model.project.class_facts(qualname) if model.project is not None and qualname else None
            if facts is None or not facts.bases <= _PLAIN_BASES:
                return False
    return True


def _runtime_error(op: ast.operator) -> str:
    """What a tf.Variable raises for an augmented operator, in TF's own wording: `variable += value`,
    `variable -= value`, but `var *= value` for the rest."""
    operand = "variable" if isinstance(op, (ast.Add, ast.Sub)) else "var"
    return f"\"RuntimeError: `{operand} {OPERATOR_SYMBOLS[type(op)]}= value` with `tf.Variable`s is not supported\""


_WATCH = frozenset({"watch"})


def _tape_call(model, node: ast.AST, methods: frozenset[str]) -> bool:
    """The load is an argument of `<tape>.<method>(...)`, directly or inside a list or tuple."""
    parent = model.parent(node)
    while isinstance(parent, (ast.List, ast.Tuple)):
        parent = model.parent(parent)
    return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr in methods


def _discarded(target: ast.expr) -> bool:
    """`_ = layer.add_weight(...)`: the variable is made for its side effects (a store, a
    collection), and the name says nothing will read it, let alone update it."""
    return isinstance(target, ast.Name) and target.id.strip("_") == ""


def _named_apart(model, made: ast.expr, old: list[Value]) -> bool:
    """The new variable and every one it replaces are given different names as literals
    (`variable(name="W1", ...)`, then `variable(name="W2", ...)`; `get_variable("g")`, then
    `get_variable("g2")`; the same `get_variable("kernel")` under `variable_scope("dense_one")`,
    then under `variable_scope("dense_two")`): distinct variables, not an update."""
    new_name = _literal_name(model, made)
    if new_name is None or not old:
        return False
    return all((name := _literal_name(model, v.origin)) is not None and name != new_name for v in old)


# Factories and layer methods whose first parameter is the variable's name (tf_keras's
# `add_weight(name, shape, ...)`; Keras 3's takes the shape first, which a string cannot be).
_NAME_FIRST = frozenset({"get_variable", "get_local_variable", "add_weight", "add_variable"})


def _literal_name(model, call: ast.AST) -> str | None:
    """The variable's name as the call spells it, under the literal names of the
    `variable_scope`s around it; None when it is not a literal."""
    if not isinstance(call, ast.Call):
        return None
    name = None
    for keyword in call.keywords:
        if keyword.arg == "name":
            name = _string(keyword.value)
            break
    else:
        func = call.func
        callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if callee in _NAME_FIRST and call.args:
            name = _string(call.args[0])
    if name is None:
        return None
    scopes = _variable_scopes(model, call)
    return None if scopes is None else "/".join([*scopes, name])


def _variable_scopes(model, node: ast.AST) -> list[str] | None:
    """The literal names of the `with ...variable_scope(name):` blocks around `node`, outermost
    first; None when one of them is not a literal."""
    found: list[str] = []
    for ancestor in model.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            break
        if not isinstance(ancestor, (ast.With, ast.AsyncWith)):
            continue
        for item in reversed(ancestor.items):
            scope = item.context_expr
            func = scope.func if isinstance(scope, ast.Call) else None
            name_of = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name_of != "variable_scope":
                continue
            argument = scope.args[0] if scope.args else next(
                (k.value for k in scope.keywords if k.arg == "name_or_scope"), None
            )
            name = _string(argument) if argument is not None else None
            if name is None:
                return None
            found.append(name)
    return found[::-1]


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class VariableRecreated(_RebindingRule):
    code = "TFV105"
    needs = frozenset({VARIABLES})
    name = "variable-recreated"
    summary = "A new variable is created to 'update' a name or attribute that already holds one."
    what = """
        Finds `v = tf.Variable(new)`, `w = K.variable(x)` or `self.w = tf.Variable(...)` where the name or
        attribute already holds a variable: re-creation in the same scope or in a loop, or
        `self.w = tf.Variable(...)` in a method other than `__init__`/`build` (or a helper that this
        file calls once, from them); and
        `self.ws[i] = tf.Variable(...)` in such a method when every binding of `self.ws` is a list or
        tuple of new variables (`[tf.Variable(0.0) for _ in range(n)]`), whose slot held a variable.

        Not reported: a new variable given another name as a literal than the one it replaces
        (`name="W1"`, then `name="W2"`, or `get_variable("g")`, then `get_variable("g2")`; the same
        name under differently named `variable_scope`s counts as another: a second variable on
        purpose); one bound to `_`, which says nothing will read it; the lazy pattern
        `if self.v is None: self.v = tf.Variable(...)`, a loop that
        creates a fresh variable per item and hands each one on (`variables.append(v)`) or makes
        variables from its item (`for size in sizes: w = tf.Variable(tf.zeros([size, depth]))`, as
        tensor2tensor's TextCNN makes a filter and a bias per filter size), and slots of a
        list that held `None`, tensors or values of unknown kind, or of a list that is not an attribute.
    """
    why = """
        Every call creates a new variable with a new handle; whatever held the old one keeps it:

        - a Keras 3 optimizer built for the old variable raises
          `ValueError: Unknown variable: <tf.Variable ...>. This optimizer can only be called for the variables it was originally built with.`;
          the tf_keras optimizer raises `KeyError: 'The optimizer cannot recognize variable ...'`;
          legacy optimizers accept it silently, lose their state every step and leak slots;
        - a `tf.function` that captured the old variable keeps reading it (silently stale);
        - inside `tf.function` the creation itself raises
          `ValueError: tf.function only supports singleton tf.Variables created on the first call`;
        - on a built Keras 3 layer a new `keras.Variable` raises
          `ValueError: You cannot add new elements of state ... to a layer that is already built`,
          and a raw `tf.Variable` is accepted but never tracked or trained.
    """
    example = """
        import tensorflow as tf

        v = tf.Variable(3.0)
        print(v.numpy())
        v = tf.Variable(4.0)
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(3.0)
        print(v.numpy())
        v.assign(4.0)
    """
    fix_safety = """
        Unsafe. `v = tf.Variable(new, ...)` becomes `v.assign(new)`: the new value's dtype and shape must
        fit the existing variable, and other arguments of the constructor (`name`, `trainable`, `dtype`)
        are dropped. No fix is offered when the initial value cannot be read off the call
        (`add_weight(...)`).
    """

    def check(self) -> Iterator[Diagnostic]:
        for stmt, target, key in self.assignments():
            rhs = stmt.value
            if not self.model.variables_made_by(rhs) or _discarded(target):
                continue
            owners = [b for b in self.model.replaced(target) if b.owned_variables()]
            if not owners or not self.is_update(stmt, target, key, owners):
                continue
            if _named_apart(self.model, rhs, [v for b in owners for v in b.owned_variables()]):
                continue  # `name="W1"`, then `name="W2"`: another variable on purpose
            where = created_line(self.owned_variables(owners))
            message = (
                f"`{key} = {self.callee(rhs)}(...)` creates a new variable instead of updating the one{where}: "
                f"a Keras 3 optimizer built for the old one raises \"ValueError: Unknown variable\" (tf_keras: "
                f"KeyError; legacy optimizers silently reset their state) and tf.function keeps using the old one; "
                f"update it with `{key}.assign(...)`"
            )
            yield self.diagnostic(stmt, message, self.assign_fix(stmt, target, key))
        yield from self.check_slots()

    def check_slots(self) -> Iterator[Diagnostic]:
        """`self.vs[i] = tf.Variable(...)` in a method other than `__init__`/`build`, where every
        binding of `self.vs` is a list (or tuple) of new variables: the slot held a variable, and
        whatever read the list before (a traced function, an optimizer) keeps the old one."""
        model = self.model
        seen: set[int] = set()
        for target, stmt in model.item_assignments_in_variable_flows():
            if id(target) in seen or not isinstance(stmt, ast.Assign) or stmt.targets != [target]:
                continue
            seen.add(id(target))
            container = target.value
            key = dotted_path(container)
            if not isinstance(container, ast.Attribute) or key is None:
                continue
            rhs = stmt.value
            if not model.variables_made_by(rhs):
                continue
            scope = model.scope_of(stmt)
            if scope.name in INIT_METHODS:
                continue
            owners = list(model.reaching(container))
            if not owners or not all(self.holds_new_variables(getattr(b.stmt, "value", None)) for b in owners):
                continue
            slot = self.text(target)
            message = (
                f"`{slot} = {self.callee(rhs)}(...)` puts a new variable in place of the one `{key}` holds "
                f"(made on line {min(b.stmt.lineno for b in owners)}): a tf.function that read `{key}` while tracing keeps updating the old "
                f"variable, and a Keras 3 optimizer built for it raises \"ValueError: Unknown variable\"; "
                f"update it with `{slot}.assign(...)`"
            )
            yield self.diagnostic(stmt, message, self.assign_fix(stmt, target, slot))

    def holds_new_variables(self, value: ast.AST | None) -> bool:
        """`[tf.Variable(0.0) for _ in ...]` or `[tf.Variable(a), tf.Variable(b)]`."""
        if isinstance(value, ast.ListComp):
            elements = [value.elt]
        elif isinstance(value, (ast.List, ast.Tuple)) and value.elts:
            elements = value.elts
        else:
            return False
        return all(self.model.variables_made_by(e) for e in elements)

    def is_update(self, stmt: ast.stmt, target: ast.expr, key: str, owners: list[Binding]) -> bool:
        if loads_of(stmt.value, key):
            return True  # v = tf.Variable(v - lr * g)
        loops = self.model.enclosing_loops(stmt)
        if loops and isinstance(loops[0], (ast.For, ast.AsyncFor)) and self.variables_per_item(loops[0]):
            return False  # variables made for each item (shaped by it): a collection being built
        scope = self.model.scope_of(stmt)
        if isinstance(target, ast.Attribute) and (scope.name in INIT_METHODS or self.builds_only(scope.node)):
            return any(owner.scope is scope for owner in owners)
        # A variable that was handed on (appended, passed to a function, stored) before the name
        # moved on to a new one is a collection being built, not an update; one that was checked
        # by an assertion is a test examining each variable as an object of its own.
        uses = [use for owner in owners for use in self.model.uses_of(owner)]
        return not any(escapes(self.model, use) or in_assertion(self.model, use) for use in uses)

    def builds_only(self, func: ast.AST, depth: int = 0) -> bool:
        """A method that this file calls once, from `__init__`/`build` (or from such a helper):
        `build` choosing `self._build_additive(...)` or `self._build_multiplicative(...)`, each of
        which makes `self.ba` (keras-self-attention); it makes state once, as they do."""
        if depth > 3 or not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        sites = self.model.call_graph.sites(func)
        if len(sites) != 1:
            return False  # called twice, the second call would make the state again
        caller = self.model.enclosing_function(sites[0])
        if caller is None or self.model.enclosing_loops(sites[0]):
            return False
        return getattr(caller, "name", None) in INIT_METHODS or self.builds_only(caller, depth + 1)

    def variables_per_item(self, loop: ast.For | ast.AsyncFor) -> bool:
        """The loop makes a variable from its item: it builds variables for each item (a filter and
        its bias per filter size), not a new one per step."""
        return any(
            isinstance(node, ast.Assign) and self.model.variables_made_by(node.value) and reads_loop_item(node.value, loop)
            for node in ast.walk(loop)
        )

    def callee(self, call: ast.Call) -> str:
        return self.text(call.func)

    def assign_fix(self, stmt: ast.stmt, target: ast.expr, key: str):
        rhs = stmt.value
        apis = {v.api for v in self.model.values_of(rhs) if v.kind is Kind.VARIABLE}
        if not isinstance(stmt, ast.Assign) or not apis <= _VALUE_FIRST_FACTORIES:
            return None
        if isinstance(target, ast.Name):
            replaced = self.model.replaced(target)
            if not any(b.stmt is not stmt for b in replaced) or not all(b.owned_variables() for b in replaced):
                return None  # the first time round a loop it holds no variable yet: `.assign` would fail
        initial = rhs.args[0] if rhs.args else next(
            (k.value for k in rhs.keywords if k.arg in ("initial_value", "value")), None
        )
        if initial is None or isinstance(initial, ast.Starred):
            return None
        return self.fix(
            f"Assign the new value with `{key}.assign(...)`",
            self.replace(stmt, f"{self.text(target)}.assign({as_argument(initial, self.text(initial))})"),
            safe=False,
        )
