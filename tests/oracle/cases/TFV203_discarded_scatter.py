# oracle: TFV203
# fix: safe
# before: {"var": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "kv": [[1.0, 2.0], [3.0, 4.0]], "in_function": [0.0, 0.0, 0.0]}
# after: {"var": [[-1.0, 0.0, 0.0], [0.0, 0.0, -2.0]], "kv": [[1.0, 2.0], [3.0, 3.0]], "in_function": [0.0, 1.0, 0.0]}
# tf-semantics case 7: tensor_scatter_nd_* is pure; as a bare statement the variable does not change.
# The fix writes the result back with `.assign`, which works for tf.Variable and keras.Variable.
import json

import keras
import tensorflow as tf

var = tf.Variable(tf.zeros((2, 3)))
tf.tensor_scatter_nd_update(var, [[0, 0], [1, 2]], [-1.0, -2.0])

kv = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
tf.tensor_scatter_nd_sub(kv, [[1, 1]], [1.0])

counts = tf.Variable([0.0, 0.0, 0.0])


@tf.function
def bump(index):
    tf.tensor_scatter_nd_add(counts, [[index]], [1.0])


bump(1)
result = {
    "var": var.numpy().astype(float).round(4).tolist(),
    "kv": kv.numpy().astype(float).round(4).tolist(),
    "in_function": counts.numpy().astype(float).round(4).tolist(),
}
print("RESULT " + json.dumps(result))
