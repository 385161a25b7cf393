"""Which modules may call a function of another (Project.possible_callers): read from text, it
must find every way the analysis resolves a call to it, and should not take a mere mention of the
name for one (each candidate costs the caller's facts)."""
from __future__ import annotations

from pathlib import Path

from flake8_tfv.model import project as project_module
from project_files import write_project


def _project(tmp_path: Path, files: dict[str, str]) -> project_module.Project:
    return write_project(tmp_path, files, "app/__init__.py")


def test_callers_by_attribute_and_by_imported_name(tmp_path: Path):
    project = _project(tmp_path, {
        "app/__init__.py": "",
        "app/seeds.py": "import tensorflow as tf\n\ndef uniform():\n    return tf.random.uniform([])\n",
        "app/whole.py": "import tensorflow as tf\nfrom app import seeds\n\n@tf.function\ndef f():\n    return seeds . uniform()\n",
        "app/named.py": "import tensorflow as tf\nfrom app.seeds import (\n    uniform as draw,\n)\n\nds = ds.map(lambda x: draw())\n",
        # An import that shares its line with another statement.
        "app/semi.py": "import tensorflow as tf\nDEPTH = 1; from app.seeds import uniform\n\n@tf.function\ndef f():\n    return uniform()\n",
        # Names it, but traces nothing of its own: it cannot call it from traced code.
        "app/eager.py": "import tensorflow as tf\nfrom app.seeds import uniform\n\nprint(uniform())\n",
        "app/mention.py": "import tensorflow as tf\nfrom app import seeds\n\nuniform = 3  # uniform\n",
        "app/untf.py": "from app.seeds import uniform\n",
    })
    found = project.possible_callers("app.seeds", frozenset({"uniform"}))
    assert found == {name: frozenset({"uniform"}) for name in ["app.whole", "app.named", "app.semi"]}


def test_callers_through_a_package_path_and_a_renamed_module(tmp_path: Path):
    project = _project(tmp_path, {
        "app/__init__.py": "",
        "app/seeds.py": "import tensorflow as tf\n\ndef uniform():\n    return 1\n\ndef normal():\n    return 2\n",
        "app/dotted.py": "import tensorflow as tf\nimport app.seeds\n\n@tf.function\ndef f():\n    return app . seeds.\\\n        uniform()\n",
        "app/renamed.py": "import tensorflow as tf\nfrom app import seeds as s\n\n@tf.function\ndef f():\n    return s.normal()\n",
    })
    found = project.possible_callers("app.seeds", frozenset({"uniform", "normal"}))
    assert found == {"app.dotted": frozenset({"uniform"}), "app.renamed": frozenset({"normal"})}


def test_a_name_reached_through_another_module_is_not_a_call_to_this_one(tmp_path: Path):
    project = _project(tmp_path, {
        "app/__init__.py": "",
        "app/seeds.py": "import tensorflow as tf\n\ndef uniform():\n    return 1\n",
        "app/other.py": "def uniform():\n    return 2\n",
        # Imports seeds, and calls a `uniform` that is another module's, or a method.
        "app/user.py": (
            "import tensorflow as tf\nfrom app import seeds\nfrom app.other import uniform\n\n"
            "@tf.function\ndef f(rng):\n    return uniform() + rng.uniform() + seeds_uniform()\n"
        ),
    })
    assert project.possible_callers("app.seeds", frozenset({"uniform"})) == {}


def test_a_module_with_traced_code_is_told_by_its_text():
    from flake8_tfv.model.traced import may_trace

    for text in [
        "@tf.function\ndef f(x):\n    return x\n",
        "g = tf . function(f)\n",
        "from tensorflow import function as compiled\n",
        "from tensorflow import (\n    constant,\n    function,\n)\n",
        "class L(Layer):\n    def call(self, x):\n        return x\n",
        "ds = ds.map(parse)\n",
        "model.compile(loss=loss)\n",
    ]:
        assert may_trace(text), text
    for text in ['def helper(x):\n    """A function of x."""\n    return x\n', "result = reduce_sum(x)\n"]:
        assert not may_trace(text), text
