"""What one file cannot tell: facts that live in other modules of the linted project.

A class whose base is imported from a sibling module, `self.kernel` made in that base's `build`,
`from .state import step` where `step = tf.Variable(0)`, a project function that returns a
variable: each is answered by building this project's semantic model of the module that defines
it, so a fact means the same across modules as within one file. astroid's module lookup
(`astroid.modutils`) finds the files; nothing outside the project root is read, and nothing is
imported or run. Modules are read lazily (when an import from them is bound), cached per process
by path and modification time, with cycles and a per-file time budget giving "unknown".
"""
from __future__ import annotations

import ast
import bisect
import functools
import hashlib
import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from astroid import modutils

from . import api
from .bases_text import BUILTIN_NAMES, ImportStatements, class_bases, import_statements, mentions
from .imports import TF_PACKAGES, bound_names, canonical, names_tf_package
from .traced import may_trace
from .values import Kind, Value, ValueSet
from .walk import own_returns, own_statements, statements_breadth_first

if TYPE_CHECKING:
    from .index import SyntaxIndex
    from .semantic import SemanticModel

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
# A file's share of time for reading other modules; past it, the remaining facts are unknown.
BUDGET_SECONDS = 2.0


@dataclass
class ClassFacts:
    name: str
    bases: frozenset[str]  # qualified names of imported bases, through project ancestors
    attributes: dict[str, ValueSet]  # self.<attr> -> what the class and its ancestors store there
    # Methods (also inherited) -> their result whenever they run in traced code (eager.py); None:
    # not known, which hides a base class's predicate of the same name.
    traced_conditions: dict[str, bool | None] = field(default_factory=dict)


@dataclass
class Dependencies:
    """What one file's analysis read from other modules, so the result cache (cache.py) can tell
    when an answer kept for the file's own content no longer holds."""

    files: set[Path] = field(default_factory=set)  # project modules whose facts were used
    missing: set[str] = field(default_factory=set)  # module names looked up that no project file answered
    complete: bool = True  # False: the time budget cut facts short, so the answer depends on timing
    cycle: bool = False  # an import cycle left some facts unknown: the answer depends on what was read first
    # What was added already, by identity, with its number of additions then: a file asks the same
    # module's facts dozens of times, and each time their files were united anew (issue 6).
    _added: dict = field(default_factory=dict, compare=False, repr=False)
    _version: int = field(default=0, compare=False, repr=False)

    def add(self, other: "Dependencies") -> None:
        seen = self._added.get(id(other))
        if seen is not None and seen[0] is other and seen[1] == other._version:
            return
        self._added[id(other)] = (other, other._version)
        self.files |= other.files
        self.missing |= other.missing
        self.complete = self.complete and other.complete
        self.cycle = self.cycle or other.cycle
        self._version += 1


@dataclass
class Analysed:
    """A module's own findings, worked out when its model was built for another file's facts, so
    that linting it later in the same process costs no second model (issue 6). `findings` are
    before traced callers in other modules are looked for; `candidates` names the functions whose
    tracing from another module would change them (what is left to ask)."""

    findings: list
    candidates: frozenset[str]
    dependencies: Dependencies


@dataclass
class ModuleFacts:
    name: str
    path: Path
    globals: dict[str, ValueSet] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    factories: set[str] = field(default_factory=set)  # functions that return a new variable on every path
    aliases: dict[str, str] = field(default_factory=dict)  # imported names -> qualified names (re-exports)
    # Functions of other modules that this module's traced code calls: qualname -> (chain, how, why).
    traced_calls: dict[str, tuple] = field(default_factory=dict)
    # Module-level functions -> their result whenever they run in traced code (eager.py).
    traced_conditions: dict[str, bool | None] = field(default_factory=dict)
    dependencies: Dependencies = field(default_factory=Dependencies)  # what building these facts read
    # False: only what the module's statements tell is known (aliases, outline); the fields above
    # that need its semantic model are filled by Project._complete when a question needs them.
    complete: bool = True
    outline: "ModuleOutline | None" = None
    digest: bytes = b""  # of the text the outline was read from


# How a module-level name is bound, when its statements alone tell what another module reads of it.
CLASS, FUNCTION, IMPORT, UNBOUND = "class", "function", "import", "unbound"
_FUNCTION_VALUE = frozenset({Value(Kind.FUNCTION)})


@dataclass(frozen=True)
class ModuleOutline:
    """What a module's statements tell without its semantic model: the names its module-level
    code binds exactly once by a class statement of its body, a def that cannot be a variable
    factory or an import, and every name it may bind at all. Most questions other modules ask
    are about such names (issue 6: of 2,460 modules whose facts were built, most were asked about
    a class, a re-export, a plain function or a name the module never binds), and answering
    them from the parse spares the model, the flow and the traced-code search."""

    once: dict[str, str]  # name -> CLASS, FUNCTION or IMPORT
    bound: frozenset[str]

    def kind_of(self, name: str) -> str | None:
        """CLASS, FUNCTION, IMPORT, UNBOUND, or None when only the model can tell."""
        if name not in self.bound:
            return UNBOUND
        return self.once.get(name)

    @classmethod
    def of(cls, tree: ast.Module) -> "ModuleOutline | None":
        counts: dict[str, int] = {}
        kinds: dict[str, str] = {}
        body = {id(node) for node in tree.body}
        for stmt in own_statements(tree):
            if isinstance(stmt, ast.Match):
                return None  # its captures bind names the count below does not see
            for name in bound_names(stmt):
                counts[name] = counts.get(name, 0) + 1
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                # `@(deco := make())`: what its decorators, bases and defaults bind (bound_names stops at the name).
                for name in _header_bindings(stmt):
                    counts[name] = counts.get(name, 0) + 1
            if isinstance(stmt, ast.ClassDef) and id(stmt) in body:
                kinds[stmt.name] = CLASS
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # Only a def of the module's body can be a factory (facts_of); the rest hold a function.
                if id(stmt) not in body or not may_return_variable(stmt):
                    kinds[stmt.name] = FUNCTION
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    kinds[(alias.asname or alias.name).split(".", 1)[0]] = IMPORT
        for stmt in statements_breadth_first(tree):
            if isinstance(stmt, ast.Global):
                for name in stmt.names:
                    counts[name] = 2  # a function binds it too
        once = {name: kind for name, kind in kinds.items() if counts.get(name) == 1}
        return cls(once, frozenset(counts))


