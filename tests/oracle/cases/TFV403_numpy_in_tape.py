# oracle: TFV403
# fix: unsafe
# before: {"numpy_grad": null, "numpy_scalar_error": "AttributeError: 'numpy.float32' object has no attribute '_id'", "float_error": "AttributeError: 'float' object has no attribute 'dtype'", "intermediate_grad": null}
# after: {"numpy_grad": 6.0, "numpy_scalar_error": null, "numpy_scalar_grad": 6.0, "float_error": null, "float_grad": 6.0, "intermediate_grad": 24.0}
# tf-semantics case 11: leaving TensorFlow inside the tape: the gradient is silently None, or
# tape.gradient raises when the loss itself is a NumPy or Python number. The fix keeps tensors.
import json

import tensorflow as tf


def grad_or_none(grad):
    return None if grad is None else round(float(grad), 4)


w = tf.Variable(3.0)
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w.numpy() ** 2)
result = {"numpy_grad": grad_or_none(tape.gradient(loss, w)), "numpy_scalar_error": None, "float_error": None}

with tf.GradientTape() as tape:
    loss = w.numpy() ** 2
try:
    result["numpy_scalar_grad"] = grad_or_none(tape.gradient(loss, w))
except AttributeError as exc:
    result["numpy_scalar_error"] = f"{type(exc).__name__}: {exc}"

with tf.GradientTape() as tape:
    loss = float(w) ** 2
try:
    result["float_grad"] = grad_or_none(tape.gradient(loss, w))
except AttributeError as exc:
    result["float_error"] = f"{type(exc).__name__}: {exc}"

with tf.GradientTape() as tape:
    h = w * 2.0
    loss = tf.reduce_sum(h.numpy() ** 2)
result["intermediate_grad"] = grad_or_none(tape.gradient(loss, w))
print("RESULT " + json.dumps(result))
