"""The five articles this project started from (../shared/seed-examples): every expected line is
found with a code of its category, and nothing else is reported. Categories whose rules are not
registered yet are left out of the recall check; false positives are checked for every file."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from flake8_tfv.analyze import Settings
from flake8_tfv.fix import findings
from flake8_tfv.rules import all_rules

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seed-examples"
SCORE = SEEDS.parent / "tools" / "score.py"

pytestmark = pytest.mark.skipif(not SCORE.exists(), reason="../shared is not beside the project")


def _scorer():
    spec = importlib.util.spec_from_file_location("seed_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.py")) if SEEDS.exists() else [], ids=lambda p: p.name)
def test_seed_example(path: Path):
    score = _scorer()
    expected, optional = score.parse_header(path)
    registered = {r.code for r in all_rules()}
    reported = [(d.line, d.code) for d in findings(path.read_text(encoding="utf-8"), Settings())]
    for lines, categories in expected:
        codes = {c for c, cats in score.CODE_CATS.items() if cats & categories} & registered
        if not codes:
            continue  # that family is not built yet
        hits = [code for line, code in reported if line in lines]
        assert set(hits) & codes, f"expected {sorted(categories)} on line {sorted(lines)}, got {hits}"
    expected_lines = set().union(*(lines for lines, _ in expected)) if expected else set()
    stray = [(line, code) for line, code in reported if line not in expected_lines and line not in optional]
    assert not stray, f"false positives: {stray}"
