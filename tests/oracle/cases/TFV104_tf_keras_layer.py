# oracle: TFV104
# fix: unsafe
# before: {"trainable_counts": [1, 0], "weights": []}
# after: {"trainable_counts": [1, 1], "weights": ["scale/w:0"], "w": 0.5}
"""Case 13 in tf_keras (Keras 2): `self.w = tf.constant(0.5)` in a reset method silently drops the
weight from the layer's `trainable_weights` and `weights`."""
import json

import tensorflow as tf
import tf_keras


class Scale(tf_keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), initializer="ones")

    def call(self, x):
        return self.w * x

    def reset(self):
        self.w = tf.constant(0.5)


layer = Scale(name="scale")
layer(tf.constant(1.0))
counts = [len(layer.trainable_weights)]
layer.reset()
counts.append(len(layer.trainable_weights))
print("RESULT " + json.dumps({"trainable_counts": counts, "weights": [v.name for v in layer.weights],
                              "w": round(float(layer.w.numpy()), 4)}))
