# oracle: TFV101
# fix: safe
# before: {"grads": [6.0, null], "error": "TypeError", "still_variable": false}
# after: {"grads": [6.0, 4.8, 3.84], "values": [2.4, 1.92, 1.536], "error": null, "still_variable": true}
"""Case 1: `v = v - lr * grad` in a GradientTape loop. From the second step on, `v` is a tensor:
the tape returns a None gradient and the update line fails on it."""
import json

import tensorflow as tf

v = tf.Variable(3.0)
grads, values, error = [], [], None
try:
    for step in range(3):
        with tf.GradientTape() as tape:
            loss = v * v
        grad = tape.gradient(loss, v)
        grads.append(None if grad is None else round(float(grad), 4))
        v = v - 0.1 * grad
        values.append(round(float(v.numpy()), 4))
except TypeError as exc:
    error = type(exc).__name__
print("RESULT " + json.dumps({"grads": grads, "values": values, "error": error,
                              "still_variable": isinstance(v, tf.Variable)}))
