# oracle: TFV205
# fix: safe
# before: {"errors": ["AttributeError: module 'tensorflow' has no attribute 'assign'", "AttributeError: module 'tensorflow' has no attribute 'assign_add'", "AttributeError: module 'tensorflow' has no attribute 'assign_sub'", "AttributeError: module 'tensorflow' has no attribute 'scatter_update'", "AttributeError: module 'tensorflow' has no attribute 'scatter_nd_update'"], "v": 1.0, "table": [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]}
# after: {"errors": [null, null, null, null, null], "v": 2.5, "table": [[1.0, 1.0], [0.0, 0.0], [0.0, 5.0]]}
# tf-semantics case 5: tf.assign and the TF1 scatter functions are gone from TF2; the method forms work.
import json

import tensorflow as tf

v = tf.Variable(1.0)
table = tf.Variable(tf.zeros((3, 2)))
errors = []


def attempt(update):
    try:
        update()
        errors.append(None)
    except AttributeError as exc:
        errors.append(f"{type(exc).__name__}: {exc}")


def set_value():
    tf.assign(v, 2.0, validate_shape=True, name="set")


def add():
    tf.assign_add(v, 1.0, use_locking=True)


def subtract():
    tf.assign_sub(ref=v, value=0.5)


def rows():
    tf.scatter_update(table, [0], [[1.0, 1.0]])


def cells():
    tf.scatter_nd_update(table, [[2, 1]], [5.0])


for update in (set_value, add, subtract, rows, cells):
    attempt(update)
result = {"errors": errors, "v": round(float(v.numpy()), 4), "table": table.numpy().astype(float).round(4).tolist()}
print("RESULT " + json.dumps(result))
