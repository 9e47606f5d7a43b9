#!/usr/bin/env python3
"""PyTorch end-to-end reference for `--e2e` of benchmarks/Agents.Benchmarks: CleanRL's cleanrl/dqn.py and
cleanrl/ppo.py (vwxyzjn/cleanrl) with their default settings on CartPole-v1, in CleanRL's code structure, trained
until the mean return of the last 20 training episodes reaches 475 (capped at CleanRL's total_timesteps, 500k).

    /usr/bin/python3 benchmarks/cleanrl_torch_reference.py --e2e [dqn|ppo|all] [--seeds 3] [--first-seed 0] [--threads 1]
    /usr/bin/python3 benchmarks/cleanrl_torch_reference.py --check TRACE.jsonl

Gymnasium is not installable here, so the script carries its own CartPole-v1 (Gymnasium 1.1's CartPoleEnv with its
500-step TimeLimit, float64 state, float32 observations) and a SyncVectorEnv with same-step auto-reset and
RecordEpisodeStatistics, as the Gymnasium 0.29 vector API CleanRL is written against. `--check` replays a trace of our
CartPole (`dotnet RlExperiments.Agents.Benchmarks.dll --trace-cartpole`: 9 episodes, ~1,600 transitions, terminations
and truncations at 500) from its float64 initial states with its actions and compares every observation, reward,
termination and truncation. Tolerance 0: with libm's sin/cos (what .NET's Math.SinCos calls) the physics is the same
float64 arithmetic in the same order, so everything must be bit-identical. With NumPy's np.sin/np.cos (what Gymnasium
calls, and what the runs use) this NumPy's SIMD versions differ from libm in the last bits; the check reports where
that first shows in a float32 observation and how far a long balanced episode carries it.

Settings (CleanRL's defaults, also in benchmarks/Agents.Benchmarks/EndToEnd/CleanRlSettings.cs):
  DQN: Q-network 4-120-84-2 ReLU (PyTorch's default init), Adam lr 2.5e-4, buffer 10,000, gamma 0.99, tau 1.0 every 500
       steps, batch 128, epsilon 1 -> 0.05 over 250,000 steps, learning starts 10,000, one update every 10 steps, MSE.
  PPO: 4 envs x 128 steps, 4 epochs x 4 minibatches of 128, separate 64-64 tanh actor and critic (orthogonal init),
       Adam lr 2.5e-4 (eps 1e-5) annealed, gamma 0.99, GAE 0.95, normalised advantages, clip 0.2 (ratio and value),
       entropy 0.01, value 0.5, max_grad_norm 0.5.
Prints one JSON line per seed with the fields of the C# run: env steps, wall and process CPU time, the split (acting,
updating, environment, other) from perf_counter around each phase, us per update and per acting call.
"""
import argparse, collections, json, math, os, random, sys, time

_n = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = _n
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions.categorical import Categorical

TOTAL_TIMESTEPS = 500_000
WINDOW, TARGET = 20, 475.0


