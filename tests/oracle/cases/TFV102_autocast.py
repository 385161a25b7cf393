# oracle: TFV102
# fix: safe
# before: {"error": null, "kernel_type": "EagerTensor", "tracked_kernel": 1.0}
# after: {"error": null, "kernel_type": "AutoCastVariable", "tracked_kernel": 0.5}
"""Case 2': under tf_keras mixed precision (`mixed_float16`) a Dense kernel is an AutoCastVariable,
which does not raise on `-=` like a plain tf.Variable: `dense.kernel -= 0.5` silently rebinds the
attribute to a tensor, and the tracked kernel keeps its old value."""
import json

import numpy as np
import tf_keras

tf_keras.mixed_precision.set_global_policy("mixed_float16")
dense = tf_keras.layers.Dense(1, kernel_initializer="ones")
model = tf_keras.Sequential([tf_keras.Input(shape=(1,)), dense])
tracked = model.weights[0]
error = None
try:
    dense.kernel -= 0.5
except Exception as exc:  # noqa: BLE001 - the claim is that nothing is raised
    error = type(exc).__name__
print("RESULT " + json.dumps({"error": error, "kernel_type": type(dense.kernel).__name__,
                              "tracked_kernel": round(float(np.asarray(tracked.numpy())[0, 0]), 4)}))
