# oracle: TFV306
# fix: none
# before: {"eager": 6.0, "fit_error": "NotImplementedError", "symbolic": true, "dataset_error": "NotImplementedError"}
"""`np.asarray(x)` of a graph tensor: a metric's helper converts what `isinstance(x, tf.Tensor)`
says is a tensor. Called eagerly it works; under `fit` (Keras traces `update_state`) and in a
`Dataset.map` function it raises "NotImplementedError: Cannot convert a symbolic tf.Tensor ... to a
numpy array"."""
import json

import keras
import numpy as np
import tensorflow as tf


def to_numpy(x):
    if isinstance(x, tf.Tensor):
        return np.asarray(x)
    return np.array(x)


class Total(keras.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_weight(name="total", shape=(), initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(float(to_numpy(tf.reduce_sum(y_pred))))

    def result(self):
        return self.total


def doubled(x):
    return np.asarray(x * 2.0)


result = {"eager": float(to_numpy(tf.constant([1.0, 2.0, 3.0])).sum())}
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
model.compile("sgd", "mse", metrics=[Total()])
try:
    model.fit(np.ones((4, 2), "float32"), np.ones((4, 2), "float32"), verbose=0)
except NotImplementedError as exc:
    result["fit_error"] = type(exc).__name__
    result["symbolic"] = "Cannot convert a symbolic tf.Tensor" in str(exc)
try:
    tf.data.Dataset.from_tensor_slices([1.0]).map(doubled)
except NotImplementedError as exc:
    result["dataset_error"] = type(exc).__name__
print("RESULT " + json.dumps(result))
