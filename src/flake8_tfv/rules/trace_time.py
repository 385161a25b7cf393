"""TFV304-TFV305: Python code in traced functions that runs once per trace instead of once per
call: side effects (`print`, appending to outer lists, counters) and randomness or clock reads."""
from __future__ import annotations

import ast
import re
from typing import Iterator

from ..codegen import OPERATOR_SYMBOLS, as_right_operand
from ..diagnostic import Diagnostic
from ..model.flow import dotted_path
from ..model.needs import TRACED
from ..model.semantic import SemanticModel
from ..model.values import Kind
from .base import Rule
from .traced import (
    is_builtin_call,
    describe,
    eager_only,
    outside_trace,
    own_nodes_of,
    tensorflow_alias,
    traced_functions,
)

# ---- TFV304 -----------------------------------------------------------------------------------

# Those that accumulate: each trace adds to the object instead of replacing an entry by key
# (`self.endpoints["head"] = x` in a Keras `call` hands tensors to the caller within one trace).
ACCUMULATING_METHODS = frozenset({"append", "extend", "insert", "add", "appendleft", "extendleft"})
# Values that print the same on every call: they are fixed when the function is traced.
_STATIC_ATTRIBUTES = frozenset({"shape", "dtype", "name", "ndim"})
_PRINT_KEYWORDS_FOR_TF = frozenset({"sep", "end"})
_CONTAINER_KINDS = frozenset({Kind.PYTHON, Kind.NUMPY})


def _is_static(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(v, ast.Constant) or (isinstance(v, ast.FormattedValue) and _is_static(v.value)) for v in node.values
        )
    if isinstance(node, ast.Attribute) and node.attr in _STATIC_ATTRIBUTES:
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_shape":
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("len", "str", "repr"):
        return all(_is_static(a) for a in node.args)
    return False


def _made_text(model: SemanticModel, node: ast.AST) -> bool:
    """The value read is made into text right there: an f-string field, an argument of `str(...)` or
    of a string's `.format(...)`, or the operand of `"..." % value`."""
    parent = model.parent(node)
    if isinstance(parent, ast.FormattedValue):
        return parent.value is node
    if isinstance(parent, ast.Call) and node in parent.args:
        func = parent.func
        if isinstance(func, ast.Name) and func.id == "str":
            return True
        return isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant) and isinstance(func.value.value, str)
    if isinstance(parent, ast.Tuple):
        node, parent = parent, model.parent(parent)
    return (
        isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod) and parent.right is node
        and isinstance(parent.left, ast.Constant) and isinstance(parent.left.value, str)
    )


def _in_handler(model, node: ast.AST, func: ast.AST) -> bool:
    """`node` is in an `except` block of the traced function: in traced code such a block runs
    only when tracing itself raised (measured: a failing op of the graph raises from the call, past
    the function's own `try`, while a `TypeError` of a Python call is caught once per trace)."""
    for ancestor in model.ancestors(node):
        if ancestor is func:
            return False
        if isinstance(ancestor, ast.ExceptHandler):
            return True
    return False


def _says_tracing(call: ast.Call) -> bool:
    """The text `print` writes says it reports tracing: `print("Tracing with", x)`,
    `print(f"traced {x}")`, `print("Tracing with {}".format(n))` (TensorFlow's tf.function guide)."""
    for node in ast.walk(call):
        if node is not call.func and isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _TRACING_WORD.search(node.value):
                return True
    return False


# "trace", "traced", "tracing", "retracing"; not "extracting" or "tracking".
_TRACING_WORD = re.compile(r"\b(?:re)?trac(?:e|ed|es|ing)\b", re.IGNORECASE)


def counts_traces(key: str | None) -> bool:
    """`trace_count += 1`, `tracing_log.append(...)`, `self.numRetraces += 1`: counting traces on
    purpose (tests, tutorials). A word of the name, split at dots, underscores, digits and
    camelCase humps, says it: not `extracted`, `tracked` or `contract_terms`."""
    return key is not None and _TRACE_COUNTER_WORD.search(key) is not None


