"""A faithful PyTorch reference of the seed's IMDB model as tf.keras 2 trains it, on the exact arrays
our pipeline produces (bench/imdb-arrays.ts), to tell what Keras' behaviour reaches on this data
without Keras (not installable here). Started from ../shared/bench/torch_reference.py's model.

Keras' behaviour reproduced (tf.keras 2: keras/layers/recurrent.py LSTMCell, initializers,
optimizer_v2/adam.py; Keras 3 computes the same):
- Embedding(10000, 128), weights uniform(-0.05, 0.05), padding id 0 embedded like any id;
- LSTM(64): kernel glorot_uniform over the whole [128, 256] matrix, recurrent kernel orthogonal over
  the whole [64, 256] matrix, bias zero with the forget block at 1 (unit_forget_bias), gates in the
  order i, f, c, o, sigmoid recurrent activation, tanh activation;
- dropout 0.2 and recurrent_dropout 0.2: with recurrent_dropout > 0 Keras 2 forces implementation 1,
  which draws an independent mask per gate for the inputs (4 x [batch, 128]) and for h
  (4 x [batch, 64]), once per batch, reused at every timestep, kept values scaled by 1 / (1 - rate);
- Dense(1) on the last h (glorot_uniform, zero bias), binary cross-entropy from the logits (Keras
  on TensorFlow uses the logits of a sigmoid output), accuracy = (sigmoid(logit) > 0.5);
- Adam(lr 1e-3, beta_1 0.9, beta_2 0.999, epsilon 1e-7) with TensorFlow's update
  var -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon), dense on every weight
  (Keras' sparse embedding update decays every row's moments too, so it is the same);
- batch 64, a new shuffle of the training set every epoch (the last batch holds the remainder),
  test accuracy on every test review after each epoch, without dropout.

usage: THREADS=1 /usr/bin/python3 bench/imdb_torch_reference.py ARRAYS_DIR SEED [EPOCHS] [--limit N]
  ARRAYS_DIR: from `npx tsx bench/imdb-arrays.ts ARRAYS_DIR`; --limit N trains and tests on the
  first N reviews of each split (a quick check of the script).
prints one JSON line per epoch on stdout: seed, epoch, train_loss, train_accuracy (running, with
dropout, as Keras reports it), test_loss, test_accuracy, wall and CPU seconds; progress on stderr.
THREADS (environment, default 1) sets torch's intra-op threads.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch

BATCH = 64
EMBED = 128
UNITS = 64
DROPOUT = 0.2
RECURRENT_DROPOUT = 0.2
LEARNING_RATE = 1e-3
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7
EVAL_BATCH = 500


def parse_arguments(argv):
    positional, limit = [], None
    i = 0
    while i < len(argv):
        if argv[i] == "--limit":
            limit = int(argv[i + 1])
            i += 2
        else:
            positional.append(argv[i])
            i += 1
    if len(positional) < 2:
        sys.exit(__doc__.split("usage: ")[1].split("\n")[0])
    epochs = int(positional[2]) if len(positional) > 2 else 3
    return positional[0], int(positional[1]), epochs, limit


def load_arrays(folder, limit):
    """The header's shapes; x int32 [count, timesteps], y float32 [count]."""
    with open(os.path.join(folder, "header.json")) as f:
        header = json.load(f)
    steps = header["timesteps"]

    def split(name, count):
        x = np.fromfile(os.path.join(folder, f"{name}_x.int32"), dtype="<i4").reshape(count, steps)
        y = np.fromfile(os.path.join(folder, f"{name}_y.float32"), dtype="<f4")
        n = min(count, limit or count)
        return torch.from_numpy(x[:n].astype(np.int64)), torch.from_numpy(y[:n].copy())

    return header, split("train", header["train"]["count"]), split("test", header["test"]["count"])


def glorot_uniform(shape, generator):
    """Keras glorot_uniform for a 2-D kernel [fan_in, fan_out]."""
    limit = math.sqrt(6.0 / (shape[0] + shape[1]))
    return (torch.rand(shape, generator=generator) * 2 - 1) * limit


def orthogonal(shape, generator):
    """Keras Orthogonal(gain 1) for [rows, cols]: QR of a normal matrix, signs fixed by diag(R)."""
    rows, cols = shape
    a = torch.randn((max(rows, cols), min(rows, cols)), generator=generator, dtype=torch.float64)
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r))
    if rows < cols:
        q = q.t()
    return q.to(torch.float32).contiguous()


