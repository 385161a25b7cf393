"""TFV2xx: writes that go nowhere (tf-semantics cases 5, 6, 6', 7 and 12).

An update aimed at something that is not a variable (the result of `tf.concat`, a slice of a
slice), item assignment, a pure op whose result is dropped, and the TF1 function forms of assign.
"""
from __future__ import annotations

import ast
import keyword
from typing import Iterator

from ..codegen import OPERATOR_SYMBOLS, as_argument, as_right_operand, precedence
from ..diagnostic import Diagnostic, Fix
from ..model import api
from ..model.flow import dotted_path, none_guard
from ..model.needs import ITEM_ASSIGNMENTS, UPDATES, VARIABLES
from ..model.values import Kind, Value, only
from .base import Rule
from .rebinding import created_line

_CONCAT = frozenset({"tensorflow.concat", "tensorflow.compat.v1.concat"})
# Keras 3 variables: `tf.compat.v1.assign*` on them fails, and their type is named `Variable`.
_KERAS3_VARIABLE_APIS = frozenset(
    {"keras.Variable", "keras.backend.Variable", "keras.variables.Variable", "tensorflow.keras.Variable"}
)
# Pure ops whose bare call is not a mistaken update: checks that raise, queries, printing, stateful ops.
_NOT_AN_UPDATE_PREFIXES = ("assert", "is_", "check_", "verify_", "ensure_", "debugging", "print", "Print")
_NOT_AN_UPDATE = frozenset(
    {
        "shape",
        "shape_n",
        "size",
        "rank",
        "count_up_to",
        "py_func",
        "write_file",
        "histogram_summary",
        "scalar_summary",
        "set_seed",
        "add_check_numerics_ops",
        "tuple",
    }
)
# The TF1 function forms and the methods they become: (method, parameters of the function).
_ASSIGN_PARAMS = ("ref", "value", "validate_shape", "use_locking", "name")
_ASSIGN_ADD_PARAMS = ("ref", "value", "use_locking", "name")
_SCATTER_PARAMS = ("ref", "indices", "updates", "use_locking", "name")


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_arguments(call: ast.Call, params: tuple[str, ...]) -> dict[str, ast.expr] | None:
    """Bind a call's arguments to the named parameters; None when they cannot be read statically."""
    bound: dict[str, ast.expr] = {}
    if len(call.args) > len(params) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    for param, arg in zip(params, call.args):
        bound[param] = arg
    for kw in call.keywords:
        if kw.arg is None or kw.arg not in params or kw.arg in bound:
            return None
        bound[kw.arg] = kw.value
    return bound


def as_receiver(node: ast.AST, text: str) -> str:
    """Text for `node` with `.method(...)` attached to it."""
    if precedence(node) < 15 or (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))):
        return f"({text})"
    return text


def is_int_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


