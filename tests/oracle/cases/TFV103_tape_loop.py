# oracle: TFV103
# fix: safe
# before: {"grads": [6.0, null], "error": "TypeError", "type": "_UnreadVariable"}
# after: {"grads": [6.0, 4.8, 3.84], "error": null, "value": 1.536, "type": "ResourceVariable"}
"""Case 15: `v = v.assign_sub(lr * g)` updates the variable but rebinds `v` to the `_UnreadVariable`
that assign_sub returns. The tape does not watch reads through it, so the gradient is None on the
next step and the update line fails on it."""
import json

import tensorflow as tf

v = tf.Variable(3.0)
grads, error = [], None
try:
    for step in range(3):
        with tf.GradientTape() as tape:
            loss = v * v
        grad = tape.gradient(loss, v)
        grads.append(None if grad is None else round(float(grad), 4))
        v = v.assign_sub(0.1 * grad)
except TypeError as exc:
    error = type(exc).__name__
print("RESULT " + json.dumps({"grads": grads, "error": error, "value": round(float(v.numpy()), 4),
                              "type": type(v).__name__}))
