# oracle: TFV102
# fix: safe
# isolate: true
# before: {"error": null, "is_variable": false, "value": 2.0, "variable_value": 1.0}
# after: {"error": null, "is_variable": true, "value": 2.0, "variable_value": 2.0}
"""Case 2': a variable made under `tf.distribute.MirroredStrategy` is a MirroredVariable, which does not
raise on `+=` like a plain tf.Variable: `v += 1.0` silently rebinds the name to a tensor and the
mirrored variable keeps its old value. (Isolated: the strategy sets up devices for the process.)"""
import json

import tensorflow as tf

strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
with strategy.scope():
    v = tf.Variable(1.0)
variables = [v]
error = None
try:
    v += 1.0
except Exception as exc:  # noqa: BLE001 - the claim is that nothing is raised
    error = type(exc).__name__
print("RESULT " + json.dumps({"error": error, "is_variable": isinstance(v, tf.Variable),
                              "value": round(float(v.numpy()), 4),
                              "variable_value": round(float(variables[0].numpy()), 4)}))
