# oracle: TFV105
# fix: unsafe
# before: {"per_class_after_reset": [0.0, 0.0], "old_slot": 2.0, "traces": 1, "error": "ValueError", "message": "Unknown variable"}
# after: {"per_class_after_reset": [1.0, 1.0], "old_slot": 1.0, "traces": 1, "error": null, "message": null}
"""A metric's per-class variables kept in a list, "reset" by putting new variables in the slots.
The traced `update_state` read the list while tracing and keeps updating the old variables: after
the reset, one update leaves `result()` at 0.0 while the old variable went on to 2.0, with one
trace. A Keras 3 optimizer built for the list's variables rejects the new ones ("Unknown
variable"). Assigning 0.0 into the slots keeps one set of variables, and the update counts."""
import json

import keras
import tensorflow as tf


class PerClassCount:
    def __init__(self, num_classes):
        self._num_classes = num_classes
        self._counts = [tf.Variable(0.0) for _ in range(num_classes)]

    @tf.function
    def update_state(self, x):
        for class_id in range(self._num_classes):
            self._counts[class_id].assign_add(x)

    def result(self):
        return [float(c.numpy()) for c in self._counts]

    def reset_states(self):
        for class_id in range(self._num_classes):
            self._counts[class_id] = tf.Variable(0.0)


metric = PerClassCount(2)
metric.update_state(tf.constant(1.0))
old = metric._counts[0]
metric.reset_states()
metric.update_state(tf.constant(1.0))
result = {
    "per_class_after_reset": metric.result(),
    "old_slot": float(old.numpy()),
    "traces": metric.update_state.experimental_get_tracing_count(),
}

weights = PerClassCount(2)
opt = keras.optimizers.SGD(learning_rate=0.1)
opt.build(weights._counts)
weights.reset_states()
error = message = None
try:
    opt.apply_gradients(zip([tf.constant(1.0)] * 2, weights._counts))
except ValueError as exc:
    error, message = type(exc).__name__, str(exc).split(":")[0]
result.update(error=error, message=message)
print("RESULT " + json.dumps(result))
