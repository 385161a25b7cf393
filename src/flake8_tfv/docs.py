"""docs/rules/: one page per rule, written from the rule's own class (the text of `tfv explain`).

`python -m flake8_tfv.docs` rewrites the pages; the test suite fails when one is out of date.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .rules import all_rules


def pages() -> dict[str, str]:
    rules = all_rules()
    index = ["# Rules", "", "| code | name | what it finds |", "|---|---|---|"]
    index += [f"| [{r.code}]({r.code}.md) | {r.name} | {r.summary} |" for r in rules]
    result = {f"{r.code}.md": r.docs() for r in rules}
    result["index.md"] = "\n".join(index) + "\n"
    return result


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules")
    for path in write(target):
        print(f"wrote {path}")
