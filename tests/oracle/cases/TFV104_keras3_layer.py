# oracle: TFV104
# fix: unsafe
# before: {"grads": [null], "tracked": ["w"], "tracked_w": 1.0}
# after: {"grads": [4.0], "tracked": ["w"], "tracked_w": 0.5}
"""Case 13 in Keras 3: `self.w = tf.constant(0.5)` in a reset method replaces the `add_weight` weight with
a tensor. The weight stays listed in `trainable_weights`, but the layer no longer uses it: its
gradient is None, so nothing trains it again."""
import json

import keras
import tensorflow as tf


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), initializer="ones")

    def call(self, x):
        return self.w * x

    def reset(self):
        self.w = tf.constant(0.5)


layer = Scale()
layer(tf.constant(1.0))
layer.reset()
with tf.GradientTape() as tape:
    loss = layer(tf.constant(2.0)) ** 2
grads = tape.gradient(loss, layer.trainable_weights)
print("RESULT " + json.dumps({
    "grads": [None if g is None else round(float(g), 4) for g in grads],
    "tracked": [v.name for v in layer.trainable_weights],
    "tracked_w": round(float(layer.trainable_weights[0].numpy()), 4),
}))