def _header_bindings(stmt: ast.AST) -> list[str]:
    """Names an assignment expression binds in a def's or class's header (run in the enclosing scope)."""
    if isinstance(stmt, ast.ClassDef):
        parts = [*stmt.decorator_list, *stmt.bases, *(k.value for k in stmt.keywords)]
    else:
        args = stmt.args
        parts = [*stmt.decorator_list, *args.defaults, *(d for d in args.kw_defaults if d is not None)]
    return [
        node.target.id
        for part in parts
        for node in ast.walk(part)
        if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name)
    ]


def may_return_variable(func: ast.AST) -> bool:
    """The part of returns_variable that the syntax decides: every way out is a `return` of
    something or a `raise`."""
    if not func.body or not isinstance(func.body[-1], (ast.Return, ast.Raise)):
        return False
    returns = own_returns(func)
    return bool(returns) and all(ret.value is not None for ret in returns)


def returns_variable(model: "SemanticModel", func: ast.AST) -> bool:
    """Every way out of the function returns a variable made in it: a variable factory."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or not may_return_variable(func):
        return False
    model.ensure_variable_sources()
    if model.waiting(func):
        return False  # its flow cannot make a variable (ensure_variable_sources), so it returns none
    for ret in own_returns(func):
        values = model.values_of(ret.value)
        if not values or any(v.kind is not Kind.VARIABLE for v in values):
            return False
    return True


def names_worth_resolving(index: "SyntaxIndex") -> frozenset[str]:
    """Imported names whose cross-module facts can change a finding: a name rebound or updated
    here (`step += 1`), the callee whose result such a name holds (`w = make_weight(); w = w - 1`),
    class bases, and the roots of attributes written here (`state.step += 1`). Everything else
    stays unread, which keeps cross-module facts close to free for library code. Read once per
    file: a file's admission (needs.py) and its model ask the same."""
    if index.worth_resolving is not None:
        return index.worth_resolving
    stores: dict[str, int] = {}
    assigned_from: list[tuple[str, ast.expr]] = []
    wanted: set[str] = set()

    def root(node: ast.AST) -> str | None:
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return node.id if isinstance(node, ast.Name) else None

    for node in index.nodes_of(ast.Name):
        if isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
    # An import binds its name too: `from .state import step` then `step = step + 1` rebinds it.
    for alias in index.nodes_of(ast.alias):
        if alias.name != "*":
            local = alias.asname or alias.name.partition(".")[0]
            stores[local] = stores.get(local, 0) + 1
    for node in index.nodes_of(ast.AugAssign):
        name = root(node.target)
        if name:
            wanted.add(name)
    for node in index.nodes_of(ast.Global):
        wanted.update(node.names)
    for node in index.nodes_of(ast.ClassDef):
        wanted.update(filter(None, (root(b) for b in node.bases)))
    for node in [*index.nodes_of(ast.Assign), *index.nodes_of(ast.AnnAssign)]:
        if node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute):
                    name = root(target)
                    if name:
                        wanted.add(name)
                elif isinstance(target, ast.Name) and isinstance(node.value, ast.Call):
                    assigned_from.append((target.id, node.value.func))
    rebound = {name for name, count in stores.items() if count > 1}
    wanted |= rebound
    wanted.update(filter(None, (root(func) for name, func in assigned_from if name in rebound)))
    index.worth_resolving = frozenset(wanted)
    return index.worth_resolving


_WORD = re.compile(r"\w+")