# One word of a dotted name (after a separator, or at a camelCase hump): trace, traces, traced,
# tracing, tracer(s), with or without "re" before it.
_TRACE_COUNTER_WORD = re.compile(
    r"(?:^|(?<=[._\d])|(?<=[a-z])(?=[A-Z]))(?:[Rr]e)?(?:[Tt]rac|TRAC)(?:e|es|ed|ing|er|ers|E|ES|ED|ING|ER|ERS)(?=$|[._\dA-Z])"
)


def outer_container(model: SemanticModel, expr: ast.AST) -> list | None:
    """The bindings of a name or `self.attr` that traced code reaches from outside, holding a
    Python or NumPy value; None when it is local, unknown or something else."""
    if not isinstance(expr, (ast.Name, ast.Attribute)) or dotted_path(expr) is None or counts_traces(dotted_path(expr)):
        return None
    if isinstance(expr, ast.Attribute) and not any(
        v.kind is Kind.INSTANCE for v in model.values_of(expr.value)
    ):
        return None
    bindings = list(model.reaching(expr))
    if not outside_trace(model, bindings):
        return None
    kinds = {v.kind for b in bindings for v in b.values}
    if not kinds or not kinds <= _CONTAINER_KINDS | {Kind.NONE}:
        return None
    if not kinds & _CONTAINER_KINDS:
        return None
    return bindings


# Methods that take an entry off a list, deque or set again.
_REMOVING_METHODS = frozenset({"pop", "popleft", "remove", "discard", "clear"})
_ENTER_EXIT = {"__enter__": "__exit__", "__aenter__": "__aexit__"}
_MAX_DEPTH = 4


def _entered_through(model: SemanticModel, func: ast.AST, depth: int = 0) -> list[ast.AST] | None:
    """The context managers' `__enter__` methods through which every traced path of this file
    reaches `func` (`func` itself when it is one); None when some path does not go through one."""
    if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and func.name in _ENTER_EXIT:
        return [func] if isinstance(model.parent(func), ast.ClassDef) else None
    reason = model.traced.get(id(func))
    if reason is None or reason.how != "called" or depth >= _MAX_DEPTH:
        return None  # a root of its own, or traced as code nested in one
    sites = [s for s in model.call_graph.sites(func) if model.trace_reason(s) is not None]
    if not sites:
        return None
    found: list[ast.AST] = []
    for site in sites:
        caller = model.enclosing_function(site)
        entered = _entered_through(model, caller, depth + 1) if caller is not None else None
        if entered is None:
            return None
        found.extend(e for e in entered if e not in found)
    return found


def _same_container(model: SemanticModel, expr: ast.AST, key: str, bindings: set[int]) -> bool:
    return dotted_path(expr) == key and bool(bindings & {id(b) for b in model.reaching(expr)})


def _takes_off(model: SemanticModel, func: ast.AST, key: str, bindings: set[int], depth: int = 0) -> bool:
    """`func` (or a function of this file it calls) pops, removes or clears the container."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            target = node.func
            if isinstance(target, ast.Attribute) and target.attr in _REMOVING_METHODS and _same_container(
                model, target.value, key, bindings
            ):
                return True
            if depth < _MAX_DEPTH and any(
                _takes_off(model, callee, key, bindings, depth + 1) for callee in model.call_graph.targets(node)
                if callee is not func
            ):
                return True
        elif isinstance(node, ast.Delete):
            if any(isinstance(t, ast.Subscript) and _same_container(model, t.value, key, bindings) for t in node.targets):
                return True
    return False


def undone_on_exit(model: SemanticModel, call: ast.Call, func: ast.AST) -> bool:
    """`stack.append(ctx)` reached only through a context manager's `__enter__` whose `__exit__`
    takes an entry off the same container again: a stack pushed and popped within one trace (the
    `with` runs both while tracing), which leaves nothing behind for later calls."""
    receiver = call.func.value
    key = dotted_path(receiver)
    bindings = {id(b) for b in model.reaching(receiver)}
    entered = _entered_through(model, func)
    if not entered or key is None or not bindings:
        return False
    for enter in entered:
        exit_method = model.call_graph.method(model.parent(enter), _ENTER_EXIT[enter.name])
        if exit_method is None or not _takes_off(model, exit_method, key, bindings):
            return False
    return True


def emptied_before_return(model: SemanticModel, call: ast.Call) -> bool:
    """`self.features.append(x)` in a function whose own body, later and before any return, empties
    the same container (`self.features.clear()`, `del self.features[:]`, `self.features = []`): a
    scratch list of one call, which leaves nothing behind for later calls (a DenseNet block that
    gathers its layers' outputs to concatenate them)."""
    func = model.enclosing_function(call)
    key = dotted_path(call.func.value)
    if key is None or not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    after = call.lineno
    exits = [n.lineno for n in ast.walk(func) if isinstance(n, (ast.Return, ast.Yield, ast.YieldFrom)) and model.enclosing_function(n) is func]
    for stmt in func.body:
        if stmt.lineno > after and _empties(stmt, key):
            return all(line >= stmt.end_lineno for line in exits)
    return False


def _empties(stmt: ast.stmt, key: str) -> bool:
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        return isinstance(func, ast.Attribute) and func.attr == "clear" and not stmt.value.args and dotted_path(func.value) == key
    if isinstance(stmt, ast.Delete) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        return isinstance(target, ast.Subscript) and _whole_slice(target.slice) and dotted_path(target.value) == key
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.List) and not stmt.value.elts:
        target = stmt.targets[0]
        if isinstance(target, ast.Subscript):
            return _whole_slice(target.slice) and dotted_path(target.value) == key
        return dotted_path(target) == key
    return False


