#!/usr/bin/env python3
"""PyTorch CPU reference for one A2C and one TRPO update, paired with the C# quick cases a2c_update and trpo_update
(benchmarks/Agents.Benchmarks/OnPolicyUpdateCases.cs):

    /usr/bin/python3 benchmarks/onpolicy_torch_reference.py [--threads 1]

CartPole-sized: observations 4, 2 actions, separate 4-64-64-2 actor and 4-64-64-1 critic with Tanh, a rollout of
2048 transitions (1 env x 2048 steps) gathered in shuffled order as the C# buffer does.
  a2c_update:  L = -mean(log pi(a|s) A) + 0.5 mean((V - R)^2) - 0.01 H; backward; clip_grad_norm 0.5;
               RMSprop(lr 7e-4, alpha 0.99, eps 1e-5) step (A2cParams' defaults, no advantage normalisation).
  trpo_update: A normalised; g = grad of mean(exp(log pi - log pi_old) A); 10 conjugate-gradient iterations on
               (F + 0.1 I) v with F v = grad((grad KL(pi_old || pi)) . v) (double backward, as sb3-contrib and
               Tianshou do); x^T F x; line search from alpha = sqrt(2 * 0.01 / x^T F x), shrink 0.8, at most 10 tries;
               5 Adam(1e-3) steps of the critic on the whole rollout (TrpoParams' defaults).
Each call first restores the starting weights, as the C# cases do, so every call does the same work.
Prints one JSON object per line, as torch_acting_reference.py does.
"""
import argparse, json, os, statistics, sys, time

_n = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = _n
import torch
import torch.nn as nn
import torch.nn.functional as F

N, OBS, ACTS = 2048, 4, 2


def timeit(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6, min(samples) * 1e6


def mlp(out):
    net = nn.Sequential(nn.Linear(OBS, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, out))
    for i, m in enumerate(l for l in net if isinstance(l, nn.Linear)):
        nn.init.orthogonal_(m.weight, gain=(2 ** 0.5) if i < 2 else (0.01 if out == ACTS else 1.0))
        nn.init.zeros_(m.bias)
    return net


def rollout(actor):
    obs = torch.rand(N, OBS) * 0.2 - 0.1
    with torch.no_grad():
        logits = actor(obs)
        act = torch.distributions.Categorical(logits=logits).sample()
        logp = F.log_softmax(logits, -1).gather(1, act[:, None]).squeeze(1)
    return obs, act, logp, torch.randn(N), torch.randn(N)


def snapshot(params):
    return [p.detach().clone() for p in params]


def restore(params, saved):
    with torch.no_grad():
        for p, s in zip(params, saved):
            p.copy_(s)


def gather(data):
    idx = torch.randperm(N)
    return [t[idx] for t in data]


def make_a2c():
    actor, critic = mlp(ACTS), mlp(1)
    params = list(actor.parameters()) + list(critic.parameters())
    opt = torch.optim.RMSprop(params, lr=7e-4, alpha=0.99, eps=1e-5)
    data = rollout(actor)
    saved = snapshot(params)

    def update():
        restore(params, saved)
        obs, act, _, adv, ret = gather(data)
        logits = actor(obs)
        logp_all = F.log_softmax(logits, -1)
        logp = logp_all.gather(1, act[:, None]).squeeze(1)
        entropy = -(logp_all.exp() * logp_all).sum(-1).mean()
        values = critic(obs).squeeze(1)
        pg = -(logp * adv).mean()
        vf = F.mse_loss(values, ret)
        loss = pg + 0.5 * vf - 0.01 * entropy
        loss.item(); pg.item(); vf.item(); entropy.item()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 0.5)
        opt.step()

    return update


def make_trpo():
    actor, critic = mlp(ACTS), mlp(1)
    aparams = list(actor.parameters())
    opt = torch.optim.Adam(critic.parameters(), lr=1e-3)
    data = rollout(actor)
    saved = snapshot(aparams + list(critic.parameters()))
    stats = {"tries": 0}
    max_kl, damping, cg_iters, shrink, max_tries, critic_iters = 0.01, 0.1, 10, 0.8, 10, 5

    def flat_grad(y, **kw):
        return torch.cat([g.reshape(-1) for g in torch.autograd.grad(y, aparams, **kw)])

    def set_flat(flat):
        with torch.no_grad():
            k = 0
            for p in aparams:
                p.copy_(flat[k:k + p.numel()].view_as(p))
                k += p.numel()

    def kl_from(old_logp_all, logits):
        logp_all = F.log_softmax(logits, -1)
        return (old_logp_all.exp() * (old_logp_all - logp_all)).sum(-1).mean()

    def update():
        restore(aparams + list(critic.parameters()), saved)
        obs, act, old_logp, adv, ret = gather(data)
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
        theta = torch.cat([p.detach().reshape(-1) for p in aparams])
        with torch.no_grad():
            old_logp_all = F.log_softmax(actor(obs), -1)

        # L(θ) = mean(ratio · Â); g = ∇L.
        logits = actor(obs)
        logp = F.log_softmax(logits, -1).gather(1, act[:, None]).squeeze(1)
        surrogate = (torch.exp(logp - old_logp) * adv).mean()
        g = flat_grad(surrogate, retain_graph=True)
        surrogate_value = surrogate.item()

        # (F + cI) v by double backward through the mean KL.
        kl_grad = flat_grad(kl_from(old_logp_all, logits), create_graph=True)

        def fvp(v):
            return flat_grad((kl_grad * v).sum(), retain_graph=True) + damping * v

        # Conjugate gradient, 10 iterations from x = 0.
        x = torch.zeros_like(g)
        r, p = g.clone(), g.clone()
        rr = r.dot(r)
        for _ in range(cg_iters):
            ap = fvp(p)
            alpha = rr / p.dot(ap)
            x += alpha * p
            r -= alpha * ap
            rr_new = r.dot(r)
            p = r + (rr_new / rr) * p
            rr = rr_new
        xfx = x.dot(fvp(x)).item()

        # Line search inside the trust region.
        step = (2 * max_kl / xfx) ** 0.5
        with torch.no_grad():
            for i in range(max_tries):
                set_flat(theta + step * x)
                new_logits = actor(obs)
                new_logp = F.log_softmax(new_logits, -1).gather(1, act[:, None]).squeeze(1)
                new_surrogate = (torch.exp(new_logp - old_logp) * adv).mean().item()
                kl = kl_from(old_logp_all, new_logits).item()
                stats["tries"] = i + 1
                if new_surrogate > surrogate_value and kl < max_kl:
                    break
                step *= shrink
            else:
                set_flat(theta)

        # Critic: 5 Adam steps on mean((V − R)²).
        for _ in range(critic_iters):
            vf = F.mse_loss(critic(obs).squeeze(1), ret)
            vf.item()
            opt.zero_grad()
            vf.backward()
            opt.step()

    return update, stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    meta = {"torch": torch.__version__, "threads": a.threads}
    a2c = make_a2c()
    med, mn = timeit(a2c, 20, 200)
    print(json.dumps({"case": "a2c_update", "median_us": med, "min_us": mn, **meta}), flush=True)
    trpo, stats = make_trpo()
    med, mn = timeit(trpo, 5, 50)
    print(json.dumps({"case": "trpo_update", "median_us": med, "min_us": mn, "line_search_tries": stats["tries"], **meta}), flush=True)


if __name__ == "__main__":
    main()
