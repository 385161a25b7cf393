# oracle: TFV201
# fix: safe
# before: {"error": "AttributeError: module 'tensorflow' has no attribute 'assign'", "a": [0.0, 0.0], "b": [0.0]}
# after: {"error": null, "a": [1.0, 2.0], "b": [3.0], "a_in_function": [4.0, 5.0], "b_in_function": [6.0]}
# TFV201 and TFV205 on one call: `tf.assign(tf.concat(...), x)`. Both fixes compose (TFV205 turns the
# function into the method, TFV201 splits the value), also inside a tf.function.
import json

import tensorflow as tf

a = tf.Variable([0.0, 0.0])
b = tf.Variable([0.0])
error = None
try:
    tf.assign(tf.concat([a, b], axis=0), tf.constant([1.0, 2.0, 3.0]))
except AttributeError as exc:
    error = f"{type(exc).__name__}: {exc}"
result = {"error": error, "a": a.numpy().astype(float).round(4).tolist(), "b": b.numpy().astype(float).round(4).tolist()}


@tf.function
def set_both(value):
    tf.compat.v1.assign(tf.concat([a, b], 0), value)


try:
    set_both(tf.constant([4.0, 5.0, 6.0]))
    result["a_in_function"] = a.numpy().astype(float).round(4).tolist()
    result["b_in_function"] = b.numpy().astype(float).round(4).tolist()
except AttributeError as exc:
    result["error_in_function"] = type(exc).__name__
print("RESULT " + json.dumps(result))
