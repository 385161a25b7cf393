"""What a file must contain for a rule to find anything (model/needs.py).

A rule is skipped on a file that lacks every feature it needs, and a file that lacks them for
every rule gets no semantic model: a feature the syntax check misses is a finding lost. Every
finding of every fixture file must therefore come from a file that has one of its rule's needs.
"""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

import flake8_tfv.analyze as analyze_module
from flake8_tfv.analyze import DEFAULT_SETTINGS, Settings, analyze
from flake8_tfv.model import SemanticModel
from flake8_tfv.model.imports import ImportMap
from flake8_tfv.model.index import SyntaxIndex
from flake8_tfv.model.needs import ITEM_ASSIGNMENTS, TRACED, TRAINING, UPDATES, VARIABLES, tree_features
from flake8_tfv.model.project import forget_files, project_for
from flake8_tfv.text import SourceText

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES = sorted(p for p in FIXTURES.rglob("*.py") if not p.name.endswith(".fixed.py"))
EVERY = frozenset({VARIABLES, UPDATES, ITEM_ASSIGNMENTS, TRACED, TRAINING})


def features(text: str) -> frozenset[str]:
    return tree_features(SyntaxIndex(ast.parse(textwrap.dedent(text))), EVERY)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_finding_comes_from_a_file_with_what_its_rule_needs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        pytest.skip("not Python on purpose")
    present = tree_features(SyntaxIndex(tree), EVERY)
    model = SemanticModel(tree, SourceText(text))  # no gate: every rule runs
    for rule in DEFAULT_SETTINGS.active_rules():
        found = list(rule(model).check())
        if found and rule.needs is not None:
            assert rule.needs & present, f"{rule.code} found {found[0].message!r} in a file without {set(rule.needs)}"


@pytest.mark.parametrize(
    "source, feature",
    [
        ("import tensorflow as tf\nv = tf.Variable(1.0)\n", VARIABLES),
        ("from tensorflow import Variable as V\nv = V(1.0)\n", VARIABLES),
        ("make = tf.compat.v1.get_variable\n", VARIABLES),
        ("class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=shape)\n", VARIABLES),
        ("d = keras.layers.Dense(3)\nd.kernel = d.kernel * 2\n", VARIABLES),
        ("tf.compat.v1.assign(ref, 1)\n", UPDATES),
        ("y = tf.tensor_scatter_nd_update(x, i, u)\n", UPDATES),
        ("x = tf.zeros(3)\nx[0] = 1\n", ITEM_ASSIGNMENTS),
        ("for x[0] in rows:\n    pass\n", ITEM_ASSIGNMENTS),
        ("from tensorflow import function as compiled\n@compiled\ndef f(x):\n    return x\n", TRACED),
        ("class M(keras.Model):\n    def train_step(self, data):\n        return {}\n", TRACED),
        ("ds = ds.map(parse)\n", TRACED),
        ("model.compile(loss=my_loss)\n", TRACED),
        ("from tensorflow.keras.optimizers import Adam\nopt = Adam()\n", TRAINING),
        ("opt = tf.compat.v1.train.AdamOptimizer(0.1)\n", TRAINING),
        ("from tensorflow import GradientTape as Tape\nwith Tape() as t:\n    pass\n", TRAINING),
    ],
)
def test_each_feature_is_seen_however_it_is_spelt(source: str, feature: str) -> None:
    assert feature in features(source)


def test_a_file_of_plain_tensor_code_has_none() -> None:
    assert features(
        """
        import tensorflow as tf

        def normalise(x, axis=-1):
            \"\"\"Scale to unit variance; a function, not a Variable.\"\"\"
            mean, variance = tf.nn.moments(x, axes=[axis], keepdims=True)
            return (x - mean) * tf.math.rsqrt(variance + 1e-6)

        class Config:
            def call(self):
                return None
        """
    ) == frozenset()


def test_a_file_without_any_is_not_modelled(monkeypatch) -> None:
    built = []

    def counted(*args, **kwargs):
        built.append(1)
        return SemanticModel(*args, **kwargs)

    monkeypatch.setattr(analyze_module, "SemanticModel", counted)
    text = "import tensorflow as tf\n\ndef scale(x):\n    return tf.math.sqrt(x) * 2.0\n"
    assert analyze(text) == [] and built == []
    assert [d.code for d in analyze(text + "\nv = tf.Variable(1.0)\nv = v + 1\n")] == ["TFV101"] and built == [1]