class _WriteRule(Rule):
    def calls(self) -> list[ast.Call]:
        return self.model.calls()

    def variables_in(self, values) -> list[Value]:
        return sorted((v for v in values if v.kind is Kind.VARIABLE), key=lambda v: v.line or 0)

    def where(self, expr: ast.AST) -> str:
        return created_line(self.variables_in(self.model.values_of(expr)))

    def own_line(self, stmt: ast.stmt) -> bool:
        """The statement starts its line (only indentation before it), so statements can follow it."""
        line = self.source.line(stmt.lineno)
        return not line[: self.source.start(stmt).col].strip()

    def rebound_variable(self, expr: ast.expr) -> bool:
        """The name held a variable until it was rebound to this value: TFV101/TFV104 report the
        rebinding, and their fix makes the name a variable again, so this line is only a symptom.
        So is a slice of such a name (`self.w[0].assign(...)`)."""
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, (ast.Name, ast.Attribute)):
            expr = expr.value
        if not isinstance(expr, (ast.Name, ast.Attribute)):
            return False
        return any(
            previous.holds_variable
            for binding in self.model.reaching(expr)
            for previous in self.model.replaced(binding.node)
        )

    def tf_module_text(self, func: ast.expr, prefer_root: bool = False) -> str | None:
        """How this file spells the module a TF function was reached through (`tf`, `tf.compat.v1`);
        with `prefer_root`, the file's own name for `tensorflow` itself when it has one."""
        roots = sorted(local for local, qualname in self.model.imports.aliases.items() if qualname == "tensorflow")
        if prefer_root and roots:
            return roots[0]
        if isinstance(func, ast.Attribute):
            return self.text(func.value)
        for local, qualname in sorted(self.model.imports.aliases.items()):
            if qualname in ("tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2"):
                return local
        return None

    def definition(self, receiver: ast.expr) -> tuple[ast.expr, int | None]:
        """The expression that made the receiver's value: itself, or the one assignment to its name."""
        if isinstance(receiver, (ast.Name, ast.Attribute)) and dotted_path(receiver) is not None:
            reaching = self.model.reaching(receiver)
            if len(reaching) == 1:
                binding = next(iter(reaching))
                stmt = binding.stmt
                if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                    if binding.node in targets:
                        return stmt.value, binding.line
        return receiver, None

    def describe(self, expr: ast.expr) -> str:
        if isinstance(expr, ast.Call):
            func = expr.func
            if self.model.qualified_name(func) is not None:
                return f"the result of `{self.text(func)}(...)`"
            if isinstance(func, ast.Attribute) and func.attr in api.READ_METHODS:
                return f"the result of `{short(self.text(func))}()`"
        if isinstance(expr, ast.Subscript) and self.is_slice_of_slice(expr):
            return f"a slice of a slice (`{short(self.text(expr))}`)"
        if isinstance(expr, (ast.BinOp, ast.UnaryOp)):
            return f"the result of arithmetic (`{short(self.text(expr))}`)"
        return f"`{short(self.text(expr))}`"

    def is_slice_of_slice(self, expr: ast.Subscript) -> bool:
        return any(v.kind is Kind.SLICE for v in self.model.values_of(expr.value))

    def fresh_names(self, bases: list[str]) -> list[str]:
        taken = {n.id for n in ast.walk(self.model.tree) if isinstance(n, ast.Name)}
        taken |= {n.arg for n in ast.walk(self.model.tree) if isinstance(n, ast.arg)}
        taken |= set(self.model.imports.aliases)
        taken |= {n.name for n in ast.walk(self.model.tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        names = []
        for base in bases:
            candidate, number = base, 2
            while candidate in taken or keyword.iskeyword(candidate):
                candidate, number = f"{base}_{number}", number + 1
            taken.add(candidate)
            names.append(candidate)
        return names


class AssignToDerivedTensor(_WriteRule):
    code = "TFV201"
    needs = frozenset({UPDATES})
    name = "assign-to-derived-tensor"
    summary = "`.assign*()` or `.scatter_*()` on a tensor derived from variables (concat, stack, reshape, a slice of a slice, ...)."
    what = """
        Finds `.assign`, `.assign_add`, `.assign_sub` and `.scatter_*` (method form, or the function form
        `tf.compat.v1.assign(x, ...)`) on a value that is not a variable: the result of `tf.concat`,
        `tf.stack`, `tf.reshape`, `tf.identity`, `tf.gather`, `tf.transpose`, `tf.convert_to_tensor`,
        arithmetic, `var.read_value()`, `var.value()`, `tf.constant`/`tf.zeros`/..., or a slice of a slice
        (`var[0][1:]`), directly or through a name bound to such a result.

        Not reported: `var[a:b].assign(x)`, a single subscript directly on a variable, which TensorFlow
        supports and which writes into `var`; and an update of a name (or a slice of one) that held a
        variable until it was rebound to a tensor: TFV101 or TFV104 report the rebinding, whose fix
        makes the name a variable again.
    """
    why = """
        These ops return a new tensor that holds a copy of the variables' values; it has no `assign`.
        Eagerly the call raises
        `AttributeError: 'tensorflow.python.framework.ops.EagerTensor' object has no attribute 'assign'`
        (`'SymbolicTensor' object has no attribute 'assign'` in graph code and `tf.function`;
        `tf.compat.v1.scatter_*` on a tensor: `... has no attribute '_lazy_read'`), and the variables the
        tensor was made from are never changed.
    """
    example = """
        import tensorflow as tf

        var1 = tf.Variable(tf.zeros((2, 3)))
        var2 = tf.Variable(tf.zeros((2, 3)))
        both = tf.concat([var1, var2], axis=1)
        both.assign(tf.ones((2, 6)))
    """
    use_instead = """
        import tensorflow as tf

        var1 = tf.Variable(tf.zeros((2, 3)))
        var2 = tf.Variable(tf.zeros((2, 3)))
        var1_part, var2_part = tf.split(tf.ones((2, 6)), [var1.shape[1], var2.shape[1]], axis=1)
        var1.assign(var1_part)
        var2.assign(var2_part)
    """
    fix_safety = """
        Safe, and offered only when the target is a `tf.concat` of variables along a constant axis and
        the update is a statement of its own: it becomes one `tf.split` of the value, sized by the
        variables' own shapes (`[v1.shape[axis], v2.shape[axis], ...]`), and one `assign` per variable.
        That is what the code meant, and the original only ever raised. No fix otherwise: what a
        reshaped or gathered tensor should write back is a decision for a person.
    """

    def check(self) -> Iterator[Diagnostic]:
        for call in self.calls():
            site = self.update_site(call)
            if site is None:
                continue
            receiver, method, form = site
            if not only(self.model.values_of(receiver), {Kind.TENSOR}) or self.rebound_variable(receiver):
                continue
            origin, line = self.definition(receiver)
            sources = self.source_variables(origin)
            receiver_text = short(self.text(receiver), 30)
            if form == "method":
                shown = f"`{as_receiver(receiver, receiver_text)}.{method}(...)`"
                missing = method
            else:
                shown = f"`{self.text(call.func)}({receiver_text}, ...)`"
                missing = method if method in api.ASSIGN_METHODS else "_lazy_read"
            what = self.describe(origin)
            if origin is not receiver:
                what = f"`{receiver_text}`, which holds {what}" + (f" (line {line})" if line else "")
            if sources:
                unchanged = ", ".join(f"`{s}`" for s in sources) + (" is" if len(sources) == 1 else " are")
                unchanged = f"{unchanged} never changed"
            else:
                unchanged = "nothing is written"
            raises = "It raises"
            legacy = (self.model.qualified_name(call.func) or "").startswith("tensorflow.compat.v1.")
            if form == "function" and not legacy:
                raises = f"Even in the method form (`{self.text(call.func)}` itself is gone, TFV205) it raises"
            message = (
                f"{shown} writes into {what}: a new tensor, not a variable. {raises} "
                f"\"AttributeError: 'EagerTensor' object has no attribute '{missing}'\" ('SymbolicTensor' in "
                f"graph code) and {unchanged}; {self.advice(origin)}"
            )
            fix = self.concat_fix(call, receiver, method, form, origin)
            yield self.diagnostic(call, message, fix)

    def update_site(self, call: ast.Call) -> tuple[ast.expr, str, str] | None:
        """(the thing written into, the update's method name, "method" | "function")."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in api.UPDATE_METHODS:
            if self.model.qualified_name(func) is None:  # not `tf.assign` itself
                return func.value, func.attr, "method"
        qualname = self.model.qualified_name(func)
        if api.is_tf1_update_function(qualname):
            ref = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "ref"), None)
            if ref is not None and not isinstance(ref, ast.Starred):
                return ref, api.tf_function_name(qualname), "function"
        return None

    def advice(self, origin: ast.expr) -> str:
        if isinstance(origin, ast.Call) and self.model.qualified_name(origin.func) in _CONCAT:
            return "assign each variable its part (split the value with `tf.split`)"
        if isinstance(origin, ast.Subscript) and self.is_slice_of_slice(origin):
            return "index the variable once (`var[i, j:]`): a single subscript on a variable can be assigned"
        return "assign into the variable itself (`var.assign(...)`, or `var[...]` with one subscript)"

    def source_variables(self, origin: ast.expr) -> list[str]:
        names: list[str] = []
        for node in ast.walk(origin):
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                key = dotted_path(node)
                if key and key not in names and any(v.kind is Kind.VARIABLE for v in self.model.values_of(node)):
                    names.append(key)
        return names

    # ---- the concat fix -----------------------------------------------------------------------

    def concat_fix(self, call: ast.Call, receiver: ast.expr, method: str, form: str, origin: ast.expr) -> Fix | None:
        stmt = self.model.parent(call)
        if not isinstance(stmt, ast.Expr) or not self.own_line(stmt) or method not in api.ASSIGN_METHODS:
            return None
        if not isinstance(origin, ast.Call) or self.model.qualified_name(origin.func) not in _CONCAT:
            return None
        if form == "method":
            args = call_arguments(call, ("value",))
        else:
            args = call_arguments(call, ("ref", "value"))
        concat = call_arguments(origin, ("values", "axis", "name"))
        if not args or "value" not in args or not concat or "values" not in concat or "axis" not in concat:
            return None
        parts, axis = concat["values"], concat["axis"]
        if not isinstance(parts, (ast.List, ast.Tuple)) or len(parts.elts) < 2 or not is_int_literal(axis):
            return None
        direct = origin is receiver
        keys = []
        for element in parts.elts:
            key = dotted_path(element)
            if key is None or not only(self.model.values_of(element), {Kind.VARIABLE}):
                return None
            if not direct and not self.bound_once(element):
                return None  # the name may hold another variable where the update is
            keys.append(key)
        module = self.tf_module_text(origin.func)
        if module is None:
            return None
        value = args["value"]
        axis_text = self.text(axis)
        names = self.fresh_names([key.rsplit(".", 1)[-1] + "_part" for key in keys])
        sizes = ", ".join(f"{key}.shape[{axis_text}]" for key in keys)
        indent = self.source.indent_of(stmt.lineno)
        split = f"{module}.split({as_argument(value, self.text(value))}, [{sizes}], axis={axis_text})"
        lines = [f"{', '.join(names)} = {split}"]
        lines += [f"{key}.{method}({name})" for key, name in zip(keys, names)]
        return self.fix(
            "Assign each variable its part of the value (tf.split)",
            self.replace(stmt, ("\n" + indent).join(lines)),
        )

    def bound_once(self, element: ast.expr) -> bool:
        reaching = self.model.reaching(element)
        if len(reaching) != 1:
            return False
        binding = next(iter(reaching))
        if binding.is_attribute:
            owner = binding.scope.class_scope
            attr = binding.key.split(".", 1)[1]
            if owner is None or "." in attr:
                return False
            return len(self.model.class_attrs.get(id(owner.node), {}).get(attr, [])) == 1
        return len({id(b) for b in binding.scope.bindings.get(binding.key, [])}) == 1


class ItemAssignment(_WriteRule):
    code = "TFV202"
    needs = frozenset({ITEM_ASSIGNMENTS})
    name = "item-assignment-on-variable-or-tensor"
    summary = "Item assignment `x[i] = y` on a variable or a tensor."
    what = """
        Finds `x[i] = y` and `x[i] += y` where `x` holds a variable (`tf.Variable`, `keras.Variable`,
        `add_weight(...)`) or a tensor.
    """
    why = """
        Neither supports Python item assignment; the statement raises
        `TypeError: 'ResourceVariable' object does not support item assignment` (a Keras 3 variable:
        `'Variable' object ...`; a tensor: `'tensorflow.python.framework.ops.EagerTensor' object ...`),
        eagerly and inside `tf.function`. A variable is updated in part with `x[i].assign(y)` (sliced
        assignment writes into the variable); a tensor cannot be changed at all.
    """
    example = """
        import tensorflow as tf

        v = tf.Variable([1.0, 2.0, 3.0])
        v[0] = 5.0
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable([1.0, 2.0, 3.0])
        v[0].assign(5.0)
    """
    fix_safety = """
        Safe for a variable indexed by integers, slices, `...` and `None`: `x[i] = y` becomes
        `x[i].assign(y)` and `x[i] += y` becomes `x[i].assign(x[i] + y)`. Unsafe when an index may be a
        tensor or a mask (sliced assignment takes only what a strided slice takes). No fix for a tensor:
        build a new one with `tf.tensor_scatter_nd_update`, or keep the state in a variable.
    """

    def check(self) -> Iterator[Diagnostic]:
        seen: set[int] = set()
        for target, stmt in self.model.item_assignments:
            if id(target) in seen:
                continue  # loops are walked more than once
            seen.add(id(target))
            values = self.model.values_of(target.value)
            if only(values, {Kind.VARIABLE}):
                container, shown = self.shown(target, stmt)
                apis = {v.api for v in values}
                if apis <= _KERAS3_VARIABLE_APIS:
                    error = "\"TypeError: 'Variable' object does not support item assignment\""
                elif apis & _KERAS3_VARIABLE_APIS or apis & set(api.VARIABLE_METHODS):
                    error = (
                        "\"TypeError: 'ResourceVariable' object does not support item assignment\" "
                        "('Variable' object for a Keras 3 variable)"
                    )
                else:
                    error = "\"TypeError: 'ResourceVariable' object does not support item assignment\""
                fix = self.assign_fix(target, stmt)
                instead = fix.edits[0].content if fix else f"{short(self.text(target))}.assign(...)"
                message = (
                    f"{shown} on the variable `{short(container, 30)}`{self.where(target.value)}: variables do not "
                    f"support item assignment; it raises {error}; use `{short(instead, 60)}`"
                )
                yield self.diagnostic(stmt, message, fix)
            elif (
                only(values, {Kind.TENSOR, Kind.SLICE})
                and not self.rebound_variable(target.value)
                and self.made_by_tensorflow(target.value)
            ):
                container, shown = self.shown(target, stmt)
                origin = self.definition(target.value)[0]
                made = ""
                if origin is not target.value:
                    made = f" (`{short(container, 30)}` is {self.describe(origin)})"
                message = (
                    f"{shown} on a tensor{made}: tensors are immutable; it raises "
                    f"\"TypeError: 'EagerTensor' object does not support item assignment\" ('SymbolicTensor' in "
                    f"tf.function); build a new tensor with `tf.tensor_scatter_nd_update`, or keep the state in a "
                    f"`tf.Variable` and use `var[...].assign(...)`"
                )
                yield self.diagnostic(stmt, message)

    def shown(self, target: ast.Subscript, stmt: ast.stmt) -> tuple[str, str]:
        """The container's text and the assignment as the message quotes it (`x[0] = ...`); worked
        out for a finding only, since the text's lines are split on first use."""
        operator = f"{OPERATOR_SYMBOLS[type(stmt.op)]}=" if isinstance(stmt, ast.AugAssign) else "="
        return self.text(target.value), f"`{short(self.text(target))} {operator} ...`"

    def made_by_tensorflow(self, expr: ast.expr, depth: int = 0) -> bool:
        """A TensorFlow tensor for certain: Keras 3 ops and `keras.Variable` arithmetic give torch or
        NumPy arrays under those backends, and those do support item assignment."""
        if depth > 4:
            return False
        if isinstance(expr, (ast.Name, ast.Attribute)) and dotted_path(expr) is not None:
            values = self.model.values_of(expr)
            if any(v.kind is Kind.VARIABLE for v in values):
                return all(v.kind is not Kind.VARIABLE or (v.api or "").startswith("tensorflow.") for v in values)
            origin = self.definition(expr)[0]
            return origin is not expr and self.made_by_tensorflow(origin, depth + 1)
        if isinstance(expr, ast.Call):
            return (self.model.qualified_name(expr.func) or "").startswith("tensorflow.")
        if isinstance(expr, ast.BinOp):
            return self.made_by_tensorflow(expr.left, depth + 1) or self.made_by_tensorflow(expr.right, depth + 1)
        if isinstance(expr, ast.UnaryOp):
            return self.made_by_tensorflow(expr.operand, depth + 1)
        if isinstance(expr, ast.Subscript):
            return self.made_by_tensorflow(expr.value, depth + 1)
        return False

    def assign_fix(self, target: ast.Subscript, stmt: ast.stmt) -> Fix | None:
        target_text = self.text(target)
        if isinstance(stmt, ast.Assign) and stmt.targets == [target]:
            replacement = f"{target_text}.assign({as_argument(stmt.value, self.text(stmt.value))})"
        elif isinstance(stmt, ast.AugAssign) and stmt.target is target:
            operand = as_right_operand(stmt.value, self.text(stmt.value), stmt.op)
            replacement = f"{target_text}.assign({target_text} {OPERATOR_SYMBOLS[type(stmt.op)]} {operand})"
        else:
            return None
        return self.fix(
            f"Assign into the slice: `{short(replacement, 60)}`",
            self.replace(stmt, replacement),
            safe=self.basic_index(target.slice),
        )

    def basic_index(self, index: ast.expr) -> bool:
        if isinstance(index, ast.Tuple):
            return all(self.basic_index(e) for e in index.elts)
        if isinstance(index, ast.Slice) or is_int_literal(index):
            return True
        if isinstance(index, ast.Constant):
            return index.value is None or index.value is Ellipsis
        if isinstance(index, (ast.Name, ast.Attribute, ast.BinOp)):
            return only(self.model.values_of(index), {Kind.PYTHON})
        return False


class DiscardedTensorScatter(_WriteRule):
    code = "TFV203"
    needs = frozenset({UPDATES})
    name = "discarded-tensor-scatter"
    summary = "`tf.tensor_scatter_nd_update(var, ...)` whose result is never written back to the variable."
    what = """
        Finds `tf.tensor_scatter_nd_update`, `_add`, `_sub`, `_min`, `_max` (and the `tf.compat.v1`
        spellings) whose first argument is a variable and whose result goes nowhere: a bare statement,
        a name that is never used or only run (`sess.run`), printed, or returned from a function whose
        callers in the file drop it.
    """
    why = """
        `tensor_scatter_nd_*` is a pure op: it returns a new tensor with the updates applied and leaves
        its input alone, even when that input is a `tf.Variable` (a widely repeated claim that it updates
        the variable in place is false). The variable keeps its old value, silently.
    """
    example = """
        import tensorflow as tf

        var = tf.Variable(tf.zeros((3, 4)))
        tf.tensor_scatter_nd_update(var, [[0, 0], [2, 3]], [-1.0, -2.0])
    """
    use_instead = """
        import tensorflow as tf

        var = tf.Variable(tf.zeros((3, 4)))
        var.assign(tf.tensor_scatter_nd_update(var, [[0, 0], [2, 3]], [-1.0, -2.0]))
    """
    fix_safety = """
        Safe for a bare statement: `tf.tensor_scatter_nd_update(var, ...)` becomes
        `var.assign(tf.tensor_scatter_nd_update(var, ...))`, which works for `tf.Variable` and Keras 3
        `keras.Variable` alike (the latter has no `scatter_nd_update` method). No fix when the result is
        bound to a name: where it should be written back is for a person to decide.
    """

    def check(self) -> Iterator[Diagnostic]:
        for call in self.calls():
            qualname = self.model.qualified_name(call.func)
            if api.tf_function_name(qualname) not in api.TENSOR_SCATTER_OPS:
                continue
            first = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "tensor"), None)
            if first is None or isinstance(first, ast.Starred):
                continue
            if not only(self.model.values_of(first), {Kind.VARIABLE}):
                continue
            how = self.discarded(call, 0)
            if how is None:
                continue
            variable = self.text(first)
            fix = None
            if how == "bare" and dotted_path(first) is not None:
                fix = self.fix(
                    f"Write the result back with `{variable}.assign(...)`",
                    self.replace(call, f"{variable}.assign({self.text(call)})"),
                )
            if how == "bare":
                how = "the result is discarded"
            message = (
                f"`{self.text(call.func)}({short(variable, 30)}, ...)` returns a new tensor and leaves the variable "
                f"`{short(variable, 30)}`{self.where(first)} unchanged; {how}, so the update is lost; write it back "
                f"with `{short(variable, 30)}.assign({self.text(call.func)}({short(variable, 30)}, ...))`"
            )
            yield self.diagnostic(call, message, fix)

    def discarded(self, expr: ast.expr, depth: int) -> str | None:
        """How the value of `expr` goes nowhere ("bare" for a statement of its own), or None."""
        parent = self.model.parent(expr)
        if isinstance(parent, ast.Expr):
            return "bare"
        if isinstance(parent, ast.Assign) and parent.targets and all(isinstance(t, ast.Name) for t in parent.targets):
            uses = []
            for target in parent.targets:
                binding = self.model.binding_of(target)
                if binding is None:
                    return None
                uses += self.model.uses_of(binding)
            names = ", ".join(f"`{t.id}`" for t in parent.targets)
            if not uses:
                return f"{names} is never used"
            readers = [self.only_read(use) for use in uses]
            if all(readers):
                return f"{names} is only {' and '.join(sorted(set(readers)))}"
            return None
        if isinstance(parent, ast.Return) and depth < 2:
            function = self.model.enclosing_function(parent)
            callers = self.callers(function) if function is not None else []
            if callers and all(self.discarded(c, depth + 1) for c in callers):
                name = getattr(function, "name", "<lambda>")
                lines = ", ".join(str(c.lineno) for c in callers)
                return f"`{name}` returns it and its callers (line{'s' if len(callers) > 1 else ''} {lines}) drop it"
        return None

    def only_read(self, use: ast.AST) -> str | None:
        """"passed to `sess.run`" or "printed" when that is all a use does with the value."""
        node = use
        parent = self.model.parent(node)
        while isinstance(parent, (ast.List, ast.Tuple, ast.Starred, ast.FormattedValue, ast.JoinedStr)):
            node, parent = parent, self.model.parent(parent)
        if isinstance(parent, ast.keyword):
            node, parent = parent, self.model.parent(parent)
        if not isinstance(parent, ast.Call) or parent.func is node:
            return None
        func = parent.func
        if isinstance(func, ast.Name) and func.id == "print" and not self.model.qualified_name(func):
            return "printed"
        if self.model.qualified_name(func) in ("tensorflow.print", "tensorflow.compat.v1.print"):
            return "printed"
        # `sess.run(fetches)`: only the fetches; `strategy.run(fn, args=(r,))` hands `r` on.
        if isinstance(func, ast.Attribute) and func.attr == "run" and self.model.qualified_name(func) is None:
            if parent.args and parent.args[0] is node:
                return f"passed to `{short(self.text(func))}`"
        return None

    def callers(self, function: ast.AST) -> list[ast.Call]:
        found = []
        for call in self.calls():
            if any(v.kind is Kind.FUNCTION and v.origin is function for v in self.model.values_of(call.func)):
                found.append(call)
        return found


