"""What the semantic model says is traced, and how it explains why (the chain in TFV3xx messages)."""
from __future__ import annotations

import ast
import textwrap

from flake8_tfv.model import SemanticModel
from flake8_tfv.model.timing import TraceTiming
from flake8_tfv.text import SourceText


def model_of(code: str) -> SemanticModel:
    text = textwrap.dedent(code)
    return SemanticModel(ast.parse(text), SourceText(text))


def reasons(model: SemanticModel) -> dict[str, str | None]:
    found = {}
    for node in ast.walk(model.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            reason = model.trace_reason(node)
            found[node.name] = reason.explain() if reason else None
    return found


def test_chain_through_functions_and_self_methods():
    found = reasons(model_of("""
        import tensorflow as tf

        def inner(x):
            return x

        def helper(x):
            return inner(x)

        class Model(tf.Module):
            @tf.function
            def step(self, x):
                return self.compute(helper(x))

            def compute(self, x):
                return x

            def unused(self, x):
                return x
    """))
    assert found["step"] == "decorated with @tf.function"
    assert found["compute"] == "traced via `Model.step` -> `Model.compute`, where `Model.step` is decorated with @tf.function"
    assert found["helper"] == "traced via `Model.step` -> `helper`, where `Model.step` is decorated with @tf.function"
    assert found["inner"].startswith("traced via `Model.step` -> `helper` -> `inner`")
    assert found["unused"] is None


def test_wrappers_keras_compile_and_dataset_roots():
    found = reasons(model_of("""
        import keras
        import tensorflow as tf

        def body(x):
            return x

        fast = tf.function(jit_compile=True)(body)

        def my_loss(y, p):
            return y - p

        def parse(x):
            return x

        class Net(keras.Model):
            def train_step(self, data):
                return data

        class Runner(tf.Module):
            def __init__(self):
                self.step = tf.function(self._step)

            def _step(self, x):
                return x

        net = Net()
        net.compile(optimizer="sgd", loss=my_loss)
        ds = tf.data.Dataset.range(3).map(parse)
    """))
    assert found["body"] == "wrapped by tf.function on line 8"
    assert found["my_loss"] == "passed to `compile` on line 28, traced by Keras fit"
    assert found["parse"] == "passed to Dataset.map on line 29"
    assert found["train_step"] == "traced by Keras fit/evaluate/predict"
    assert found["_step"] == "wrapped by tf.function on line 22"
    assert found["__init__"] is None


def test_py_function_bodies_run_eagerly():
    found = reasons(model_of("""
        import tensorflow as tf

        def eager_part(x):
            return x.numpy()

        @tf.function
        def step(x):
            def nested(y):
                return y.numpy()
            return tf.py_function(eager_part, [x], tf.float32) + tf.numpy_function(nested, [x], tf.float32)
    """))
    assert found["step"] == "decorated with @tf.function"
    assert found["eager_part"] is None
    assert found["nested"] is None


def test_tracing_turned_off():
    found = reasons(model_of("""
        import keras
        import tensorflow as tf

        tf.config.run_functions_eagerly(True)

        @tf.function
        def step(x):
            return x
    """))
    assert found["step"] is None
    found = reasons(model_of("""
        import keras

        class Net(keras.Model):
            def train_step(self, data):
                return data

        class Other(keras.layers.Layer):
            def call(self, x):
                return x

        net = Net()
        net.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    """))
    assert found["train_step"] is None
    assert found["call"] == "traced by Keras fit/evaluate/predict"


def test_trace_timing():
    model = model_of("""
        import tensorflow as tf

        lr = 0.1

        @tf.function
        def step(x):
            return x * lr

        lr = 0.2
        step(1.0)
        lr = 0.3
        step(1.0)
        lr = 0.4

        def set_lr(value):
            global lr
            lr = value

        def main():
            global lr
            lr = 0.5
            for _ in range(3):
                step(1.0)
                lr = lr * 0.5
    """)
    timing = TraceTiming(model)
    step = next(n for n in ast.walk(model.tree) if isinstance(n, ast.FunctionDef) and n.name == "step")
    reason = model.trace_reason(step)
    writes = {
        n.lineno: timing.may_run_after_trace(n, reason)
        for n in ast.walk(model.tree)
        if isinstance(n, ast.Assign) and n.targets[0].id == "lr"
    }
    # Before the first call, between two calls, after the last call, in a setter nobody here
    # calls, in `main` before its calls, in `main`'s loop around a call.
    assert writes == {4: False, 10: False, 12: True, 14: False, 18: True, 22: False, 25: True}


def test_trace_timing_when_the_loop_makes_the_function_anew():
    model = model_of("""
        import tensorflow as tf

        SIZE = 1

        def scale(x):
            return x * SIZE

        for size in [1, 2, 3]:
            SIZE = size
            data = tf.data.Dataset.range(3).map(scale)

        def double(x):
            return x * SIZE

        for size in [1, 2, 3]:
            SIZE = size
            step = tf.function(double)
            step(1.0)

        @tf.function
        def triple(x):
            return x * SIZE

        for size in [1, 2, 3]:
            SIZE = size
            triple(1.0)
    """)
    timing = TraceTiming(model)
    functions = {n.name: n for n in ast.walk(model.tree) if isinstance(n, ast.FunctionDef)}
    writes = [n for n in ast.walk(model.tree) if isinstance(n, ast.Assign) and n.targets[0].id == "SIZE"][1:]
    assert [timing.may_run_after_trace(w, model.trace_reason(functions[name]))
            for w, name in zip(sorted(writes, key=lambda n: n.lineno), ["scale", "double", "triple"])] == [False, False, True]


def test_with_statements_enter_and_exit_their_context_manager():
    model = model_of("""
        import tensorflow as tf

        class Scope:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

        class AsyncScope:
            async def __aenter__(self):
                return self

            async def __aexit__(self, *exc):
                return False

            def __enter__(self):
                return self

        scope = Scope()

        @tf.function
        def step(x):
            with scope, tf.name_scope("step"):
                return x

        async def serve():
            async with AsyncScope():
                pass
    """)
    graph = model.call_graph
    scope, async_scope = graph.classes[0], graph.classes[1]
    for name in ("__enter__", "__exit__"):
        reason = model.trace_reason(graph.method(scope, name))
        assert reason.explain() == f"traced via `step` -> `Scope.{name}`, where `step` is decorated with @tf.function"
    assert model.trace_reason(graph.method(async_scope, "__enter__")) is None
    with_stmt, async_with = graph.withs[0], graph.withs[1]
    assert isinstance(async_with, ast.AsyncWith)
    assert [m.name for m in graph.entered(async_with)] == ["__aenter__", "__aexit__"]
    assert [m.name for m in graph.entered(with_stmt)] == ["__enter__", "__exit__"]
    assert graph.sites(graph.method(scope, "__exit__")) == [with_stmt]
    assert graph.sites(graph.method(async_scope, "__enter__")) == []
