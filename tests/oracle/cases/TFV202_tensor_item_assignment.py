# oracle: TFV202
# fix: none
# before: {"eager": "TypeError: 'tensorflow.python.framework.ops.EagerTensor' object does not support item assignment", "traced": "TypeError"}
# Tensors are immutable: item assignment raises TypeError eagerly and inside tf.function.
import json

import tensorflow as tf

result = {}
t = tf.zeros((3,))
try:
    t[0] = 1.0
except TypeError as exc:
    result["eager"] = f"{type(exc).__name__}: {exc}"


@tf.function
def step(x):
    out = tf.nn.relu(x)
    out[0] = 0.0
    return out


try:
    step(tf.ones((3,)))
except TypeError as exc:
    result["traced"] = type(exc).__name__
print("RESULT " + json.dumps(result))
