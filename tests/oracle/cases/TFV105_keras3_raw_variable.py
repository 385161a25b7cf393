# oracle: TFV105
# fix: unsafe
# before: {"error": null, "tracked_w": 1.0, "output": 0.5, "grads": [null]}
# after: {"error": null, "tracked_w": 0.5, "output": 0.5, "grads": [2.0]}
"""Case 13: on a built Keras 3 layer, a raw `self.w = tf.Variable(...)` is accepted but never tracked:
the layer computes with the new variable while `trainable_weights` keeps the old one, whose
gradient is None, so training updates nothing the layer uses."""
import json

import keras
import tensorflow as tf


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), initializer="ones")

    def call(self, x):
        return self.w * x

    def halve(self):
        self.w = tf.Variable(self.w * 0.5)


layer = Scale()
layer(tf.constant(1.0))
error = None
try:
    layer.halve()
except Exception as exc:  # noqa: BLE001 - the claim is that nothing is raised
    error = type(exc).__name__
with tf.GradientTape() as tape:
    output = layer(tf.constant(2.0))
grads = tape.gradient(output, layer.trainable_weights)
print("RESULT " + json.dumps({
    "error": error,
    "tracked_w": round(float(layer.trainable_weights[0].numpy()), 4),
    "output": round(float(output) / 2.0, 4),
    "grads": [None if g is None else round(float(g), 4) for g in grads],
}))
