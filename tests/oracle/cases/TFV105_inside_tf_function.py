# oracle: TFV105
# fix: unsafe
# before: {"error": "ValueError", "singleton": true, "w_type": "UnliftedInitializerVariable"}
# after: {"error": null, "outputs": [1.5, 0.75], "w_type": "ResourceVariable"}
"""Case 8d: re-creating a variable inside a tf.function (`self.w = tf.Variable(self.w * 0.5)`) raises
ValueError on the first call ("tf.function only supports singleton tf.Variables created on the
first call") and leaves a half-made variable in the attribute."""
import json

import tensorflow as tf


class Decay(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(3.0)

    @tf.function
    def step(self):
        self.w = tf.Variable(self.w * 0.5)
        return self.w.read_value()


module = Decay()
outputs, error, singleton = [], None, False
try:
    outputs.append(round(float(module.step()), 4))
    outputs.append(round(float(module.step()), 4))
except ValueError as exc:
    error = type(exc).__name__
    singleton = "tf.function only supports singleton tf.Variables created on the first call" in str(exc)
print("RESULT " + json.dumps({"error": error, "singleton": singleton, "outputs": outputs,
                              "w_type": type(module.w).__name__}))
