#!/usr/bin/env python3
"""Numbers for TpeSamplerTests.Same_history_gives_optunas_densities_and_acquisition: Optuna's own TPE code on a fixed
history of 40 trials (so the below/above split, gamma, the trial-order weight ramp of the above group, the bandwidths,
integer cells, log scale and the categorical kernel are all exercised), evaluated at fixed probe points.

    git -C optuna archive v4.9.0 | tar -x -C /tmp/optuna-4.9.0        # github.com/optuna/optuna, pure Python
    PYTHONPATH=/tmp/optuna-4.9.0 /usr/bin/python3 tests/Tuning.Tests/OptunaReference/tpe_history.py
    git -C optuna archive 1d8ce7bb | tar -x -C /tmp/optuna-head          # main after v5.0.0-rc1 ("5.0.0.dev")
    PYTHONPATH=/tmp/optuna-head /usr/bin/python3 tests/Tuning.Tests/OptunaReference/tpe_history.py

The independent estimators are the same in both; the multivariate ones differ (Optuna 5 gives each dimension of a joint
kernel the neighbour-gap bandwidth of the independent estimator, Optuna 4 Scott's rule), and the test pins Optuna 5's.

Uses Optuna's internals (_split_trials, TPESampler._build_parzen_estimator): the same calls TPESampler._sample makes.
Prints C# literals: the history (x, lr, n, w, c, value); per parameter (independent TPE) and for the joint (multivariate) estimator, log l(x) and log g(x)
at the probes, and the mixture's mus, sigmas and weights of the independent estimators.

Ties: the independent bandwidths come from numpy.argsort of the observations (default kind, not stable), so among
equal observations (an integer's repeated values) which kernel gets the left and which the right gap is numpy's
introsort order (numpy < 2; numpy 2 on AVX2/AVX-512 CPUs sorts with x86-simd-sort, another order); with the trial-order
weights of more than 25 observations that changes g(x) slightly. Our TPE breaks ties in trial order (a stable sort), so
the script prints a second set of densities with numpy.argsort made stable ("stable ties"), which is what the test
pins for the integer parameters; the plain numbers are printed too, to show the size of the difference.
"""
import math

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers import TPESampler
from optuna.samplers._tpe.sampler import _split_trials

optuna.logging.set_verbosity(optuna.logging.ERROR)

SPACE = {
    "x": FloatDistribution(-2.0, 2.0),
    "lr": FloatDistribution(1e-5, 1.0, log=True),
    "n": IntDistribution(-3, 3),
    "w": IntDistribution(16, 1024, log=True),
    "c": CategoricalDistribution(["a", "b", "c"]),
}


def history(k):
    # Deterministic, irregular values; printed as literals for the C# test.
    x = round(2.0 * math.sin(1.3 * k + 0.4), 6)
    lr = round(10 ** (-5 + 5 * ((0.6180339887 * k + 0.1) % 1.0)), 12)
    n = (k * 5 + 2) % 7 - 3
    w = [16, 23, 40, 64, 100, 256, 512, 1000, 1024][(k * 4 + 1) % 9]
    c = "abc"[(k * k + k // 3) % 3]
    value = (x - 0.7) ** 2 + (math.log10(lr) + 3) ** 2 + 0.3 * abs(n - 1) + 0.1 * (math.log2(w) - 8) ** 2 + {"a": 0.0, "b": 0.4, "c": 1.0}[c]
    return {"x": x, "lr": lr, "n": n, "w": w, "c": c}, round(value, 9)


PROBES = [
    {"x": 0.7, "lr": 1e-3, "n": 1, "w": 256, "c": "a"},
    {"x": -1.9, "lr": 0.5, "n": -3, "w": 17, "c": "b"},
    {"x": 1.2, "lr": 3e-5, "n": 3, "w": 1024, "c": "c"},
    {"x": 0.0, "lr": 0.01, "n": 0, "w": 100, "c": "a"},
]


def main():
    sampler = TPESampler(seed=0)
    study = optuna.create_study(sampler=sampler)
    for k in range(40):
        params, value = history(k)
        study.add_trial(optuna.trial.create_trial(params=params, distributions=SPACE, value=value))
    for k in range(40):
        params, value = history(k)
        print(f'({params["x"]!r}, {params["lr"]!r}, {params["n"]}, {params["w"]}, "{params["c"]}", {value!r}),')
    trials = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    if sampler._gamma is None:  # Optuna 5 picks gamma at the first sampling
        from optuna.samplers._tpe.sampler import default_gamma
        sampler._gamma = default_gamma
    try:
        below, above = _split_trials(study, trials, sampler._gamma(len(trials)), False)  # Optuna 4
    except TypeError:
        below, above = _split_trials(study, trials, sampler._gamma(len(trials)))  # Optuna 5
    print("// Optuna", optuna.__version__, "below trials:", [t.number for t in below])

    def internal(name, probe):
        return np.array([SPACE[name].to_internal_repr(probe[name])], dtype=float)

    plain_argsort = np.argsort
    for ties in ("numpy ties", "stable ties"):
        if ties == "stable ties":
            np.argsort = lambda a, **kw: plain_argsort(a, **{"kind": "stable", **kw})
        for name in SPACE:
            sub = {name: SPACE[name]}
            l = sampler._build_parzen_estimator(study, sub, below, handle_below=True)
            g = sampler._build_parzen_estimator(study, sub, above, handle_below=False)
            ll = [l.log_pdf({name: internal(name, p)})[0] for p in PROBES]
            lg = [g.log_pdf({name: internal(name, p)})[0] for p in PROBES]
            print(f'["{name}"] = (new[] {{ {", ".join(repr(v) for v in ll)} }}, new[] {{ {", ".join(repr(v) for v in lg)} }}), // {ties}')
            for label, e in (("below", l), ("above", g)):
                d = e._mixture_distribution.distributions[0]
                print(f"//   {name} {label}: weights {e._mixture_distribution.weights.tolist()}")
                if hasattr(d, "mu"):
                    print(f"//   {name} {label}: mu {d.mu.tolist()} sigma {d.sigma.tolist()}")
        sampler_mv = TPESampler(seed=0, multivariate=True)
        l = sampler_mv._build_parzen_estimator(study, SPACE, below, handle_below=True)
        g = sampler_mv._build_parzen_estimator(study, SPACE, above, handle_below=False)
        batch = {name: np.concatenate([internal(name, p) for p in PROBES]) for name in SPACE}
        print(f'multivariate: l {l.log_pdf(batch).tolist()} g {g.log_pdf(batch).tolist()} // {ties}')
    np.argsort = plain_argsort

    # A 2-D joint estimator straight from _ParzenEstimator (TpeSamplerTests.Multivariate_kernels_span_all_dimensions...):
    # x in [0, 10], y in [0, 1], 10 observations, prior weight 1.
    from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
    from optuna.samplers._tpe.sampler import default_weights
    fields = dict(prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False, weights=default_weights,
                  multivariate=True)
    if "categorical_distance_func" in _ParzenEstimatorParameters._fields:
        fields["categorical_distance_func"] = {}
    obs = {"x": np.array([0.5 + 0.9 * i for i in range(10)]), "y": np.array([(i * 7 % 10) / 10.0 + 0.05 for i in range(10)])}
    pe = _ParzenEstimator(obs, {"x": FloatDistribution(0, 10), "y": FloatDistribution(0, 1)}, _ParzenEstimatorParameters(**fields))
    print("2-D:", pe.log_pdf({"x": np.array([0.5, 3.0, 9.9]), "y": np.array([0.05, 0.7, 0.01])}).tolist())


if __name__ == "__main__":
    main()
