# oracle: TFV402
# fix: unsafe
# before: {"count_trainable": true, "warned": true, "seen": 2}
# after: {"count_trainable": false, "warned": false, "seen": 2}
# tf-semantics case 9: a Keras 3 add_weight(dtype="int32") is trainable by default, so fit hands it to
# the optimizer and warns "Gradients do not exist"; with trainable=False the counter still counts.
import json
import warnings

import keras
import numpy as np
import tensorflow as tf


class Counting(keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 1))
        self.seen = self.add_weight(shape=(), dtype="int32", initializer="zeros")

    def call(self, x):
        self.seen.assign_add(1)
        return tf.matmul(x, self.kernel)


layer = Counting()
model = keras.Sequential([keras.Input((3,)), layer])
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model.fit(np.ones((4, 3)), np.ones((4, 1)), batch_size=2, epochs=1, verbose=0)
result = {
    "count_trainable": any(w is layer.seen for w in model.trainable_weights),
    "warned": any("Gradients do not exist" in str(w.message) for w in caught),
    "seen": int(layer.seen.numpy()),
}
print("RESULT " + json.dumps(result))
