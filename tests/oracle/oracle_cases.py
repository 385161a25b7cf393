"""Oracle case files (`cases/<CODE>_<what>.py`): their header, and matching a run's RESULT against it.

The format is described in README.md beside this file. Reading a case needs no TensorFlow.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "cases"
FIX_KINDS = ("safe", "unsafe", "none")
_HEADER_LINE = re.compile(r"#\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*?)\s*$")
_KEYS = {"oracle", "fix", "before", "after", "isolate"}
_RESULT = "RESULT "
# Programs round floats to 4 places; allow for the last digit flipping.
_FLOAT_TOLERANCE = 2e-4


class CaseError(ValueError):
    """A case file whose header does not follow the format."""


@dataclass(frozen=True)
class Case:
    path: Path
    code: str
    fix: str
    before: dict
    after: dict | None
    isolate: bool

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def fixable(self) -> bool:
        return self.fix != "none"


def _json_object(path: Path, key: str, text: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseError(f"{path.name}: `# {key}:` is not JSON ({error})") from None
    if not isinstance(value, dict) or not value:
        raise CaseError(f"{path.name}: `# {key}:` must be a non-empty JSON object")
    return value


def read_case(path: Path) -> Case:
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER_LINE.fullmatch(line)
        if not match or match["key"] not in _KEYS:
            if line.startswith("#") and not header.get("oracle"):
                raise CaseError(f"{path.name}: the header starts with `# oracle: CODE`, found {line!r}")
            break
        if match["key"] in header:
            raise CaseError(f"{path.name}: `# {match['key']}:` given twice")
        header[match["key"]] = match["value"]
    code = header.get("oracle", "")
    if not re.fullmatch(r"TFV\d{3}", code):
        raise CaseError(f"{path.name}: needs `# oracle: TFVnnn` as its first line")
    if not path.name.startswith(code + "_"):
        raise CaseError(f"{path.name}: the file name must start with `{code}_`")
    fix = header.get("fix", "")
    if fix not in FIX_KINDS:
        raise CaseError(f"{path.name}: `# fix:` must be one of {', '.join(FIX_KINDS)}")
    if "before" not in header:
        raise CaseError(f"{path.name}: needs `# before: {{...}}`")
    before = _json_object(path, "before", header["before"])
    after = None
    if fix == "none":
        if "after" in header:
            raise CaseError(f"{path.name}: `# after:` given but `# fix: none`")
    elif "after" not in header:
        raise CaseError(f"{path.name}: `# fix: {fix}` needs `# after: {{...}}`")
    else:
        after = _json_object(path, "after", header["after"])
    isolate = header.get("isolate", "false")
    if isolate not in ("true", "false"):
        raise CaseError(f"{path.name}: `# isolate:` must be true or false")
    return Case(path, code, fix, before, after, isolate == "true")


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.py"))


def parse_result(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.startswith(_RESULT)]
    if len(lines) != 1:
        raise AssertionError(f"the program must print exactly one `RESULT {{...}}` line, printed {len(lines)}")
    value = json.loads(lines[0][len(_RESULT):])
    if not isinstance(value, dict):
        raise AssertionError("RESULT must be a JSON object")
    return value


def same(expected, actual) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(expected, actual, rel_tol=0.0, abs_tol=_FLOAT_TOLERANCE)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same(expected[k], actual[k]) for k in expected)
    return expected == actual


def mismatches(expected: dict, result: dict) -> list[str]:
    """The keys of `expected` that the program's RESULT lacks or reports differently."""
    found = []
    for key, want in expected.items():
        if key not in result:
            found.append(f"{key}: missing (expected {json.dumps(want)})")
        elif not same(want, result[key]):
            found.append(f"{key}: expected {json.dumps(want)}, got {json.dumps(result[key])}")
    return found
