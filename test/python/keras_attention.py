"""Real Keras 3's Attention and AdditiveAttention on the cases on stdin.

stdin: JSON [{"layer": "Attention" | "AdditiveAttention", "use_scale", "score_mode"?, "query", "value",
"key"?, "query_mask"?, "value_mask"?, "scale"?, "concat_score_weight"?, "upstream"}] (nested lists);
stdout: JSON [{"output", "weights", "grads": {"query", "value", "key"?, "scale"?, "concat_score_weight"?}}]
where the gradients are those of sum(output * upstream).
"""
import json
import sys

import numpy as np
import tensorflow as tf
import keras

results = []
for case in json.load(sys.stdin):
    if case["layer"] == "Attention":
        layer = keras.layers.Attention(use_scale=case["use_scale"], score_mode=case.get("score_mode", "dot"))
    else:
        layer = keras.layers.AdditiveAttention(use_scale=case["use_scale"])
    query = tf.constant(np.array(case["query"], dtype="float32"))
    value = tf.constant(np.array(case["value"], dtype="float32"))
    key = tf.constant(np.array(case["key"], dtype="float32")) if "key" in case else None
    inputs = [query, value] + ([key] if key is not None else [])
    layer.build([tuple(t.shape) for t in inputs])
    for weight in layer.weights:
        weight.assign(np.array(case[weight.name], dtype="float32"))
    mask = None
    if "value_mask" in case or "query_mask" in case:
        mask = [
            tf.constant(np.array(case["query_mask"], dtype=bool)) if "query_mask" in case else None,
            tf.constant(np.array(case["value_mask"], dtype=bool)) if "value_mask" in case else None,
        ]
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        output, weights = layer(inputs, mask=mask, return_attention_scores=True)
        loss = tf.reduce_sum(output * np.array(case["upstream"], dtype="float32"))
    sources = {"query": query, "value": value}
    if key is not None:
        sources["key"] = key
    for weight in layer.trainable_weights:
        sources[weight.name] = weight.value
    grads = tape.gradient(loss, list(sources.values()))
    results.append({
        "output": output.numpy().tolist(),
        "weights": weights.numpy().tolist(),
        "grads": {name: g.numpy().tolist() for name, g in zip(sources, grads)},
    })
print(json.dumps(results))
