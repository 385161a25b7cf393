# oracle: TFV102
# fix: safe
# before: {"error": "RuntimeError", "value": [[1.0, 1.0], [1.0, 1.0]]}
# after: {"error": null, "value": [[0.5, 0.5], [0.5, 0.5]]}
"""Case 2 with a matrix variable and a scalar operand: `w -= 0.5` raises RuntimeError. The fix must
keep the broadcast (`w.assign(w - 0.5)`): a tf.Variable's `assign_sub(0.5)` raises
InvalidArgumentError on a 2x2 variable."""
import json

import tensorflow as tf

w = tf.Variable(tf.ones((2, 2)))
error = None
try:
    w -= 0.5
except Exception as exc:  # noqa: BLE001 - RuntimeError as written; any error after the fix is a failure
    error = type(exc).__name__
print("RESULT " + json.dumps({"error": error, "value": w.numpy().tolist()}))
