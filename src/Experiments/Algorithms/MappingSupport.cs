using RlExperiments.Tensors.Nn;

using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>Shared plumbing of the configuration mappings: typed reads with named errors, key checks, NAS and target-network rules.</summary>
internal static class MappingSupport
{
    public const string UseTargetNetworkKey = "use_target_network";
    public const string TauKey = "tau";
    public const string TargetUpdateIntervalKey = "target_update_interval";
    public const string ActivationKey = "activation";
    public const string HiddenSizeKey = "hidden_size";

    /// <summary>Throws when the configuration has a key the space does not know, listing the known ones.</summary>
    public static void CheckKnownKeys(Configuration configuration, ConfigurationSpace space, string algorithm, string kind)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var key in configuration.Keys)
            if (!space.TryGet(key, out _))
                throw new ArgumentException(
                    $"Unknown {algorithm} {kind} hyperparameter '{key}' (value {ConfigValues.Format(configuration[key])}); known: " +
                    string.Join(", ", space.Hyperparameters.Select(h => h.Name)) + ".",
                    nameof(configuration));
    }

    public static bool Has(Configuration c, string key) => c.ContainsKey(key);

    public static double Double(Configuration c, string key) => c[key] switch
    {
        double d => d,
        long l => l,
        var o => throw TypeError(key, o, "a number"),
    };

    public static bool Bool(Configuration c, string key) => c[key] is bool b ? b : throw TypeError(key, c[key], "true or false");

    public static string String(Configuration c, string key) => c[key] is string s ? s : throw TypeError(key, c[key], "a string");

    /// <summary>An integer value (a long, or a double without fractional part) that fits an <see cref="int"/>.</summary>
    public static int Int(Configuration c, string key)
    {
        var o = c[key];
        long l = o switch
        {
            long x => x,
            double d when d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue => (long)d,
            _ => throw TypeError(key, o, "an integer"),
        };
        if (l < int.MinValue || l > int.MaxValue)
            throw new ArgumentException($"Hyperparameter '{key}' = {l} does not fit a 32-bit integer (allowed: {int.MinValue}..{int.MaxValue}).", key);
        return (int)l;
    }

    private static ArgumentException TypeError(string key, object value, string allowed) =>
        new($"Hyperparameter '{key}' = {ConfigValues.Format(value)} has the wrong type (allowed: {allowed}).", key);

    /// <summary>Throws <see cref="NotSupportedException"/> naming the hyperparameter, its value and what is supported.</summary>
    public static NotSupportedException Unsupported(string algorithm, string key, object value, string allowed, string why) =>
        new($"{algorithm} hyperparameter '{key}' = {ConfigValues.Format(value)} is not supported: {why} (supported: {allowed}).");

    /// <summary>
    /// Reads the target-network hyperparameters. Returns (tau, interval) to set (null leaves the basis value).
    /// <c>use_target_network = false</c> gives tau 1 and interval 1; an explicit tau or interval alongside it is an
    /// error, as the space makes them inactive then.
    /// </summary>
    public static (double? Tau, int? Interval) TargetNetwork(Configuration c, string algorithm)
    {
        double? tau = Has(c, TauKey) ? Double(c, TauKey) : null;
        int? interval = Has(c, TargetUpdateIntervalKey) ? Int(c, TargetUpdateIntervalKey) : null;
        if (Has(c, UseTargetNetworkKey) && !Bool(c, UseTargetNetworkKey))
        {
            foreach (var child in new[] { TauKey, TargetUpdateIntervalKey })
                if (Has(c, child))
                    throw new ArgumentException(
                        $"{algorithm} hyperparameter '{child}' = {ConfigValues.Format(c[child])} is inactive when '{UseTargetNetworkKey}' = false " +
                        $"(no target network means tau = 1 and target_update_interval = 1); omit it or set '{UseTargetNetworkKey}' = true.", child);
            return (1.0, 1);
        }
        return (tau, interval);
    }

    /// <summary>
    /// ARLBench's single <c>learning_rate</c> for an agent with separate actor and critic rates: it is the critic's rate,
    /// and the actor's follows it at the basis' actor:critic ratio (1 for the params' defaults, 1:10 for the presets from
    /// Tianshou's test scripts). So tuning keeps a preset's ratio, and a configuration from <c>ToConfiguration(p)</c> maps
    /// back onto <c>p</c> exactly (the critic's own rate keeps the basis' actor rate; equal basis rates stay equal).
    /// </summary>
    /// <returns>The (actor, critic) rates.</returns>
    public static (double Actor, double Critic) ActorCriticRates(double learningRate, double basisActor, double basisCritic) =>
        (learningRate == basisCritic ? basisActor : learningRate * (basisActor / basisCritic), learningRate);

    /// <summary>The inverse rule: no target network exactly when tau == 1 and the interval == 1.</summary>
    public static bool UsesTargetNetwork(double tau, int interval) => !(tau == 1.0 && interval == 1);

    /// <summary>Reads a NAS configuration: (hidden width, activation), null for absent keys.</summary>
    public static (int? Hidden, Activation? Activation) Nas(Configuration? nas, ConfigurationSpace space, string algorithm)
    {
        if (nas is null) return (null, null);
        CheckKnownKeys(nas, space, algorithm, "NAS");
        Activation? act = null;
        if (Has(nas, ActivationKey))
        {
            var s = String(nas, ActivationKey);
            act = s switch
            {
                "tanh" => Activation.Tanh,
                "relu" => Activation.ReLU,
                _ => throw new ArgumentException($"{algorithm} NAS hyperparameter '{ActivationKey}' = \"{s}\" is not allowed (allowed: tanh, relu).", ActivationKey),
            };
        }
        int? hidden = null;
        if (Has(nas, HiddenSizeKey))
        {
            hidden = Int(nas, HiddenSizeKey);
            if (hidden < 1) throw new ArgumentException($"{algorithm} NAS hyperparameter '{HiddenSizeKey}' = {hidden} is not allowed (allowed: ≥ 1).", HiddenSizeKey);
        }
        return (hidden, act);
    }

    /// <summary>The NAS configuration of two equal hidden layers and a tanh/ReLU activation.</summary>
    public static Configuration ToNas(IReadOnlyList<int> hiddenSizes, Activation activation, string algorithm)
    {
        if (hiddenSizes is null || hiddenSizes.Count != 2 || hiddenSizes[0] != hiddenSizes[1])
            throw new ArgumentException(
                $"{algorithm} HiddenSizes = [{(hiddenSizes is null ? "null" : string.Join(", ", hiddenSizes))}] cannot be expressed in the NAS space " +
                "(allowed: two hidden layers of equal width, [h, h]).", nameof(hiddenSizes));
        var name = activation switch
        {
            Activation.Tanh => "tanh",
            Activation.ReLU => "relu",
            _ => throw new ArgumentException(
                $"{algorithm} Activation = {activation} cannot be expressed in the NAS space (allowed: Tanh, ReLU).", nameof(activation)),
        };
        return new Configuration(new KeyValuePair<string, object>[] { new(ActivationKey, name), new(HiddenSizeKey, (long)hiddenSizes[0]) });
    }
}
