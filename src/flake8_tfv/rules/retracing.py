"""TFV307-TFV308: code that makes TensorFlow trace the same function again and again."""
from __future__ import annotations

import ast
from typing import Iterator

from ..diagnostic import Diagnostic
from ..model.needs import TRACED
from ..model.scopes import reads_loop_item
from ..model.semantic import SemanticModel
from ..model.timing import TraceTiming
from ..model.traced import TraceReason, applies_tf_function, function_name, is_tf_function
from ..model.values import Kind
from .base import Rule
from .traced import is_builtin_call, tensorflow_alias

_PYTHON = frozenset({Kind.PYTHON})
_COLLECTING_METHODS = frozenset({"append", "add", "insert", "setdefault", "extend", "update"})


def _has_input_signature(model: SemanticModel, reason: TraceReason) -> bool:
    if reason.site is None:
        calls = [d for d in getattr(reason.root, "decorator_list", []) if isinstance(d, ast.Call)]
    else:
        calls = [reason.site] + ([reason.site.func] if isinstance(reason.site.func, ast.Call) else [])
    return any(
        k.arg == "input_signature" and not (isinstance(k.value, ast.Constant) and k.value.value is None)
        for call in calls
        if is_tf_function(model, call)
        for k in call.keywords
    )


def _inside(model: SemanticModel, node: ast.AST, loops: list[ast.AST]) -> bool:
    ids = {id(loop) for loop in loops}
    return id(node) in ids or any(id(a) in ids for a in model.ancestors(node))


# A handful of values costs a handful of traces, once, below TensorFlow's retracing warning
# (it warns at 5 traces): `for i in range(3)` or a literal list of up to this many numbers.
_FEW_VALUES = 4


def _numbers(node: ast.AST) -> bool:
    """A list or tuple literal of more than a handful of different numbers."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return False
    values = [e.value for e in node.elts if isinstance(e, ast.Constant) and type(e.value) in (int, float)]
    return len(values) == len(node.elts) and len(set(values)) > _FEW_VALUES


def _few(iterable: ast.AST) -> bool:
    """`range(3)`, `range(1, 4)`: a loop over at most a handful of literal values."""
    if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range"):
        return False
    bounds = [a.value for a in iterable.args if isinstance(a, ast.Constant) and type(a.value) is int]
    if len(bounds) != len(iterable.args) or not 1 <= len(bounds) <= 3:
        return False
    start, stop = (0, bounds[0]) if len(bounds) == 1 else (bounds[0], bounds[1])
    step = bounds[2] if len(bounds) == 3 else 1
    return step != 0 and len(range(start, stop, step)) <= _FEW_VALUES


_CONTAINER_DISPLAYS = (ast.List, ast.Tuple, ast.Dict, ast.ListComp, ast.DictComp)


def _arguments_by_parameter(func: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call) -> dict[str, ast.AST]:
    """Parameter name -> the argument expression a call passes it (positional and by keyword; an
    empty answer when `*args` or `**kwargs` make the match uncertain). A method called on an object
    gets `self` implicitly."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return {}
    positional = [a.arg for a in [*func.args.posonlyargs, *func.args.args]]
    if positional and positional[0] in ("self", "cls") and isinstance(call.func, ast.Attribute):
        positional = positional[1:]
    found = dict(zip(positional, call.args))
    found.update((k.arg, k.value) for k in call.keywords)
    return found


def _displayed(model, expr: ast.AST, displays: tuple[type, ...]) -> bool:
    """`expr` is one of `displays` written out (a list, a tuple, ...), or a name every binding of
    which assigns one (what it appends later keeps it a list)."""
    if isinstance(expr, displays):
        return True
    if not isinstance(expr, ast.Name):
        return False
    bindings = model.reaching(expr)
    return bool(bindings) and all(isinstance(b.stmt, ast.Assign) and isinstance(b.stmt.value, displays) for b in bindings)


