"""A hypothesis strategy for TensorFlow-shaped programs: the constructs the rules and the model
care about (variables made, rebound, updated in place, sliced; loops, branches, nested functions,
Keras layers, tf.function, comprehensions, walrus, global/nonlocal, noqa comments), composed at
random into programs that always parse."""
from __future__ import annotations

from hypothesis import strategies as st

NAMES = ["v", "w", "x"]
ATTRS = ["self.w", "self.k"]
OPS = ["+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"]
AUG_OPS = [op + "=" for op in OPS]
FACTORIES = ["tf.Variable({})", "keras.Variable({})", "K.variable({})", "tf.compat.v1.Variable({})"]
NOQA = ["", "", "", "  # noqa", "  # noqa: TFV101", "  # a comment"]

numbers = st.sampled_from(["0.5", "1.0", "2", "(1, 2)", "-1.0", "tf.constant(3.0)", "[1.0, 2.0]"])


@st.composite
def expressions(draw, target: str) -> str:
    other = draw(numbers)
    choice = draw(st.integers(0, 7))
    op = draw(st.sampled_from(OPS))
    return [
        other,
        f"{target} {op} {other}",
        f"{other} {op} {target}",
        f"tf.clip_by_value({target}, 0.0, 1.0)",
        f"({target} - {other}) * {other}",
        f"{target}.numpy()",
        f"tf.add({target}, {other}) if flag else {target}",
        f"lambda: {target}",
    ][choice]


@st.composite
def simple_statement(draw, targets: list[str]) -> str:
    t = draw(st.sampled_from(targets))
    expr = draw(expressions(t))
    kind = draw(st.integers(0, 11))
    noqa = draw(st.sampled_from(NOQA))
    line = [
        f"{t} = {draw(st.sampled_from(FACTORIES)).format(draw(numbers))}",
        f"{t} = {expr}",
        f"{t} {draw(st.sampled_from(AUG_OPS))} {draw(numbers)}",
        f"{t} = {t}.assign_sub({draw(numbers)})",
        f"{t}.assign({expr})",
        f"{t} = tf.constant({draw(numbers)})",
        f"{t}[0:1].assign({draw(numbers)})",
        f"print({t})",
        f"{t} = None",
        f"{t} = [{t} * 2 for _ in range(2)][0]",
        f"if ({t} := tf.Variable(1.0)) is not None: pass" if "." not in t else f"print({t})",
        f"{t}, y = {t} - 1, {t}",
    ][kind]
    return line + noqa


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


@st.composite
def block(draw, targets: list[str], depth: int) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 6)) if depth > 0 else 0
        if kind <= 2:
            lines.append(draw(simple_statement(targets)))
        elif kind == 3:
            header = draw(st.sampled_from(["for step in range(3):", "while flag:", "if flag:", "with tf.GradientTape() as tape:"]))
            lines.append(header)
            lines.extend(indent(draw(block(targets, depth - 1))))
            if header == "if flag:" and draw(st.booleans()):
                lines.append("else:")
                lines.extend(indent(draw(block(targets, depth - 1))))
        elif kind == 4:
            decorator = draw(st.sampled_from(["", "@tf.function\n", "@tf.function(jit_compile=True)\n"]))
            name = draw(st.sampled_from(["step", "train", "update"]))
            declared = draw(st.sampled_from(["", "global v", "nonlocal w"])) if depth < 3 else ""
            lines.extend(f"{decorator}def {name}(g):".splitlines())
            body = ([f"    {declared}"] if declared.startswith("global") else []) + indent(draw(block(targets, depth - 1)))
            lines.extend(body)
        elif kind == 5:
            lines.append("class Layer(keras.layers.Layer):")
            lines.append("    def build(self, shape):")
            lines.extend(indent(indent(draw(block(ATTRS, 0)))))
            lines.append("    def call(self, g):")
            lines.extend(indent(indent(draw(block(ATTRS + targets, depth - 1)))))
        else:
            lines.append("try:")
            lines.extend(indent(draw(block(targets, depth - 1))))
            lines.append("except ValueError:")
            lines.extend(indent(draw(block(targets, depth - 1))))
    return lines


@st.composite
def programs(draw) -> str:
    header = ["import keras", "import tensorflow as tf", "from tensorflow.keras import backend as K", "flag = True"]
    return "\n".join(header + draw(block(NAMES, 3))) + "\n"
