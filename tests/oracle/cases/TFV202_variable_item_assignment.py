# oracle: TFV202
# fix: safe
# before: {"errors": ["TypeError: 'ResourceVariable' object does not support item assignment", "TypeError: 'ResourceVariable' object does not support item assignment", "TypeError: 'ResourceVariable' object does not support item assignment", "TypeError: 'ResourceVariable' object does not support item assignment", "TypeError: 'Variable' object does not support item assignment"], "v": [1.0, 2.0, 3.0, 4.0], "grid": [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], "kv": [[1.0, 2.0], [3.0, 4.0]]}
# after: {"errors": [null, null, null, null, null], "v": [5.0, 6.0, 7.0, 5.0], "grid": [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]], "kv": [[9.0, 9.0], [3.0, 4.0]]}
# tf-semantics case 6': item assignment on a variable raises TypeError; sliced assignment writes.
import json

import keras
import tensorflow as tf

v = tf.Variable([1.0, 2.0, 3.0, 4.0])
grid = tf.Variable(tf.ones((2, 3)))
kv = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
errors = []


def attempt(update):
    try:
        update()
        errors.append(None)
    except TypeError as exc:
        errors.append(f"{type(exc).__name__}: {exc}")


def first():
    v[0] = 5.0


def middle():
    v[1:3] = [6.0, 7.0]


def last():
    v[-1] += 1.0


def columns():
    grid[:, ::2] = tf.zeros((2, 2))


def keras_row():
    kv[0] = [9.0, 9.0]


for update in (first, middle, last, columns, keras_row):
    attempt(update)
result = {
    "errors": errors,
    "v": v.numpy().astype(float).round(4).tolist(),
    "grid": grid.numpy().astype(float).round(4).tolist(),
    "kv": kv.numpy().astype(float).round(4).tolist(),
}
print("RESULT " + json.dumps(result))
