#!/usr/bin/env python3
"""Optuna counterpart of benchmarks/Samplers.Benchmarks: the same objectives (written line by line as in
Objectives.cs), the same budgets, one JSON line per (objective, sampler, seed), so scripts/compare joins them:

    apt-get install -y python3-optuna python3-scipy python3-cmaes      # Debian 12: Optuna 3.1, cmaes 0.9.1
    /usr/bin/python3 benchmarks/samplers_optuna_reference.py [--seeds 100] [--first-seed 0] [--trials 100] [--samplers tpe,random,cmaes]
                                                              [--objectives branin,...] > optuna.jsonl

The Optuna (and cmaes) imported is whichever comes first on PYTHONPATH, so a newer one runs on Debian's numpy/scipy/
sqlalchemy/alembic without installing it: export a source tree of a release and put it first, e.g.
    git -C optuna archive v4.9.0 | tar -x -C /tmp/optuna-4.9.0      # github.com/optuna/optuna (pure Python)
    git -C cmaes archive v0.13.1 | tar -x -C /tmp/cmaes-0.13.1      # github.com/CyberAgentAILab/cmaes (Optuna 4 needs >= 0.10)
    PYTHONPATH=/tmp/optuna-4.9.0:/tmp/cmaes-0.13.1 /usr/bin/python3 benchmarks/samplers_optuna_reference.py ... > optuna-4.9.jsonl
Every line records optuna.__version__ (and cmaes.__version__ for the cmaes rows), so the comparison names the versions.

Each line: {"impl": "optuna", "version", "objective", "sampler", "seed", "best": {"10": .., "25": .., "50": .., "100": ..},
"suggest_ms"}. "best" at n is the noise-free value of the best observed trial among the first n (for the noisy
objective the sampler sees the noisy value; we score the incumbent by its true value, as HPO benchmarks do).
"suggest_ms" is the mean wall time of study.ask() plus the objective's suggest_* calls (Optuna samples independent
parameters inside suggest_*, so ask() alone misses the TPE's work; the objectives' arithmetic is negligible), with
Optuna's in-memory bookkeeping.
Samplers are Optuna's defaults: TPESampler(seed), RandomSampler(seed), CmaEsSampler(seed) (categoricals sampled
independently by its RandomSampler). When `cmaes` is not importable the cmaes rows are skipped and a line
{"impl": "optuna", "skipped": "cmaes", "reason": ...} says so.
"""
import json, math, random, sys, time

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)

BUDGETS = (10, 25, 50, 100)


def branin(t):
    x1 = t.suggest_float("x1", -5.0, 10.0)
    x2 = t.suggest_float("x2", 0.0, 15.0)
    a, b, c, r, s, tt = 1.0, 5.1 / (4 * math.pi ** 2), 5.0 / math.pi, 6.0, 10.0, 1.0 / (8 * math.pi)
    return a * (x2 - b * x1 * x1 + c * x1 - r) ** 2 + s * (1 - tt) * math.cos(x1) + s


H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
H6_ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann6(t):
    x = [t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(6)]
    total = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(6):
            inner += H6_A[i][j] * (x[j] - H6_P[i][j]) ** 2
        total += H6_ALPHA[i] * math.exp(-inner)
    return -total


QUAD_CENTER = {"a": [1.0, -2.0, 0.5, 3.0, -1.0], "b": [-1.0, 2.0, -0.5, -3.0, 1.0], "c": [0.0, 0.0, 0.0, 0.0, 0.0]}
QUAD_OFFSET = {"a": 0.0, "b": 0.5, "c": 2.0}


def quadratic_switch(t):
    x = [t.suggest_float(f"x{i}", -5.0, 5.0) for i in range(5)]
    mode = t.suggest_categorical("mode", ["a", "b", "c"])
    center = QUAD_CENTER[mode]
    return sum((x[i] - center[i]) ** 2 for i in range(5)) + QUAD_OFFSET[mode]


def rosenbrock_int(t):
    x = [t.suggest_float("x0", -2.0, 2.0), t.suggest_float("x1", -2.0, 2.0),
         float(t.suggest_int("x2", -3, 3)), float(t.suggest_int("x3", -3, 3))]
    return sum(100.0 * (x[i + 1] - x[i] * x[i]) ** 2 + (1.0 - x[i]) ** 2 for i in range(3))


RL_BATCH_FACTOR = {32: 0.85, 64: 1.0, 128: 0.95, 256: 0.8}


