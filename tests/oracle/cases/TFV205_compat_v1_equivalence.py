# oracle: TFV205
# fix: safe
# before: {"v": 3.5, "table": [[2.0, 1.0], [9.0, 0.0], [3.0, 3.0]], "batch": [[1.0, 7.0], [8.0, 0.0]], "traced": 2.0, "keras_error": "AttributeError: 'str' object has no attribute '_is_ref_dtype'"}
# after: {"v": 3.5, "table": [[2.0, 1.0], [9.0, 0.0], [3.0, 3.0]], "batch": [[1.0, 7.0], [8.0, 0.0]], "traced": 2.0, "keras_error": null, "kv": 2.0}
# tf-semantics case 5: tf.compat.v1.assign* works on a tf.Variable (eagerly and in tf.function); the
# method forms the fix writes compute the same values, and also work on a Keras 3 variable, where
# the TF1 function raises.
import json

import keras
import tensorflow as tf

v = tf.Variable(1.0)
tf.compat.v1.assign(v, 2.0, validate_shape=True)
tf.compat.v1.assign_add(v, 2.0, use_locking=True, name="add")
tf.compat.v1.assign_sub(v, 0.5)

table = tf.Variable(tf.zeros((3, 2)))
tf.compat.v1.scatter_update(table, [0], [[1.0, 1.0]])
tf.compat.v1.scatter_add(table, [0, 2], [[1.0, 0.0], [3.0, 3.0]])
tf.compat.v1.scatter_max(table, [1], [[9.0, -1.0]])
tf.compat.v1.scatter_nd_add(table, [[1, 1]], [0.0], use_locking=False)

batch = tf.Variable(tf.zeros((2, 2)))
tf.compat.v1.batch_scatter_update(batch, [[1], [0]], [[7.0], [8.0]])
tf.compat.v1.scatter_nd_update(batch, [[0, 0]], [1.0])

counter = tf.Variable(0.0)


@tf.function
def tick():
    tf.compat.v1.assign_add(counter, 1.0)


tick()
tick()
result = {
    "v": round(float(v.numpy()), 4),
    "table": table.numpy().astype(float).round(4).tolist(),
    "batch": batch.numpy().astype(float).round(4).tolist(),
    "traced": round(float(counter.numpy()), 4),
    "keras_error": None,
}
kv = keras.Variable(1.0)
try:
    tf.compat.v1.assign(kv, 2.0)
    result["kv"] = round(float(kv.numpy()), 4)
except AttributeError as exc:
    result["keras_error"] = f"{type(exc).__name__}: {exc}"
print("RESULT " + json.dumps(result))
