"""What a rule is: one class with its code, its docs, and a `check` that reads the semantic model."""
from __future__ import annotations

import ast
import textwrap
from typing import ClassVar, Iterator

from ..diagnostic import Applicability, Diagnostic, Edit, Fix, Position
from ..model import SemanticModel

DOCS_URL = "https://github.com/flake8-tfv/flake8-tfv/blob/main/docs/rules/{code}.md"


class Rule:
    """Subclass per rule; the class attributes are its documentation (`tfv explain`, docs/rules/)."""

    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, e.g. "variable-rebound-to-tensor"
    summary: ClassVar[str]  # one line: what it finds
    what: ClassVar[str]  # "What it does"
    why: ClassVar[str]  # "Why is this bad?": the real TensorFlow symptom
    example: ClassVar[str]  # code the rule flags (checked by the test suite)
    use_instead: ClassVar[str]  # the corrected code (checked to be silent)
    fix_safety: ClassVar[str]  # "Fix safety"
    # Codes this rule replaces on a line where both fire (one finding per mistake, the sharper one).
    supersedes: ClassVar[tuple[str, ...]] = ()
    # Whether what the rule reports depends on which functions are traced (the model's `traced`,
    # `trace_reason`): such rules run again when other modules' traced callers are looked for.
    uses_tracing: ClassVar[bool] = False
    # What a file must contain for the rule to find anything there (model/needs.py): one of
    # these features. None: any file may hold a finding.
    needs: ClassVar[frozenset[str] | None] = None

    def __init__(self, model: SemanticModel):
        self.model = model
        self.source = model.source

    def check(self) -> Iterator[Diagnostic]:
        raise NotImplementedError

    # ---- helpers for rules ------------------------------------------------------------------

    def diagnostic(self, node: ast.AST, message: str, fix: Fix | None = None) -> Diagnostic:
        return Diagnostic(self.code, message, self.source.start(node), self.source.end(node), fix)

    def replace(self, node: ast.AST, content: str) -> Edit:
        return Edit(self.source.start(node), self.source.end(node), content)

    def insert_at(self, pos: Position, content: str) -> Edit:
        return Edit(pos, pos, content)

    def fix(self, message: str, *edits: Edit, safe: bool = True) -> Fix:
        return Fix(Applicability.SAFE if safe else Applicability.UNSAFE, message, tuple(edits))

    def text(self, node: ast.AST) -> str:
        return self.source.segment(node)

    @classmethod
    def url(cls) -> str:
        return DOCS_URL.format(code=cls.code)

    @classmethod
    def docs(cls) -> str:
        """The rule's page, in the layout Ruff uses for its rules."""

        def block(text: str) -> str:
            return textwrap.dedent(text).strip("\n")

        return "\n".join(
            [
                f"# {cls.code}: {cls.name}",
                "",
                block(cls.summary),
                "",
                "## What it does",
                block(cls.what),
                "",
                "## Why is this bad?",
                block(cls.why),
                "",
                "## Example",
                "```python",
                block(cls.example),
                "```",
                "",
                "## Use instead",
                "```python",
                block(cls.use_instead),
                "```",
                "",
                "## Fix safety",
                block(cls.fix_safety),
                "",
            ]
            + (
                [f"Reported instead of {', '.join(cls.supersedes)} on a line where both apply.", ""]
                if cls.supersedes
                else []
            )
        )
