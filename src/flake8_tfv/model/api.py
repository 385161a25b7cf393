"""What TensorFlow and Keras APIs return, by qualified name (see ../shared/tf-semantics.md)."""
from __future__ import annotations

from .values import Kind

# Calls that create a variable. `keras.backend.variable` is gone in Keras 3 but existed in
# Keras 2, which code written for it still imports as `keras`.
VARIABLE_FACTORIES = frozenset(
    {
        "tensorflow.Variable",
        "tensorflow.compat.v1.Variable",
        "tensorflow.compat.v1.get_variable",
        "tensorflow.compat.v1.get_local_variable",
        "keras.Variable",
        "keras.backend.Variable",
        "keras.variables.Variable",
        "keras.backend.variable",
        "tensorflow.keras.Variable",
        "tensorflow.keras.backend.variable",
        "tf_keras.backend.variable",
    }
)

# Factories that look the variable up in a variable store (`tf.compat.v1.variable_scope`), which
# keeps it whatever a name holding it is rebound to: the next call finds it again.
STORED_VARIABLE_FACTORIES = frozenset({"tensorflow.compat.v1.get_variable", "tensorflow.compat.v1.get_local_variable"})

# Methods that create a variable on whatever object they are called on (Layer, Module, Model).
VARIABLE_METHODS = frozenset({"add_weight", "add_variable"})

ASSIGN_METHODS = frozenset({"assign", "assign_add", "assign_sub"})
SCATTER_METHODS = frozenset(
    {
        "scatter_update",
        "scatter_add",
        "scatter_sub",
        "scatter_mul",
        "scatter_div",
        "scatter_min",
        "scatter_max",
        "scatter_nd_update",
        "scatter_nd_add",
        "scatter_nd_sub",
        "batch_scatter_update",
    }
)
UPDATE_METHODS = ASSIGN_METHODS | SCATTER_METHODS

# Variable methods whose result is a plain tensor snapshot.
READ_METHODS = frozenset({"read_value", "value", "initialized_value", "sparse_read", "gather_nd"})

TENSOR_LIST_OPS = frozenset(
    {"split", "unstack", "meshgrid", "dynamic_partition", "split_v", "unstack_v", "gradients"}
    # Also Python lists (item assignment works on them), added for TFV202:
    | {"shape_n", "array_split", "hsplit", "vsplit", "dsplit"}
)

# ---- Writes (TFV2xx, tf-semantics cases 5 and 7) ----------------------------------------------
# The TF1 function forms of the variable updates: gone from `tf` in TF2, legacy in `tf.compat.v1`.
# Each returns what the variable's own method returns (an `_UnreadVariable`).
TF1_UPDATE_FUNCTIONS = frozenset(
    {
        "assign",
        "assign_add",
        "assign_sub",
        "scatter_update",
        "scatter_add",
        "scatter_sub",
        "scatter_mul",
        "scatter_div",
        "scatter_min",
        "scatter_max",
        "scatter_nd_update",
        "scatter_nd_add",
        "scatter_nd_sub",
        "batch_scatter_update",
    }
)
# Pure scatter ops: they return a new tensor and leave their input (even a variable) unchanged.
TENSOR_SCATTER_OPS = frozenset(
    {
        "tensor_scatter_nd_update",
        "tensor_scatter_nd_add",
        "tensor_scatter_nd_sub",
        "tensor_scatter_nd_min",
        "tensor_scatter_nd_max",
        "tensor_scatter_update",  # tf.compat.v1 spellings
        "tensor_scatter_add",
        "tensor_scatter_sub",
    }
)
# Functions in the op namespaces that return NumPy values, not tensors (added for TFV202).
NUMPY_RESULT_OPS = frozenset({"convert_to_numpy", "make_ndarray", "get_static_value"})
# Modules whose functions are the TF API itself (where the TF1 update functions lived).
TF_ROOT_MODULES = ("tensorflow.", "tensorflow.compat.v1.")

