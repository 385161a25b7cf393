"""Every rule and every fix, proven under real TensorFlow.

For each case in cases/: `tfv check` reports the case's code; the program as written misbehaves as
the rule's docs say (`# before:`); `tfv fix` (with `--unsafe-fixes` for `# fix: unsafe`) clears the
code, and the fixed program does what was meant (`# after:`).

The tests that run programs are marked `oracle` and need TensorFlow (`tox -e oracle`); the checks
that need only flake8-tfv (headers, every rule has a case, the findings and fixes) run in the fast
suite as well.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from flake8_tfv.rules import all_rules, rule_by_code
from oracle_cases import Case, CaseError, case_files, mismatches, parse_result, read_case
from runner import SUMMARY, Runner, WorkerError

PATHS = case_files()
_REPORT = re.compile(r"^(?P<path>.*?):\d+:\d+: (?P<code>TFV\d{3}) ")


def _ids(path: Path) -> str:
    return path.stem


def _declared_fixable(path: Path) -> bool:
    try:
        return read_case(path).fixable
    except CaseError:
        return True  # let the test report the broken header


def _tfv(*args: str) -> subprocess.CompletedProcess:
    found = shutil.which("tfv", path=str(Path(sys.executable).parent)) or shutil.which("tfv")
    assert found, "the `tfv` command is not installed"
    return subprocess.run([found, *args], capture_output=True, text=True)


def _check(folder: Path) -> dict[str, set[str]]:
    """`tfv check` on a folder of cases: the codes reported per case name."""
    proc = _tfv("check", "--isolated", str(folder))
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    codes: dict[str, set[str]] = {}
    for line in proc.stdout.splitlines():
        match = _REPORT.match(line)
        if match:
            codes.setdefault(Path(match["path"]).stem, set()).add(match["code"])
    return codes


@dataclass
class Reports:
    original: dict[str, set[str]]
    safe_dir: Path
    safe: dict[str, set[str]]
    unsafe_dir: Path
    unsafe: dict[str, set[str]]

    def fixed(self, case: Case) -> Path:
        return (self.unsafe_dir if case.fix == "unsafe" else self.safe_dir) / case.path.name

    def remaining(self, case: Case) -> set[str]:
        return (self.unsafe if case.fix == "unsafe" else self.safe).get(case.name, set())


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> Reports:
    """Every case checked as written, and fixed twice: with safe fixes only, and with unsafe ones too."""
    root = tmp_path_factory.mktemp("fixed")
    folders = {"safe": root / "safe", "unsafe": root / "unsafe"}
    for kind, folder in folders.items():
        folder.mkdir()
        for path in PATHS:
            shutil.copy(path, folder / path.name)
        proc = _tfv("fix", "--isolated", *(["--unsafe-fixes"] if kind == "unsafe" else []), str(folder))
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    return Reports(
        _check(PATHS[0].parent) if PATHS else {},
        folders["safe"], _check(folders["safe"]),
        folders["unsafe"], _check(folders["unsafe"]),
    )


@pytest.fixture(scope="session")
def runner(tmp_path_factory):
    started = time.perf_counter()
    oracle = Runner(tmp_path_factory.mktemp("keras_home"))
    yield oracle
    oracle.close()
    slowest = sorted(oracle.timings, key=lambda t: -t[1])[:3]
    SUMMARY.append(
        f"{len(oracle.timings)} programs in {len(oracle.interpreters)} interpreter(s), "
        f"{time.perf_counter() - started:.1f}s in all: {sum(s for _, s in oracle.timings):.1f}s running "
        f"programs, {sum(oracle.interpreters):.1f}s starting interpreters; slowest: "
        + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in slowest)
    )


def _run(runner: Runner, case: Case, program: Path, cwd: Path) -> dict:
    try:
        answer = runner.run(program, cwd, case.isolate)
    except WorkerError as error:
        pytest.fail(f"{program.name}: {error}")
    context = f"--- stdout ---\n{answer['stdout'][-3000:]}\n--- stderr ---\n{answer['stderr'][-2000:]}"
    if answer["exception"]:
        pytest.fail(f"{program.name} raised (catch an expected exception and report it in RESULT):\n"
                    f"{answer['exception']}\n{context}")
    if answer["leaked"] and not case.isolate:
        pytest.fail(f"{program.name} left the interpreter unusable ({'; '.join(answer['leaked'])}): "
                    f"declare `# isolate: true`")
    try:
        return parse_result(answer["stdout"])
    except (AssertionError, ValueError) as error:
        pytest.fail(f"{program.name}: {error}\n{context}")


def test_there_are_cases():
    assert PATHS, "tests/oracle/cases/ holds no case"


@pytest.mark.parametrize("path", PATHS, ids=_ids)
def test_case_header(path: Path):
    case = read_case(path)
    assert rule_by_code(case.code) is not None, f"{path.name} proves {case.code}, which no rule registers"


def test_every_rule_has_a_case():
    covered = set()
    for path in PATHS:
        try:
            covered.add(read_case(path).code)
        except CaseError:
            pass  # test_case_header reports it
    missing = [rule.code for rule in all_rules() if rule.code not in covered]
    assert not missing, f"rules without an oracle case in tests/oracle/cases/: {', '.join(missing)}"


@pytest.mark.parametrize("path", PATHS, ids=_ids)
def test_tfv_flags_and_fixes(path: Path, reports: Reports):
    case = read_case(path)
    assert case.code in reports.original.get(case.name, set()), f"`tfv check` does not report {case.code}"
    if case.fix == "unsafe":
        assert case.code in reports.safe.get(case.name, set()), (
            f"`tfv fix` without --unsafe-fixes already clears {case.code}: the header should say `fix: safe`"
        )
    if case.fixable:
        assert case.code not in reports.remaining(case), f"`tfv fix` leaves {case.code} reported"


@pytest.mark.oracle
@pytest.mark.parametrize("path", PATHS, ids=_ids)
def test_before(path: Path, reports: Reports, runner: Runner, tmp_path: Path):
    case = read_case(path)
    assert case.code in reports.original.get(case.name, set()), f"`tfv check` does not report {case.code}"
    result = _run(runner, case, case.path, tmp_path)
    wrong = mismatches(case.before, result)
    assert not wrong, f"the program as written does not show the rule's claim: {wrong}; RESULT {result}"


@pytest.mark.oracle
@pytest.mark.parametrize("path", [p for p in PATHS if _declared_fixable(p)], ids=_ids)
def test_after(path: Path, reports: Reports, runner: Runner, tmp_path: Path):
    case = read_case(path)
    assert case.fixable, "`# fix: none`"
    fixed = reports.fixed(case)
    assert fixed.read_text(encoding="utf-8") != case.path.read_text(encoding="utf-8"), "`tfv fix` changed nothing"
    assert case.code not in reports.remaining(case), f"`tfv fix` leaves {case.code} reported"
    result = _run(runner, case, fixed, tmp_path)
    wrong = mismatches(case.after, result)
    assert not wrong, f"the fixed program does not behave as intended: {wrong}; RESULT {result}"
