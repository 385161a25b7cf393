# oracle: TFV201
# fix: safe
# before: {"error": "AttributeError", "var1": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "var2": [[0.0, 0.0], [0.0, 0.0]], "concat_is_new": false}
# after: {"error": null, "var1": [[0.0, 1.0, 2.0], [5.0, 6.0, 7.0]], "var2": [[3.0, 4.0], [8.0, 9.0]], "concat_is_new": true}
# tf-semantics case 6: `.assign` on a tf.concat of variables raises AttributeError and changes
# nothing; the fix splits the value by the variables' own shapes and assigns each its part.
import json

import tensorflow as tf

var1 = tf.Variable(tf.zeros((2, 3)))
var2 = tf.Variable(tf.zeros((2, 2)))
new = tf.reshape(tf.range(10.0), (2, 5))
both = tf.concat([var1, var2], axis=1)
error = None
try:
    both.assign(new)
except AttributeError as exc:
    error = type(exc).__name__

result = {
    "error": error,
    "var1": var1.numpy().astype(float).round(4).tolist(),
    "var2": var2.numpy().astype(float).round(4).tolist(),
    "concat_is_new": bool(tf.reduce_all(tf.concat([var1, var2], axis=1) == new)),
}
print("RESULT " + json.dumps(result))