class Project:
    def __init__(self, root: Path, src: tuple[str, ...] = ()):
        self.root = root
        roots = [root / s for s in src] if src else [root / "src", root]
        self.src_roots = tuple(r for r in roots if r.is_dir())
        self._facts: dict[str, tuple[float, ModuleFacts | None]] = {}
        # Modules whose file was checked unchanged since the current file began (begin_file): the
        # rest of that file's questions about them skip the stat (issue 6: a file asks ~50).
        self._checked: dict[str, ModuleFacts | None] = {}
        self._building: set[str] = set()
        self._callers: dict[tuple[str, frozenset[str]], dict] = {}
        self._files: list[Path] | None = None
        self._module_files: dict[str, Path | None] = {}
        self._module_names: dict[Path, str | None] = {}
        self._package_folders: dict[Path, bool] = {}
        self._folder_packages: dict[str, tuple[tuple[str, ...], ...]] = {}  # folder as spelt -> _packages_of
        # The import index (_import_index): files by number, word -> numbers of the files whose
        # imports contain it, and per file number its import words, sorted.
        # Tuples of numbers and strings, which the cyclic collector stops visiting: kept for the
        # whole run, they were most of what each of a flake8 run's full collections scanned.
        self._import_words: dict[str, tuple[int, ...]] | None = None
        self._indexed_files: list[Path] = []
        self._file_numbers: dict[Path, int] = {}
        self._imported_by: list[tuple[str, ...]] = []
        self._callers_read: list = []  # per file number: its _CallerText, None, or False (not read yet)
        # Facts of modules analysed for their own findings in this process: (module, digest of text) -> facts.
        self._remembered: dict[tuple[str, bytes], ModuleFacts] = {}
        # Findings of modules whose models were built for facts: (module, digest, settings key) -> Analysed.
        self._analysed: dict[tuple[str, bytes, object], Analysed] = {}
        self._analyser = None
        # Module texts read for subclasses_tf_class's scan, by path: (mtime, what the scan needs).
        self._texts: dict[Path, tuple[float, _ModuleText | None]] = {}
        self._deadline: float | None = None
        # Modules whose outline was read for the current file: name -> (digest, text, tree, imports).
        self._parsed: dict[str, tuple] = {}
        # The current file's Dependencies, and those of each module whose facts are being built.
        self.dependencies = Dependencies()
        self._recording: list[Dependencies] = [self.dependencies]

    # ---- locating modules -------------------------------------------------------------------

    def module_name(self, path: Path) -> str | None:
        try:
            return self._module_names[path]
        except KeyError:
            found = self._module_names[path] = self._find_module_name(path)
            return found

    def _find_module_name(self, path: Path) -> str | None:
        """`pkg.sub.mod` for `<src>/pkg/sub/mod.py` (`pkg.sub` for its `__init__.py`) when every
        folder on the way is a package, as the import system would name it from that root."""
        if not path.name.endswith(".py"):
            return None
        folder = str(path.parent)
        packages = self._folder_packages.get(folder)
        if packages is None:
            packages = self._folder_packages[folder] = self._packages_of(_resolved_folder(folder))
        stem = path.name[:-3]
        for parts in packages:
            names = [*parts, stem] if stem != "__init__" else list(parts)
            if names and all(name.isidentifier() for name in names):
                return ".".join(names)
        return None

    def _packages_of(self, folder: Path) -> tuple[tuple[str, ...], ...]:
        """The folder's package path under each source root it is a package under, in the roots'
        order: the same for every file of the folder, so worked out once per folder."""
        found = []
        for src in self.src_roots:
            try:
                parts = folder.relative_to(src).parts
            except ValueError:
                continue
            if self._is_package_path(src, parts):
                found.append(parts)
        return tuple(found)

    def _is_package_path(self, src: Path, folders: tuple[str, ...]) -> bool:
        # Every file of a folder asks the same question: answered once per folder.
        folder = src
        for name in folders:
            folder = folder / name
            known = self._package_folders.get(folder)
            if known is None:
                known = self._package_folders[folder] = (folder / "__init__.py").is_file()
            if not known:
                return False
        return True

    def package_of(self, path: Path) -> str | None:
        name = self.module_name(path)
        if name is None:
            return None
        return name if path.name == "__init__.py" else name.rpartition(".")[0]

    def module_file(self, name: str) -> Path | None:
        # Asked for the same names by every file that imports them; forget_files() drops the
        # whole Project, and with it this memo, when files appear or go.
        try:
            return self._module_files[name]
        except KeyError:
            found = self._module_files[name] = self._find_module_file(name)
            return found

    def _find_module_file(self, name: str) -> Path | None:
        if is_tf_module(name):
            return None  # TensorFlow's names mean what the API tables say, whoever's sources they are
        try:
            found = modutils.file_from_modpath(name.split("."), path=[str(s) for s in self.src_roots])
        except (ImportError, SyntaxError, ValueError):
            return None
        if not found or not found.endswith(".py"):
            return None
        path = _resolved(Path(found))
        if self.root not in path.parents:
            return None  # never read outside the project
        return path

    # ---- facts ------------------------------------------------------------------------------

    def begin_file(self, analyser=None) -> None:
        """`analyser`, when given, works out the findings of each module whose model is built for
        facts while this file is analysed: called with the model, it returns (findings,
        candidates) or None, and its `key` says which settings they were found with."""
        self._analyser = analyser
        self._checked.clear()
        self._parsed.clear()
        self._deadline = time.monotonic() + BUDGET_SECONDS
        self.dependencies = Dependencies()
        self._recording = [self.dependencies]

    @property
    def reading_facts(self) -> bool:
        """Whether another module's model is being built for its facts (callers are not followed then)."""
        return bool(self._building)

    def _note(self, found: Dependencies) -> None:
        for dependencies in self._recording:
            dependencies.add(found)

    def facts(self, name: str) -> ModuleFacts | None:
        """Everything other modules may ask about module `name`, its semantic model's facts included."""
        facts = self.outline_facts(name)
        return self._complete(facts) if facts is not None else None

    def outline_facts(self, name: str) -> ModuleFacts | None:
        """The facts of module `name` as far as they are known: at least what its statements
        tell (ModuleOutline, aliases), all of them once a question needed its model."""
        if self._deadline is not None and time.monotonic() > self._deadline:
            self._note(Dependencies(complete=False))
            return None
        if name in self._checked:
            facts = self._checked[name]
            self._note(facts.dependencies if facts is not None else Dependencies(files={self.module_file(name)}))
            return facts
        path = self.module_file(name)
        if path is None:
            self._note(Dependencies(missing={name}))
            return None
        try:
            mtime = path.stat().st_mtime
        except OSError:
            self._note(Dependencies(files={path}))
            return None
        cached = self._facts.get(name)
        if cached is None or cached[0] != mtime:
            cached = self._facts[name] = (mtime, self._outline(name, path))
        facts = self._checked[name] = cached[1]
        self._note(facts.dependencies if facts is not None else Dependencies(files={path}))
        return facts

    @staticmethod
    def _text(path: Path) -> str | None:
        from ..sources import ReadError, read_source  # a leaf module; imported here to keep model/ pure

        try:
            return read_source(path).text
        except ReadError:
            return None

    @staticmethod
    def _parse(name: str, path: Path, text: str):
        """The module's tree and imports (relative ones resolved in its package); None when it does not parse."""
        from .imports import ImportMap

        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        return tree, ImportMap.from_tree(tree, package or None)

    def _outline(self, name: str, path: Path) -> ModuleFacts | None:
        text = self._text(path)
        if text is None:
            return None
        digest = _digest(text)
        remembered = self._remembered.get((name, digest))
        if remembered is not None:
            return remembered
        parsed = self._parse(name, path, text)
        if parsed is None:
            return None
        tree, imports = parsed
        facts = ModuleFacts(
            name,
            path,
            aliases=dict(imports.aliases),  # with `tf = try_import_tensorflow()` (imports.optional_imports)
            dependencies=Dependencies(files={path}),
            complete=False,
            outline=ModuleOutline.of(tree),
            digest=digest,
        )
        # A question that needs the model mostly follows at once: the parse is kept for it until
        # the current file is done (begin_file), not for the run, which would hold every tree read.
        self._parsed[name] = (digest, text, tree, imports)
        return facts

    def _complete(self, facts: ModuleFacts) -> ModuleFacts | None:
        """The facts with those of the module's semantic model, built now; None when they cannot
        be known (an import cycle, the time budget, a file changed or unreadable since its outline)."""
        if facts.complete:
            return facts
        name = facts.name
        if name in self._building:
            self._note(Dependencies(cycle=True))
            return None  # an import cycle: unknown
        if self._deadline is not None and time.monotonic() > self._deadline:
            self._note(Dependencies(complete=False))
            return None
        self._building.add(name)
        building = Dependencies(files={facts.path})
        self._recording.append(building)
        try:
            full = self._build(name, facts.path, facts.digest, building)
        finally:
            self._building.discard(name)
            self._recording.pop()
        self._note(building)
        if full is None:
            # What the model would tell stays unknown until the file changes.
            mtime = self._facts[name][0] if name in self._facts else 0.0
            self._facts[name] = (mtime, None)
            self._checked[name] = None
            return None
        facts.globals, facts.classes, facts.factories = full.globals, full.classes, full.factories
        facts.traced_calls, facts.traced_conditions = full.traced_calls, full.traced_conditions
        facts.dependencies = building
        facts.complete, facts.outline = True, None
        return facts

    def _build(self, name: str, path: Path, digest: bytes, building: Dependencies) -> ModuleFacts | None:
        from .semantic import SemanticModel
        from ..text import SourceText

        remembered = self._remembered.get((name, digest))
        if remembered is not None:
            self._note(remembered.dependencies)
            return remembered
        parsed = self._parsed.pop(name, None)
        if parsed is not None and parsed[0] == digest:
            text, tree, imports = parsed[1:]
        else:
            text = self._text(path)
            if text is None or _digest(text) != digest:
                return None
            parsed = self._parse(name, path, text)
            if parsed is None:
                return None
            tree, imports = parsed
        try:
            model = SemanticModel(tree, SourceText(text), imports, project=self, module_name=name)
        except (RecursionError, MemoryError):
            return None
        facts = facts_of(model, name, path)
        if self._analyser is not None:
            self._analyse(model, path, text, building)
        model.release()
        return facts

    def _analyse(self, model: "SemanticModel", path: Path, text: str, building: Dependencies) -> None:
        # The time the module's own rules take is not spent on the current file's facts.
        started = time.monotonic()
        try:
            answer = self._analyser(model, path)
        except Exception:  # noqa: BLE001 - its own lint will meet the same error and report it
            return
        finally:
            if self._deadline is not None:
                self._deadline += time.monotonic() - started
        if answer is not None:
            self._analysed[(model.module_name, _digest(text), self._analyser.key)] = Analysed(*answer, building)

    def analysed(self, name: str, text: str, key: object) -> Analysed | None:
        """The findings of module `name` for exactly `text`, if its model was built for facts in this
        process with the same settings and nothing it read depended on timing or import order."""
        found = self._analysed.pop((name, _digest(text), key), None)
        if found is None or not found.dependencies.complete or found.dependencies.cycle:
            return None
        self._note(found.dependencies)
        return found

    def remember(self, model: "SemanticModel", path: Path) -> None:
        """Keep the facts of a module just analysed for its own findings, so that other modules
        asking about it read them instead of analysing it again (a `tfv check` of a project
        analyses each module once, mostly). Kept by content: they answer only while the file on
        disk holds exactly the text analysed (not an editor's unsaved buffer, not a fix in
        progress), and only for a model built as a fact-reading one is (no extra factories)."""
        name = model.module_name
        if name is None or self._building or model.variable_factories != api.VARIABLE_FACTORIES:
            return
        key = (name, _digest(model.source.text))
        if key not in self._remembered:
            facts = facts_of(model, name, path)
            facts.dependencies = Dependencies(files={path})
            facts.dependencies.add(self.dependencies)
            self._remembered[key] = facts

    def possible_callers(self, module: str, functions: frozenset[str]) -> dict[str, frozenset[str]]:
        """Project modules that may call some of `functions` of `module` from traced code, with the
        ones each may call: those that can hold traced code (traced.may_trace) and whose imports
        reach one of them, as the model resolves a call (`from .seeds import uniform`, or
        `seeds.uniform` after `from . import seeds`). Read from the text alone, so it costs what
        reading those importers' import statements costs, not what analysing them would."""
        found: dict[str, frozenset[str]] = {}
        # By file number: a module's importers run to hundreds, most of which trace nothing.
        for number in self._import_index().get(module.rpartition(".")[2], ()):
            caller = self._caller_text(number)
            named = caller.reaches(module, functions) if caller is not None else None
            name = self.module_name(self._indexed_files[number]) if named else None
            if name is not None and name != module:
                found[name] = named
        return found

    def traced_callers(self, module: str, functions: frozenset[str]) -> dict[str, tuple]:
        """Functions of `module` that traced code elsewhere in the project calls: name -> (chain, how, why).

        One module hop: while another module's facts are being read (to answer this very
        question, or any other) nothing is followed further, which bounds the cost."""
        if self._building:
            return {}
        key = (module, functions)
        cached = self._callers.get(key)
        if cached is not None:
            return cached
        found: dict[str, tuple] = {}
        self._callers[key] = found
        prefix = module + "."
        for name in self.possible_callers(module, functions):
            facts = self.facts(name)
            if facts is None:
                continue
            for qualname, entry in facts.traced_calls.items():
                if qualname.startswith(prefix) and qualname[len(prefix):] in functions:
                    found.setdefault(qualname[len(prefix):], entry)
        return found

    def _caller_text(self, number: int) -> "_CallerText | None":
        """What possible_callers reads of an importer (by its number in the import index); None for
        a module that traces nothing of its own, which calls no other module's function from traced code."""
        found = self._callers_read[number]
        if found is False:
            path = self._indexed_files[number]
            found = self._callers_read[number] = _CallerText.read(path, self.package_of(path))
        return found

    def imports_any(self, path: Path, words: frozenset[str]) -> bool:
        """Whether a project file's import statements contain one of `words` (never, unless it
        uses TensorFlow or Keras)."""
        self._import_index()
        number = self._file_numbers.get(path)
        return number is not None and bool(_among(self._imported_by[number], words))

    def _import_index(self) -> dict[str, tuple[int, ...]]:
        # Read once per process: every module's question about its callers is answered from this.
        if self._import_words is None:
            index: dict[str, list[int]] = {}
            for path in self.python_files():
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                # The files `tfv check` and the plugin analyse (analyze.might_use_tensorflow): a
                # file that never names TensorFlow or Keras is neither linted nor asked.
                if not names_tf_package(text):
                    continue
                found = set()
                for statement in import_statements(text):
                    found.update(_WORD.findall(statement))
                number = self._file_numbers[path] = len(self._indexed_files)
                self._indexed_files.append(path)
                self._imported_by.append(tuple(sorted(found)))
                self._callers_read.append(False)  # read when a caller is looked for there
                for found_word in found:
                    index.setdefault(found_word, []).append(number)
            self._import_words = {word: tuple(numbers) for word, numbers in index.items()}
        return self._import_words

    # ---- files that never name TensorFlow, yet subclass a project's TF class (issue 10, fact 1) ----

    def may_subclass_tf_class(self, text: str, package: str | None) -> bool:
        """From texts alone (no parse, no facts): whether a class statement of `text` has a base
        imported from a project module that imports TensorFlow or Keras, or leads to one through
        its own imports and bases. An over-approximation of subclasses_tf_class, and its cheap
        part: it keeps the files that subclass plain classes from being parsed."""
        imports = None
        for bases in class_bases(text).values():
            for base in bases:
                root, _, rest = base.partition(".")
                imports = imports or ImportStatements(text, package)
                found = imports.targets(root)
                if found is None:
                    return True
                if any(self._may_be_tf_class(f"{t}.{rest}" if rest else t, set()) for t in found):
                    return True
        return False

    def subclasses_tf_class(self, tree: ast.Module, imports) -> bool:
        """Whether a class of the module has a base imported from a project module whose facts
        make it a TensorFlow/Keras class or a Sonnet module (through the project's own classes):
        then the module is analysed although it never names TensorFlow."""
        for node in statements_breadth_first(tree):
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    qualname = imports.qualified_name(base)
                    facts = self.class_facts(qualname) if qualname else None
                    if facts is not None and any(_is_tf_class(b) for b in facts.bases):
                        return True
        return False

    def _may_be_tf_class(self, qualname: str, visiting: set[str]) -> bool:
        """Whether a name may stand for a TF class, read from the texts of the project modules on
        the way: True for a module that imports TensorFlow, and for what the scan cannot follow."""
        if _is_tf_class(qualname):
            return True
        if qualname in visiting:
            return False  # a cycle adds nothing the first visit does not find
        visiting.add(qualname)
        parts = qualname.split(".")
        if self.module_file(parts[0]) is None:
            self._note(Dependencies(missing={parts[0]}))
            return False
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            path = self.module_file(module)
            if path is not None:
                break
            self._note(Dependencies(missing={module}))
        else:
            return False  # the top package itself: not a class
        info = self._module_text(module, path)
        if info is None or info.imports_tf:
            return True  # unreadable (the facts will say unknown), or the facts must tell
        attr, rest = parts[cut], parts[cut + 1 :]
        targets = info.targets(attr)
        if targets is None:
            return True
        if any(self._may_be_tf_class(".".join([t, *rest]), visiting) for t in targets):
            return True
        statements = info.classes.get(attr)
        if statements is None:
            if targets:
                return False
            if info.mentions(attr):
                return True  # bound some other way (an assignment, a def): unknown
            # Not named in the module: a star import binds it, or nothing does (a missing submodule).
            stars = info.stars()
            if stars is None:
                return True
            return any(self._may_be_tf_class(".".join([star, attr, *rest]), visiting) for star in stars)
        if rest:
            return True  # a class nested in the class
        for base in statements:
            root, _, tail = base.partition(".")
            if root in info.classes:
                found = self._may_be_tf_class(f"{module}.{base}", visiting)
            else:
                bound = info.targets(root)
                if bound is None:
                    return True
                if not bound:
                    found = root not in BUILTIN_NAMES
                else:
                    found = any(self._may_be_tf_class(f"{t}.{tail}" if tail else t, visiting) for t in bound)
            if found:
                return True
        return False

    def _module_text(self, module: str, path: Path) -> "_ModuleText | None":
        self._note(Dependencies(files={path}))
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._texts.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        text = self._text(path)
        info = _ModuleText(text, self.package_of(path)) if text is not None else None
        self._texts[path] = (mtime, info)
        return info

    def python_files(self) -> list[Path]:
        if self._files is None:
            from ..sources import iter_python_files  # keeps model/ free of surface imports at load time

            # Resolved as module_file resolves them; a folder's files share its resolution.
            self._files = [_resolved(p) for p in iter_python_files([str(s) for s in self.src_roots])]
        return self._files

    def _reexport(self, facts: ModuleFacts, attr: str, qualname: str) -> str | None:
        """`from .base import X` in the module: the name X really stands for there."""
        target = facts.aliases.get(attr)
        return target if target and target != qualname else None

    def _lookup(self, qualname: str, depth: int) -> tuple[ModuleFacts, str] | None:
        """`pkg.state.step` -> (facts of pkg.state as far as known, "step") when pkg.state is a
        project module; None past a chain of 8 re-exports."""
        module, _, attr = qualname.rpartition(".")
        if not module or not attr or depth > 8:
            return None
        facts = self.outline_facts(module)
        return (facts, attr) if facts is not None else None

    def value_of(self, qualname: str, depth: int = 0) -> ValueSet | None:
        """What a module-level name of a project module holds (None: not a project name, or unknown)."""
        found = self._lookup(qualname, depth)
        if found is None:
            return None
        facts, attr = found
        if not facts.complete:
            kind = facts.outline.kind_of(attr) if facts.outline is not None else None
            if kind == CLASS:
                return frozenset({Value(Kind.CLASS, api=f"class:{qualname}")})
            if kind == FUNCTION and attr not in facts.aliases:
                return _FUNCTION_VALUE  # what facts_of keeps of a def's binding
            if kind in (IMPORT, UNBOUND):
                target = self._reexport(facts, attr, qualname)
                if target is not None:
                    return self.value_of(target, depth + 1)
                if kind == UNBOUND:
                    return None
            facts = self._complete(facts)
            if facts is None:
                return None
        if attr in facts.factories:
            return frozenset({Value(Kind.FUNCTION, api=f"factory:{qualname}")})
        if attr in facts.classes:
            return frozenset({Value(Kind.CLASS, api=f"class:{qualname}")})
        target = self._reexport(facts, attr, qualname)
        if target is not None:
            return self.value_of(target, depth + 1)
        values = facts.globals.get(attr)
        if not values or any(v.kind in (Kind.MODULE, Kind.UNKNOWN) for v in values):
            return None
        return values

    def may_hold_variables(self, qualname: str) -> bool:
        """Whether a name of the project can bring variables into a module that imports it: a
        variable or a variable factory, or a class whose instances hold a variable in an
        attribute. What the semantic model resolves an imported name to, asked ahead of the
        model (needs.py)."""
        values = self.value_of(qualname)
        if not values:
            return False  # a module (its attributes are asked about), or unknown: no variable for the model either
        if any(v.kind is Kind.VARIABLE or v.is_variable_factory for v in values):
            return True
        if not any(v.kind is Kind.CLASS for v in values):
            return False
        facts = self.class_facts(qualname)
        return facts is not None and _holds_variables(facts)

    def module_alias(self, qualname: str, depth: int = 0) -> str | None:
        """`pkg.utils.tf` -> "tensorflow" when that name of a project module stands for an imported
        TensorFlow/Keras module: `import tensorflow as tf` there (a re-export, also through other
        project modules), or `tf = try_import_tensorflow()` (see `imports.optional_imports`). Only modules
        whose import statements name a TF package are read."""
        module, _, attr = qualname.rpartition(".")
        if not module or depth > 8:
            return None
        path = self.module_file(module)
        if path is None:
            self._note(Dependencies(missing={module}))
            return None
        if not self.imports_any(path, TF_PACKAGES):
            self._note(Dependencies(files={path}))
            return None
        facts = self.outline_facts(module)
        target = facts.aliases.get(attr) if facts is not None else None
        if not target or target == qualname:
            return None
        if target.split(".", 1)[0] in TF_PACKAGES:
            return canonical(target)
        return self.module_alias(target, depth + 1)

    def traced_condition(self, qualname: str) -> bool | None:
        """What a project function returns whenever it runs in traced code (`in_tf_function()`
        returning `not tf.executing_eagerly()`), or None. Read by qualified name, whatever
        `names_worth_resolving` says: a condition decides which code is traced."""
        return self._module_entry(qualname, lambda facts: facts.traced_conditions)

    def class_facts(self, qualname: str) -> ClassFacts | None:
        return self._module_entry(qualname, lambda facts: facts.classes)

    def _module_entry(self, qualname: str, table, depth: int = 0):
        """What `table(facts)` of a project module holds for a name (its classes or its
        functions, by their statements' names), through its re-exports."""
        found = self._lookup(qualname, depth)
        if found is None:
            return None
        facts, attr = found
        if not facts.complete and facts.outline is not None and facts.outline.kind_of(attr) in (IMPORT, UNBOUND):
            target = self._reexport(facts, attr, qualname)  # neither a class nor a def of its own
            return self._module_entry(target, table, depth + 1) if target is not None else None
        facts = self._complete(facts)
        if facts is None:
            return None
        entries = table(facts)
        if attr in entries:
            return entries[attr]
        target = self._reexport(facts, attr, qualname)
        return self._module_entry(target, table, depth + 1) if target is not None else None


