# oracle: TFV204
# fix: unsafe
# before: {"v": [-1.0, 0.5, 2.0], "kv": [-1.0, 2.0], "w": [1.0, -1.0]}
# after: {"v": [0.0, 0.5, 1.0], "kv": [0.0, 1.0], "w": [1.0, 0.0]}
# tf-semantics case 12: a pure op on a variable as a bare statement has no effect, eagerly and in
# tf.function; the fix writes the result into the variable.
import json

import keras
import tensorflow as tf

v = tf.Variable([-1.0, 0.5, 2.0])
tf.clip_by_value(v, 0.0, 1.0)
kv = keras.Variable([-1.0, 2.0])
keras.ops.clip(kv, 0.0, 1.0)
w = tf.Variable([1.0, -1.0])


@tf.function
def constrain():
    tf.nn.relu(w)


constrain()
result = {"v": v.numpy().astype(float).round(4).tolist(), "kv": kv.numpy().astype(float).round(4).tolist(), "w": w.numpy().astype(float).round(4).tolist()}
print("RESULT " + json.dumps(result))
