#!/usr/bin/env python3
"""PyTorch counterparts of the C# --quick cases td3_update and redq_update (benchmarks/Tensors.Benchmarks/OffPolicyUpdateCases.cs).

Same spaces (observation 3, action 1), networks, batch, losses, optimisers and schedule as the C# agents' Update,
replay sampling from a 10,000-transition buffer included; single-threaded:
    /usr/bin/python3 benchmarks/offpolicy_torch_reference.py [--threads 1] [name-filter ...]
td3_update:  two TD3 gradient steps with update_actor_freq 2 (two critic steps, one actor step, one Polyak update of the
             actor and critic targets); actor 3-256-256-1 tanh, twin critics 4-256-256-1, batch 256, Adam 1e-3,
             target smoothing noise 0.2 clipped at 0.5.
redq_update: Tianshou's REDQ update for one environment step with G = actor_delay = 20: twenty critic steps of an
             ensemble of 10 critics 4-256-256-1 (Tianshou's EnsembleLinear: one batched matmul per layer), each with a
             target from a random subset of 2 target critics (min), an ensemble-mean squared error and a Polyak update
             of the targets; the 20th step also updates the tanh-Gaussian actor (trunk 3-256-256, mean and log-std heads)
             on the ensemble-mean Q and then log alpha. Batch 256, Adam 1e-3 (actor, critics) and 3e-4 (alpha).
Prints one JSON line per case: {"case", "median_us", "min_us", "runtime", "threads"}.
"""
import json, math, os, statistics, sys, time

_n = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = _n
import torch
import torch.nn as nn

torch.set_num_threads(int(_n))
torch.manual_seed(0)
OBS, ACT, H, B, N_BUF = 3, 1, 256, 256, 10_000
GAMMA, TAU = 0.99, 0.005

# Replay buffer: random transitions, sampled uniformly with replacement per step.
buf_obs = torch.randn(N_BUF, OBS)
buf_act = torch.rand(N_BUF, ACT) * 2 - 1
buf_rew = -torch.rand(N_BUF, 1)
buf_next = torch.randn(N_BUF, OBS)
buf_done = torch.zeros(N_BUF, 1)


def sample():
    i = torch.randint(0, N_BUF, (B,))
    return buf_obs[i], buf_act[i], buf_rew[i], buf_next[i], buf_done[i]


def mlp(inp, out):
    return nn.Sequential(nn.Linear(inp, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, out))


@torch.no_grad()
def polyak(target, source):
    for tp, p in zip(target.parameters(), source.parameters()):
        tp.lerp_(p, TAU)


# ---- TD3 ---------------------------------------------------------------------------------------------------------
td3_actor, td3_q1, td3_q2 = mlp(OBS, ACT), mlp(OBS + ACT, 1), mlp(OBS + ACT, 1)
td3_actor_t, td3_q1_t, td3_q2_t = mlp(OBS, ACT), mlp(OBS + ACT, 1), mlp(OBS + ACT, 1)
for t, s in ((td3_actor_t, td3_actor), (td3_q1_t, td3_q1), (td3_q2_t, td3_q2)):
    t.load_state_dict(s.state_dict())
td3_critic_params = list(td3_q1.parameters()) + list(td3_q2.parameters())
td3_actor_opt = torch.optim.Adam(td3_actor.parameters(), lr=1e-3)
td3_critic_opt = torch.optim.Adam(td3_critic_params, lr=1e-3)
td3_step = 0


def td3_gradient_step():
    global td3_step
    td3_step += 1
    o, a, r, o2, d = sample()
    with torch.no_grad():
        noise = (torch.randn(B, ACT) * 0.2).clamp(-0.5, 0.5)
        a2 = (torch.tanh(td3_actor_t(o2)) + noise).clamp(-1, 1)
        x2 = torch.cat([o2, a2], 1)
        y = r + GAMMA * (1 - d) * torch.min(td3_q1_t(x2), td3_q2_t(x2))
    x = torch.cat([o, a], 1)
    q1, q2 = td3_q1(x), td3_q2(x)
    loss = nn.functional.mse_loss(q1, y) + nn.functional.mse_loss(q2, y)
    td3_critic_opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(td3_critic_params, float("inf"))
    loss.item()
    td3_critic_opt.step()
    if td3_step % 2 == 0:
        for p in td3_critic_params:
            p.requires_grad_(False)
        actor_loss = -td3_q1(torch.cat([o, torch.tanh(td3_actor(o))], 1)).mean()
        td3_actor_opt.zero_grad()
        actor_loss.backward()
        for p in td3_critic_params:
            p.requires_grad_(True)
        nn.utils.clip_grad_norm_(td3_actor.parameters(), float("inf"))
        actor_loss.item()
        td3_actor_opt.step()
        polyak(td3_q1_t, td3_q1)
        polyak(td3_q2_t, td3_q2)
        polyak(td3_actor_t, td3_actor)


