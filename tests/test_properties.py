"""Properties over generated programs: nothing crashes, every fix output parses, fixing twice
equals fixing once, and a fixed site is not reported again.

`HYPOTHESIS_PROFILE=fuzz` (tox -e fuzz) runs many more examples than the default CI budget."""
from __future__ import annotations

import ast
import os

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_tfv.analyze import INTERNAL_ERROR, Settings, SourceError, analyze
from flake8_tfv.fix import fix_text, fixable, findings
from tf_programs import programs

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ALL = Settings()
# hypothesmith compiles what it generates; its SyntaxWarnings are about its own programs.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")


def _no_internal_errors(source: str) -> None:
    try:
        found = analyze(source)
    except SourceError:
        return
    assert not [d for d in found if d.code == INTERNAL_ERROR], [d.message for d in found]


@given(hypothesmith.from_grammar().map(lambda code: "import tensorflow as tf\n" + code))
def test_any_valid_python_is_analysed_without_error(source):
    _no_internal_errors(source)


@given(programs())
def test_tensorflow_shaped_programs(source):
    ast.parse(source)
    _no_internal_errors(source)
    for unsafe in (False, True):
        result = fix_text(source, ALL, unsafe=unsafe)
        assert result.converged
        ast.parse(result.text)
        again = fix_text(result.text, ALL, unsafe=unsafe)
        assert again.text == result.text
        # Whatever could be fixed was fixed: nothing fixable is left but what was refused.
        refused = {(d.code, d.message) for d in result.rejected}
        left = [d for d in fixable(findings(result.text, ALL), unsafe) if (d.code, d.message) not in refused]
        assert not left, [(d.line, d.code) for d in left]


@given(st.sampled_from(["\r\n", "\r", "\n"]), programs())
def test_line_endings_survive_fixes(newline, source):
    text = source.replace("\n", newline)
    result = fix_text(text, ALL, unsafe=True)
    stripped = result.text.replace(newline, "")
    assert "\n" not in stripped and "\r" not in stripped