class _CallerText:
    """What a module that may trace reads of other modules' functions: the qualified names its
    import statements bind local names to, and its text, where `seeds.uniform` is looked for."""

    def __init__(self, text: str, bindings: list[tuple[str, str]] | None):
        self.text = text
        self.bindings = bindings  # (local name, qualified name); None: a statement did not parse
        self._paths: dict[str, frozenset[str]] = {}

    @classmethod
    def read(cls, path: Path, package: str | None) -> "_CallerText | None":
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if not may_trace(text):
            return None
        return cls(text, ImportStatements(text, package).bindings())

    def reaches(self, module: str, functions: frozenset[str]) -> frozenset[str]:
        """Those of `functions` of `module` a call here may resolve to: a name imported from it,
        or an attribute path through a name bound to it (or to a package above it)."""
        if self.bindings is None:
            return frozenset(f for f in functions if mentions(self.text, f))
        found: set[str] = set()
        prefix = module + "."
        for local, target in self.bindings:
            if target.startswith(prefix) and target[len(prefix):] in functions:
                found.add(target[len(prefix):])
            elif target == module or module.startswith(target + "."):
                spelt = ".".join((local, *module[len(target):].split(".")[1:], ""))
                paths = self._paths_from(local)
                found.update(f for f in functions if spelt + f in paths)
        return frozenset(found)

    def _paths_from(self, local: str) -> frozenset[str]:
        """Every attribute path the text spells from a name (`seeds.uniform`, also with spaces
        or a line break around the dots), and each of its leading parts."""
        found = self._paths.get(local)
        if found is None:
            paths: set[str] = set()
            for match in _attribute_paths(local).finditer(self.text):
                at = match.start()
                if at and (self.text[at - 1].isalnum() or self.text[at - 1] in "_."):
                    continue  # part of a longer name or path
                parts = _DOTS.split(match.group(0))
                paths.update(".".join(parts[: n + 1]) for n in range(1, len(parts)))
            found = self._paths[local] = frozenset(paths)
        return found