# ---------------------------------------------------------------------------------------------------- environment
class CartPoleEnv:
    """Gymnasium 1.1's CartPoleEnv (euler integrator) with TimeLimit(max_episode_steps=500)."""
    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    total_mass = masspole + masscart
    polemass_length = masspole * length
    theta_threshold_radians = 12 * 2 * np.pi / 360
    x_threshold = 2.4
    max_episode_steps = 500

    def __init__(self, cos=np.cos, sin=np.sin):
        self.cos, self.sin = cos, sin   # Gymnasium's np.cos/np.sin; --check also runs libm's math.cos/math.sin
        self.np_random = np.random.default_rng()
        self.state = None
        self.elapsed = 0

    def reset(self, seed=None):
        if seed is not None:
            self.np_random = np.random.default_rng(seed)   # gymnasium.utils.seeding.np_random: Generator(PCG64(SeedSequence(seed)))
        self.state = self.np_random.uniform(low=-0.05, high=0.05, size=(4,))
        self.elapsed = 0
        return np.array(self.state, dtype=np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta = self.cos(theta)
        sintheta = self.sin(theta)
        temp = (force + self.polemass_length * np.square(theta_dot) * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * np.square(costheta) / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * xacc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * thetaacc
        self.state = np.array((x, x_dot, theta, theta_dot), dtype=np.float64)
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        self.elapsed += 1
        truncated = self.elapsed >= self.max_episode_steps
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated, {}


class SyncVectorEnv:
    """gym.vector.SyncVectorEnv of CartPole-v1 wrapped in RecordEpisodeStatistics, Gymnasium 0.29's same-step auto-reset:
    an ended episode's last observation goes to infos["final_observation"] and its return/length to infos["final_info"]."""

    def __init__(self, num_envs):
        self.envs = [CartPoleEnv() for _ in range(num_envs)]
        self.num_envs = num_envs
        self.single_observation_shape = (4,)
        self.single_action_n = 2
        self.returns = np.zeros(num_envs)
        self.lengths = np.zeros(num_envs, dtype=np.int64)

    def reset(self, seed):
        self.returns[:] = 0
        self.lengths[:] = 0
        return np.stack([e.reset(seed=seed + i) for i, e in enumerate(self.envs)]), {}

    def step(self, actions):
        obs = np.empty((self.num_envs, 4), dtype=np.float32)
        rewards = np.empty(self.num_envs)
        terms = np.zeros(self.num_envs, dtype=bool)
        truncs = np.zeros(self.num_envs, dtype=bool)
        infos = {}
        for i, env in enumerate(self.envs):
            o, r, term, trunc, _ = env.step(int(actions[i]))
            self.returns[i] += r
            self.lengths[i] += 1
            rewards[i], terms[i], truncs[i] = r, term, trunc
            if term or trunc:
                infos.setdefault("final_observation", [None] * self.num_envs)[i] = o
                infos.setdefault("final_info", [None] * self.num_envs)[i] = {
                    "episode": {"r": self.returns[i], "l": self.lengths[i]}}
                self.returns[i] = 0
                self.lengths[i] = 0
                o = env.reset()
            obs[i] = o
        return obs, rewards, terms, truncs, infos


def replay(trace_path, env):
    """Replays our CartPole's trace in env; returns (episodes, transitions, mismatches, max |obs diff|, first differing transition)."""
    transitions = episodes = mismatches = 0
    worst, first = 0.0, None
    with open(trace_path) as f:
        for line in f:
            rec = json.loads(line)
            if "state" in rec:
                env.reset()
                env.state = np.array(rec["state"], dtype=np.float64)
                episodes += 1
                continue
            obs, r, term, trunc, _ = env.step(rec["a"])
            diff = float(np.max(np.abs(obs - np.array(rec["obs"], dtype=np.float32))))
            worst = max(worst, diff)
            transitions += 1
            if diff > 0 and first is None:
                first = transitions
            if diff > 0 or r != rec["r"] or term != rec["term"] or trunc != rec["trunc"]:
                mismatches += 1
    return episodes, transitions, mismatches, worst, first


def check(trace_path):
    """Compares our CartPole's trace with this CartPole: with libm's sin/cos (what .NET's Math.SinCos calls) every
    observation, reward and flag must be identical (tolerance 0); with NumPy's sin/cos (Gymnasium's), reported only:
    this NumPy's SIMD np.cos/np.sin differ from libm in the last bits, and CartPole amplifies a last-bit difference
    along a long balanced episode."""
    episodes, transitions, mismatches, worst, first = replay(trace_path, CartPoleEnv(cos=math.cos, sin=math.sin))
    _, _, np_mismatches, np_worst, np_first = replay(trace_path, CartPoleEnv())
    ok = mismatches == 0 and transitions > 0
    print(json.dumps({"check": "cartpole", "episodes": episodes, "transitions": transitions,
                      "libm_trig": {"mismatches": mismatches, "max_obs_abs_diff": worst, "tolerance": 0.0},
                      "numpy_trig": {"differing_transitions": np_mismatches, "first_difference_at": np_first,
                                     "max_obs_abs_diff": np_worst},
                      "ok": ok}))
    return 0 if ok else 1


# ---------------------------------------------------------------------------------------------------- timing
class Phases:
    def __init__(self):
        self.acting = self.updating = self.env = 0.0
        self.act_net = 0.0
        self.act_calls = self.updates = 0


def process_seconds():
    """Seconds since this process started (from /proc, so the interpreter's and torch's start-up count, as the C# run's do)."""
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def record(algo, seed, reached, global_step, episodes, recent, wall, cpu, ph, gradient_steps, act_batch):
    rec = {"impl": "torch", "algo": algo, "seed": seed, "reached": reached, "env_steps": global_step, "episodes": episodes,
           "mean_last20": round(float(np.mean(recent)), 1) if len(recent) == WINDOW else None,
           "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "process_s": round(process_seconds(), 3),
           "process_cpu_s": round(time.process_time(), 3), "steps_per_s": round(global_step / wall),
           "gradient_steps": gradient_steps,
           "acting_s": round(ph.acting, 3), "updating_s": round(ph.updating, 3), "env_s": round(ph.env, 3),
           "other_s": round(wall - ph.acting - ph.updating - ph.env, 3), "updates": ph.updates,
           "update_us": round(1e6 * ph.updating / max(1, ph.updates), 2)}
    if algo == "ppo":
        rec["minibatch_us"] = round(1e6 * ph.updating / max(1, gradient_steps), 2)
    rec["act_calls"] = ph.act_calls
    rec["act_batch"] = act_batch
    rec["act_us"] = round(1e6 * ph.act_net / max(1, ph.act_calls), 3)
    rec["torch"] = torch.__version__
    rec["threads"] = torch.get_num_threads()
    rec["load_avg_1m"] = os.getloadavg()[0]
    return rec


# ---------------------------------------------------------------------------------------------------- DQN (cleanrl/dqn.py)
class QNetwork(nn.Module):
    def __init__(self, envs, hidden=(120, 84)):
        super().__init__()
        # dqn.py's 4-120-84-2 by default; --dqn-hidden replaces the hidden widths (our benchmark takes the same option).
        widths = [int(np.array(envs.single_observation_shape).prod()), *hidden]
        layers = []
        for fan_in, fan_out in zip(widths, widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        self.network = nn.Sequential(*layers, nn.Linear(widths[-1], envs.single_action_n))

    def forward(self, x):
        return self.network(x)


def linear_schedule(start_e: float, end_e: float, duration: int, t: int):
    slope = (end_e - start_e) / duration
    return max(slope * t + start_e, end_e)


class ReplayBuffer:
    """Stable-Baselines3's ReplayBuffer (cleanrl_utils.buffers) for one environment, handle_timeout_termination=False."""

    def __init__(self, buffer_size, obs_shape):
        self.buffer_size = buffer_size
        self.observations = np.zeros((buffer_size, 1) + obs_shape, dtype=np.float32)
        self.next_observations = np.zeros((buffer_size, 1) + obs_shape, dtype=np.float32)
        self.actions = np.zeros((buffer_size, 1, 1), dtype=np.int64)
        self.rewards = np.zeros((buffer_size, 1), dtype=np.float32)
        self.dones = np.zeros((buffer_size, 1), dtype=np.float32)
        self.pos = 0
        self.full = False

    def add(self, obs, next_obs, action, reward, done, infos):
        self.observations[self.pos] = np.array(obs)
        self.next_observations[self.pos] = np.array(next_obs)
        self.actions[self.pos] = np.array(action).reshape(1, 1)
        self.rewards[self.pos] = np.array(reward)
        self.dones[self.pos] = np.array(done)
        self.pos += 1
        if self.pos == self.buffer_size:
            self.full = True
            self.pos = 0

    def sample(self, batch_size):
        upper_bound = self.buffer_size if self.full else self.pos
        batch_inds = np.random.randint(0, upper_bound, size=batch_size)
        data = (self.observations[batch_inds, 0, :], self.actions[batch_inds, 0, :], self.next_observations[batch_inds, 0, :],
                self.dones[batch_inds], self.rewards[batch_inds])
        return collections.namedtuple("ReplayBufferSamples", "observations actions next_observations dones rewards")(
            *tuple(map(torch.tensor, data)))


def run_dqn(seed, learning_rate=2.5e-4, buffer_size=10000, gamma=0.99, tau=1.0, target_network_frequency=500,
            batch_size=128, start_e=1.0, end_e=0.05, exploration_fraction=0.5, learning_starts=10000, train_frequency=10,
            hidden=(120, 84)):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    action_rng = np.random.default_rng(seed)          # env.action_space.seed(seed)

    envs = SyncVectorEnv(1)
    q_network = QNetwork(envs, hidden)
    optimizer = optim.Adam(q_network.parameters(), lr=learning_rate)
    target_network = QNetwork(envs, hidden)
    target_network.load_state_dict(q_network.state_dict())
    rb = ReplayBuffer(buffer_size, envs.single_observation_shape)

    ph = Phases()
    recent = collections.deque(maxlen=WINDOW)
    episodes = 0
    reached = False
    gradient_steps = 0
    cpu0 = time.process_time()
    start_time = time.perf_counter()
    obs, _ = envs.reset(seed=seed)
    global_step = 0
    for global_step in range(TOTAL_TIMESTEPS):
        t0 = time.perf_counter()
        epsilon = linear_schedule(start_e, end_e, exploration_fraction * TOTAL_TIMESTEPS, global_step)
        if random.random() < epsilon:
            actions = np.array([action_rng.integers(envs.single_action_n) for _ in range(envs.num_envs)])
            ph.acting += time.perf_counter() - t0
        else:
            q_values = q_network(torch.Tensor(obs))
            actions = torch.argmax(q_values, dim=1).cpu().numpy()
            dt = time.perf_counter() - t0
            ph.acting += dt
            ph.act_net += dt
            ph.act_calls += 1

        t0 = time.perf_counter()
        next_obs, rewards, terminations, truncations, infos = envs.step(actions)
        ph.env += time.perf_counter() - t0

        if "final_info" in infos:
            for info in infos["final_info"]:
                if info and "episode" in info:
                    recent.append(info["episode"]["r"])
                    episodes += 1
                    if len(recent) == WINDOW and np.mean(recent) >= TARGET:
                        reached = True

        real_next_obs = next_obs.copy()
        for idx, trunc in enumerate(truncations):
            if trunc:
                real_next_obs[idx] = infos["final_observation"][idx]
        rb.add(obs, real_next_obs, actions, rewards, terminations, infos)
        obs = next_obs

        if global_step > learning_starts:
            t0 = time.perf_counter()
            if global_step % train_frequency == 0:
                data = rb.sample(batch_size)
                with torch.no_grad():
                    target_max, _ = target_network(data.next_observations).max(dim=1)
                    td_target = data.rewards.flatten() + gamma * target_max * (1 - data.dones.flatten())
                old_val = q_network(data.observations).gather(1, data.actions).squeeze()
                loss = F.mse_loss(td_target, old_val)

                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                gradient_steps += 1
                ph.updates += 1

            if global_step % target_network_frequency == 0:
                for target_network_param, q_network_param in zip(target_network.parameters(), q_network.parameters()):
                    target_network_param.data.copy_(tau * q_network_param.data + (1.0 - tau) * target_network_param.data)
            ph.updating += time.perf_counter() - t0
        if reached:
            break
    wall = time.perf_counter() - start_time
    return record("dqn", seed, reached, global_step + 1, episodes, recent, wall, time.process_time() - cpu0, ph, gradient_steps, 1)


# ---------------------------------------------------------------------------------------------------- PPO (cleanrl/ppo.py)
def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class Agent(nn.Module):
    def __init__(self, envs):
        super().__init__()
        self.critic = nn.Sequential(
            layer_init(nn.Linear(np.array(envs.single_observation_shape).prod(), 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, 1), std=1.0),
        )
        self.actor = nn.Sequential(
            layer_init(nn.Linear(np.array(envs.single_observation_shape).prod(), 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, envs.single_action_n), std=0.01),
        )

    def get_value(self, x):
        return self.critic(x)

    def get_action_and_value(self, x, action=None):
        logits = self.actor(x)
        probs = Categorical(logits=logits)
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action), probs.entropy(), self.critic(x)


def run_ppo(seed, learning_rate=2.5e-4, num_envs=4, num_steps=128, anneal_lr=True, gamma=0.99, gae_lambda=0.95,
            num_minibatches=4, update_epochs=4, norm_adv=True, clip_coef=0.2, clip_vloss=True, ent_coef=0.01, vf_coef=0.5,
            max_grad_norm=0.5, target_kl=None):
    batch_size = int(num_envs * num_steps)
    minibatch_size = int(batch_size // num_minibatches)
    num_iterations = TOTAL_TIMESTEPS // batch_size
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True

    envs = SyncVectorEnv(num_envs)
    agent = Agent(envs)
    optimizer = optim.Adam(agent.parameters(), lr=learning_rate, eps=1e-5)

    obs = torch.zeros((num_steps, num_envs) + envs.single_observation_shape)
    actions = torch.zeros((num_steps, num_envs))
    logprobs = torch.zeros((num_steps, num_envs))
    rewards = torch.zeros((num_steps, num_envs))
    dones = torch.zeros((num_steps, num_envs))
    values = torch.zeros((num_steps, num_envs))

    ph = Phases()
    recent = collections.deque(maxlen=WINDOW)
    episodes = 0
    reached = False
    gradient_steps = 0
    global_step = 0
    cpu0 = time.process_time()
    start_time = time.perf_counter()
    next_obs, _ = envs.reset(seed=seed)
    next_obs = torch.Tensor(next_obs)
    next_done = torch.zeros(num_envs)

    for iteration in range(1, num_iterations + 1):
        if anneal_lr:
            frac = 1.0 - (iteration - 1.0) / num_iterations
            lrnow = frac * learning_rate
            optimizer.param_groups[0]["lr"] = lrnow

        for step in range(0, num_steps):
            global_step += num_envs
            obs[step] = next_obs
            dones[step] = next_done

            t0 = time.perf_counter()
            with torch.no_grad():
                action, logprob, _, value = agent.get_action_and_value(next_obs)
                values[step] = value.flatten()
            actions[step] = action
            logprobs[step] = logprob
            dt = time.perf_counter() - t0
            ph.acting += dt
            ph.act_net += dt
            ph.act_calls += 1

            t0 = time.perf_counter()
            next_obs, reward, terminations, truncations, infos = envs.step(action.cpu().numpy())
            ph.env += time.perf_counter() - t0
            next_done = np.logical_or(terminations, truncations)
            rewards[step] = torch.tensor(reward).view(-1)
            next_obs, next_done = torch.Tensor(next_obs), torch.Tensor(next_done)

            if "final_info" in infos:
                for info in infos["final_info"]:
                    if info and "episode" in info:
                        recent.append(info["episode"]["r"])
                        episodes += 1
                        if len(recent) == WINDOW and np.mean(recent) >= TARGET:
                            reached = True

        t0 = time.perf_counter()
        with torch.no_grad():
            next_value = agent.get_value(next_obs).reshape(1, -1)
        ph.acting += time.perf_counter() - t0
        with torch.no_grad():
            advantages = torch.zeros_like(rewards)
            lastgaelam = 0
            for t in reversed(range(num_steps)):
                if t == num_steps - 1:
                    nextnonterminal = 1.0 - next_done
                    nextvalues = next_value
                else:
                    nextnonterminal = 1.0 - dones[t + 1]
                    nextvalues = values[t + 1]
                delta = rewards[t] + gamma * nextvalues * nextnonterminal - values[t]
                advantages[t] = lastgaelam = delta + gamma * gae_lambda * nextnonterminal * lastgaelam
            returns = advantages + values

        b_obs = obs.reshape((-1,) + envs.single_observation_shape)
        b_logprobs = logprobs.reshape(-1)
        b_actions = actions.reshape(-1)
        b_advantages = advantages.reshape(-1)
        b_returns = returns.reshape(-1)
        b_values = values.reshape(-1)

        t0 = time.perf_counter()
        b_inds = np.arange(batch_size)
        clipfracs = []
        for epoch in range(update_epochs):
            np.random.shuffle(b_inds)
            for start in range(0, batch_size, minibatch_size):
                end = start + minibatch_size
                mb_inds = b_inds[start:end]

                _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb_inds], b_actions.long()[mb_inds])
                logratio = newlogprob - b_logprobs[mb_inds]
                ratio = logratio.exp()

                with torch.no_grad():
                    old_approx_kl = (-logratio).mean()
                    approx_kl = ((ratio - 1) - logratio).mean()
                    clipfracs += [((ratio - 1.0).abs() > clip_coef).float().mean().item()]

                mb_advantages = b_advantages[mb_inds]
                if norm_adv:
                    mb_advantages = (mb_advantages - mb_advantages.mean()) / (mb_advantages.std() + 1e-8)

                pg_loss1 = -mb_advantages * ratio
                pg_loss2 = -mb_advantages * torch.clamp(ratio, 1 - clip_coef, 1 + clip_coef)
                pg_loss = torch.max(pg_loss1, pg_loss2).mean()

                newvalue = newvalue.view(-1)
                if clip_vloss:
                    v_loss_unclipped = (newvalue - b_returns[mb_inds]) ** 2
                    v_clipped = b_values[mb_inds] + torch.clamp(newvalue - b_values[mb_inds], -clip_coef, clip_coef)
                    v_loss_clipped = (v_clipped - b_returns[mb_inds]) ** 2
                    v_loss_max = torch.max(v_loss_unclipped, v_loss_clipped)
                    v_loss = 0.5 * v_loss_max.mean()
                else:
                    v_loss = 0.5 * ((newvalue - b_returns[mb_inds]) ** 2).mean()

                entropy_loss = entropy.mean()
                loss = pg_loss - ent_coef * entropy_loss + v_loss * vf_coef

                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), max_grad_norm)
                optimizer.step()
                gradient_steps += 1

            if target_kl is not None and approx_kl > target_kl:
                break
        ph.updating += time.perf_counter() - t0
        ph.updates += 1
        if reached:
            break
    wall = time.perf_counter() - start_time
    return record("ppo", seed, reached, global_step, episodes, recent, wall, time.process_time() - cpu0, ph, gradient_steps, num_envs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--e2e", choices=["dqn", "ppo", "all"], help="run CleanRL's setting(s) until the last 20 episodes average 475")
    parser.add_argument("--check", metavar="TRACE", help="compare our CartPole's trace (--trace-cartpole) with this script's CartPole")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dqn-hidden", default="120,84", help="DQN's hidden widths, comma-separated (dqn.py: 120,84)")
    args = parser.parse_args()
    if args.check:
        return check(args.check)
    if not args.e2e:
        parser.error("give --e2e dqn|ppo|all or --check TRACE")
    torch.set_num_threads(args.threads)
    for algo in (["dqn", "ppo"] if args.e2e == "all" else [args.e2e]):
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            if algo == "dqn":
                hidden = tuple(int(w) for w in args.dqn_hidden.split(","))
                rec = run_dqn(seed, hidden=hidden)
                rec["dqn_hidden"] = "-".join(str(w) for w in hidden)
            else:
                rec = run_ppo(seed)
            print(json.dumps(rec), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
