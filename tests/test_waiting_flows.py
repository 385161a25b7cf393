"""A function's flow waits until a question is asked about its code (SemanticModel._may_defer).

Every flow that runs must be the one the all-at-once analysis makes, so the findings of each fixture
file are the same either way, and waiting leaves flows unrun where no rule asks.
"""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_tfv.analyze import DEFAULT_SETTINGS, _finished, _run_rules
from flake8_tfv.model import SemanticModel
from flake8_tfv.text import SourceText

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES = sorted(p for p in FIXTURES.rglob("*.py") if not p.name.endswith(".fixed.py"))
RULES = DEFAULT_SETTINGS.active_rules()


def findings(text: str, lazy: bool) -> list[tuple]:
    tree = ast.parse(text)
    model = SemanticModel(tree, SourceText(text), lazy=lazy)
    found = _finished(_run_rules(model, RULES), RULES)
    return [(d.code, d.start.line, d.start.col, d.message) for d in found]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_waiting_flows_find_what_one_pass_finds(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        ast.parse(text)
    except SyntaxError:
        pytest.skip("not Python on purpose")
    assert findings(text, lazy=True) == findings(text, lazy=False)


def test_functions_nobody_asks_about_are_not_analysed() -> None:
    text = textwrap.dedent(
        """
        import tensorflow as tf

        def unrelated(rows):
            total = 0
            for row in rows:
                total += len(row)
            return total

        def update(grad):
            v = tf.Variable(1.0)
            v = v - 0.1 * grad
            return v
        """
    )
    model = SemanticModel(ast.parse(text), SourceText(text))
    unrelated, update = [n for n in model.tree.body if isinstance(n, ast.FunctionDef)]
    assert model.waiting(unrelated) and model.waiting(update)
    model.ensure_variable_sources()  # `update` makes a variable: its flow must run
    assert model.waiting(unrelated) and not model.waiting(update)
    assert findings(text, lazy=True) == findings(text, lazy=False)
    assert any(code == "TFV101" for code, *_ in findings(text, lazy=True))


def test_a_file_with_global_is_analysed_at_once() -> None:
    text = "import tensorflow as tf\ncount = 0\ndef bump():\n    global count\n    count += 1\ndef other():\n    return 1\n"
    model = SemanticModel(ast.parse(text), SourceText(text))
    assert not any(model.waiting(n) for n in model.tree.body if isinstance(n, ast.FunctionDef))
