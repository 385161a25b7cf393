"""The semantic model answers "what may this name hold here?" for every binding form."""
from __future__ import annotations

import ast
import textwrap

from flake8_tfv.model import Kind, SemanticModel
from flake8_tfv.text import SourceText


def model_of(code: str) -> SemanticModel:
    code = textwrap.dedent(code)
    return SemanticModel(ast.parse(code), SourceText(code))


def kinds_at(model: SemanticModel, line: int, name: str) -> set[Kind]:
    """Kinds a load of `name` (a name or dotted attribute) may hold on `line`."""
    for node in ast.walk(model.tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and getattr(node, "lineno", 0) == line:
            if isinstance(node.ctx, ast.Load) and ast.unparse(node) == name:
                return {v.kind for v in model.values_of(node)}
    raise AssertionError(f"no load of {name} on line {line}")


def test_import_spellings_resolve_to_qualified_names():
    model = model_of(
        """
        import tensorflow as tf
        import tensorflow.compat.v1 as v1
        from tensorflow import Variable as V
        from tensorflow.keras import backend as K
        import keras
        a = tf.Variable(1.0)
        b = v1.Variable(1.0)
        c = V(1.0)
        d = K.variable(1.0)
        e = keras.Variable(1.0)
        f = tf.compat.v2.Variable(1.0)
        print(a, b, c, d, e, f)
        """
    )
    for name in "abcdef":
        assert kinds_at(model, 13, name) == {Kind.VARIABLE}, name


def test_names_are_not_matched_by_spelling():
    model = model_of(
        """
        import tensorflow as tf
        class tfake:
            Variable = dict
        v = tfake.Variable()
        print(v)
        """
    )
    assert kinds_at(model, 6, "v") == {Kind.UNKNOWN}


def test_branches_merge_and_loops_reach_back():
    model = model_of(
        """
        import tensorflow as tf
        v = tf.Variable(1.0)
        if cond:
            v = v * 2
        print(v)
        w = tf.Variable(1.0)
        for _ in range(3):
            print(w)
            w = w - 1
        """
    )
    assert kinds_at(model, 6, "v") == {Kind.VARIABLE, Kind.TENSOR}
    assert kinds_at(model, 9, "w") == {Kind.VARIABLE, Kind.TENSOR}


def test_return_break_and_continue_end_paths():
    model = model_of(
        """
        import tensorflow as tf
        def f(flag):
            v = tf.Variable(1.0)
            if flag:
                v = tf.constant(1.0)
                return v
            print(v)
        for i in range(3):
            u = tf.Variable(1.0)
            if i:
                u = tf.constant(2.0)
                continue
            print(u)
        """
    )
    assert kinds_at(model, 8, "v") == {Kind.VARIABLE}
    assert kinds_at(model, 14, "u") == {Kind.VARIABLE}


def test_self_attributes_cross_methods_and_local_base_classes():
    model = model_of(
        """
        import tensorflow as tf
        class Base(tf.keras.layers.Layer):
            def build(self, shape):
                self.kernel = self.add_weight(shape=shape)
        class Child(Base):
            def call(self, x):
                return x * self.kernel
        """
    )
    assert kinds_at(model, 8, "self.kernel") == {Kind.VARIABLE}


def test_lazy_none_guard_narrows():
    model = model_of(
        """
        import tensorflow as tf
        class M(tf.Module):
            def __init__(self):
                self.v = None
            def __call__(self, x):
                if self.v is None:
                    print(self.v)
                    self.v = tf.Variable(x)
                return self.v
        """
    )
    assert kinds_at(model, 8, "self.v") == {Kind.NONE}
    assert Kind.VARIABLE in kinds_at(model, 10, "self.v")


def test_global_nonlocal_closure_and_walrus():
    model = model_of(
        """
        import tensorflow as tf
        g = tf.Variable(1.0)
        def outer():
            n = tf.Variable(2.0)
            def inner():
                nonlocal n
                print(n)
            return inner
        def reads_global():
            print(g)
        def shadows():
            g = 1.0
            print(g)
        if (z := tf.Variable(0.0)) is not None:
            print(z)
        """
    )
    assert kinds_at(model, 8, "n") == {Kind.VARIABLE}
    assert kinds_at(model, 11, "g") == {Kind.VARIABLE}
    assert kinds_at(model, 14, "g") == {Kind.PYTHON}
    assert kinds_at(model, 16, "z") == {Kind.VARIABLE}


def test_unpacking_with_and_comprehensions():
    model = model_of(
        """
        import tensorflow as tf
        a, b = tf.Variable(1.0), tf.constant(2.0)
        x, y = tf.split(tf.zeros([4]), 2)
        with tf.GradientTape() as tape:
            pass
        squares = [v * 2 for v in [a]]
        print(a, b, x, tape, squares)
        """
    )
    assert kinds_at(model, 8, "a") == {Kind.VARIABLE}
    assert kinds_at(model, 8, "b") == {Kind.TENSOR}
    assert kinds_at(model, 8, "x") == {Kind.TENSOR}
    assert kinds_at(model, 8, "tape") == {Kind.TAPE}


def test_slices_and_reads_of_variables():
    model = model_of(
        """
        import tensorflow as tf
        v = tf.Variable([[1.0, 2.0]])
        s = v[0]
        t = v[0][1:]
        r = v.read_value()
        u = v.assign([[0.0, 0.0]])
        print(s, t, r, u)
        """
    )
    assert kinds_at(model, 8, "s") == {Kind.SLICE}
    assert kinds_at(model, 8, "t") == {Kind.TENSOR}
    assert kinds_at(model, 8, "r") == {Kind.TENSOR}
    assert kinds_at(model, 8, "u") == {Kind.ASSIGN_RESULT}


def test_traced_code():
    model = model_of(
        """
        import tensorflow as tf
        @tf.function
        def step():
            helper()
        def helper():
            pass
        def plain():
            pass
        def wrapped():
            pass
        g = tf.function(wrapped, jit_compile=True)
        class L(tf.keras.layers.Layer):
            def call(self, x):
                return x
        ds = tf.data.Dataset.range(3).map(lambda x: x + 1)
        """
    )
    funcs = {n.name: n for n in ast.walk(model.tree) if isinstance(n, ast.FunctionDef)}
    assert model.trace_reason(funcs["step"]).how == "tf.function"
    assert model.trace_reason(funcs["helper"]).how == "called"
    assert model.trace_reason(funcs["plain"]) is None
    assert model.trace_reason(funcs["wrapped"]).how == "tf.function"
    assert model.trace_reason(funcs["call"]).how == "keras"
    lam = next(n for n in ast.walk(model.tree) if isinstance(n, ast.Lambda))
    assert model.trace_reason(lam).how == "dataset"
