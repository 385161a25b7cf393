# oracle: TFV306
# fix: unsafe
# before: {"error": "AttributeError", "symbolic": true}
# after: {"value": 9.0}
"""Case 11: `x.numpy()` on a tf.function's argument raises AttributeError: while tracing it is a
SymbolicTensor. Handing the tensor itself to the TF op works."""
import json

import tensorflow as tf


@tf.function
def square(x):
    return tf.square(x.numpy())


try:
    result = {"value": round(float(square(tf.constant(3.0))), 4)}
except AttributeError as exc:
    result = {"error": type(exc).__name__, "symbolic": "'SymbolicTensor' object has no attribute 'numpy'" in str(exc)}
print("RESULT " + json.dumps(result))