class DiscardedPureOp(_WriteRule):
    code = "TFV204"
    needs = frozenset({VARIABLES})
    name = "discarded-pure-op-on-variable"
    summary = "A pure TF op on a variable used as a bare statement (`tf.clip_by_value(v, 0, 1)`): no effect."
    what = """
        Finds a statement that is only a call of a pure TensorFlow or Keras op whose first argument is
        a variable (`tf.clip_by_value(v, 0., 1.)`, `tf.add(v, 1)`, `tf.nn.relu(v)`, `keras.ops.clip(v, 0, 1)`),
        or only arithmetic on a variable (`v * 0.5`). Checks that act by raising (`tf.debugging.*`,
        `tf.compat.v1.assert_*`, `check_numerics`, `ensure_shape`) and stateful ops are not reported.
    """
    why = """
        Ops return a new tensor and never modify their inputs. As a bare statement the result is thrown
        away and the variable keeps its value, eagerly and inside `tf.function`: the line does nothing.
    """
    example = """
        import tensorflow as tf

        v = tf.Variable([-1.0, 0.5, 2.0])
        tf.clip_by_value(v, 0.0, 1.0)
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable([-1.0, 0.5, 2.0])
        v.assign(tf.clip_by_value(v, 0.0, 1.0))
    """
    fix_safety = """
        Unsafe. `op(v, ...)` becomes `v.assign(op(v, ...))`, which writes the result into the variable:
        that is the likely intent, but the line used to do nothing, so the program's numbers change, and
        the result must have the variable's shape and dtype.
    """

    def check(self) -> Iterator[Diagnostic]:
        def candidate(stmt: ast.Expr) -> bool:
            expr = stmt.value
            return isinstance(expr, ast.BinOp) or (isinstance(expr, ast.Call) and bool(expr.args) and self.is_pure_op(expr))

        for stmt in self.model.reached_statements((ast.Expr,), candidate):
            expr = stmt.value
            if isinstance(expr, ast.Call) and self.is_pure_op(expr) and expr.args:
                first = expr.args[0]
                more = ", ..." if len(expr.args) > 1 or expr.keywords else ""
                shown = f"`{self.text(expr.func)}({short(self.text(first), 30)}{more})`"
            elif isinstance(expr, ast.BinOp):
                first = expr.left
                shown = f"`{short(self.text(expr))}`"
            else:
                continue
            if isinstance(first, ast.Starred) or not only(self.model.values_of(first), {Kind.VARIABLE}):
                continue
            variable = self.text(first)
            fix = None
            if dotted_path(first) is not None:
                fix = self.fix(
                    f"Write the result into `{variable}`",
                    self.replace(expr, f"{variable}.assign({as_argument(expr, self.text(expr))})"),
                    safe=False,
                )
            message = (
                f"{shown} computes a new tensor that is thrown away: the variable `{short(variable, 30)}`"
                f"{self.where(first)} is not changed (ops never modify their inputs); to update it, "
                f"`{short(variable, 30)}.assign(...)` the result"
            )
            yield self.diagnostic(stmt, message, fix)

    def is_pure_op(self, call: ast.Call) -> bool:
        qualname = self.model.qualified_name(call.func)
        if qualname is None or api.classify_call(qualname) is not Kind.TENSOR:
            return False
        name = qualname.rsplit(".", 1)[-1]
        if name in api.TENSOR_SCATTER_OPS:
            return False  # TFV203
        return name not in _NOT_AN_UPDATE and not name.startswith(_NOT_AN_UPDATE_PREFIXES)


