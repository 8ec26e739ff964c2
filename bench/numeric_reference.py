"""Peer reference for the numeric-input benchmark (bench/numeric-sequences.ts): the FSDD shape,
[T, C] float frames -> GRU(H) -> Dense(10, softmax), Adam 1e-3, sparse categorical cross-entropy,
on random frames; one warm-up batch, then N samples in batches, training steps only.

usage: python numeric_reference.py keras|torch N T C H BATCH
prints one JSON line: {"framework", "samples", "wall_s", "cpu_s", "samples_per_s", "samples_per_cpu_s", "version", "threads"}
THREADS (environment, default 2) sets the framework's threads. Keras' GRU is built with
reset_after=False, the GRU Sequence Lab trains; PyTorch's GRU only has the reset-after form.
"""
import json, os, sys, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
framework, n, steps, channels, hidden, batch = sys.argv[1], *map(int, sys.argv[2:7])
threads = int(os.environ.get("THREADS", "2"))
import numpy as np

rng = np.random.default_rng(0)
x = rng.standard_normal((n + batch, steps, channels)).astype(np.float32)
y = rng.integers(0, 10, size=(n + batch,)).astype(np.int64)

if framework == "keras":
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    import keras
    from keras import layers
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((steps, channels)), layers.GRU(hidden, reset_after=False), layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    step = lambda xb, yb: model.train_on_batch(xb, yb)
    version = f"keras {keras.__version__} / tensorflow {tf.__version__}"
else:
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = torch.nn.GRU(channels, hidden, batch_first=True)
            self.dense = torch.nn.Linear(hidden, 10)

        def forward(self, xb):
            _, h = self.gru(xb)
            return self.dense(h[-1])

    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(xb, yb):
        optimizer.zero_grad()
        loss = loss_fn(net(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        optimizer.step()

    version = f"torch {torch.__version__}"

step(x[n:n + batch], y[n:n + batch])  # warm-up, not timed
wall, cpu = time.perf_counter(), time.process_time()
for i in range(0, n, batch):
    step(x[i:i + batch], y[i:i + batch])
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"framework": framework, "samples": n, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                  "samples_per_s": round(n / wall, 1), "samples_per_cpu_s": round(n / cpu, 1), "version": version, "threads": threads}))