# Around the dots of an attribute path: spaces, line breaks (inside brackets), backslash continuations.
_GAP = r"(?:\s|\\\n)*"
_DOTS = re.compile(_GAP + r"\." + _GAP)


@functools.lru_cache(maxsize=1024)
def _attribute_paths(local: str) -> re.Pattern:
    # Starting with the name, not a lookbehind: a pattern that starts with a lookbehind is tried at
    # every position of the text (the character before is checked by hand, as in names_tf_package).
    return re.compile(re.escape(local) + r"(?:" + _DOTS.pattern + r"[A-Za-z_]\w*)+")


def _holds_variables(facts: ClassFacts) -> bool:
    return any(v.kind is Kind.VARIABLE for values in facts.attributes.values() for v in values)


def _is_tf_class(qualname: str) -> bool:
    return qualname.split(".", 1)[0] in TF_PACKAGES or qualname in api.MODULE_BASES


class _ModuleText:
    """What Project._may_be_tf_class reads of a module: whether it imports TensorFlow, its class
    statements' bases, what its imports bind a name to, and whether it names a name at all."""

    def __init__(self, text: str, package: str | None):
        self.imports = ImportStatements(text, package)
        self.imports_tf = names_tf_package(text) and self.imports.import_tf()
        self.classes = {} if self.imports_tf else class_bases(text)
        self._text = "" if self.imports_tf else text
        self._stars: list[str] | None | bool = False  # not read yet
        self._targets: dict[str, list[str] | None] = {}
        self._mentions: dict[str, bool] = {}

    def mentions(self, name: str) -> bool:
        if name not in self._mentions:
            self._mentions[name] = mentions(self._text, name)
        return self._mentions[name]

    def stars(self) -> list[str] | None:
        if self._stars is False:
            self._stars = self.imports.stars()
        return self._stars

    def targets(self, name: str) -> list[str] | None:
        if name not in self._targets:
            self._targets[name] = self.imports.targets(name)
        return self._targets[name]


