# oracle: TFV102
# fix: safe
# before: {"error": "RuntimeError", "lr": 0.1}
# after: {"error": null, "rate": 0.05, "lr": 0.1}
"""A local name for a variable used as a working value (`lr = self.lr; lr *= ...`, as keras-contrib's
FTML optimizer computes its decayed rate): `*=` raises RuntimeError on the tf.Variable; the fix
rebinds the local name (`lr = lr * ...`), which computes the rate and leaves `self.lr` unchanged,
where `lr.assign(...)` would decay the optimizer's own rate on every call."""
import json

import tensorflow as tf


class Schedule:
    def __init__(self):
        self.lr = tf.Variable(0.1)
        self.decay = 1.0

    def rate(self):
        lr = self.lr
        lr *= 1.0 / (1.0 + self.decay)
        return lr


schedule = Schedule()
result = {"error": None}
try:
    result["rate"] = round(float(schedule.rate()), 4)
except Exception as exc:  # noqa: BLE001 - RuntimeError as written; any error after the fix is a failure
    result["error"] = type(exc).__name__
result["lr"] = round(float(schedule.lr.numpy()), 4)
print("RESULT " + json.dumps(result))
