"""TensorFlow's and Keras's own sources, linted as a project: their names are TensorFlow's, read
from import syntax and the API tables as in every other project, never from facts of their modules
(issue 10: one answer for `tensorflow.Variable`; issue 6: those facts were half of the corpus's
cross-module time and added no finding)."""
from __future__ import annotations

from pathlib import Path

import pytest

from flake8_tfv.analyze import Settings, analyze
from flake8_tfv.model import project as project_module
from project_files import models_built, write_project

_STATE = "import tensorflow as tf\n\nstep = tf.Variable(0)\n"
_LOOP = "import tensorflow as tf\n\nfrom {package}.state import step\n\nstep = step + 1\n"


def _lint(root: Path, package: str, cross_module: bool = True) -> list[str]:
    write_project(root, {
        f"{package}/__init__.py": "",
        f"{package}/state.py": _STATE,
        f"{package}/loop.py": _LOOP.format(package=package),
    }, f"{package}/loop.py")
    path = root / package / "loop.py"
    found = analyze(path.read_text(), settings=Settings(cross_module=cross_module), filename=str(path))
    return [f"{d.line}:{d.code}" for d in found]


def test_a_project_package_gives_its_facts(tmp_path: Path):
    assert _lint(tmp_path, "app") == ["5:TFV101"]


@pytest.mark.parametrize("package", ["tensorflow", "keras", "tf_keras"])
def test_a_tensorflow_package_is_linted_with_what_its_file_tells(tmp_path: Path, monkeypatch, package: str):
    built = models_built(monkeypatch)
    assert _lint(tmp_path, package) == []
    assert built == []  # no module read for facts; the file alone names no variable, so is not modelled
    assert _lint(tmp_path, package, cross_module=False) == []


def test_tensorflow_names_are_not_project_modules(tmp_path: Path):
    project = write_project(tmp_path, {"tensorflow/__init__.py": "", "tensorflow/state.py": _STATE, "app/__init__.py": ""}, "app/__init__.py")
    assert project.module_file("app") is not None
    assert project.module_file("tensorflow.state") is None
    assert project.value_of("tensorflow.state.step") is None
    assert project_module.is_tf_module("keras.src.layers") and not project_module.is_tf_module("keras_hub.src")


def test_tensorflow_modules_go_to_workers_apart_from_their_project(tmp_path: Path):
    from flake8_tfv import runner

    write_project(tmp_path, {"keras/__init__.py": "", "keras/state.py": _STATE, "app/__init__.py": "", "app/loop.py": ""}, "app/loop.py")
    assert runner._project_key(str(tmp_path / "keras" / "state.py"), ()) is None  # shares no facts
    assert runner._project_key(str(tmp_path / "app" / "loop.py"), ()) == str(tmp_path.resolve())
