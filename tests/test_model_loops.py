"""Loops run to a fixpoint: what a name holds at the end of one iteration reaches the next."""
from __future__ import annotations

import ast
import textwrap

from flake8_tfv.model import SemanticModel
from flake8_tfv.model.values import Kind
from flake8_tfv.text import SourceText


def _model(code: str) -> tuple[SemanticModel, ast.Module]:
    code = textwrap.dedent(code)
    tree = ast.parse(code)
    return SemanticModel(tree, SourceText(code)), tree


def _kinds_at(model: SemanticModel, tree: ast.Module, line: int, name: str) -> set[Kind]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and node.lineno == line and isinstance(node.ctx, ast.Load):
            return {v.kind for v in model.values_of(node)}
    raise AssertionError(f"no load of {name} on line {line}")


def test_values_carried_across_iterations_reach_their_use():
    model, tree = _model(
        """
        import tensorflow as tf
        v = tf.Variable(1.0)
        a = b = None
        for _ in range(3):
            keep = [t for t in range(2)]   # a fresh comprehension binding on every pass
            scale = lambda t: t * 2        # and a fresh lambda parameter
            print(a)
            a = b
            b = v
        """
    )
    assert Kind.VARIABLE in _kinds_at(model, tree, 8, "a")  # two iterations away from `b = v`
    assert Kind.NONE in _kinds_at(model, tree, 8, "a")  # and the value before the loop


def test_a_def_inside_a_loop_is_analysed_once():
    model, _ = _model(
        """
        import tensorflow as tf
        for i in range(3):
            def step(x):
                return x + i
        """
    )
    assert [s.name for s in model.scopes].count("step") == 1
