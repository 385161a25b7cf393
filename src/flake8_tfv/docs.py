"""docs/rules/: one page per rule, written from the rule's own class (the text of `tfv explain`),
and the rule pages' entries in the docs site's navigation (mkdocs.yml).

`python -m flake8_tfv.docs` rewrites both; the test suite fails when either is out of date.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .rules import all_rules

NAV_BEGIN = "      # BEGIN rule pages: written by `python -m flake8_tfv.docs`"
NAV_END = "      # END rule pages"


def pages() -> dict[str, str]:
    rules = all_rules()
    index = ["# Rules", "", "| code | name | what it finds |", "|---|---|---|"]
    index += [f"| [{r.code}]({r.code}.md) | {r.name} | {r.summary} |" for r in rules]
    result = {f"{r.code}.md": r.docs() for r in rules}
    result["index.md"] = "\n".join(index) + "\n"
    return result


def nav_entries() -> list[str]:
    """The lines between the markers in mkdocs.yml: one navigation entry per rule page."""
    return [f"      - {r.code} {r.name}: rules/{r.code}.md" for r in all_rules()]


def with_current_nav(config_text: str) -> str:
    """mkdocs.yml with the rule entries between its markers replaced by the current ones."""
    lines = config_text.splitlines()
    try:
        begin, end = lines.index(NAV_BEGIN), lines.index(NAV_END)
    except ValueError:
        raise ValueError(f"mkdocs.yml lacks the lines {NAV_BEGIN.strip()!r} and {NAV_END.strip()!r}") from None
    return "\n".join(lines[: begin + 1] + nav_entries() + lines[end:]) + "\n"


def write(folder: Path, mkdocs_config: Path | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    if mkdocs_config is not None and mkdocs_config.exists():
        old = mkdocs_config.read_text(encoding="utf-8")
        new = with_current_nav(old)
        if new != old:
            mkdocs_config.write_text(new, encoding="utf-8")
            written.append(mkdocs_config)
    return written


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules")
    config = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("mkdocs.yml")
    for path in write(target, config):
        print(f"wrote {path}")
