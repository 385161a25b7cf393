# oracle: TFV203
# fix: none
# before: {"var1_unchanged": true, "var2_unchanged": true, "returned_unchanged": true}
# tf-semantics case 7: the result bound to a name that is only printed, never used, or returned to a
# caller that drops it: the variable never changes.
import json

import tensorflow as tf

var1 = tf.Variable(tf.zeros((2, 2)))
var2 = tf.Variable(tf.zeros((2, 2)))
updated = tf.tensor_scatter_nd_update(var1, [[0, 1]], [3.0])
print("after update:", updated.numpy().tolist())
unused = tf.tensor_scatter_nd_add(var2, [[0, 0]], [1.0])


def mark(row):
    return tf.tensor_scatter_nd_update(var1, [[row, row]], [9.0])


mark(0)
result = {
    "var1_unchanged": bool(tf.reduce_all(var1 == 0.0)),
    "var2_unchanged": bool(tf.reduce_all(var2 == 0.0)),
    "returned_unchanged": bool(var1[0, 0] == 0.0),
}
print("RESULT " + json.dumps(result))
