"""Files are analysed only when they can import TensorFlow or Keras; that test must never skip one that does."""
from __future__ import annotations

import ast

import pytest

from flake8_tfv.analyze import Settings, might_use_tensorflow
from flake8_tfv.model import ImportMap

IMPORTING = [
    "import tensorflow as tf\n",
    "import os, tensorflow as tf\n",
    "from tensorflow.keras import layers\n",
    "import keras\n",
    "x = 1; import tf_keras\n",
    "from \\\n    tensorflow import Variable\n",
    "def f():\n    from keras import ops\n",
    "try:\n    import tensorflow.compat.v2 as tf\nexcept ImportError:\n    pass\n",
]
NOT_IMPORTING = [
    "import tensorflow_probability as tfp\n",
    "from keras_hub.src.models import backbone\n",
    "import mylib.tensorflow\n",
    "from .keras import thing\n",
    "# uses tensorflow_datasets and keras_cv only\nimport numpy\n",
]


@pytest.mark.parametrize("code", IMPORTING)
def test_a_file_that_imports_tensorflow_is_analysed(code):
    assert ImportMap.from_tree(ast.parse(code)).uses_tensorflow()
    assert might_use_tensorflow(code)


@pytest.mark.parametrize("code", NOT_IMPORTING)
def test_a_file_that_only_mentions_a_longer_name_is_not_parsed(code):
    assert not ImportMap.from_tree(ast.parse(code)).uses_tensorflow()
    assert not might_use_tensorflow(code)


def test_configured_factory_packages_count_as_whole_words():
    settings = Settings(variable_factories=("gpflow.Parameter",))
    assert might_use_tensorflow("import gpflow\n", settings)
    assert not might_use_tensorflow("import gpflow_extras\n", settings)
