"""The rule registry: every `Rule` subclass with a code, found in this package's modules.

A family is one module; adding a module here is all it takes to register its rules.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .base import Rule


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


@lru_cache(maxsize=None)
def all_rules() -> tuple[type[Rule], ...]:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    # Only the package's own modules: a Rule subclass defined elsewhere (a test's) is not registered.
    rules = [r for r in _subclasses(Rule) if "code" in r.__dict__ and r.__module__.startswith(__name__ + ".")]
    codes = [r.code for r in rules]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise RuntimeError(f"rule codes registered twice: {sorted(duplicates)}")
    return tuple(sorted(rules, key=lambda r: r.code))


def rule_by_code(code: str) -> type[Rule] | None:
    for rule in all_rules():
        if rule.code == code.upper():
            return rule
    return None


__all__ = ["Rule", "all_rules", "rule_by_code"]
