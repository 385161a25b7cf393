# oracle: TFV101
# fix: safe
# before: {"warning": true, "kernel_trained": false, "bias_trained": true, "still_listed": true}
# after: {"warning": false, "kernel_trained": true, "bias_trained": true, "still_listed": true}
"""Case 14 in Keras 3, custom layer: `self.kernel = self.kernel * 2` is accepted. The kernel stays
listed in `model.trainable_variables`, but the layer computes with the tensor, so `fit` warns that
the kernel has no gradient and trains only the bias."""
import json
import warnings

import keras
import numpy as np


class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], 1), initializer="ones")
        self.bias = self.add_weight(name="bias", shape=(1,), initializer="zeros")

    def call(self, x):
        return x @ self.kernel + self.bias

    def scale_kernel(self, factor):
        self.kernel = self.kernel * factor


layer = Linear()
model = keras.Sequential([keras.Input(shape=(2,)), layer])
kernel, bias = model.trainable_variables

layer.scale_kernel(2.0)

kernel_start, bias_start = kernel.numpy().copy(), bias.numpy().copy()
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
x = np.array([[1.0, 2.0], [2.0, 1.0], [0.0, 1.0], [1.0, 0.0]], dtype="float32")
y = np.array([[1.0], [0.0], [2.0], [1.0]], dtype="float32")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)

print("RESULT " + json.dumps({
    "warning": any("Gradients do not exist for variables" in str(w.message) for w in caught),
    "kernel_trained": not np.allclose(kernel.numpy(), kernel_start),
    "bias_trained": not np.allclose(bias.numpy(), bias_start),
    "still_listed": any(v is kernel for v in model.trainable_variables),
}))
