using System.Collections.Concurrent;
using RlExperiments.Environments;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Rendering.ClassicControl;

namespace RlExperiments.Rendering;

/// <summary>
/// Gymnasium's <c>env.render()</c> in <c>rgb_array</c> mode: <c>env.Render()</c> draws the current state of the innermost
/// environment (below every wrapper) as an <see cref="RgbFrame"/>. The five classic-control environments are drawn as
/// Gymnasium's pygame renderers draw them; an environment of one's own gets a picture by <see cref="Register{TEnv}"/>.
/// </summary>
/// <remarks>
/// Rendering lives outside the environments (and outside their Step) so that training never draws: a frame is made only when
/// something asks for one (<see cref="RecordVideo"/>, a run's <c>WatchRender</c>). Registration is by the environment's
/// exact type and is thread-safe.
/// </remarks>
public static class EnvRendering
{
    private static readonly ConcurrentDictionary<Type, Renderer> Renderers = new();

    static EnvRendering()
    {
        Register<CartPole>(ClassicControlScenes.CartPole, 50);
        Register<Acrobot>(ClassicControlScenes.Acrobot, 15);
        Register<MountainCar>(ClassicControlScenes.MountainCar, 30);
        Register<MountainCarContinuous>(ClassicControlScenes.MountainCarContinuous, 30);
        Register<Pendulum>(ClassicControlScenes.Pendulum, 30);
    }

    private sealed record Renderer(Func<Env, RgbFrame> Draw, double FramesPerSecond);

    /// <summary>
    /// Registers how to draw environments of type <typeparamref name="TEnv"/> (replacing an earlier registration), with
    /// Gymnasium's <c>metadata["render_fps"]</c>: the frame rate videos of it play at.
    /// </summary>
    /// <param name="render">Draws the environment's current state.</param>
    /// <param name="framesPerSecond">Frames per second of a recorded video. Allowed: a finite number &gt; 0.</param>
    public static void Register<TEnv>(Func<TEnv, RgbFrame> render, double framesPerSecond = 30) where TEnv : Env
    {
        ArgumentNullException.ThrowIfNull(render);
        if (!double.IsFinite(framesPerSecond) || framesPerSecond <= 0)
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "framesPerSecond must be a finite number > 0.");
        Renderers[typeof(TEnv)] = new Renderer(env => render((TEnv)env), framesPerSecond);
    }

    /// <summary>Whether <see cref="Render"/> can draw <paramref name="env"/> (a renderer is registered for its innermost type).</summary>
    public static bool CanRender(Env env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Renderers.ContainsKey(env.Unwrapped.GetType());
    }

    /// <summary>The frame rate videos of <paramref name="env"/> play at (Gymnasium's <c>render_fps</c>: CartPole 50, Acrobot 15, the others 30).</summary>
    /// <exception cref="NotSupportedException">No renderer is registered for the environment.</exception>
    public static double FramesPerSecond(Env env) => Find(env).FramesPerSecond;

    /// <summary>
    /// Draws the current state of <paramref name="env"/>'s innermost environment (Gymnasium's <c>env.render()</c> with
    /// <c>render_mode="rgb_array"</c>). Call it after Reset; it allocates a new frame each time.
    /// </summary>
    /// <exception cref="NotSupportedException">No renderer is registered for the environment (the message says how to add one).</exception>
    public static RgbFrame Render(this Env env) => Find(env).Draw(env.Unwrapped);

    private static Renderer Find(Env env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var type = env.Unwrapped.GetType();
        return Renderers.TryGetValue(type, out var renderer)
            ? renderer
            : throw new NotSupportedException(
                $"{env} cannot be rendered: no renderer is registered for {type.Name}. Register one with " +
                $"EnvRendering.Register<{type.Name}>(env => new RgbFrame(width, height, pixels)).");
    }
}