# Namespaces whose lower-case functions are ops that return tensors.
_OP_NAMESPACES = (
    "tensorflow.",
    "tensorflow.math.",
    "tensorflow.nn.",
    "tensorflow.linalg.",
    "tensorflow.random.",
    "tensorflow.image.",
    "tensorflow.signal.",
    "tensorflow.strings.",
    "tensorflow.bitwise.",
    "tensorflow.sparse.",
    "tensorflow.experimental.numpy.",
    "tensorflow.raw_ops.",
    "tensorflow.compat.v1.",
    "tensorflow.compat.v1.math.",
    "tensorflow.compat.v1.nn.",
    "keras.ops.",
    "keras.ops.numpy.",
    "keras.ops.nn.",
    "keras.ops.math.",
    "keras.ops.linalg.",
    "keras.ops.core.",
    "tensorflow.keras.ops.",
)

# Lower-case top-level names that are not ops returning a tensor.
_NOT_OPS = frozenset(
    {
        "function",
        "print",
        "name_scope",
        "variable_scope",
        "device",
        "init_scope",
        "control_dependencies",
        "py_function",
        "numpy_function",
        "get_variable",
        "get_local_variable",
        "global_variables_initializer",
        "local_variables_initializer",
        "variables_initializer",
        "group",
        "no_op",
        "debugging",
        "executing_eagerly",
        "get_logger",
        "autograph",
        "custom_gradient",
        "recompute_grad",
        "stop_gradient_scope",
        "assign",
        "assign_add",
        "assign_sub",
        "scatter_update",
        "scatter_add",
        "scatter_sub",
        "scatter_nd_update",
        "scatter_nd_add",
        "scatter_nd_sub",
        "Session",
        "placeholder",
        "set_random_seed",
        "enable_eager_execution",
        "disable_eager_execution",
        "disable_v2_behavior",
        "get_default_graph",
        "get_collection",
        "add_to_collection",
        "trainable_variables",
        "global_variables",
        "map_fn",
        "vectorized_map",
        "while_loop",
        "cond",
        "case",
        "switch_case",
        "gradients",
        # Stateful or returning collections of variables, not tensors (added for TFV2xx):
        "count_up_to",
        "local_variables",
        "model_variables",
        "all_variables",
        "moving_average_variables",
        "get_collection_ref",
        # The parsers return dicts (or tuples of dicts) of tensors, not one tensor.
        "parse_single_example",
        "parse_example",
        "parse_sequence_example",
        "parse_single_sequence_example",
    }
)

OPTIMIZER_MODULES = (
    "tensorflow.keras.optimizers.",
    "tensorflow.keras.optimizers.legacy.",
    "tensorflow.keras.optimizers.experimental.",
    "keras.optimizers.",
    "keras.optimizers.legacy.",
    "keras.optimizers.experimental.",
    "tf_keras.optimizers.",
    "tf_keras.optimizers.legacy.",
    "tf_keras.optimizers.experimental.",
    "tensorflow.optimizers.",
    "tensorflow.optimizers.legacy.",
    "tensorflow.optimizers.experimental.",
    "tensorflow.compat.v1.train.",
    "tensorflow.train.",
)
_NOT_OPTIMIZERS = frozenset({"Optimizer", "LossScaleOptimizer", "Checkpoint", "CheckpointManager"})

LAYER_MODULES = ("keras.layers.", "tensorflow.keras.layers.", "tf_keras.layers.")
MODEL_CLASSES = frozenset(
    {
        "keras.Model",
        "keras.Sequential",
        "keras.models.Model",
        "keras.models.Sequential",
        "tensorflow.keras.Model",
        "tensorflow.keras.Sequential",
        "tensorflow.keras.models.Model",
        "tensorflow.keras.models.Sequential",
        "tf_keras.Model",
        "tf_keras.Sequential",
        "tf_keras.models.Model",
        "tf_keras.models.Sequential",
    }
)

# Base classes whose subclasses' `call`/`train_step`/... are traced by Keras.
KERAS_BASES = MODEL_CLASSES | frozenset(
    {
        "keras.Layer",
        "keras.layers.Layer",
        "tensorflow.keras.layers.Layer",
        "tensorflow.keras.Layer",
        "tf_keras.layers.Layer",
        "keras.engine.base_layer.Layer",
    }
)
MODULE_BASES = frozenset({"tensorflow.Module", "sonnet.Module", "sonnet.AbstractModule"})

