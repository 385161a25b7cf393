# oracle: TFV101
# fix: safe
# before: {"tracked": ["w"], "grads": [2.0, null, null], "tracked_w": 1.0, "w_is_variable": false}
# after: {"tracked": ["w"], "grads": [2.0, 1.6, 1.28], "tracked_w": 0.512, "w_is_variable": true}
"""Case 3 in Keras 3: a layer whose weight comes from `add_weight` (a `keras.Variable`) rebinds it
with `self.w = self.w - lr * g`. The weight stays listed in `trainable_weights` but is orphaned: its
gradient is None from the second step on and it keeps its first value."""
import json

import keras
import tensorflow as tf


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), initializer="ones")

    def call(self, x):
        return self.w * x

    def sgd_step(self, grad, lr):
        self.w = self.w - lr * grad


layer = Scale()
layer(tf.constant(1.0))
grads = []
for step in range(3):
    with tf.GradientTape() as tape:
        loss = layer(tf.constant(1.0)) ** 2
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    grads.append(None if grad is None else round(float(grad), 4))
    layer.sgd_step(grad if grad is not None else 0.0, 0.1)

print("RESULT " + json.dumps({"tracked": [v.name for v in layer.trainable_weights], "grads": grads,
                              "tracked_w": round(float(layer.trainable_weights[0].numpy()), 4),
                              "w_is_variable": isinstance(layer.w, keras.Variable)}))
