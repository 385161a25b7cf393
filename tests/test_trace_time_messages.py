"""TFV304's message says what a traced `print` shows: symbolic tensors, or the Python values of
the trace (which are right, only printed once per trace)."""
from __future__ import annotations

import textwrap

from flake8_tfv.analyze import Settings, analyze

SETTINGS = Settings(select=("TFV304",), cross_module=False)


def messages(code: str) -> list[str]:
    return [d.message for d in analyze(textwrap.dedent(code), settings=SETTINGS)]


def test_a_printed_tensor_is_symbolic():
    found = messages(
        """\
        import tensorflow as tf

        @tf.function
        def step(x):
            print("loss", x * 2)
            return x
        """
    )
    assert len(found) == 1 and "prints symbolic tensors" in found[0]


def test_printed_python_values_are_those_of_the_trace():
    found = messages(
        """\
        import tensorflow as tf

        @tf.function
        def build(x):
            for i in range(3):
                print(f"resolution {2 ** (i + 2)}")
            return x
        """
    )
    assert len(found) == 1
    assert "prints the Python values of that trace" in found[0] and "symbolic" not in found[0]
