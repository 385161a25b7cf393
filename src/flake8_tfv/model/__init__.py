"""The semantic model: imports, scopes and bindings, values, and traced code of one file."""
from .imports import ImportMap
from .scopes import Binding, Scope
from .semantic import SemanticModel
from .traced import TraceReason
from .values import Kind, Value

__all__ = ["Binding", "ImportMap", "Kind", "Scope", "SemanticModel", "TraceReason", "Value"]
