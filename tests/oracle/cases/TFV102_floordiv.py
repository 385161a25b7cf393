# oracle: TFV102
# fix: safe
# before: {"error": null, "variables": [], "period": 25, "checkpoint_period": 100}
# after: {"error": null, "variables": [25], "period": 25, "checkpoint_period": 25}
"""Case 2: `//=` is not overridden by tf.Variable, so it raises nothing: `self.period //= 2` silently
rebinds the attribute to a tensor. The module loses the variable and the checkpoint keeps the old value."""
import json
import os

import tensorflow as tf


class Schedule(tf.Module):
    def __init__(self):
        super().__init__()
        self.period = tf.Variable(100)

    def halve(self):
        self.period //= 2


schedule = Schedule()
error = None
try:
    schedule.halve()
    schedule.halve()
except Exception as exc:  # noqa: BLE001 - the claim is that nothing is raised
    error = type(exc).__name__
path = tf.train.Checkpoint(schedule=schedule).save(os.path.join(os.getcwd(), "ckpt"))
print("RESULT " + json.dumps({
    "error": error,
    "variables": [int(v.numpy()) for v in schedule.variables],
    "period": int(schedule.period.numpy()),
    "checkpoint_period": int(tf.train.load_variable(path, "schedule/period/.ATTRIBUTES/VARIABLE_VALUE")),
}))