class PythonNumberRetraces(Rule):
    code = "TFV307"
    needs = frozenset({TRACED})
    uses_tracing = True
    name = "retrace-on-python-number"
    summary = "A `tf.function` is called in a loop with a Python number that changes on every call."
    what = """
        Finds a call of a `@tf.function` (or of `tf.function(f)`) inside a loop where an argument is a
        Python number that changes every iteration: the loop variable of `for i in range(...)`, the
        index of `enumerate`, an element of a literal list of numbers, a counter updated with `+=` in
        the loop, or arithmetic on those.

        Precision decisions: only values known to be Python numbers are reported (not tensors, NumPy
        scalars, which measurably do not retrace, or values of unknown type); a function with an
        `input_signature` is not reported (Python numbers are converted to tensors then: 1 trace); a
        call made from traced code is part of the caller's trace and is not reported; a `bool` flag
        (2 traces at most) and a loop over a handful of literal values (`range(3)`, a list of up to 4
        numbers: at most 4 traces, once, below TensorFlow's warning at 5) are not reported; nor is a
        number that the function uses to index a list, tuple or dict the same call passes
        (`pick(variables, i)` with `variables[i]` inside, as rigl's Hessian computes a row per layer):
        a tensor there raises `TypeError: list indices must be integers or slices, not SymbolicTensor`
        (measured), so each index needs its own trace.
    """
    why = """
        Python numbers are part of a `tf.function`'s cache key: every new value is a new trace.
        Measured in TF 2.21: 10 calls with the ints 1..10 made 10 traces (10 with floats, 1 with
        `tf.constant(i)` or `np.float32(i)`), and `reduce_retracing=True` still made 10. After the
        fifth, TensorFlow logs
        `WARNING:tensorflow:5 out of the last 5 calls to <function f at 0x...> triggered tf.function retracing. Tracing is expensive ...`.
        Each trace re-runs the Python code and builds a new graph, so the loop runs far slower than
        it should and memory grows with every distinct value.
    """
    example = """
        import tensorflow as tf

        @tf.function
        def scaled(x, factor):
            return x * factor

        for step in range(10):
            scaled(tf.constant(1.0), step)
    """
    use_instead = """
        import tensorflow as tf

        @tf.function
        def scaled(x, factor):
            return x * tf.cast(factor, x.dtype)

        for step in range(10):
            scaled(tf.constant(1.0), tf.constant(step))
    """
    fix_safety = """
        Unsafe: the argument is wrapped in `tf.constant(...)`. Inside the function it is then a tensor:
        an int becomes an int32 tensor that does not mix with float tensors without a cast, and Python
        `if`/`for`/`range` on it become graph control flow.
    """

    def check(self) -> Iterator[Diagnostic]:
        model = self.model
        timing = TraceTiming(model)
        tf = tensorflow_alias(model)
        for reason in list(model.traced.values()):
            if reason.how != "tf.function" or _has_input_signature(model, reason):
                continue
            name = function_name(model, reason.root)
            for call in timing.direct_triggers(reason):
                if model.trace_reason(call) is not None:
                    continue
                loops = model.enclosing_loops(call)
                if not loops:
                    continue
                for arg in [*call.args, *(k.value for k in call.keywords if k.arg)]:
                    if isinstance(arg, ast.Starred) or not self.varying(arg, loops):
                        continue
                    if self.indexes_a_python_container(reason.root, call, arg):
                        continue  # it has to stay a Python int: each value needs its own trace
                    shown = self.text(arg)
                    message = (
                        f"`{name}` is called in a loop with `{shown}`, a Python number that changes every "
                        f"iteration: TensorFlow traces `{name}` again for every new value (measured: 10 traces "
                        f"for 10 ints; `reduce_retracing=True` does not help) and warns \"... triggered "
                        f"tf.function retracing\"; pass a tensor (`tf.constant({shown})`) or give `tf.function` "
                        f"an `input_signature`"
                    )
                    fix = None
                    if tf is not None:
                        fix = self.fix(
                            f"Pass `{tf}.constant({shown})`", self.replace(arg, f"{tf}.constant({shown})"), safe=False
                        )
                    yield self.diagnostic(arg, message, fix)

    def indexes_a_python_container(self, func: ast.AST, call: ast.Call, arg: ast.AST) -> bool:
        """The function indexes, with the parameter `arg` is passed to, another parameter that this call
        passes a list, tuple or dict (`variables[layer]`, rigl's Hessian rows): a tensor there raises
        "TypeError: list indices must be integers or slices, not SymbolicTensor" (measured), so the
        number must stay a Python int."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        arguments = _arguments_by_parameter(func, call)
        parameter = next((name for name, value in arguments.items() if value is arg), None)
        if parameter is None:
            return False
        for node in ast.walk(func):
            if not (
                isinstance(node, ast.Subscript)
                and isinstance(node.slice, ast.Name)
                and node.slice.id == parameter
                and isinstance(node.value, ast.Name)
            ):
                continue
            container = arguments.get(node.value.id)
            if container is not None and _displayed(self.model, container, _CONTAINER_DISPLAYS):
                return True
        return False

    def varying(self, expr: ast.AST, loops: list[ast.AST], depth: int = 0) -> bool:
        """A Python number whose value differs between iterations of `loops`."""
        model = self.model
        if depth > 4:
            return False
        if isinstance(expr, ast.Name):
            for binding in model.reaching(expr):
                if not _inside(model, binding.stmt, loops):
                    continue
                stmt = binding.stmt
                kinds = {v.kind for v in binding.values}
                if binding.how == "for" and isinstance(stmt, (ast.For, ast.AsyncFor)):
                    if stmt.target is binding.node and kinds <= _PYTHON and kinds:
                        return not _few(stmt.iter)  # for i in range(...)
                    if stmt.target is binding.node and _numbers(stmt.iter):
                        return True  # for lr in [0.1, 0.01]
                    if (
                        isinstance(stmt.target, ast.Tuple)
                        and stmt.target.elts
                        and stmt.target.elts[0] is binding.node
                        and isinstance(stmt.iter, ast.Call)
                        and isinstance(stmt.iter.func, ast.Name)
                        and stmt.iter.func.id == "enumerate"
                        and not model.reaching(stmt.iter.func)
                    ):
                        return True  # for i, batch in enumerate(...)
                elif binding.how == "augassign" and kinds and kinds <= _PYTHON:
                    return True
                elif binding.how in ("assign", "annassign") and kinds and kinds <= _PYTHON:
                    value = getattr(stmt, "value", None)
                    if value is not None and any(
                        isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and self.varying(n, loops, depth + 1)
                        for n in ast.walk(value)
                    ):
                        return True
            return False
        if isinstance(expr, (ast.BinOp, ast.UnaryOp)):
            operands = [expr.left, expr.right] if isinstance(expr, ast.BinOp) else [expr.operand]
            known = all(
                {v.kind for v in model.values_of(o)} <= _PYTHON or self.varying(o, loops, depth + 1) for o in operands
            )
            return known and any(self.varying(o, loops, depth + 1) for o in operands)
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id in ("int", "float")
            and not model.reaching(expr.func)
            and len(expr.args) == 1
        ):
            return self.varying(expr.args[0], loops, depth + 1)
        return False


class TfFunctionInLoop(Rule):
    code = "TFV308"
    needs = frozenset({TRACED})
    uses_tracing = True
    name = "tf-function-in-loop"
    summary = "`tf.function` is applied inside a loop body: a new function, and a new trace, every iteration."
    what = """
        Finds `@tf.function` on a `def` inside a loop, and `tf.function(f)` /
        `tf.function(f, jit_compile=True)` / `tf.function(jit_compile=True)(f)` called inside a loop.

        Precision decisions: not reported when the new function is kept in a collection
        (`fns.append(tf.function(f))`, `compiled[k] = tf.function(f)`: building a table of compiled
        functions once), or when each iteration wraps a different function taken from the loop
        (`for fn in fns: tf.function(fn)`) or a method of an object the iteration makes (`model =
        make_model(); model.__call__ = tf.function(model.__call__)`), or, in a loop over a list or tuple written out in the
        code (in the loop's header or bound to the name it loops over, or the `itertools.product`,
        `zip` or `enumerate` of such), one that reads what the iteration picks (`for aug in
        [AutoContrast, Equalize]: layer = aug(); @tf.function def apply(x): return layer(x)`, as
        keras-cv's benchmarks time each layer) or is called with it in the loop
        (`tf.function(test, jit_compile=True)(dtype, dim)`, as horovod's XLA tests run each dtype and
        rank; `rq = tf.function(decompositions.rq)` then `rq(matrix, flag)`, as TensorNetwork's tests
        run each flag), since each of those needs its own trace anyway. A function that reads the step of a
        loop over `range(n)` is still reported: the step should be an argument.
    """
    why = """
        Each `tf.function(...)` call makes a new `Function` object with an empty trace cache, so the
        traced graph of the previous iteration is thrown away and the function is traced again.
        Measured in TF 2.21: a `@tf.function` defined inside a loop of 5 iterations was traced 5 times,
        and TensorFlow logs
        `WARNING:tensorflow:5 out of the last 5 calls to <function f at 0x...> triggered tf.function retracing. Tracing is expensive and the excessive number of tracings could be due to (1) creating @tf.function repeatedly in a loop, ...`.
        The loop then runs slower than the plain Python function would.
    """
    example = """
        import tensorflow as tf

        def square(x):
            return x * x

        for i in range(5):
            step = tf.function(square)
            step(tf.constant(float(i)))
    """
    use_instead = """
        import tensorflow as tf

        def square(x):
            return x * x

        step = tf.function(square)
        for i in range(5):
            step(tf.constant(float(i)))
    """
    fix_safety = """
        No fix: moving the definition out of the loop changes what it closes over.
    """

    def check(self) -> Iterator[Diagnostic]:
        model = self.model
        graph = model.call_graph
        for node in [*graph.functions, *graph.calls]:
            site = None
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators = [d for d in node.decorator_list if is_tf_function(model, d)]
                if decorators and not self.collected_def(node):
                    site = decorators[0]
                    loops = model.enclosing_loops(node)
            elif isinstance(node, ast.Call) and node.args and self.applies_tf_function(node):
                if not self.collected(node) and not self.wraps_loop_item(node.args[0]):
                    site = node
                    loops = model.enclosing_loops(node)
            if site is None or not loops:
                continue
            if self.per_configuration(loops[0], node if site is not node else node.args[0], node):
                continue  # a different function for each of a few configurations written out in the loop
            context = model.enclosing_function(node)
            if context is not None and model.trace_reason(context) is not None:
                continue  # inside traced code: runs once per trace of the outer function
            loop = loops[0]
            message = (
                f"`tf.function` is applied inside the loop on line {loop.lineno}: every iteration makes a new "
                f"function that TensorFlow traces again (measured: 5 traces in 5 iterations, with the warning "
                f"\"... triggered tf.function retracing ... (1) creating @tf.function repeatedly in a loop\"); "
                f"apply `tf.function` once, before the loop"
            )
            yield self.diagnostic(site, message)

    def per_configuration(self, loop: ast.AST, function: ast.AST, made: ast.AST) -> bool:
        """A loop over a list or tuple written out in the code (`for aug in [AutoContrast, Equalize]:`,
        or over a name bound only to one, or the `itertools.product`, `zip` or `enumerate` of such)
        whose function reads what the iteration picks, or is called with it in the loop
        (`tf.function(test, jit_compile=True)(dtype, dim)`, or `rq = tf.function(rq_fn)` then
        `rq(matrix, flag)`): each configuration needs its own trace.
        A loop over steps (`range(n)`, a dataset) is still reported: there the value read should be
        an argument."""
        if not isinstance(loop, (ast.For, ast.AsyncFor)) or not self.written_out(loop.iter):
            return False
        if reads_loop_item(function, loop):
            return True
        return any(self.passes_loop_item(call, loop) for call in self.calls_in_loop(made, loop))

    def calls_in_loop(self, made: ast.AST, loop: ast.AST) -> list[ast.Call]:
        """The calls of the function made at `made` in the same loop: `tf.function(f)(...)`, or
        `g = tf.function(f)` then `g(...)` (a name that holds only this function there)."""
        parent = self.model.parent(made)
        if isinstance(parent, ast.Call) and parent.func is made:
            return [parent]
        if not (isinstance(parent, ast.Assign) and parent.value is made and len(parent.targets) == 1):
            return []
        binding = self.model.binding_of(parent.targets[0])
        if binding is None:
            return []
        calls = []
        for use in self.model.uses_of(binding):
            call = self.model.parent(use)
            if (
                isinstance(call, ast.Call)
                and call.func is use
                and len(self.model.reaching(use)) == 1
                and any(a is loop for a in self.model.ancestors(call))
            ):
                calls.append(call)
        return calls

    @staticmethod
    def passes_loop_item(call: ast.Call, loop: ast.AST) -> bool:
        return any(reads_loop_item(arg, loop) for arg in [*call.args, *(k.value for k in call.keywords)])

    def written_out(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Call) and expr.args and not expr.keywords and self.combines(expr):
            return all(self.written_out(arg) for arg in expr.args)
        return _displayed(self.model, expr, (ast.List, ast.Tuple))

    def combines(self, call: ast.Call) -> bool:
        """`itertools.product`, `zip` or `enumerate`: the combinations of lists written out are too."""
        if is_builtin_call(self.model, call, "zip") or is_builtin_call(self.model, call, "enumerate"):
            return True
        return self.model.qualified_name(call.func) == "itertools.product"

    def applies_tf_function(self, call: ast.Call) -> bool:
        return applies_tf_function(self.model, call)

    def collected(self, expr: ast.AST) -> bool:
        parent = self.model.parent(expr)
        if isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            return True
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
            return parent.func.attr in _COLLECTING_METHODS and expr is not parent.func
        if isinstance(parent, ast.Assign):
            return all(isinstance(t, ast.Subscript) for t in parent.targets)
        return False

    def collected_def(self, node: ast.AST) -> bool:
        binding = self.model.binding_of(node)
        uses = self.model.uses_of(binding) if binding is not None else []
        return any(self.collected(use) for use in uses)

    def wraps_loop_item(self, arg: ast.AST) -> bool:
        """`for fn in fns: tf.function(fn)`: a different function every iteration; also a method of an
        object the iteration makes (`model = make_model()` then `tf.function(model.__call__)`)."""
        method = isinstance(arg, ast.Attribute)
        if method:
            arg = arg.value  # for model in models: tf.function(model.step)
        if not isinstance(arg, ast.Name):
            return False
        bindings = self.model.reaching(arg)
        if any(b.how == "for" for b in bindings):
            return True
        loops = self.model.enclosing_loops(arg)
        return method and bool(bindings) and bool(loops) and all(
            isinstance(b.stmt, ast.Assign) and isinstance(b.stmt.value, ast.Call) and loops[0] in self.model.ancestors(b.stmt)
            for b in bindings
        )
