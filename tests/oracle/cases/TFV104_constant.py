# oracle: TFV104
# fix: unsafe
# before: {"error": "AttributeError", "message": "'tensorflow.python.framework.ops.EagerTensor' object has no attribute 'assign'", "value": 20.0}
# after: {"error": null, "value": 30.0}
"""Case 1b: `v = tf.constant(20.0)` after `v = tf.Variable(10.0)` silently rebinds `v` to a tensor;
the later `v.assign(30.0)` raises AttributeError."""
import json

import tensorflow as tf

v = tf.Variable(10.0)
v = tf.constant(20.0)
error, message = None, None
try:
    v.assign(30.0)
except AttributeError as exc:
    error, message = type(exc).__name__, str(exc)
print("RESULT " + json.dumps({"error": error, "message": message, "value": round(float(v.numpy()), 4)}))