def facts_of(model: "SemanticModel", name: str, path: Path) -> ModuleFacts:
    """What other modules may ask about module `name`, read off its semantic model."""
    from .eager import traced_conditions
    from .traced import calls_into_other_modules

    aliases = dict(model.imports.aliases)  # with `tf = try_import_tensorflow()` (imports.optional_imports)
    facts = ModuleFacts(
        name,
        path,
        aliases=aliases,
        traced_calls=calls_into_other_modules(model),
        traced_conditions=traced_conditions(model, model.tree.body),
    )
    for key, bindings in model.module_scope.bindings.items():
        if "." not in key:
            values = _portable(bindings)
            # What value_of cannot answer with is not kept: every process keeps the facts of every
            # module it reads, and a flake8 run's collector scans them all (issue 6).
            if values and not any(v.kind in (Kind.MODULE, Kind.UNKNOWN) for v in values):
                facts.globals[key] = values
    for node in model.tree.body:
        if isinstance(node, ast.ClassDef):
            attrs: dict[str, ValueSet] = {}
            scope = model.scope_of_node.get(id(node))
            if scope is not None:
                for attr, bindings in model._class_attributes(scope).items():
                    attrs[attr] = _portable(bindings)
            bases = frozenset(model.class_bases(node))
            facts.classes[node.name] = ClassFacts(node.name, bases, attrs, _class_conditions(model, node))
        elif returns_variable(model, node):
            facts.factories.add(node.name)
    return facts


