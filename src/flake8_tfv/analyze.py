"""Source text (or a tree flake8 already built) -> Diagnostics: the one entry every surface calls."""
from __future__ import annotations

import ast
import functools
import re
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .collector import no_collection_while_analysing
from .diagnostic import Diagnostic, Position
from .model import ImportMap, SemanticModel
from .model.bases_text import has_class_with_bases
from .model.imports import names_tf_package
from .model.index import SyntaxIndex
from .model.needs import tree_features
from .model.project import facts_project, project_for
from .model.traced import external_callers, untraced_module_functions
from .rules import Rule, all_rules
from .text import SourceText

INTERNAL_ERROR = "TFV000"


class SourceError(Exception):
    """The file cannot be analysed at all (it does not parse)."""

    def __init__(self, message: str, line: int = 1, col: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class TooComplex(SourceError):
    """The file parses, but is nested too deeply for the analysis to walk it."""

    def __init__(self) -> None:
        super().__init__("code nested too deeply to analyse")


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("TFV",)
    ignore: tuple[str, ...] = ()
    variable_factories: tuple[str, ...] = ()  # extra qualified names, e.g. "gpflow.Parameter"
    cross_module: bool = True  # read facts from the project's other modules
    src: tuple[str, ...] = ()  # the project's source folders, relative to its root (default: src/ and the root)
    rules: tuple[type[Rule], ...] | None = field(default=None, compare=False)  # None: all registered

    def is_selected(self, code: str) -> bool:
        """flake8's rule: the longest matching prefix of --select and --ignore decides."""
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected >= 0 and selected > ignored

    def active_rules(self) -> list[type[Rule]]:
        rules = self.rules if self.rules is not None else all_rules()
        return list(_selected_rules(tuple(rules), tuple(self.select), tuple(self.ignore)))

    def factory_roots(self) -> frozenset[str]:
        return frozenset(f.split(".", 1)[0] for f in self.variable_factories)

    def factory_names(self) -> frozenset[str]:
        return frozenset(f.rpartition(".")[2] for f in self.variable_factories)


DEFAULT_SETTINGS = Settings()


@functools.lru_cache(maxsize=64)
def _selected_rules(rules: tuple[type[Rule], ...], select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[type[Rule], ...]:
    # Asked for every file of a run with the same settings (issue 6: 0.1 s on the corpus).
    settings = Settings(select=select, ignore=ignore)
    return tuple(r for r in rules if settings.is_selected(r.code))


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    try:
        with warnings.catch_warnings():
            # The user's code's SyntaxWarnings are the compiler's business, not the linter's output.
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text, filename=filename)
    except SyntaxError as err:
        raise SourceError(f"syntax error: {err.msg}", err.lineno or 1, max((err.offset or 1) - 1, 0)) from None
    except (RecursionError, MemoryError):
        raise TooComplex() from None
    except ValueError as err:  # for example a NUL byte
        raise SourceError(f"cannot parse: {err}") from None


def might_use_tensorflow(text: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether the text can import TensorFlow, Keras or a configured factory's package: every such
    import names the package as a whole word (not `tensorflow_probability`, `keras_hub`, `x.keras`),
    so files that fail this are not parsed at all (issue 6: a fifth of the corpus's candidates)."""
    if names_tf_package(text):
        return True
    roots = settings.factory_roots()
    return any(re.search(rf"(?<![\w.]){re.escape(root)}(?!\w)", text) for root in roots)


def may_subclass_project_layer(text: str, settings: Settings, filename: str) -> bool:
    """For a text that fails `might_use_tensorflow`: whether a base of its classes may lead to a
    project's layer (the scan `analyze` runs before it parses such a file)."""
    if not settings.cross_module or not has_class_with_bases(text):
        return False
    project = project_for(filename, settings.src)
    return project is not None and _may_subclass(project, text, project.package_of(Path(filename)))


def analyze(
    text: str,
    tree: ast.Module | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    filename: str = "<unknown>",
    lines: list[str] | None = None,
) -> list[Diagnostic]:
    """All findings of the selected rules, sorted by position. Raises SourceError when the text
    does not parse; an error inside the linter becomes one TFV000 finding instead of a crash."""
    named = might_use_tensorflow(text, settings)
    # With cross-module facts, a class statement with a base may subclass a project's layer.
    if not named and not (settings.cross_module and has_class_with_bases(text)):
        return []
    with no_collection_while_analysing():
        return _analyze(text, tree, settings, filename, lines, named)


def _analyze(text: str, tree: ast.Module | None, settings: Settings, filename: str, lines: list[str] | None, named: bool = True) -> list[Diagnostic]:
    rules = settings.active_rules()
    if not rules:
        return []
    project = module_name = None
    if settings.cross_module and filename not in ("<unknown>", "-", "stdin"):
        project, module_name = facts_project(filename, settings.src)
        if project is not None:
            project.begin_file(_Analyser(settings, rules))
    package = project.package_of(Path(filename)) if project is not None else None
    if not _text_admits(text, named, project, package):
        return []  # no base of its classes can lead to TensorFlow: not even parsed
    if project is not None and module_name:
        analysed = project.analysed(module_name, text, (settings, tuple(rules)))
        if analysed is not None and not (analysed.candidates and project.traced_callers(module_name, analysed.candidates)):
            return _finished(analysed.findings, rules)
    if tree is None:
        tree = parse(text, filename)
    imports = ImportMap.from_tree(tree, package)
    if not _tree_admits(settings, text, named, tree, imports, project, package):
        return []
    index = SyntaxIndex(tree)
    active = _needing(rules, settings, index, project, module_name, imports)
    if not active:
        return []
    source = SourceText(text, lines)
    try:
        model = SemanticModel(tree, source, imports, settings.variable_factories, project, module_name, index=index)
    except (RecursionError, MemoryError):
        raise TooComplex() from None
    except Exception as err:  # noqa: BLE001 - one bad file must not abort a whole flake8 run
        return [_internal_error("the semantic model", err)]
    if project is not None and module_name:
        project.remember(model, Path(filename))
    found = _run_rules(model, active)
    if project is not None and module_name:
        found = _with_traced_callers(model, active, found)
    model.release()
    return _finished(found, rules)


def _needing(rules: list[type[Rule]], settings: Settings, index: SyntaxIndex, project, module_name: str | None, imports: ImportMap) -> list[type[Rule]]:
    """The rules that can find something in the file: those whose needs its syntax (or, with
    `project`, another module's facts) may meet (model/needs.py)."""
    wanted = frozenset().union(*(r.needs for r in rules if r.needs is not None))
    present = tree_features(index, wanted, settings.factory_names(), project, module_name, imports)
    return [r for r in rules if r.needs is None or not r.needs.isdisjoint(present)]


def _finished(found: list[Diagnostic], rules: list[type[Rule]]) -> list[Diagnostic]:
    found = _without_superseded(found, rules)
    found.sort(key=Diagnostic.sort_key)
    return found


def _run_rules(model: SemanticModel, rules: list[type[Rule]]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in rules:
        try:
            for diagnostic in rule(model).check():
                found.append(diagnostic)
        except (RecursionError, MemoryError):
            raise TooComplex() from None
        except Exception as err:  # noqa: BLE001
            found.append(_internal_error(rule.code, err))
    return found


def _text_admits(text: str, named: bool, project, package: str | None) -> bool:
    """The admission's first stage, before the parse: the text names TensorFlow, Keras or a
    configured factory's package (`named`), or a base of its classes may lead to a project's
    TensorFlow class."""
    return named or (project is not None and _may_subclass(project, text, package))


def _tree_admits(settings: Settings, text: str, named: bool, tree: ast.Module, imports: ImportMap, project, package: str | None) -> bool:
    """The second stage, once parsed: the module imports TensorFlow, Keras or a configured
    factory's package, or (cross-module) one of its classes derives from a project's TF class."""
    if imports.uses_tensorflow(settings.factory_roots()):
        return True
    return project is not None and _subclasses_tf_class(project, text, package, tree, imports, named)


def _subclasses_tf_class(project, text: str, package: str | None, tree: ast.Module, imports: ImportMap, scan: bool) -> bool:
    """Issue 10, fact 1 for a module that never imports TensorFlow or Keras: one of its classes
    derives from a project class that is a layer, a model or a tf.Module, so its `call` is traced
    and its `add_weight` makes variables as in a direct subclass. `scan`: the text scan
    (`may_subclass_tf_class`) is still to be asked; it spares most modules the facts."""
    if scan and not _may_subclass(project, text, package):
        return False
    return project.subclasses_tf_class(tree, imports)


def _may_subclass(project, text: str, package: str | None) -> bool:
    """The text scan: whether a base of the text's classes may lead to a TensorFlow class through
    the project's modules (over-approximate; the class facts decide)."""
    return has_class_with_bases(text) and project.may_subclass_tf_class(text, package)


class _Analyser:
    """A module's own findings, from the model built for another file's facts (project.Analysed):
    what `_analyze` would find for it before looking for traced callers in other modules."""

    def __init__(self, settings: Settings, rules: list[type[Rule]]):
        self.key = (settings, tuple(rules))
        self.settings = settings
        self.rules = rules

    def __call__(self, model: SemanticModel, path: Path) -> tuple[list[Diagnostic], frozenset[str]] | None:
        # Facts are read with the default variable factories; a lint with others needs its own model.
        if self.settings.variable_factories:
            return None
        # The admission `_analyze` applies to the module, from the model already built.
        text = model.source.text
        named = might_use_tensorflow(text, self.settings)
        package = model.project.package_of(path)
        if not _text_admits(text, named, model.project, package):
            return [], frozenset()
        if not _tree_admits(self.settings, text, named, model.tree, model.imports, model.project, package):
            return [], frozenset()
        rules = _needing(self.rules, self.settings, model.index, model.project, model.module_name, model.imports)
        found = _run_rules(model, rules)
        return found, frozenset(f.name for f in _traced_candidates(model, rules))


def _traced_candidates(model: SemanticModel, rules: list[type[Rule]]) -> list[ast.AST]:
    """This module's untraced functions whose callers in other modules are worth looking for:
    another module names them (read from the importers' words). Asking first whether tracing each
    would change a finding (a run of the tracing rules per function) cost more than it saved: on
    the corpus the callers' models are built to be linted anyway, and their facts are kept
    (issue 6: 35.8 -> 32.1 s, same findings); a lone file's lint stays within the facts budget."""
    if not any(r.uses_tracing for r in rules):
        return []
    untraced = untraced_module_functions(model)
    if not untraced:
        return []
    callers = model.project.possible_callers(model.module_name, frozenset(f.name for f in untraced))
    named = frozenset().union(*callers.values())
    return [f for f in untraced if f.name in named]


def _with_traced_callers(model: SemanticModel, rules: list[type[Rule]], found: list[Diagnostic]) -> list[Diagnostic]:
    """Module-level functions that another module's traced code calls are traced too (issue 10).
    Finding those callers means reading the facts of the modules that import this one and name
    the candidates."""
    candidates = _traced_candidates(model, rules)
    external = external_callers(model, candidates) if candidates else []
    if not external:
        return found
    model.retrace(external)
    return _run_rules(model, rules)


def _without_superseded(found: list[Diagnostic], rules) -> list[Diagnostic]:
    """One finding per mistake: where a rule that supersedes others fires, theirs go on that line."""
    superseding = {r.code: frozenset(r.supersedes) for r in rules if r.supersedes}
    if not superseding:
        return found
    lines: dict[str, set[int]] = {}
    for d in found:
        lines.setdefault(d.code, set()).add(d.line)
    dropped = {(code, line) for winner, losers in superseding.items() for line in lines.get(winner, ()) for code in losers}
    return [d for d in found if (d.code, d.line) not in dropped]


def _line_of_failure(err: BaseException) -> int:
    """The line of the code being analysed when the linter failed: the innermost frame of the
    traceback that holds an ast node in a local variable."""
    for frame, _ in reversed(list(traceback.walk_tb(err.__traceback__))):
        for value in frame.f_locals.values():
            line = getattr(value, "lineno", None) if isinstance(value, ast.AST) else None
            if isinstance(line, int) and line > 0:
                return line
    return 1


def _internal_error(where: str, err: BaseException) -> Diagnostic:
    line = _line_of_failure(err)
    return Diagnostic(
        INTERNAL_ERROR,
        f"internal error in {where}: {type(err).__name__}: {err}; please report it with the file that caused it",
        Position(line, 0),
        Position(line, 0),
    )


def selected(diagnostics: Iterable[Diagnostic], settings: Settings) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == INTERNAL_ERROR or settings.is_selected(d.code)]
