# oracle: TFV101
# fix: safe
# before: {"tracked_counts": [1, 0, 0], "w": 0.8, "weights": []}
# after: {"tracked_counts": [1, 1, 1], "w": 0.512, "weights": ["scale/w:0"]}
"""Case 3 in tf_keras (Keras 2): rebinding `self.w = self.w - lr * g` silently drops the weight from
`trainable_weights`, so a loop over the trainable weights stops training it."""
import json

import tensorflow as tf
import tf_keras


class Scale(tf_keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), initializer="ones")

    def call(self, x):
        return self.w * x

    def sgd_step(self, grads, lr):
        for grad in grads:
            self.w = self.w - lr * grad


layer = Scale(name="scale")
layer(tf.constant(1.0))
counts = []
for step in range(3):
    counts.append(len(layer.trainable_weights))
    with tf.GradientTape() as tape:
        loss = layer(tf.constant(1.0)) ** 2
    layer.sgd_step(tape.gradient(loss, layer.trainable_weights), 0.1)

print("RESULT " + json.dumps({"tracked_counts": counts, "w": round(float(layer.w), 4),
                              "weights": [v.name for v in layer.weights]}))