def _whole_slice(node: ast.AST) -> bool:
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is None



def _idempotent_flag(value: ast.expr, key: str) -> bool:
    """`flag = flag and other` (or `or`): a flag that, once turned, stays so. Run once per trace or
    on every call with the same `other`, it ends the same: no update is lost (a new Python argument
    is a new trace, which runs it again; an attribute changed between calls is a stale read of that
    attribute, TFV301's concern). QKeras's `self.will_ema_freeze = self.will_ema_freeze and
    self.trainable`."""
    return isinstance(value, ast.BoolOp) and any(
        isinstance(operand, (ast.Name, ast.Attribute)) and dotted_path(operand) == key for operand in value.values
    )


class TraceTimeSideEffect(Rule):
    code = "TFV304"
    needs = frozenset({TRACED})
    uses_tracing = True
    name = "trace-time-side-effect"
    summary = "A Python side effect in traced code runs once per trace, not once per call."
    what = """
        Finds, inside traced code (`@tf.function`, Keras `call`/`train_step`, `Dataset.map`
        functions, and functions they call):

        - `print(...)` of a value (not of string literals alone);
        - adding to a list, set or deque that lives outside the function (a module global, a closure
          variable, a `self` attribute): `log.append(x)`, `self.history.extend(xs)`, `seen.add(k)`,
          and `counts[k] += 1` on such a dict;
        - `+=` (or `x = x + ...`) on a global, nonlocal or `self` attribute that holds a Python value:
          `global counter; counter += 1`, `self.steps += 1`.

        Precision decisions: storing by key (`self.endpoints["head"] = x`, `cache.update(...)`) is not
        reported: each trace replaces the entry, and Keras layers use it to hand tensors to their caller
        within the same trace (EfficientNet's `endpoints`); nor is adding to a container that the
        same function empties again before it returns (`self.features.clear()`, `del
        self.features[:]`, `self.features = []`): a scratch list of one call; nor a flag that once turned
        stays so (`self.freeze = self.freeze and self.trainable`, or `or`): run once per trace or on
        every call, it ends the same. `print` of string literals only (a trace marker such as
        `print("Tracing!")`) is deliberate and not reported, nor is `print` of values fixed at trace
        time (`x.shape`, `x.dtype`, `x.name`, f-strings of them): they print the same on every call.
        Names that say they count traces by one of their words (`trace_count += 1`,
        `tracing_log.append(...)`, `numRetraces += 1`; not `extracted += 1`) and `print`
        whose text says it reports tracing (`print("Tracing with", x)`, as TensorFlow's tf.function
        guide does) are deliberate and not reported, nor is `print` in an `except` block (in traced code
        it runs only when tracing itself raised, so it reports that failure when it happens; a failing op
        of the graph raises from the call instead, past the function's `try`), nor is a counter that the
        file reads only to make text of it
        (`self._call_id += 1` then `name=f"enqueue_{self._call_id}"`): it gives the ops each trace
        builds a unique name. A context stack that a `with` in traced code pushes in its context manager's
        `__enter__` (reached from this file only through `__enter__` methods) and pops again in the
        matching `__exit__` is not reported: both run within the same trace, so nothing is left
        behind. Logging calls are not reported. Code under `if tf.executing_eagerly():` (also the
        `else` of `if tf.inside_function():`, and a path chosen by a function that returns such a test,
        such as `if not in_tf_function():`) and functions passed to `tf.py_function` run eagerly and are
        not reported, nor is code under a test for another Keras backend (`if keras.backend.backend()
        == "jax":`) where only Keras's own tracing reaches it (a layer's `call`, a `train_step`, a loss
        passed to `compile`): Keras traces with TensorFlow only under the TensorFlow backend. Code that a
        `tf.function` or a `Dataset.map` of the file may trace keeps such a branch: those trace under
        any backend, and `keras.backend.backend()` answers the global one there (measured: "jax").
    """
    why = """
        Python code in a traced function runs only while TensorFlow traces it; the graph that runs on
        every later call contains only TensorFlow ops. Measured with three calls of the same signature:
        Python `print` ran once (printing `Tensor("x:0", shape=(), dtype=float32)`, not a value),
        `tf.print` ran three times; `log.append` left `len(log) == 1`, `counter += 1` gave 1 and
        `self.steps += 1` gave 1 after 5 calls. Keras `fit` over 8 batches ran a Python counter in
        `train_step` twice. Tensors appended to an outer list are graph tensors: using one later raises
        `TypeError: <tf.Tensor 'mul:0' ...> is out of scope and cannot be used here`.
    """
    example = """
        import tensorflow as tf

        @tf.function
        def step(x):
            print("loss", x)
            return x * 2
    """
    use_instead = """
        import tensorflow as tf

        @tf.function
        def step(x):
            tf.print("loss", x)
            return x * 2
    """
    fix_safety = """
        Unsafe, for `print` only: `print(...)` becomes `tf.print(...)` (an f-string argument becomes
        its pieces with `sep=""`), which prints on every call. `tf.print` writes to standard error by
        default and formats tensors its own way. No fix when `print` has `file=` or `flush=`, or formats
        with `%` or `.format`. Counters and lists need a `tf.Variable` with `assign_add`, a
        `tf.TensorArray` or return values: no fix.
    """

    def check(self) -> Iterator[Diagnostic]:
        model = self.model
        for func in traced_functions(model):
            where = describe(model, func)
            for node in own_nodes_of(model, func):
                if isinstance(node, ast.Call):
                    found = self.call_effect(node, where, func)
                elif isinstance(node, (ast.AugAssign, ast.Assign)):
                    found = self.store_effect(node, where, func)
                else:
                    continue
                if found is not None and not eager_only(model, node, func):
                    yield found

    def call_effect(self, call: ast.Call, where: str, traced: ast.AST) -> Diagnostic | None:
        model = self.model
        if is_builtin_call(model, call, "print"):
            if all(_is_static(a) for a in call.args) and not any(k.arg is None for k in call.keywords):
                return None
            if _says_tracing(call):
                return None  # `print("Tracing with", x)`: reports each trace on purpose
            if _in_handler(model, call, traced):
                return None  # reports a failure of the trace itself, when it happens
            if self.prints_python_values(call):
                printed = "it prints the Python values of that trace"
            else:
                printed = "it prints symbolic tensors such as `Tensor(\"x:0\", ...)`, not values"
            message = (
                f"`print` in traced {where} runs only while TensorFlow traces it (once per trace, not on "
                f"every call, and {printed}); use `tf.print`"
            )
            return self.diagnostic(call, message, self.print_fix(call))
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in ACCUMULATING_METHODS:
            bindings = outer_container(model, func.value)
            if bindings is not None and not undone_on_exit(model, call, traced) and not emptied_before_return(model, call):
                key = dotted_path(func.value)
                message = (
                    f"`{key}.{func.attr}(...)` in traced {where} changes `{key}` (defined outside, line "
                    f"{min(b.line for b in bindings)}) only while TensorFlow traces it, not on every call, and any "
                    f"tensors it stores are graph tensors that raise \"TypeError: ... is out of scope\" when used "
                    f"later; return the values, or use a `tf.TensorArray` or a `tf.Variable`"
                )
                return self.diagnostic(call, message)
        return None

    def prints_python_values(self, call: ast.Call) -> bool:
        """Every value printed is known to be a Python value (`print(f"size {2 ** i}")` in a Python
        loop), none a tensor: what prints is right, only not on every call."""
        nodes = (n for arg in call.args for n in ast.walk(arg) if isinstance(n, (ast.Name, ast.Attribute, ast.Call)))
        values = [self.model.values_of(n) for n in nodes]
        return bool(values) and all(found and {v.kind for v in found} <= {Kind.PYTHON} for found in values)

    def store_effect(self, stmt: ast.stmt, where: str, func: ast.AST) -> Diagnostic | None:
        model = self.model
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Subscript):
            bindings = outer_container(model, stmt.target.value)
            if bindings is None:
                return None
            key = dotted_path(stmt.target.value)
            message = (
                f"`{key}[...] {OPERATOR_SYMBOLS[type(stmt.op)]}= ...` in traced {where} changes `{key}` (defined "
                f"outside, line {min(b.line for b in bindings)}) only while TensorFlow traces it, not on every "
                f"call; keep the count in a `tf.Variable` and use `assign_add`"
            )
            return self.diagnostic(stmt, message)
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1:
                return None
            target = stmt.targets[0]
            key = dotted_path(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
            # What the syntax rules out first: most assignments in traced code bind a local name.
            if key is None or not self.may_be_outer_state(target, func) or not any(
                dotted_path(n) == key for n in ast.walk(stmt.value) if isinstance(n, (ast.Name, ast.Attribute))
            ):
                return None
            if _idempotent_flag(stmt.value, key):
                return None
            shown = f"{key} = {key} ..."
        else:
            target = stmt.target
            key = dotted_path(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
            if key is None:
                return None
            shown = f"{key} {OPERATOR_SYMBOLS[type(stmt.op)]}= ..."
        if not self.outer_state(target, func) or counts_traces(key) or self.only_names_ops(key, stmt):
            return None
        previous = self.outer_bindings(list(model.replaced(target)))
        kinds = {v.kind for b in previous for v in b.values}
        if not previous or not kinds or not kinds <= {Kind.PYTHON}:
            return None
        text = self.text(stmt)
        if "\n" not in text and len(text) <= 40:
            shown = text
        message = (
            f"`{shown}` in traced {where} updates a Python value (set on line "
            f"{min(b.line for b in previous)}) only while TensorFlow traces the function, not on every call "
            f"(measured: a counter reached 1 after 5 calls); keep it in a `tf.Variable` and use `assign_add`"
        )
        return self.diagnostic(stmt, message)

    def only_names_ops(self, key: str, update: ast.stmt) -> bool:
        """Every other read of the counter in the file turns it into text (`f"op_{self._call_id}"`,
        `"{}".format(...)`, `str(...)`): a counter that makes unique names for what each trace builds,
        which counts traces on purpose (tensorflow/recommenders' `TPUEmbedding._tpu_call_id`)."""
        model = self.model
        reads = [
            node
            for kind in (ast.Name, ast.Attribute)
            for node in model.nodes_of(kind)
            if type(node.ctx) is ast.Load and dotted_path(node) == key and not any(a is update for a in model.ancestors(node))
        ]
        return bool(reads) and all(_made_text(model, node) for node in reads)

    def outer_bindings(self, bindings: list) -> list:
        """The bindings from outside the trace that `bindings` continue (`self.n += 1` twice in a
        row: the second one continues the first, which continues `__init__`'s); empty when one of
        them starts inside the trace."""
        model = self.model
        found, todo, seen = [], list(bindings), set()
        while todo:
            binding = todo.pop()
            if id(binding) in seen:
                continue
            seen.add(id(binding))
            if model.trace_reason(binding.stmt) is None:
                found.append(binding)
            elif binding.how == "augassign" or binding.key in {
                dotted_path(n) for n in ast.walk(getattr(binding.stmt, "value", binding.stmt)) if isinstance(n, (ast.Name, ast.Attribute))
            }:
                todo.extend(model.replaced(binding.node))
            else:
                return []
            if len(seen) > 20:
                return []
        return found

    def outer_state(self, target: ast.AST, func: ast.AST) -> bool:
        """A global / nonlocal name of `func`, or an attribute of `self`."""
        if isinstance(target, ast.Attribute):
            return isinstance(target.value, ast.Name) and any(
                v.kind is Kind.INSTANCE for v in self.model.values_of(target.value)
            )
        return self.may_be_outer_state(target, func)

    def may_be_outer_state(self, target: ast.AST, func: ast.AST) -> bool:
        """outer_state as far as the syntax tells: a global / nonlocal name of `func`, or an
        attribute of a plain name (whose value the flow then tells)."""
        if isinstance(target, ast.Attribute):
            return isinstance(target.value, ast.Name)
        scope = self.model.scope_for(func)
        return scope is not None and (target.id in scope.global_names or target.id in scope.nonlocal_names)

    def print_fix(self, call: ast.Call):
        tf = tensorflow_alias(self.model)
        if tf is None or any(k.arg not in _PRINT_KEYWORDS_FOR_TF for k in call.keywords):
            return None
        for arg in call.args:
            if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod):
                return None
            if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format":
                return None
        if any(isinstance(a, ast.JoinedStr) for a in call.args):
            if len(call.args) != 1 or call.keywords:
                return None
            pieces = self.fstring_pieces(call.args[0])
            if pieces is None:
                return None
            text = f"{tf}.print({', '.join(pieces)}, sep=\"\")" if len(pieces) > 1 else f"{tf}.print({pieces[0] if pieces else ''})"
            return self.fix("Print on every call with `tf.print`", self.replace(call, text), safe=False)
        return self.fix(
            "Print on every call with `tf.print`",
            self.replace(call.func, f"{tf}.print"),
            safe=False,
        )

    def fstring_pieces(self, node: ast.JoinedStr) -> list[str] | None:
        quote = '"' if self.text(node).lstrip("fFrRbBuU")[:1] == '"' else "'"
        pieces = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                if value.value:
                    pieces.append(string_literal(value.value, quote))
            elif isinstance(value, ast.FormattedValue):
                if value.conversion != -1 or value.format_spec is not None:
                    return None
                pieces.append(ast.unparse(value.value))
            else:
                return None
        return pieces


def string_literal(value: str, quote: str) -> str:
    """A literal for `value` in the file's own quote style where the text allows it."""
    literal = repr(value)
    if quote == '"' and literal.startswith("'") and '"' not in value:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


# ---- TFV305 -----------------------------------------------------------------------------------

_NOT_DRAWS = frozenset(
    {"seed", "default_rng", "RandomState", "Generator", "SeedSequence", "BitGenerator", "PCG64", "MT19937",
     "Philox", "SFC64", "get_state", "set_state", "getstate", "setstate", "Random", "SystemRandom"}
)
CLOCKS = frozenset(
    {"time.time", "time.time_ns", "time.perf_counter", "time.perf_counter_ns", "time.monotonic",
     "time.monotonic_ns", "time.process_time", "time.process_time_ns", "datetime.datetime.now",
     "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today"}
)


def python_randomness(qualname: str | None) -> str | None:
    """"random" or "clock" for a call that draws Python/NumPy randomness or reads the clock."""
    if qualname is None:
        return None
    module, _, name = qualname.rpartition(".")
    if module in ("numpy.random", "random") and name not in _NOT_DRAWS and not name.startswith("_"):
        return "random"
    if qualname in CLOCKS:
        return "clock"
    return None


def _seeded_before(model, draw: ast.Call, func: ast.AST, module: str) -> bool:
    """A statement of the function's own body, before the one that draws, seeds the same generator
    with a constant (`np.random.seed(1234)`, then `np.random.uniform()`): the draw gives the same
    number on every run of the code, traced or not."""
    body = getattr(func, "body", None)
    statement = model.statement_in(body, draw) if isinstance(body, list) else None
    if statement is None:
        return False
    for stmt in body:
        if stmt is statement:
            return False
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and model.qualified_name(call.func) == f"{module}.seed"
            and len(call.args) == 1
            and isinstance(call.args[0], ast.Constant)
            and call.args[0].value is not None
        ):
            return True
    return False