def _class_conditions(model: "SemanticModel", node: ast.ClassDef) -> dict[str, bool | None]:
    """The predicates instances of the class run (eager.py): its own methods, then its bases'."""
    from .eager import traced_conditions

    found: dict[str, bool | None] = {}
    for cls in model.class_lineage(node):
        for name, value in traced_conditions(model, cls.body).items():
            found.setdefault(name, value)
    for cls in model.class_lineage(node):
        for base in model.project_bases(cls):
            for name, value in base.traced_conditions.items():
                found.setdefault(name, value)
    return found


# Definitions a value may point at: in another module's analysis they are nobody's functions or
# classes (the call graph would take them for its own), and they hold their whole subtree in memory.
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)


def _portable(bindings) -> ValueSet:
    """What the bindings hold, as another module may use it: without the definitions they point at."""
    values = frozenset().union(*(b.values for b in bindings))
    if not any(isinstance(v.origin, _DEFINITIONS) for v in values):
        return values
    return frozenset(replace(v, origin=None) if isinstance(v.origin, _DEFINITIONS) else v for v in values)


def _among(sorted_words: tuple[str, ...], names: frozenset[str]) -> frozenset[str]:
    """Those of `names` in a sorted tuple of words."""
    found = []
    for name in names:
        at = bisect.bisect_left(sorted_words, name)
        if at < len(sorted_words) and sorted_words[at] == name:
            found.append(name)
    return frozenset(found)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


