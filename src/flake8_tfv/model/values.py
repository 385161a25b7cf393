"""What a binding may hold. A name holds a set of these: one per way it can have been bound."""
from __future__ import annotations

import ast
import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    VARIABLE = "variable"  # tf.Variable, keras.Variable, add_weight(...), K.variable(...)
    SLICE = "slice"  # var[...]: still assignable, writes into var (tf-semantics case 6')
    ASSIGN_RESULT = "assign result"  # var.assign*(...): _UnreadVariable / a tensor for keras.Variable
    TENSOR = "tensor"  # the result of a TF op or arithmetic on variables and tensors
    TENSOR_LIST = "list of tensors"  # tf.split, tf.unstack, ...
    NUMPY = "numpy value"
    PYTHON = "python value"  # numbers, strings, containers
    NONE = "None"
    OPTIMIZER = "optimizer"
    TAPE = "gradient tape"
    LAYER = "keras layer"
    DATASET = "dataset"
    MODULE = "module"  # an imported module or API object
    FUNCTION = "function"
    CLASS = "class"
    INSTANCE = "instance"  # `self` inside a method
    UNKNOWN = "unknown"

    # Members are singletons: hashing by identity spares Enum's hash of the member name, which
    # every set of values pays for each of its values (issue 6).
    __hash__ = object.__hash__


TENSORLIKE = frozenset({Kind.VARIABLE, Kind.SLICE, Kind.ASSIGN_RESULT, Kind.TENSOR})


@dataclass(frozen=True)
class Value:
    kind: Kind
    # The expression that made the value (the factory call of a variable), for messages.
    origin: ast.AST | None = None
    # The qualified name of the callable that made it (`tensorflow.Variable`, `add_weight`).
    api: str | None = None
    # Read off the creating call: `trainable=` (True when not given, None when not a constant).
    trainable: bool | None = None

    @property
    def line(self) -> int | None:
        return getattr(self.origin, "lineno", None)

    @property
    def is_variable_factory(self) -> bool:
        """A function of another project module that returns a new variable (project.value_of)."""
        return self.kind is Kind.FUNCTION and (self.api or "").startswith("factory:")


UNKNOWN = Value(Kind.UNKNOWN)
TENSOR = Value(Kind.TENSOR)
PYTHON = Value(Kind.PYTHON)
NONE = Value(Kind.NONE)
NUMPY = Value(Kind.NUMPY)

ValueSet = frozenset  # frozenset[Value]


def kinds(values: ValueSet) -> set[Kind]:
    return {v.kind for v in values}


def only(values: ValueSet, allowed: frozenset[Kind] | set[Kind]) -> bool:
    """True when every way the value can be is among `allowed` (and there is at least one)."""
    return bool(values) and all(v.kind in allowed for v in values)


def variables(values: ValueSet) -> list[Value]:
    return sorted((v for v in values if v.kind is Kind.VARIABLE), key=lambda v: v.line or 0)