class TraceTimeRandomness(Rule):
    code = "TFV305"
    needs = frozenset({TRACED})
    uses_tracing = True
    name = "trace-time-randomness"
    summary = "Python or NumPy randomness, or a clock read, in traced code is evaluated once, at trace time."
    what = """
        Finds calls of `np.random.*` (`uniform`, `normal`, `rand`, `randint`, `choice`, `shuffle`, ...),
        of the standard `random` module (`random.random()`, `random.uniform`, `random.choice`, ...)
        and clock reads (`time.time()`, `time.perf_counter()`, `datetime.now()`, ...) inside traced
        code (`@tf.function`, Keras `call`/`train_step`, `Dataset.map` functions, and what they call).

        Precision decisions: seeding and generator construction (`np.random.seed`,
        `np.random.default_rng`, `random.Random`) are not draws and are not reported, nor is a draw
        that follows, in the same function body, a seed of its generator with a constant
        (`np.random.seed(1234)`, then `np.random.uniform()`: the same number on every call, traced or
        not, as the code asks for); code passed to
        `tf.py_function`/`tf.numpy_function` runs eagerly and is not reported.
    """
    why = """
        The call runs once, while TensorFlow traces the function, and its result is baked into the
        graph as a constant. Measured: three calls of a `tf.function` returning `np.random.uniform()`
        gave `0.0814` each time; `Dataset.range(4).map(lambda x: x + random.random())` added the same
        number to every element; `time.time()` returned the trace time on every call. Random
        augmentation or dropout written this way silently does nothing random.
    """
    example = """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def noisy(x):
            return x + np.random.uniform(-0.1, 0.1)
    """
    use_instead = """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def noisy(x):
            return x + tf.random.uniform([], -0.1, 0.1)
    """
    fix_safety = """
        Unsafe, for direct equivalents only: `np.random.uniform(a, b)` and `random.uniform(a, b)`
        become `tf.random.uniform([], a, b)`, `np.random.normal(m, s)` / `random.gauss(m, s)` become
        `tf.random.normal([], m, s)`, `np.random.rand(...)` / `random.random()` become
        `tf.random.uniform([...])`, `np.random.randn(...)` becomes `tf.random.normal([...])`,
        `np.random.randint(a, b)` becomes `tf.random.uniform([], a, b, dtype=tf.int32)` (and
        `random.randint(a, b)`, which includes `b`, gets `b + 1`), `time.time()` becomes
        `tf.timestamp()`. The result is then a float32 (int32, float64 for the timestamp) tensor,
        not a Python number, which can change the dtype of the arithmetic around it and turns a
        Python `if` on it into a graph conditional. Other calls (`choice`, `shuffle`, ...) get no fix.
    """

    def check(self) -> Iterator[Diagnostic]:
        model = self.model
        for func in traced_functions(model):
            where = describe(model, func)
            for node in own_nodes_of(model, func):
                if not isinstance(node, ast.Call):
                    continue
                qualname = model.qualified_name(node.func)
                kind = python_randomness(qualname)
                if kind is None or eager_only(model, node, func):
                    continue
                if kind == "random" and _seeded_before(model, node, func, qualname.rpartition(".")[0]):
                    continue  # the same number on every call, as the code asks for
                reason = model.trace_reason(func)
                per = "every element of the dataset" if reason and reason.origin.how == "dataset" else "every call"
                shown = self.text(node.func)
                if kind == "random":
                    args = "(...)" if node.args or node.keywords else "()"
                    message = (
                        f"`{shown}{args}` in traced {where} draws one number while TensorFlow traces the "
                        f"function; the graph keeps it as a constant, so {per} gets the same value; use `tf.random`"
                    )
                else:
                    message = (
                        f"`{shown}()` in traced {where} reads the clock once, while TensorFlow traces the "
                        f"function; {per} sees that same time; use `tf.timestamp()`"
                    )
                yield self.diagnostic(node, message, self.equivalent(node))

    def equivalent(self, call: ast.Call):
        tf = tensorflow_alias(self.model)
        qualname = self.model.qualified_name(call.func)
        if tf is None or qualname is None or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        text = _tf_random_equivalent(tf, qualname, call, self.text)
        if text is None:
            return None
        return self.fix(f"Draw on every call with `{text.split('(')[0]}`", self.replace(call, text), safe=False)


