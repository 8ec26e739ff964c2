"""PyTorch reference for the bidirectional case of `npm run bench`: Embedding(V, E) ->
Bidirectional LSTM(H) (Keras' default merge, concat) -> Dense(1, sigmoid), on synthetic tokens,
measured exactly like ../shared/bench/torch_reference.py (same arguments, same JSON line).

usage: python3 torch_bidirectional.py lstm N T V E H BATCH
"""
import json, os, sys, time

import torch
import torch.nn as nn

cell, n, steps, vocab, embed, hidden, batch = sys.argv[1], *map(int, sys.argv[2:8])
torch.manual_seed(0)
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
rnn_class = {"simple_rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.rnn = rnn_class(embed, hidden, batch_first=True, bidirectional=True)
        self.dense = nn.Linear(2 * hidden, 1)

    def forward(self, x):
        out, _ = self.rnn(self.embedding(x))
        # Keras' Bidirectional(return_sequences=False): the forward direction's last step and the
        # backward direction's last step of its own (reversed) pass, i.e. position 0.
        return self.dense(torch.cat([out[:, -1, :hidden], out[:, 0, hidden:]], 1))


model = Model()
optimizer = torch.optim.Adam(model.parameters(), 1e-3)
loss_fn = nn.BCEWithLogitsLoss()
x = torch.randint(1, vocab, (n + batch, steps))
y = (x[:, :10].float().mean(1) > vocab / 2).float().unsqueeze(1)


def step(i):
    optimizer.zero_grad()
    loss = loss_fn(model(x[i:i + batch]), y[i:i + batch])
    loss.backward()
    optimizer.step()


step(n)  # warm-up batch, not timed
wall, cpu = time.perf_counter(), time.process_time()
for i in range(0, n, batch):
    step(i)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"cell": "bidirectional_" + cell, "samples": n, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                  "samples_per_s": round(n / wall, 1), "samples_per_cpu_s": round(n / cpu, 1),
                  "torch": torch.__version__, "threads": torch.get_num_threads()}))
