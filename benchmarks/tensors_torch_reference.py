#!/usr/bin/env python3
"""PyTorch CPU counterparts of the C# --quick training-step cases of benchmarks/Tensors.Benchmarks
(UpdateBenchmarks.cs: mlp_update, dqn_update, ppo_minibatch, sac_update) and of its two headline GEMM cases, written
line by line as the C# cases are, so each JSON line pairs with the C# line of the same name:

    apt-get install -y python3-torch libopenblas0-pthread     # Debian's PyTorch (CPU)
    /usr/bin/python3 benchmarks/tensors_torch_reference.py [--threads 1] [case-filter ...]

  gemm_256        A[256x256] @ B[256x256]                                               (gflops)
  gemm_128x64x64  X[128x64] @ W[64x64]                                                   (gflops)
  mlp_update      4-64-64-2 tanh MLP, batch 128, MSE, Adam(3e-4)
  dqn_update      4-64-64-2 ReLU online/target nets, batch 128, y = r + 0.99 (1-d) max Q_t(s'), smooth-L1,
                  clip_grad_norm 10, Adam(2.5e-4)
  ppo_minibatch   actor 4-64-64-2 and critic 4-64-64-1 (tanh), batch 64: clipped surrogate (0.2), clipped value
                  loss, entropy 0.01, clip_grad_norm 0.5, Adam(2.5e-4, eps 1e-5)
  sac_update      obs 3, act 1, 256-256 ReLU: twin critics (MSE to the soft target), tanh-Gaussian actor through
                  frozen critics, automatic alpha (target entropy -1), Polyak 0.005, three Adam(3e-4)
Prints one JSON object per line: {"case", "median_us", "min_us", ["gflops"], "torch", "threads"}.
"""
import json, os, statistics, sys, time

# Debian's torch multiplies through the system OpenBLAS, whose pool ignores torch.set_num_threads: pin it first.
_threads = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = _threads
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(_threads))
torch.manual_seed(0)


def mlp(inputs, hidden, outputs, act):
    layers, width = [], inputs
    for h in hidden:
        layers += [nn.Linear(width, h), act()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, outputs))


def gemm(m, k, n):
    a, b = torch.randn(m, k), torch.randn(k, n)
    return (lambda: a @ b), 2.0 * m * k * n


# mlp_update
_mlp = mlp(4, [64, 64], 2, nn.Tanh)
_mlp_opt = torch.optim.Adam(_mlp.parameters(), lr=3e-4)
_x, _y = torch.randn(128, 4), torch.randn(128, 2)


def mlp_update():
    loss = F.mse_loss(_mlp(_x), _y)
    _mlp_opt.zero_grad()
    loss.backward()
    _mlp_opt.step()


# dqn_update
_q, _q_target = mlp(4, [64, 64], 2, nn.ReLU), mlp(4, [64, 64], 2, nn.ReLU)
_q_target.load_state_dict(_q.state_dict())
_q_opt = torch.optim.Adam(_q.parameters(), lr=2.5e-4)
_s, _s2 = torch.randn(128, 4), torch.randn(128, 4)
_act = torch.randint(0, 2, (128,))
_rew, _done = torch.randn(128), torch.zeros(128)


def dqn_update():
    with torch.no_grad():
        target = _rew + 0.99 * (1 - _done) * _q_target(_s2).max(1).values
    qsa = _q(_s).gather(1, _act.unsqueeze(1)).squeeze(1)
    loss = F.smooth_l1_loss(qsa, target)
    _q_opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(_q.parameters(), 10.0)
    _q_opt.step()


# ppo_minibatch
_actor, _critic = mlp(4, [64, 64], 2, nn.Tanh), mlp(4, [64, 64], 1, nn.Tanh)
_ppo_params = list(_actor.parameters()) + list(_critic.parameters())
_ppo_opt = torch.optim.Adam(_ppo_params, lr=2.5e-4, eps=1e-5)
_obs = torch.randn(64, 4)
_acts = torch.randint(0, 2, (64,))
_old_logp = torch.full((64,), -0.69)
_adv, _ret, _old_v = torch.randn(64), torch.randn(64), torch.randn(64)


def ppo_minibatch():
    dist = torch.distributions.Categorical(logits=_actor(_obs))
    logp = dist.log_prob(_acts)
    ratio = (logp - _old_logp).exp()
    a = (_adv - _adv.mean()) / (_adv.std() + 1e-8)
    pg = torch.max(-a * ratio, -a * ratio.clamp(0.8, 1.2)).mean()
    v = _critic(_obs).squeeze(1)
    v_clip = _old_v + (v - _old_v).clamp(-0.2, 0.2)
    vl = 0.5 * torch.max((v - _ret) ** 2, (v_clip - _ret) ** 2).mean()
    loss = pg + 0.5 * vl - 0.01 * dist.entropy().mean()
    _ppo_opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(_ppo_params, 0.5)
    _ppo_opt.step()