def _arguments(call: ast.Call, names: list[str]) -> dict[str, ast.AST] | None:
    """Positional and keyword arguments by parameter name; None when there are others."""
    if len(call.args) > len(names):
        return None
    found = dict(zip(names, call.args))
    for keyword in call.keywords:
        if keyword.arg not in names or keyword.arg in found:
            return None
        found[keyword.arg] = keyword.value
    return found


def _shape_text(size: ast.AST | None, text) -> str | None:
    if size is None:
        return "[]"
    if isinstance(size, (ast.Tuple, ast.List)):
        return "[" + ", ".join(text(e) for e in size.elts) + "]"
    if isinstance(size, ast.Constant) and isinstance(size.value, int):
        return f"[{size.value}]"
    return None


def _tf_random_equivalent(tf: str, qualname: str, call: ast.Call, text) -> str | None:
    module, _, name = qualname.rpartition(".")
    if qualname == "time.time" and not call.args and not call.keywords:
        return f"{tf}.timestamp()"

    def build(op: str, shape: str | None, *args: tuple[str, ast.AST | None]) -> str | None:
        if shape is None:
            return None
        parts = [shape]
        positional = True  # positional while no argument is skipped, keywords after a gap
        for keyword, value in args:
            if value is None:
                positional = False
            else:
                parts.append(text(value) if positional else f"{keyword}={text(value)}")
        return f"{tf}.random.{op}({', '.join(parts)})"

    if module == "numpy.random":
        if name == "uniform":
            a = _arguments(call, ["low", "high", "size"])
            if a is None:
                return None
            return build("uniform", _shape_text(a.get("size"), text), ("minval", a.get("low")), ("maxval", a.get("high")))
        if name == "normal":
            a = _arguments(call, ["loc", "scale", "size"])
            if a is None:
                return None
            return build("normal", _shape_text(a.get("size"), text), ("mean", a.get("loc")), ("stddev", a.get("scale")))
        if name in ("rand", "randn") and not call.keywords:
            shape = "[" + ", ".join(text(d) for d in call.args) + "]"
            return f"{tf}.random.{'uniform' if name == 'rand' else 'normal'}({shape})"
        if name in ("random", "random_sample", "sample", "ranf"):
            a = _arguments(call, ["size"])
            return None if a is None else build("uniform", _shape_text(a.get("size"), text))
        if name == "randint":
            a = _arguments(call, ["low", "high", "size"])
            if not a or "low" not in a:
                return None
            low, high = (a["low"], a["high"]) if "high" in a else (None, a["low"])
            shape = _shape_text(a.get("size"), text)
            if shape is None:
                return None
            return f"{tf}.random.uniform({shape}, {text(low) if low is not None else '0'}, {text(high)}, dtype={tf}.int32)"
        return None
    if module == "random":
        if name == "random" and not call.args and not call.keywords:
            return f"{tf}.random.uniform([])"
        if name == "uniform":
            a = _arguments(call, ["a", "b"])
            if a is None or len(a) != 2:
                return None
            return build("uniform", "[]", ("minval", a["a"]), ("maxval", a["b"]))
        if name in ("gauss", "normalvariate"):
            a = _arguments(call, ["mu", "sigma"])
            if a is None or len(a) != 2:
                return None
            return build("normal", "[]", ("mean", a["mu"]), ("stddev", a["sigma"]))
        if name == "randint":
            a = _arguments(call, ["a", "b"])
            if not a or len(a) != 2:
                return None
            b = a["b"]
            if isinstance(b, ast.Constant) and type(b.value) is int:
                upper = str(b.value + 1)
            else:
                upper = f"{as_right_operand(b, text(b), ast.Add())} + 1"
            return f"{tf}.random.uniform([], {text(a['a'])}, {upper}, dtype={tf}.int32)"
    return None

