# oracle: TFV303
# fix: none
# before: {"first_call": "ValueError", "singleton": true, "second_call": "ValueError", "lazy": [1.0, 2.0, 3.0]}
"""Case 8d: an unguarded tf.Variable in a tf.function raises already on the first call (TensorFlow
traces twice when variables are created), and again on every later call; the lazy guard on a
global works."""
import json

import tensorflow as tf


@tf.function
def step(x):
    v = tf.Variable(1.0)
    v.assign_add(x)
    return v


errors = []
for _ in range(2):
    try:
        step(tf.constant(1.0))
        errors.append(None)
    except ValueError as exc:
        errors.append((type(exc).__name__, "only supports singleton tf.Variables created on the first call" in str(exc)))

counter = None


@tf.function
def lazy(x):
    global counter
    if counter is None:
        counter = tf.Variable(0.0)
    counter.assign_add(x)
    return counter.read_value()


lazy_values = [float(lazy(tf.constant(1.0))) for _ in range(3)]
print("RESULT " + json.dumps({"first_call": errors[0] and errors[0][0], "singleton": bool(errors[0] and errors[0][1]),
                              "second_call": errors[1] and errors[1][0], "lazy": lazy_values}))