def td3_update():
    td3_gradient_step()
    td3_gradient_step()


# ---- REDQ --------------------------------------------------------------------------------------------------------
E, M, G = 10, 2, 20


class EnsembleLinear(nn.Module):
    """Tianshou's EnsembleLinear: weight [E, in, out], one batched matmul for the whole ensemble."""

    def __init__(self, inp, out):
        super().__init__()
        k = 1 / math.sqrt(inp)
        self.weight = nn.Parameter(torch.empty(E, inp, out).uniform_(-k, k))
        self.bias = nn.Parameter(torch.empty(E, 1, out).uniform_(-k, k))

    def forward(self, x):
        return torch.matmul(x, self.weight) + self.bias


class EnsembleCritic(nn.Module):
    def __init__(self):
        super().__init__()
        self.l0, self.l1, self.l2 = EnsembleLinear(OBS + ACT, H), EnsembleLinear(H, H), EnsembleLinear(H, 1)

    def forward(self, o, a):
        x = torch.cat([o, a], 1)                      # [B, in], shared by the members
        return self.l2(torch.relu(self.l1(torch.relu(self.l0(x)))))   # [E, B, 1]


class Actor(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(OBS, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU())
        self.mu, self.log_std = nn.Linear(H, ACT), nn.Linear(H, ACT)

    def sample(self, o):
        h = self.trunk(o)
        mu, log_std = self.mu(h), self.log_std(h).clamp(-20, 2)
        u = mu + log_std.exp() * torch.randn_like(mu)
        a = torch.tanh(u)
        log_prob = (-0.5 * ((u - mu) / log_std.exp()) ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(1)
        log_prob = log_prob - (2 * (math.log(2) - u - nn.functional.softplus(-2 * u))).sum(1)
        return a, log_prob


redq_actor, redq_critic, redq_critic_t = Actor(), EnsembleCritic(), EnsembleCritic()
redq_critic_t.load_state_dict(redq_critic.state_dict())
redq_critic_params = list(redq_critic.parameters())
log_alpha = torch.zeros(1, requires_grad=True)
redq_actor_opt = torch.optim.Adam(redq_actor.parameters(), lr=1e-3)
redq_critic_opt = torch.optim.Adam(redq_critic_params, lr=1e-3)
alpha_opt = torch.optim.Adam([log_alpha], lr=3e-4)
redq_step = 0


def redq_gradient_step():
    global redq_step
    redq_step += 1
    o, a, r, o2, d = sample()
    alpha = log_alpha.detach().exp()
    with torch.no_grad():
        a2, logp2 = redq_actor.sample(o2)
        q_next = redq_critic_t(o2, a2)                                   # [E, B, 1]
        subset = torch.randperm(E)[:M]
        y = r + GAMMA * (1 - d) * (q_next[subset].min(0).values - alpha * logp2.unsqueeze(1))
    q = redq_critic(o, a)
    loss = (q - y).pow(2).mean()
    redq_critic_opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(redq_critic_params, float("inf"))
    loss.item()
    redq_critic_opt.step()
    if redq_step % G == 0:
        a_pi, logp = redq_actor.sample(o)
        for p in redq_critic_params:
            p.requires_grad_(False)
        actor_loss = alpha * logp.mean() - redq_critic(o, a_pi).mean()
        redq_actor_opt.zero_grad()
        actor_loss.backward()
        for p in redq_critic_params:
            p.requires_grad_(True)
        nn.utils.clip_grad_norm_(redq_actor.parameters(), float("inf"))
        actor_loss.item()
        redq_actor_opt.step()
        alpha_loss = -(log_alpha * (logp.detach() - 1.0)).mean()      # target entropy −dim(A) = −1
        alpha_opt.zero_grad()
        alpha_loss.backward()
        alpha_loss.item()
        alpha_opt.step()
    polyak(redq_critic_t, redq_critic)


def redq_update():
    for _ in range(G):
        redq_gradient_step()


def timeit(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(samples), min(samples)


CASES = [("td3_update", td3_update, 20, 60), ("redq_update", redq_update, 3, 10)]
filters = [a for i, a in enumerate(sys.argv[1:], 1) if a != "--threads" and sys.argv[i - 1] != "--threads"]
for name, fn, warmup, reps in CASES:
    if filters and not any(f in name for f in filters):
        continue
    med, mn = timeit(fn, warmup, reps)
    print(json.dumps({"case": name, "median_us": round(med, 3), "min_us": round(mn, 3),
                      "runtime": f"torch {torch.__version__}", "threads": torch.get_num_threads()}), flush=True)