_CATCHING_ATTRIBUTE_ERROR = frozenset({"AttributeError", "Exception", "BaseException"})


def _tried_for_attribute_error(model, node: ast.AST) -> bool:
    """`node` is in the body of a `try` (in its own function) one of whose handlers catches an
    `AttributeError`: the code expects the name to be missing in some TensorFlow version."""
    child = node
    for ancestor in model.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if isinstance(ancestor, ast.Try) and any(child is stmt for stmt in ancestor.body):
            for handler in ancestor.handlers:
                caught = handler.type
                names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
                if caught is None or any(_exception_name(n) in _CATCHING_ATTRIBUTE_ERROR for n in names):
                    return True
        child = ancestor
    return False


def _checked_with_hasattr(model, call: ast.Call) -> bool:
    """`tf.assign(...)` where an `if` (or a conditional expression) around it, in its own function,
    runs it only when `hasattr(tf, "assign")`: a shim for both TensorFlow versions."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    owner = dotted_path(func.value)
    child = call
    for ancestor in model.ancestors(call):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if isinstance(ancestor, (ast.If, ast.IfExp)):
            body = ancestor.body if isinstance(ancestor, ast.If) else [ancestor.body]
            orelse = ancestor.orelse if isinstance(ancestor, ast.If) else [ancestor.orelse]
            has = _hasattr_test(ancestor.test, owner, func.attr)
            if has is not None and any(child is stmt for stmt in (body if has else orelse)):
                return True
        child = ancestor
    return False


def _hasattr_test(test: ast.expr, owner: str | None, name: str) -> bool | None:
    """True for `hasattr(<owner>, "<name>")` (also one part of an `and`), False for its negation,
    None for any other test."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return True if any(_hasattr_test(v, owner, name) is True for v in test.values) else None
    key, when_missing, absent = none_guard(test)  # `hasattr` is the guard test that tells absence
    if not absent or owner is None or key != f"{owner}.{name}":
        return None
    return not when_missing


