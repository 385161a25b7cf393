# oracle: TFV101
# fix: safe
# before: {"trainable": ["dense/bias:0"], "kernel_after_update": 1.0, "kernel_trained": false, "bias_trained": true}
# after: {"trainable": ["dense/kernel:0", "dense/bias:0"], "kernel_after_update": 2.0, "kernel_trained": true, "bias_trained": true}
"""Case 14 in tf_keras: `layer.kernel = layer.kernel * 2` on a built Dense layer silently removes the
kernel from `model.trainable_variables`; `fit` then trains only the bias, without a warning."""
import json

import numpy as np
import tf_keras

dense = tf_keras.layers.Dense(1, kernel_initializer="ones", name="dense")
model = tf_keras.Sequential([tf_keras.Input(shape=(2,)), dense])
kernel, bias = model.trainable_variables

dense.kernel = dense.kernel * 2

kernel_after_update = float(kernel.numpy()[0, 0])
kernel_start, bias_start = kernel.numpy().copy(), bias.numpy().copy()
model.compile(optimizer=tf_keras.optimizers.SGD(0.05), loss="mse")
x = np.array([[1.0, 2.0], [2.0, 1.0], [0.0, 1.0], [1.0, 0.0]], dtype="float32")
y = np.array([[1.0], [0.0], [2.0], [1.0]], dtype="float32")
model.fit(x, y, epochs=2, batch_size=4, verbose=0)

print("RESULT " + json.dumps({
    "trainable": [v.name for v in model.trainable_variables],
    "kernel_after_update": round(kernel_after_update, 4),
    "kernel_trained": not np.allclose(kernel.numpy(), kernel_start),
    "bias_trained": not np.allclose(bias.numpy(), bias_start),
}))
