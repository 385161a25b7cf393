"""The flake8 entry point: reuses the tree flake8 built; flake8 itself handles noqa and --select."""
from __future__ import annotations

import ast
from typing import Iterator

from . import __version__
from .collector import settle_after_file
from .analyze import INTERNAL_ERROR, Settings, SourceError, TooComplex, analyze


class Plugin:
    name = "flake8-tfv"
    version = __version__
    settings = Settings()

    def __init__(self, tree: ast.Module, lines: list[str], filename: str):
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager) -> None:
        manager.add_option(
            "--tfv-variable-factories",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="Extra callables that create variables, as qualified names "
            "(for example gpflow.Parameter). Comma separated.",
        )
        manager.add_option(
            "--tfv-no-cross-module",
            action="store_true",
            parse_from_config=True,
            help="Do not read facts (base classes, imported variables) from the project's other modules.",
        )

    @classmethod
    def parse_options(cls, options) -> None:
        factories = tuple(f for f in (options.tfv_variable_factories or []) if f)
        cls.settings = Settings(variable_factories=factories, cross_module=not options.tfv_no_cross_module)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        text = "".join(self.lines)
        try:
            diagnostics = analyze(text, tree=self.tree, settings=self.settings, filename=self.filename, lines=self.lines)
        except TooComplex as err:
            yield 1, 0, f"{INTERNAL_ERROR} file not analysed: {err.message}", type(self)
            return
        except SourceError:  # flake8 reports E999 for files it could not parse
            return
        finally:
            settle_after_file()
        for diag in diagnostics:
            yield diag.line, diag.col, f"{diag.code} {diag.message}", type(self)