# sac_update
OBS, ACT, HIDDEN, BATCH = 3, 1, 256, 256
_pi = mlp(OBS, [HIDDEN, HIDDEN], 2 * ACT, nn.ReLU)
_q1, _q2 = mlp(OBS + ACT, [HIDDEN, HIDDEN], 1, nn.ReLU), mlp(OBS + ACT, [HIDDEN, HIDDEN], 1, nn.ReLU)
_q1t, _q2t = mlp(OBS + ACT, [HIDDEN, HIDDEN], 1, nn.ReLU), mlp(OBS + ACT, [HIDDEN, HIDDEN], 1, nn.ReLU)
_q1t.load_state_dict(_q1.state_dict())
_q2t.load_state_dict(_q2.state_dict())
_log_alpha = torch.zeros(1, requires_grad=True)
_pi_opt = torch.optim.Adam(_pi.parameters(), lr=3e-4)
_q_opt2 = torch.optim.Adam(list(_q1.parameters()) + list(_q2.parameters()), lr=3e-4)
_alpha_opt = torch.optim.Adam([_log_alpha], lr=3e-4)
_so, _sa = torch.randn(BATCH, OBS), torch.rand(BATCH, ACT) * 2 - 1
_sr, _s2o, _sd = torch.randn(BATCH, 1), torch.randn(BATCH, OBS), torch.zeros(BATCH, 1)


def sample_action(o):
    h = _pi(o)
    mu, log_std = h[:, :ACT], h[:, ACT:].clamp(-20, 2)
    std = log_std.exp()
    u = mu + std * torch.randn_like(mu)
    a = torch.tanh(u)
    # log N(u; mu, std) - log(1 - tanh(u)^2), summed over action dimensions.
    logp = (-0.5 * ((u - mu) / std) ** 2 - log_std - 0.5 * torch.log(torch.tensor(2 * torch.pi))).sum(1)
    logp = logp - (2 * (torch.log(torch.tensor(2.0)) - u - F.softplus(-2 * u))).sum(1)
    return a, logp.unsqueeze(1)


def sac_update():
    alpha = _log_alpha.exp().item()
    with torch.no_grad():
        a2, lp2 = sample_action(_s2o)
        x2 = torch.cat([_s2o, a2], 1)
        y = _sr + 0.99 * (1 - _sd) * (torch.min(_q1t(x2), _q2t(x2)) - alpha * lp2)
    x = torch.cat([_so, _sa], 1)
    ql = F.mse_loss(_q1(x), y) + F.mse_loss(_q2(x), y)
    _q_opt2.zero_grad()
    ql.backward()
    _q_opt2.step()

    for p in list(_q1.parameters()) + list(_q2.parameters()):
        p.requires_grad_(False)
    a, lp = sample_action(_so)
    xa = torch.cat([_so, a], 1)
    pl = (alpha * lp - torch.min(_q1(xa), _q2(xa))).mean()
    _pi_opt.zero_grad()
    pl.backward()
    _pi_opt.step()
    for p in list(_q1.parameters()) + list(_q2.parameters()):
        p.requires_grad_(True)

    al = -(_log_alpha * (lp.detach() - ACT)).mean()
    _alpha_opt.zero_grad()
    al.backward()
    _alpha_opt.step()

    with torch.no_grad():
        for t, s in ((_q1t, _q1), (_q2t, _q2)):
            for pt, ps in zip(t.parameters(), s.parameters()):
                pt.mul_(0.995).add_(ps, alpha=0.005)


def timeit(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(samples), min(samples)


g256, f256 = gemm(256, 256, 256)
g128, f128 = gemm(128, 64, 64)
CASES = [
    ("gemm_256", g256, f256, 50, 500),
    ("gemm_128x64x64", g128, f128, 200, 2000),
    ("mlp_update", mlp_update, 0, 100, 1000),
    ("dqn_update", dqn_update, 0, 100, 1000),
    ("ppo_minibatch", ppo_minibatch, 0, 100, 1000),
    ("sac_update", sac_update, 0, 20, 50),
]
filters = [a for i, a in enumerate(sys.argv[1:], 1) if a != "--threads" and sys.argv[i - 1] != "--threads"]
for name, fn, flops, warmup, reps in CASES:
    if filters and not any(f in name for f in filters):
        continue
    med, mn = timeit(fn, warmup, reps)
    row = {"case": name, "median_us": round(med, 3), "min_us": round(mn, 3)}
    if flops:
        row["gflops"] = round(flops / med / 1e3, 3)
    row.update({"torch": torch.__version__, "threads": torch.get_num_threads()})
    print(json.dumps(row), flush=True)
