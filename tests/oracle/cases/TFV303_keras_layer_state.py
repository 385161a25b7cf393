# oracle: TFV303
# fix: none
# before: {"add_weight_eager": "ValueError", "already_built": true, "dense_in_function": "ValueError", "singleton": true, "flatten_in_function": 6}
"""Case 8d for Keras 3: `self.add_weight` inside `call` raises even eagerly ("cannot add new
elements of state"); a Dense layer created and called inside a tf.function raises the singleton
ValueError; Flatten, which makes no variables, works there."""
import json

import keras
import tensorflow as tf


class Bad(keras.layers.Layer):
    def call(self, x):
        w = self.add_weight(shape=(), initializer="ones")
        return x * w


result = {}
try:
    Bad()(tf.ones((1, 2)))
except ValueError as exc:
    result["add_weight_eager"] = type(exc).__name__
    result["already_built"] = "You cannot add new elements of state" in str(exc)


@tf.function
def dense(x):
    return keras.layers.Dense(2)(x)


try:
    dense(tf.ones((1, 3)))
except ValueError as exc:
    result["dense_in_function"] = type(exc).__name__
    result["singleton"] = "only supports singleton tf.Variables" in str(exc)


@tf.function
def flat(x):
    return keras.layers.Flatten()(x)


result["flatten_in_function"] = int(flat(tf.ones((1, 3, 2))).shape[-1])
print("RESULT " + json.dumps(result))