def rl_true(lr, gamma, batch, depth):
    # Regret of an RL-shaped learning curve end point: the best log10 learning rate grows with the batch size,
    # the return peaks at gamma = 0.99 (in log(1 - gamma)), depth 2 is best and deeper nets learn slower.
    best_log_lr = -3.5 + 0.5 * math.log2(batch / 64.0)
    q_lr = math.exp(-0.5 * ((math.log10(lr) - best_log_lr) / 0.5) ** 2)
    q_gamma = math.exp(-0.5 * ((math.log(1.0 - gamma) - math.log(0.01)) / 0.8) ** 2)
    q_depth = 1.0 - 0.1 * abs(depth - 2)
    return 1.0 - q_lr * q_gamma * q_depth * RL_BATCH_FACTOR[batch]


def rl_params(t):
    return (t.suggest_float("lr", 1e-5, 1e-1, log=True), t.suggest_float("gamma", 0.9, 0.9999),
            t.suggest_categorical("batch_size", [32, 64, 128, 256]), t.suggest_int("depth", 1, 4))


def rl(t):
    return rl_true(*rl_params(t))


RL_NOISE = 0.05


def rl_noisy(t, rng):
    true = rl_true(*rl_params(t))
    t.set_user_attr("true", true)
    return true + RL_NOISE * rng.gauss(0.0, 1.0)


def mlp_true(lr, weight_decay, width, dropout, optimizer):
    # Validation-error surrogate of a small MLP (YAHPO lcbench-like): log-quadratic bowls in lr and weight decay whose
    # best lr depends on the optimizer, a log-width optimum at 256, a dropout optimum at 0.2, sgd 0.03 worse.
    best_log_lr = -3.0 if optimizer == "adam" else -1.5
    err = 0.1 + 0.04 * (math.log10(lr) - best_log_lr) ** 2 + 0.02 * (math.log10(weight_decay) + 4.0) ** 2
    err += 0.01 * (math.log2(width) - 8.0) ** 2 + 0.5 * (dropout - 0.2) ** 2 + (0.0 if optimizer == "adam" else 0.03)
    return err


def mlp(t):
    return mlp_true(t.suggest_float("lr", 1e-5, 1.0, log=True), t.suggest_float("weight_decay", 1e-6, 1e-1, log=True),
                    t.suggest_int("width", 16, 1024, log=True), t.suggest_float("dropout", 0.0, 0.8),
                    t.suggest_categorical("optimizer", ["adam", "sgd"]))


OBJECTIVES = {"branin": branin, "hartmann6": hartmann6, "quadratic_switch": quadratic_switch,
              "rosenbrock4_int": rosenbrock_int, "rl": rl, "rl_noisy": None, "mlp": mlp}


def make_sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False)
    raise ValueError(f"unknown sampler {name}; allowed: tpe, random, cmaes")


def run(objective, sampler_name, seed, trials):
    study = optuna.create_study(sampler=make_sampler(sampler_name, seed), direction="minimize")
    noise = random.Random(1_000_003 * seed + 17)
    ask_s, best_seen, best_true, curve = 0.0, math.inf, math.inf, {}
    for n in range(1, trials + 1):
        t0 = time.perf_counter()
        trial = study.ask()
        if objective == "rl_noisy":
            seen = rl_noisy(trial, noise)
            true = trial.user_attrs["true"]
        else:
            seen = true = OBJECTIVES[objective](trial)
        ask_s += time.perf_counter() - t0
        study.tell(trial, seen)
        if seen < best_seen:
            best_seen, best_true = seen, true
        if n in BUDGETS:
            curve[str(n)] = best_true
    return curve, 1000.0 * ask_s / trials


def main(argv):
    args = dict(zip(argv[::2], argv[1::2]))
    seeds = int(args.get("--seeds", "100"))
    first_seed = int(args.get("--first-seed", "0"))
    trials = int(args.get("--trials", "100"))
    samplers = args.get("--samplers", "tpe,random,cmaes").split(",")
    objectives = args.get("--objectives", ",".join(OBJECTIVES)).split(",")
    for o in objectives:
        if o not in OBJECTIVES:
            sys.exit(f"--objectives: unknown objective '{o}'; allowed: {', '.join(OBJECTIVES)}")
    cmaes_version = None
    if "cmaes" in samplers:
        try:
            import cmaes
            cmaes_version = getattr(cmaes, "__version__", "?")
        except ImportError as e:
            print(json.dumps({"impl": "optuna", "skipped": "cmaes", "reason": str(e)}), flush=True)
            samplers = [s for s in samplers if s != "cmaes"]
    for seed in range(first_seed, first_seed + seeds):
        for objective in objectives:
            for sampler in samplers:
                curve, ms = run(objective, sampler, seed, trials)
                line = {"impl": "optuna", "version": optuna.__version__, "objective": objective,
                        "sampler": sampler, "seed": seed, "best": curve, "suggest_ms": ms}
                if sampler == "cmaes":
                    line["cmaes_version"] = cmaes_version
                print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
