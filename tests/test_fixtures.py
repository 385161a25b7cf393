"""Every fixture through every surface: the library, `flake8 --select TFV` and `tfv check`
(both run as the installed commands), and `tfv fix` against the exact expected output."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixture_files import FIXTURES, expected, fixed_path, fixture_files, fixture_id
from flake8_tfv.analyze import Settings
from flake8_tfv.fix import findings, fix_text

FILES = fixture_files()
SETTINGS = Settings()
_REPORT = re.compile(r"^(?P<path>.*?):(?P<line>\d+):(?P<col>\d+): (?P<code>TFV\d{3}) ")


def _command(name: str) -> list[str]:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"the `{name}` command is not installed"
    return [found]


def _parse_report(output: str) -> dict[str, set[tuple[int, str]]]:
    per_file: dict[str, set[tuple[int, str]]] = {}
    for line in output.splitlines():
        match = _REPORT.match(line)
        if match:
            rel = Path(match["path"]).resolve().relative_to(FIXTURES).as_posix()
            per_file.setdefault(rel, set()).add((int(match["line"]), match["code"]))
    return per_file


@pytest.fixture(scope="session")
def flake8_report():
    proc = subprocess.run(
        _command("flake8") + ["--isolated", "--select", "TFV", "--exclude", "*.fixed.py", str(FIXTURES)],
        capture_output=True, text=True,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return _parse_report(proc.stdout)


@pytest.fixture(scope="session")
def tfv_report():
    proc = subprocess.run(
        _command("tfv") + ["check", "--isolated", "--exclude", "*.fixed.py", str(FIXTURES)],
        capture_output=True, text=True,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return _parse_report(proc.stdout)


def test_the_corpus_is_not_empty():
    assert len(FILES) >= 10
    assert any(expected(p) for p in FILES) and any(not expected(p) for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_findings(path: Path):
    found = {(d.line, d.code) for d in findings(path.read_text(encoding="utf-8"), SETTINGS, str(path))}
    assert found == expected(path)


@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_flake8_agrees(path: Path, flake8_report):
    assert flake8_report.get(fixture_id(path), set()) == expected(path)


@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_tfv_check_agrees(path: Path, tfv_report):
    assert tfv_report.get(fixture_id(path), set()) == expected(path)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_fix(path: Path, unsafe: bool):
    original = path.read_text(encoding="utf-8")
    target = fixed_path(path, unsafe)
    if not target.exists() and unsafe:
        target = fixed_path(path, unsafe=False)
    want = target.read_text(encoding="utf-8") if target.exists() else original
    result = fix_text(original, SETTINGS, unsafe=unsafe, filename=str(path))
    assert result.text == want
    assert not result.rejected
    # Idempotent: fixing the fixed text changes nothing.
    assert fix_text(result.text, SETTINGS, unsafe=unsafe, filename=str(path)).text == result.text