class KerasImdbLstm(torch.nn.Module):
    """Embedding -> LSTM (Keras 2 implementation 1, per-gate dropout masks) -> Dense(1) logits."""

    def __init__(self, vocab, generator):
        super().__init__()
        self.embedding = torch.nn.Parameter((torch.rand((vocab, EMBED), generator=generator) * 2 - 1) * 0.05)
        kernel = glorot_uniform((EMBED, 4 * UNITS), generator)  # Keras layout: x @ kernel, gates i|f|c|o
        recurrent = orthogonal((UNITS, 4 * UNITS), generator)
        # Per gate: [4, in, units], so one batched matmul serves the four differently-masked inputs.
        self.kernel = torch.nn.Parameter(kernel.reshape(EMBED, 4, UNITS).permute(1, 0, 2).contiguous())
        self.recurrent_kernel = torch.nn.Parameter(recurrent.reshape(UNITS, 4, UNITS).permute(1, 0, 2).contiguous())
        bias = torch.zeros((4, 1, UNITS))
        bias[1] = 1.0  # unit_forget_bias
        self.bias = torch.nn.Parameter(bias)
        self.dense_kernel = torch.nn.Parameter(glorot_uniform((UNITS, 1), generator))
        self.dense_bias = torch.nn.Parameter(torch.zeros(1))

    def forward(self, ids, generator=None):
        """ids [batch, T] -> logits [batch]. With `generator`: training, dropout masks drawn from it."""
        x = self.embedding[ids]  # [batch, T, E]
        batch, steps, _ = x.shape
        if generator is not None:
            input_masks = dropout_mask((4, batch, 1, EMBED), DROPOUT, generator)
            recurrent_masks = dropout_mask((4, batch, UNITS), RECURRENT_DROPOUT, generator)
            # [4, batch, T, E] @ [4, E, U] per gate -> [4, batch, T, U]
            projected = torch.matmul(x.unsqueeze(0) * input_masks, self.kernel.unsqueeze(1))
        else:
            recurrent_masks = None
            projected = torch.matmul(x.unsqueeze(0), self.kernel.unsqueeze(1))
        # unbind, not projected[:, :, t]: the backward of one unbind stacks once, while every slice's
        # backward would fill a zero tensor of the whole sequence (quadratic in T).
        inputs = (projected + self.bias.unsqueeze(1)).unbind(2)  # T x [4, batch, U]
        h = x.new_zeros((batch, UNITS))
        c = x.new_zeros((batch, UNITS))
        for t in range(steps):
            h_in = h.unsqueeze(0) * recurrent_masks if recurrent_masks is not None else h.unsqueeze(0).expand(4, batch, UNITS)
            z_i, z_f, z_c, z_o = (inputs[t] + torch.bmm(h_in, self.recurrent_kernel)).unbind(0)
            c = torch.sigmoid(z_f) * c + torch.sigmoid(z_i) * torch.tanh(z_c)
            h = torch.sigmoid(z_o) * torch.tanh(c)
        return (h @ self.dense_kernel).squeeze(1) + self.dense_bias


def dropout_mask(shape, rate, generator):
    """Keras/TensorFlow dropout of ones: kept with probability 1 - rate, scaled by 1 / (1 - rate)."""
    keep = (torch.rand(shape, generator=generator) >= rate).to(torch.float32)
    return keep / (1.0 - rate)


class KerasAdam:
    """TensorFlow's Adam update (epsilon added to sqrt(v) before bias correction of the step)."""

    def __init__(self, params):
        self.params = list(params)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.step_count = 0

    @torch.no_grad()
    def step(self):
        self.step_count += 1
        t = self.step_count
        alpha = LEARNING_RATE * math.sqrt(1 - BETA_2 ** t) / (1 - BETA_1 ** t)
        for p, m, v in zip(self.params, self.m, self.v):
            g = p.grad
            m.mul_(BETA_1).add_(g, alpha=1 - BETA_1)
            v.mul_(BETA_2).addcmul_(g, g, value=1 - BETA_2)
            p.sub_(alpha * m / (v.sqrt() + EPSILON))


def bce_from_logits(logits, y):
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, y)


@torch.no_grad()
def evaluate(model, x, y):
    loss, correct = 0.0, 0
    for start in range(0, len(x), EVAL_BATCH):
        logits = model(x[start:start + EVAL_BATCH])
        target = y[start:start + EVAL_BATCH]
        loss += bce_from_logits(logits, target).item() * len(target)
        correct += ((logits > 0).to(torch.float32) == target).sum().item()
    return loss / len(x), correct / len(x)


def main():
    folder, seed, epochs, limit = parse_arguments(sys.argv[1:])
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    header, (x_train, y_train), (x_test, y_test) = load_arrays(folder, limit)
    generator = torch.Generator().manual_seed(seed)
    model = KerasImdbLstm(header["vocab_size"], generator)
    optimizer = KerasAdam(model.parameters())
    print(json.dumps({"seed": seed, "train": len(x_train), "test": len(x_test), "timesteps": header["timesteps"],
                      "vocab_size": header["vocab_size"], "data_hash": header["data_hash"],
                      "imdb_preprocessing": header.get("imdb_preprocessing"), "torch": torch.__version__,
                      "threads": torch.get_num_threads()}), flush=True)
    batches = math.ceil(len(x_train) / BATCH)
    for epoch in range(1, epochs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        order = torch.randperm(len(x_train), generator=generator)
        loss_sum, correct = 0.0, 0
        for b in range(batches):
            index = order[b * BATCH:(b + 1) * BATCH]
            target = y_train[index]
            for p in model.parameters():
                p.grad = None
            logits = model(x_train[index], generator)
            loss = bce_from_logits(logits, target)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
            correct += ((logits.detach() > 0).to(torch.float32) == target).sum().item()
            if (b + 1) % 50 == 0 or b + 1 == batches:
                seen = min((b + 1) * BATCH, len(x_train))
                print(f"seed {seed} epoch {epoch} batch {b + 1}/{batches} loss {loss_sum / seen:.4f} "
                      f"acc {correct / seen:.4f} {time.perf_counter() - wall:.0f}s", file=sys.stderr, flush=True)
        train_wall, train_cpu = time.perf_counter() - wall, time.process_time() - cpu
        test_loss, test_accuracy = evaluate(model, x_test, y_test)
        print(json.dumps({"seed": seed, "epoch": epoch, "train_loss": round(loss_sum / len(x_train), 5),
                          "train_accuracy": round(correct / len(x_train), 5), "test_loss": round(test_loss, 5),
                          "test_accuracy": round(test_accuracy, 5), "train_wall_s": round(train_wall, 1),
                          "train_cpu_s": round(train_cpu, 1), "epoch_wall_s": round(time.perf_counter() - wall, 1),
                          "epoch_cpu_s": round(time.process_time() - cpu, 1)}), flush=True)


if __name__ == "__main__":
    main()
