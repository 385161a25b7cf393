# oracle: TFV303
# fix: none
# before: {"first_call": "ValueError", "singleton": true, "second_call": "ValueError", "lazy": [1.0, 2.0, 3.0], "lazy_by_key": [1.0, 2.0, 3.0], "new_key_later": "ValueError"}
"""Case 8d: an unguarded tf.Variable in a tf.function raises already on the first call (TensorFlow
traces twice when variables are created), and again on every later call; the lazy guard on a
global works, and so does a cache by key (`if name not in cache:`), filled on the first trace;
a key first asked on a later trace raises there, loudly."""
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

counters = {}


@tf.function
def lazy_by_key(x, name="steps"):
    if name not in counters:
        counters[name] = tf.Variable(0.0)
    counters[name].assign_add(x)
    return counters[name].read_value()


by_key_values = [float(lazy_by_key(tf.constant(1.0))) for _ in range(3)]
try:
    lazy_by_key(tf.constant(1.0), name="other")
    new_key_later = None
except ValueError as exc:
    new_key_later = type(exc).__name__
print("RESULT " + json.dumps({"first_call": errors[0] and errors[0][0], "singleton": bool(errors[0] and errors[0][1]),
                              "second_call": errors[1] and errors[1][0], "lazy": lazy_values,
                              "lazy_by_key": by_key_values, "new_key_later": new_key_later}))