def test_only_the_rules_whose_needs_are_met_run(monkeypatch) -> None:
    ran = []
    for rule in DEFAULT_SETTINGS.active_rules():
        original = rule.check

        def check(self, original=original, code=rule.code):
            ran.append(code)
            return original(self)

        monkeypatch.setattr(rule, "check", check)
    analyze("import tensorflow as tf\n\nx = tf.zeros(3)\nx[0] = 1.0\n")
    assert ran == ["TFV202"]


def project_file(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(textwrap.dedent(text))
    return path


def cross_features(path: Path) -> frozenset[str]:
    project = project_for(path)
    tree = ast.parse(path.read_text())
    imports = ImportMap.from_tree(tree, project.package_of(path))
    return tree_features(SyntaxIndex(tree), EVERY, frozenset(), project, project.module_name(path), imports)


def test_a_variable_of_another_module_rebound_here_counts(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    project_file(tmp_path, "state.py", "import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    train = project_file(tmp_path, "train.py", "import tensorflow as tf\nfrom state import step\n\nstep = step + 1\n")
    assert VARIABLES in cross_features(train)
    assert VARIABLES not in features(train.read_text())  # one file alone cannot tell
    found = analyze(train.read_text(), settings=Settings(), filename=str(train))
    assert [d.code for d in found] == ["TFV101"]


STATE = """
import tensorflow as tf

step = tf.Variable(0)
rate = 0.1


def make_weight():
    return tf.Variable(1.0)


def describe():
    return "state"


class Holder:
    def __init__(self):
        self.weight = tf.Variable(0.0)


class Plain:
    def __init__(self):
        self.count = 0
"""


@pytest.mark.parametrize(
    ("code", "brings"),
    [
        ("from state import step\nstep = step + 1\n", True),
        ("import state\nstate.step = state.step + 1\n", True),
        ("from state import make_weight\nw = make_weight()\nw = w * 2\n", True),
        ("from state import Holder\nclass Child(Holder):\n    def grow(self):\n        self.weight = self.weight * 2\n", True),
        ("import state\nclass Child(state.Holder):\n    pass\n", True),
        # Names of the project that hold no variable bring none.
        ("from state import rate\nrate = rate * 2\n", False),
        ("import state\nstate.rate = state.rate * 2\n", False),
        ("from state import describe\nname = describe()\nname = name + '!'\n", False),
        ("from state import Plain\nclass Child(Plain):\n    def grow(self):\n        self.count += 1\n", False),
        ("import state\nclass Child(state.Plain):\n    pass\n", False),
    ],
)
def test_an_imported_name_counts_when_it_brings_a_variable(tmp_path: Path, code: str, brings: bool) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    project_file(tmp_path, "state.py", STATE)
    train = project_file(tmp_path, "train.py", "import tensorflow as tf\n" + code)
    forget_files()
    assert (VARIABLES in cross_features(train)) is brings


TRACED_CALL = """
import tensorflow as tf
from ops import log_step

@tf.function
def step(x):
    return log_step(x)
"""
# The module traces code of its own, and names log_step, but calls it only eagerly.
EAGER_CALL = """
import tensorflow as tf
from ops import log_step

@tf.function
def step(x):
    return x + 1

def loop(x):
    return log_step(step(x))
"""


@pytest.mark.parametrize(("caller", "codes"), [(TRACED_CALL, ["TFV304"]), (EAGER_CALL, [])], ids=["traced", "eager"])
def test_a_function_counts_as_traced_when_another_modules_traced_code_calls_it(tmp_path: Path, caller: str, codes: list[str]) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    ops = project_file(tmp_path, "ops.py", "import tensorflow as tf\n\ndef log_step(x):\n    print(x)\n    return x\n")
    project_file(tmp_path, "train.py", caller)
    forget_files()
    assert TRACED not in features(ops.read_text())  # one file alone cannot tell
    assert (TRACED in cross_features(ops)) is bool(codes)
    found = analyze(ops.read_text(), settings=Settings(), filename=str(ops))
    assert [d.code for d in found] == codes


def test_a_function_handed_to_an_eager_wrapper_is_found_by_its_text() -> None:
    from flake8_tfv.model.traced import EAGER_WRAPPER_TEXT, EAGER_WRAPPERS

    for name in EAGER_WRAPPERS:
        assert any(part in name.rpartition(".")[2] for part in EAGER_WRAPPER_TEXT), name
    text = "import tensorflow as tf\nfrom tensorflow import numpy_function as eager\n\ndef f(x):\n    return x\n\ny = eager(f, [1], tf.int32)\n"
    model = SemanticModel(ast.parse(text), SourceText(text))
    assert [n.name for n in model.tree.body if id(n) in model.eager_functions] == ["f"]
