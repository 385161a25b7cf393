# oracle: TFV102
# fix: safe
# before: {"error": null, "tracked": ["bias"], "tracked_bias": 0.0, "bias_is_variable": false, "output": 3.0}
# after: {"error": null, "tracked": ["bias"], "tracked_bias": 2.0, "bias_is_variable": true, "output": 3.0}
"""Case 2' in Keras 3: `add_weight` returns a `keras.Variable`, which does not override `+=`. So
`self.bias += 1.0` raises nothing and silently turns the attribute into a tensor: the layer computes
with the tensor while the tracked weight (the one saved and trained) is orphaned at its old value."""
import json

import keras
import tensorflow as tf


class Shift(keras.layers.Layer):
    def build(self, input_shape):
        self.bias = self.add_weight(name="bias", shape=(), initializer="zeros")

    def call(self, x):
        return x + self.bias

    def nudge(self, amount):
        self.bias += amount


layer = Shift()
layer(tf.constant(1.0))
error = None
try:
    layer.nudge(1.0)
    layer.nudge(1.0)
except Exception as exc:  # noqa: BLE001 - the claim is that nothing is raised
    error = type(exc).__name__
print("RESULT " + json.dumps({
    "error": error,
    "tracked": [v.name for v in layer.trainable_weights],
    "tracked_bias": round(float(layer.trainable_weights[0].numpy()), 4),
    "bias_is_variable": isinstance(layer.bias, keras.Variable),
    "output": round(float(layer(tf.constant(1.0))), 4),
}))
