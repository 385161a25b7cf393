"""The fixture corpus: `fixtures/<CODE>/*.py` with `# expect: CODE[, CODE]` on flagged lines,
`<name>.fixed.py` (what `tfv fix` makes of it) and `<name>.unsafe.fixed.py` (`--unsafe-fixes`)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*((?:TFV\d{3}\s*,?\s*)+)")


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.py") if not p.name.endswith(".fixed.py"))


def expected(path: Path) -> set[tuple[int, str]]:
    found = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.update((lineno, code) for code in re.findall(r"TFV\d{3}", match.group(1)))
    return found


def fixed_path(path: Path, unsafe: bool) -> Path:
    return path.with_name(path.name[: -len(".py")] + (".unsafe.fixed.py" if unsafe else ".fixed.py"))


def fixture_id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()