def _exception_name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


class RemovedAssignFunction(_WriteRule):
    code = "TFV205"
    needs = frozenset({UPDATES})
    name = "tf1-assign-function"
    summary = "The TF1 function form `tf.assign(ref, value)` / `tf.scatter_update(...)` and its `tf.compat.v1` spellings."
    what = """
        Finds calls of `tf.assign`, `tf.assign_add`, `tf.assign_sub`, `tf.scatter_update`,
        `tf.scatter_nd_update`, `tf.scatter_add` and the other TF1 scatter functions, and their legacy
        spellings `tf.compat.v1.assign(...)` and so on.

        Not reported: a removed `tf.` spelling called in the body of a `try` that catches
        `AttributeError` (or `Exception`, or everything): the code is ready for TensorFlow 2 not having
        it (`try: tf.assign_add(step, 1) except AttributeError: tf.compat.v1.assign_add(step, 1)`); and
        one that runs only when `hasattr(tf, "assign_add")` (`if hasattr(tf, "assign"): return
        tf.assign(ref, value)`, else the method).
    """
    why = """
        TensorFlow 2 removed these functions from `tf`: `tf.assign(v, x)` raises
        `AttributeError: module 'tensorflow' has no attribute 'assign'`.

        `tf.compat.v1.assign(v, x)` still exists and works on a `tf.Variable`, eagerly and inside
        `tf.function` (it calls `v.assign(x)` and ignores `validate_shape`), but it is the TF1 API kept for
        migration; the TF2 way is the variable's own method. On a Keras 3 `keras.Variable` (Keras 3
        `add_weight`) it raises `AttributeError: 'str' object has no attribute '_is_ref_dtype'`, while the
        method works.
    """
    example = """
        import tensorflow as tf

        v = tf.Variable(1.0)
        tf.assign(v, 2.0)
    """
    use_instead = """
        import tensorflow as tf

        v = tf.Variable(1.0)
        v.assign(2.0)
    """
    fix_safety = """
        Safe. `tf.assign(ref, value)` becomes `ref.assign(value)` (likewise `assign_add`, `assign_sub`),
        keeping `use_locking` and `name` and dropping `validate_shape`, which resource variables ignore.
        `tf.scatter_update(ref, indices, updates)` and the other row scatters become
        `ref.scatter_update(tf.IndexedSlices(updates, indices))`; `tf.scatter_nd_update(ref, indices,
        updates)` becomes `ref.scatter_nd_update(indices, updates)` (the method takes no `use_locking`).
        Unsafe when `validate_shape` is passed as anything but `True`: TF1 reference variables
        (`tf.compat.v1.disable_v2_behavior()`) honour `validate_shape=False` and the method does not.
    """

    def check(self) -> Iterator[Diagnostic]:
        for call in self.calls():
            qualname = self.model.qualified_name(call.func)
            if not api.is_tf1_update_function(qualname):
                continue
            function = api.tf_function_name(qualname)
            if not qualname.startswith("tensorflow.compat.v1.") and (
                _tried_for_attribute_error(self.model, call) or _checked_with_hasattr(self.model, call)
            ):
                continue  # `try: tf.assign_add(...) except AttributeError: ...`: a shim for both versions
            shown = self.text(call.func)
            fix = self.method_fix(call, function)
            ref = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "ref"), None)
            ref_text = short(self.text(ref), 30) if ref is not None else "ref"
            method_hint = f"`{ref_text}.{function}(...)`"
            if ref is not None and only(self.model.values_of(ref), {Kind.TENSOR}):
                method_hint += f" on the variable itself (`{ref_text}` is a tensor, see TFV201)"
            if qualname.startswith("tensorflow.compat.v1."):
                keras3 = ref is not None and any(
                    v.kind is Kind.VARIABLE and v.api in _KERAS3_VARIABLE_APIS for v in self.model.values_of(ref)
                )
                consequence = (
                    "is the TF1 API: it works on a `tf.Variable` in TF2 (eagerly and in tf.function) but is "
                    "legacy, kept for migration"
                )
                if keras3:
                    consequence = (
                        "is the TF1 API and raises \"AttributeError: 'str' object has no attribute "
                        "'_is_ref_dtype'\" on a Keras 3 `keras.Variable`"
                    )
                message = f"`{shown}(...)` {consequence}; use the variable's method {method_hint}"
            else:
                message = (
                    f"`{shown}(...)` does not exist in TensorFlow 2: it raises \"AttributeError: module 'tensorflow' "
                    f"has no attribute '{function}'\"; use the variable's method {method_hint}"
                )
            yield self.diagnostic(call, message, fix)

    def method_fix(self, call: ast.Call, function: str) -> Fix | None:
        if function == "assign":
            params = _ASSIGN_PARAMS
        elif function in api.ASSIGN_METHODS:
            params = _ASSIGN_ADD_PARAMS
        else:
            params = _SCATTER_PARAMS
        args = call_arguments(call, params)
        required = ("ref", "value") if function in api.ASSIGN_METHODS else ("ref", "indices", "updates")
        if args is None or any(p not in args for p in required):
            return None
        ref = args["ref"]
        if isinstance(ref, ast.Constant):
            return None
        safe = True
        shape_check = args.pop("validate_shape", None)
        if shape_check is not None:
            # Reference variables (TF1 behaviour) honour validate_shape=False; the method has no such option.
            safe = isinstance(shape_check, ast.Constant) and shape_check.value in (True, None)
        keep = []
        if function in api.ASSIGN_METHODS:
            keep.append(as_argument(args["value"], self.text(args["value"])))
        else:
            indices, updates = self.text(args["indices"]), self.text(args["updates"])
            if function.startswith("scatter_nd_"):
                keep += [indices, updates]
                args.pop("use_locking", None)
            else:
                module = self.tf_module_text(call.func, prefer_root=True)
                if module is None:
                    return None
                keep.append(f"{module}.IndexedSlices({updates}, {indices})")
        for option in ("use_locking", "name"):
            if option in args:
                keep.append(f"{option}={self.text(args[option])}")
        replacement = f"{as_receiver(ref, self.text(ref))}.{function}({', '.join(keep)})"
        return self.fix(f"Use the method: `{short(replacement, 60)}`", self.replace(call, replacement), safe=safe)


__all__ = [
    "AssignToDerivedTensor",
    "DiscardedPureOp",
    "DiscardedTensorScatter",
    "ItemAssignment",
    "RemovedAssignFunction",
]
