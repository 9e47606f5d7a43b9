#!/usr/bin/env python3
"""PyTorch CPU reference for one IQN gradient step, paired with the C# quick case iqn_update
(benchmarks/Tensors.Benchmarks/IqnUpdateCase.cs).

    /usr/bin/python3 benchmarks/iqn_torch_reference.py [--threads 1]
Tianshou's ImplicitQuantileNetwork and IQN update on CartPole-sized networks: preprocess 4-64-64 ReLU, 64 cosines
(cos(pi i tau), i = 1..64) -> Linear+ReLU, linear head to 2 actions, batch 64, N = N' = 8; the online network picks
a* on s', the target network gives the target quantiles; quantile Huber loss (kappa 1, sum over target samples, mean
over online samples and batch); Adam(1e-3), no clipping. Prints one JSON object per line.
"""
import argparse, json, math, os, statistics, sys, time

_n = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = _n
import torch
import torch.nn as nn
import torch.nn.functional as F

B, N, A, OBS, COS = 64, 8, 2, 4, 64


class Iqn(nn.Module):
    def __init__(self):
        super().__init__()
        self.pre = nn.Sequential(nn.Linear(OBS, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.embed = nn.Sequential(nn.Linear(COS, 64), nn.ReLU())
        self.head = nn.Linear(64, A)
        self.register_buffer("i_pi", math.pi * torch.arange(1, COS + 1, dtype=torch.float32).view(1, 1, COS))

    def forward(self, obs, taus):  # taus [B, n] -> quantiles [B, A, n]
        b, n = taus.shape
        psi = self.pre(obs)
        phi = self.embed(torch.cos(taus.view(b, n, 1) * self.i_pi))
        return self.head((psi.unsqueeze(1) * phi).view(b * n, -1)).view(b, n, A).transpose(1, 2)


def timeit(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6, min(samples) * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    z, zt = Iqn(), Iqn()
    zt.load_state_dict(z.state_dict())
    opt = torch.optim.Adam(z.parameters(), lr=1e-3)
    s, s2, rew, done = torch.randn(B, OBS), torch.randn(B, OBS), torch.randn(B), torch.zeros(B)
    act = torch.randint(0, A, (B,))
    idx = torch.arange(B)

    def update():
        with torch.no_grad():
            a_star = z(s2, torch.rand(B, N)).mean(2).argmax(1)
            target = rew.unsqueeze(1) + 0.99 * (1 - done).unsqueeze(1) * zt(s2, torch.rand(B, N))[idx, a_star, :]
        taus = torch.rand(B, N)
        curr = z(s, taus)[idx, act, :].unsqueeze(2)
        tgt = target.unsqueeze(1)
        diff = F.smooth_l1_loss(tgt.expand(B, N, N), curr.expand(B, N, N), reduction="none")  # Tianshou broadcasts; expand silences the warning
        loss = (diff * (taus.unsqueeze(2) - (tgt - curr).detach().le(0.0).float()).abs()).sum(-1).mean(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    meta = {"torch": torch.__version__, "threads": a.threads}
    median, fastest = timeit(update, 50, 500)
    # min_us: the fastest call, robust to other load on a shared machine (as the C# quick harness reports).
    print(json.dumps({"case": "iqn_update", "median_us": round(median, 3), "min_us": round(fastest, 3), **meta}))


if __name__ == "__main__":
    main()
