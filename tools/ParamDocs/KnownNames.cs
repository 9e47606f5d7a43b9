namespace ParamDocs;

/// <summary>
/// What Stable-Baselines3 (and sb3-contrib, the zoo's VecNormalize) and Tianshou's high-level API call each params field,
/// checked against their documentation; "—" where the library has no such setting. Keyed by field, with per-algorithm
/// entries ("PPO.Field") where the name differs. The generator fails on a field this table lacks, so a new field gets names.
/// </summary>
public static class KnownNames
{
    private static readonly Dictionary<string, (string Sb3, string Tianshou)> Names = new(StringComparer.Ordinal)
    {
        ["LearningRate"] = ("learning_rate", "lr"),
        ["AnnealLearningRate"] = ("learning_rate: lin_x (zoo)", "lr_scheduler"),
        ["NumSteps"] = ("n_steps", "SamplingConfig.step_per_collect ÷ num_train_envs"),
        ["BatchSize"] = ("batch_size", "SamplingConfig.batch_size"),
        ["UpdateEpochs"] = ("n_epochs", "SamplingConfig.repeat_per_collect"),
        ["Gamma"] = ("gamma", "gamma"),
        ["GaeLambda"] = ("gae_lambda", "gae_lambda"),
        ["ClipRange"] = ("clip_range", "eps_clip"),
        ["AnnealClipRange"] = ("clip_range: lin_x (zoo)", "—"),
        ["ClipRangeVf"] = ("clip_range_vf", "value_clip (with eps_clip)"),
        ["NormalizeAdvantage"] = ("normalize_advantage", "advantage_normalization"),
        ["EntCoef"] = ("ent_coef", "ent_coef"),
        ["VfCoef"] = ("vf_coef", "vf_coef"),
        ["MaxGradNorm"] = ("max_grad_norm", "max_grad_norm"),
        ["TargetKl"] = ("target_kl", "—"),
        ["HiddenSizes"] = ("policy_kwargs net_arch", "hidden_sizes (model factory)"),
        ["Activation"] = ("policy_kwargs activation_fn", "activation (model factory)"),
        ["OrthoInit"] = ("policy_kwargs ortho_init", "—"),
        ["ShareNetwork"] = ("shared net_arch", "with_critic_factory_use_actor"),
        ["LogStdInit"] = ("policy_kwargs log_std_init", "—"),
        ["NormalizeObservations"] = ("VecNormalize norm_obs (zoo normalize)", "—"),
        ["ObservationClip"] = ("VecNormalize clip_obs", "—"),
        ["NormalizeRewards"] = ("VecNormalize norm_reward (zoo normalize)", "return_scaling"),
        ["RewardClip"] = ("VecNormalize clip_reward", "—"),
        ["AdamEps"] = ("policy_kwargs optimizer_kwargs eps", "OptimizerFactoryFactoryAdam eps"),
        ["BufferSize"] = ("buffer_size", "SamplingConfig.buffer_size"),
        ["LearningStarts"] = ("learning_starts", "SamplingConfig.start_timesteps"),
        ["Tau"] = ("tau", "tau"),
        ["TrainFreq"] = ("train_freq", "SamplingConfig.step_per_collect ÷ num_train_envs"),
        ["GradientSteps"] = ("gradient_steps", "SamplingConfig.update_per_step × step_per_collect"),
        ["TargetUpdateInterval"] = ("target_update_interval", "target_update_freq"),
        ["ExplorationFraction"] = ("exploration_fraction", "— (epoch train callback)"),
        ["ExplorationInitialEps"] = ("exploration_initial_eps", "eps_training"),
        ["ExplorationFinalEps"] = ("exploration_final_eps", "— (epoch train callback)"),
        ["DoubleDqn"] = ("— (always off)", "is_double"),
        ["Dueling"] = ("—", "dueling_param"),
        ["NStep"] = ("n_steps (SB3 ≥ 2.6)", "n_step_return_horizon"),
        ["Loss"] = ("— (smooth L1)", "huber_loss_delta"),
        ["PrioritizedReplay"] = ("—", "PrioritizedReplayBuffer"),
        ["PriorityAlpha"] = ("—", "PrioritizedReplayBuffer alpha"),
        ["PriorityBeta0"] = ("—", "PrioritizedReplayBuffer beta"),
        ["PriorityEps"] = ("—", "—"),
        ["AutoEntCoef"] = ("ent_coef: auto", "AutoAlphaFactory"),
        ["TargetEntropy"] = ("target_entropy", "AutoAlphaFactoryDefault target_entropy_coefficient"),
        ["LogStdMin"] = ("LOG_STD_MIN (constant)", "—"),
        ["LogStdMax"] = ("LOG_STD_MAX (constant)", "—"),
        ["ExplorationNoise"] = ("action_noise", "exploration_noise"),
        ["PolicyNoise"] = ("target_policy_noise", "policy_noise"),
        ["NoiseClip"] = ("target_noise_clip", "noise_clip"),
        ["UpdateActorFreq"] = ("policy_delay", "update_actor_freq"),
        ["ReturnScaling"] = ("—", "return_scaling"),
        ["UseRmsProp"] = ("use_rms_prop", "OptimizerFactoryFactoryRMSprop"),
        ["RmsPropAlpha"] = ("RMSprop alpha (0.99)", "OptimizerFactoryFactoryRMSprop alpha"),
        ["OptimizerEps"] = ("rms_prop_eps", "optimiser eps"),
        ["TrustRegionSize"] = ("—", "trust_region_size"),
        ["MaxKl"] = ("target_kl (sb3-contrib TRPO)", "max_kl"),
        ["BacktrackCoeff"] = ("— (0.8, fixed)", "backtrack_coeff"),
        ["MaxBacktracks"] = ("line_search_max_iter (sb3-contrib)", "max_backtracks"),
        ["OptimCriticIters"] = ("n_critic_updates (sb3-contrib)", "optim_critic_iters"),
        ["CgIterations"] = ("cg_max_steps (sb3-contrib)", "— (10, fixed)"),
        ["CgDamping"] = ("cg_damping (sb3-contrib)", "— (0.1, fixed)"),
        ["SAC.EntCoef"] = ("ent_coef", "alpha"),
        ["PG.UpdateEpochs"] = ("—", "SamplingConfig.repeat_per_collect"),
        ["PG.NumSteps"] = ("—", "SamplingConfig.step_per_collect ÷ num_train_envs"),
        ["PG.BatchSize"] = ("—", "SamplingConfig.batch_size"),
        ["A2C.UpdateEpochs"] = ("— (one pass)", "SamplingConfig.repeat_per_collect"),
        ["A2C.BatchSize"] = ("— (whole rollout)", "SamplingConfig.batch_size"),
        ["NPG.UpdateEpochs"] = ("—", "SamplingConfig.repeat_per_collect"),
        ["TRPO.UpdateEpochs"] = ("—", "SamplingConfig.repeat_per_collect"),
    };

    /// <summary>The names of <paramref name="field"/> of <paramref name="algorithm"/>'s params, or null when the table lacks it.</summary>
    public static (string Sb3, string Tianshou)? For(string algorithm, string field) =>
        Names.TryGetValue($"{algorithm}.{field}", out var specific) ? specific
        : Names.TryGetValue(field, out var common) ? common
        : null;
}
