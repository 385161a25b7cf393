# oracle: TFV302
# fix: unsafe
# before: {"before": 1.0, "traced_after": 1.0, "eager_after": 5.0}
# after: {"before": 1.0, "traced_after": 5.0, "eager_after": 5.0}
"""Case 8c on a built Keras 3 layer: `layer.w = tf.Variable(5.0)` is accepted, `predict` keeps the
old variable (its traced function is cached) while an eager call uses the new one.
`layer.w.assign(5.0)` is seen by both."""
import json

import keras
import numpy as np
import tensorflow as tf


class Scale(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(1.0, trainable=False)

    def call(self, x):
        return x * self.w


layer = Scale()
model = keras.Sequential([keras.Input((1,)), layer])
x = np.ones((1, 1), "float32")
before = float(model.predict(x, verbose=0)[0, 0])
layer.w = tf.Variable(5.0, trainable=False)
traced_after = float(model.predict(x, verbose=0)[0, 0])
eager_after = float(layer(tf.ones((1, 1)))[0, 0])
print("RESULT " + json.dumps({"before": before, "traced_after": traced_after, "eager_after": eager_after}))