_PROJECTS: dict[tuple[Path, tuple[str, ...]], Project] = {}
# A file's project, by the path it was asked with: each file asks several times, the plugin once more.
_PROJECT_OF: dict[tuple[str, tuple[str, ...]], Project] = {}


def is_tf_module(name: str) -> bool:
    """A module of TensorFlow's or Keras's own packages, as when their own sources are linted.
    Its names are TensorFlow's, which every module resolves from import syntax and the API tables
    (issue 10): never from facts of the project's modules, which would give a second answer for
    `tensorflow.Variable`. Names under these packages already count as TensorFlow classes by
    their first part (`_is_tf_class`), so such facts could add nothing but their cost (issue 6:
    half of the corpus's cross-module time went to tensorflow-cpu's own modules, for no finding)."""
    return name.partition(".")[0] in TF_PACKAGES


def find_root(path: str | os.PathLike, markers=ROOT_MARKERS) -> Path | None:
    # With os.path, not pathlib: asked once for every file of a run.
    return _root_of_folder(_resolved_folder(os.path.dirname(os.fspath(path)) or "."), markers)


def _resolved(path: Path) -> Path:
    """`path.resolve()`, with its folder's resolution shared by the folder's files."""
    return path.resolve() if path.is_symlink() else _resolved_folder(str(path.parent)) / path.name


@functools.lru_cache(maxsize=4096)
def _resolved_folder(folder: str) -> Path:
    # Resolving a path asks the file system about each of its parts: once per folder, not per file.
    return Path(folder).resolve()


@functools.lru_cache(maxsize=4096)
def _root_of_folder(folder: Path, markers) -> Path | None:
    """Every file of a folder has the same root: looked up once per folder and process, and a
    folder's answer is its parent's when it holds no marker (each ancestor is asked once too)."""
    if any((folder / m).exists() for m in markers):
        return folder
    parent = folder.parent
    return None if parent == folder else _root_of_folder(parent, markers)


def project_for(path: str | os.PathLike, src: tuple[str, ...] = ()) -> Project | None:
    """The project a file belongs to, shared by every file of a run (one per process)."""
    name = os.fspath(path)
    known = _PROJECT_OF.get((name, src))
    if known is not None:
        return known
    if not os.path.isfile(name):
        return None
    root = find_root(name)
    if root is None:
        return None
    key = (root, tuple(src))
    project = _PROJECTS.get(key)
    if project is None:
        project = _PROJECTS[key] = Project(root, tuple(src))
    _PROJECT_OF[(name, src)] = project
    return project


def facts_project(path: str | os.PathLike, src: tuple[str, ...] = ()) -> tuple[Project | None, str | None]:
    """The project whose facts a file reads, and the file's module name there: (None, None) for a
    file of no project and for TensorFlow's own modules, which read none (is_tf_module)."""
    project = project_for(path, src)
    if project is None:
        return None, None
    module = project.module_name(Path(path))
    if module is not None and is_tf_module(module):
        return None, None
    return project, module


def forget_files() -> None:
    """Forget what this process learnt about the projects' files: their facts and astroid's
    memory of which module files exist. For a long-lived process (the language server) once files
    were saved, created or deleted; a `tfv check` run never needs it. astroid keeps those answers
    in lru caches of its module lookup; clearing only them costs microseconds, where
    `astroid.MANAGER.clear_cache()` would rebuild builtins for a fifth of a second."""
    _PROJECTS.clear()
    _PROJECT_OF.clear()
    _root_of_folder.cache_clear()
    _resolved_folder.cache_clear()
    from astroid import modutils as found_modutils
    from astroid.interpreter._import import spec

    caches = [getattr(found_modutils, name, None) for name in ("cached_os_path_isfile", "_cache_normalize_path_", "_has_init")]
    caches.append(getattr(spec, "_find_spec", None))
    caches.extend(getattr(finder, "find_module", None) for finder in getattr(spec, "_SPEC_FINDERS", ()))
    for cache in caches:
        clear = getattr(cache, "cache_clear", None)
        if clear is not None:
            clear()
