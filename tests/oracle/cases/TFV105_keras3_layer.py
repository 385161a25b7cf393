# oracle: TFV105
# fix: unsafe
# before: {"error": "ValueError", "message": "You cannot add new elements of state (variables or sub-layers) to a layer that is already built", "output": 1.0}
# after: {"error": null, "output": 0.5, "tracked": ["w"]}
"""Case 13: re-creating a weight of a built Keras 3 layer (`self.w = keras.Variable(...)` outside
`__init__`/`build`) raises ValueError ("You cannot add new elements of state ... to a layer that is
already built")."""
import json

import keras
import tensorflow as tf


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), initializer="ones")

    def call(self, x):
        return self.w * x

    def halve(self):
        self.w = keras.Variable(self.w * 0.5)


layer = Scale()
layer(tf.constant(1.0))
error, message = None, None
try:
    layer.halve()
except ValueError as exc:
    error, message = type(exc).__name__, str(exc).split(". ")[0]
print("RESULT " + json.dumps({"error": error, "message": message,
                              "output": round(float(layer(tf.constant(1.0))), 4),
                              "tracked": [v.name for v in layer.trainable_weights]}))