TRACED_METHODS = frozenset({"call", "train_step", "test_step", "predict_step"})
TF_FUNCTION = frozenset({"tensorflow.function", "tensorflow.compat.v1.function"})
DATASET_TRACED_METHODS = frozenset({"map", "filter", "flat_map", "interleave", "reduce", "scan"})
GRADIENT_TAPE = frozenset({"tensorflow.GradientTape", "tensorflow.autodiff.GradientTape"})

# Attributes of built-in Keras layers that hold their weights once built (tf-semantics case 14).
LAYER_WEIGHT_ATTRIBUTES = frozenset(
    {
        "kernel",
        "bias",
        "embeddings",
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
        "recurrent_kernel",
        "depthwise_kernel",
        "pointwise_kernel",
    }
)

# Ops that return their first argument's value unchanged, in another dtype or as a plain tensor.
# `v = tf.cast(v, x.dtype)` reads the variable; it is not an attempt to update it (issue 6: seen
# in tensorflow-addons). `tf.cast` even returns the variable itself when the dtype matches.
VALUE_PRESERVING_OPS = frozenset(
    {
        f"{namespace}{name}"
        for namespace in ("tensorflow.", "tensorflow.compat.v1.", "tensorflow.dtypes.", "keras.ops.", "tensorflow.keras.ops.")
        # Conversions, and reshapes that keep the values and their order.
        for name in ("cast", "saturate_cast", "convert_to_tensor", "identity", "stop_gradient", "ensure_shape",
                     "reshape", "expand_dims", "squeeze")
    }
    | {"tensorflow.compat.v1.to_float", "tensorflow.compat.v1.to_double", "tensorflow.compat.v1.to_int32",
       "tensorflow.compat.v1.to_int64", "tensorflow.compat.v1.to_bfloat16", "tensorflow.compat.v1.to_complex64"}
)

_PYTHON_BUILTINS = frozenset(
    {"int", "float", "bool", "str", "len", "list", "dict", "tuple", "set", "range", "sum", "abs", "round"}
)


def _is_op_name(name: str) -> bool:
    return name[:1].islower() and name not in _NOT_OPS


def classify_call(qualname: str) -> Kind:
    """The kind of value a call of `qualname` returns (UNKNOWN when it is not known)."""
    if qualname in VARIABLE_FACTORIES:
        return Kind.VARIABLE
    if is_tf1_update_function(qualname):
        return Kind.ASSIGN_RESULT
    if qualname in GRADIENT_TAPE:
        return Kind.TAPE
    if qualname.startswith(("tensorflow.data.", "tensorflow.compat.v1.data.")):
        return Kind.DATASET
    module, _, name = qualname.rpartition(".")
    module += "."
    if module in OPTIMIZER_MODULES and name[:1].isupper() and name not in _NOT_OPTIMIZERS:
        if module.endswith("train.") and not name.endswith("Optimizer"):
            return Kind.UNKNOWN
        return Kind.OPTIMIZER
    if module in LAYER_MODULES and name[:1].isupper():
        return Kind.LAYER
    if qualname in MODEL_CLASSES:
        return Kind.LAYER
    if module in _OP_NAMESPACES and name in NUMPY_RESULT_OPS:
        return Kind.NUMPY
    if module in _OP_NAMESPACES and _is_op_name(name):
        return Kind.TENSOR_LIST if name in TENSOR_LIST_OPS else Kind.TENSOR
    if qualname.startswith("numpy.") and name[:1].islower():
        return Kind.NUMPY
    return Kind.UNKNOWN


def tf_function_name(qualname: str | None) -> str | None:
    """`tensorflow.compat.v1.assign` -> "assign": the name of a function of `tf` or `tf.compat.v1`."""
    if not qualname:
        return None
    module, _, name = qualname.rpartition(".")
    return name if module + "." in TF_ROOT_MODULES else None


def is_tf1_update_function(qualname: str | None) -> bool:
    return tf_function_name(qualname) in TF1_UPDATE_FUNCTIONS


def is_builtin_python(name: str) -> bool:
    return name in _PYTHON_BUILTINS
