"""Replays bench/imdb-replay.ts's steps with the faithful PyTorch reference (imdb_torch_reference.py:
Keras' LSTM, binary cross-entropy from logits and Keras's Adam) from the same initial weights on the
same batches, and prints how far our losses and final weights are from it. Equal to float32
rounding (about 1e-6) means the forward pass, loss, gradients and optimizer all do what Keras does.

usage: THREADS=1 /usr/bin/python3 bench/imdb_torch_replay.py REPLAY.json
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imdb_torch_reference as ref  # noqa: E402

E, U = ref.EMBED, ref.UNITS


def weight(weights, suffix):
    """The tfjs weight whose name ends with `suffix` ('embeddings', 'lstm/kernel', ...)."""
    (name,) = [n for n in weights if n.endswith(suffix)]
    return np.asarray(weights[name], dtype=np.float32)


def load(model, weights):
    """tfjs layouts (kernel [in, 4U], gates i|f|c|o) into the reference's per-gate tensors."""
    with torch.no_grad():
        model.embedding.copy_(torch.from_numpy(weight(weights, "embeddings").reshape(-1, E)))
        model.kernel.copy_(torch.from_numpy(weight(weights, "lstm/kernel").reshape(E, 4, U)).permute(1, 0, 2))
        model.recurrent_kernel.copy_(torch.from_numpy(weight(weights, "recurrent_kernel").reshape(U, 4, U)).permute(1, 0, 2))
        model.bias.copy_(torch.from_numpy(weight(weights, "lstm/bias").reshape(4, 1, U)))
        model.dense_kernel.copy_(torch.from_numpy(weight(weights, "dense/kernel").reshape(U, 1)))
        model.dense_bias.copy_(torch.from_numpy(weight(weights, "dense/bias").reshape(1)))


def tfjs_layout(model):
    """The reference's weights in tfjs's names and layouts, flattened."""
    return {
        "embeddings": model.embedding,
        "lstm/kernel": model.kernel.permute(1, 0, 2).reshape(E, 4 * U),
        "recurrent_kernel": model.recurrent_kernel.permute(1, 0, 2).reshape(U, 4 * U),
        "lstm/bias": model.bias.reshape(-1),
        "dense/kernel": model.dense_kernel,
        "dense/bias": model.dense_bias,
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("usage: ")[1].strip())
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    replay = json.load(open(sys.argv[1]))
    batch = replay["batch_size"]
    ids = torch.tensor(replay["ids"], dtype=torch.int64).reshape(-1, replay["timesteps"])
    labels = torch.tensor(replay["labels"], dtype=torch.float32)
    vocab = weight(replay["initial"], "embeddings").size // E
    model = ref.KerasImdbLstm(vocab, torch.Generator().manual_seed(0))
    load(model, replay["initial"])
    optimizer = ref.KerasAdam(model.parameters())
    losses = []
    for start in range(0, len(ids), batch):
        for p in model.parameters():
            p.grad = None
        loss = ref.bce_from_logits(model(ids[start:start + batch]), labels[start:start + batch])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    gaps = np.abs(np.array(losses) - np.array(replay["losses"]))
    print(f"steps: {len(losses)}; loss, reference vs ours: first {losses[0]:.6f} vs {replay['losses'][0]:.6f}, "
          f"last {losses[-1]:.6f} vs {replay['losses'][-1]:.6f}")
    print(f"largest loss gap: {gaps.max():.2e} (step {int(gaps.argmax())})")
    for suffix, tensor in tfjs_layout(model).items():
        ours = weight(replay["final"], suffix)
        theirs = tensor.detach().numpy().reshape(-1)
        print(f"final {suffix}: largest gap {np.abs(ours - theirs).max():.2e} (largest value {np.abs(theirs).max():.3f})")


if __name__ == "__main__":
    main()
