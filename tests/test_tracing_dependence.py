"""`Rule.uses_tracing` decides whether other modules' traced callers are looked for at all
(analyze._traced_candidates: not when no selected rule has it): a rule without the flag must
report exactly the same whichever functions are traced, or selecting only such rules would hide
what cross-module tracing changes."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fixture_files import fixture_files, fixture_id
from flake8_tfv.model import ImportMap, SemanticModel
from flake8_tfv.model.traced import TraceReason
from flake8_tfv.rules import all_rules
from flake8_tfv.text import SourceText

NOT_TRACING = [r for r in all_rules() if not r.uses_tracing]
TRACING = [r for r in all_rules() if r.uses_tracing]


def _traced_from_elsewhere(functions) -> list[tuple]:
    """Each of `functions` as if traced code in another module called it."""
    return [(node, TraceReason("called", "called from traced code in another module", node, (node.name,))) for node in functions]


def _report(model: SemanticModel, rules) -> list[tuple]:
    return sorted((d.code, d.line, d.col, d.message) for rule in rules for d in rule(model).check())


def _model(path: Path) -> SemanticModel:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    return SemanticModel(tree, SourceText(text), ImportMap.from_tree(tree))


@pytest.mark.parametrize("path", fixture_files(), ids=fixture_id)
def test_rules_without_the_flag_ignore_tracing(path: Path):
    model = _model(path)
    before = _report(model, NOT_TRACING)
    functions = [f for f in model.nodes_of(ast.FunctionDef) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
    model.retrace(_traced_from_elsewhere(functions))
    assert _report(model, NOT_TRACING) == before


def test_the_flag_is_not_on_every_rule_nor_on_none():
    assert TRACING and NOT_TRACING
    # The fixtures make each flagged rule's findings depend on tracing somewhere.
    changed = set()
    for path in fixture_files():
        model = _model(path)
        before = _report(model, TRACING)
        model.retrace(_traced_from_elsewhere([f for f in model.tree.body if isinstance(f, ast.FunctionDef)]))
        changed |= {finding[0] for finding in set(_report(model, TRACING)) ^ set(before)}
    assert changed, "tracing every module-level function changed no finding of the flagged rules"
