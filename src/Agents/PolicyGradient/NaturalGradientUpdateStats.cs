namespace RlExperiments.Agents.PolicyGradient;

/// <summary>What one NPG or TRPO update did, averaged over its natural-gradient steps; see <see cref="NaturalPolicyGradientAgent.LastUpdate"/>.</summary>
/// <param name="PolicyLoss">Mean <c>−L(θ_old)</c>, the negated surrogate before each step.</param>
/// <param name="ValueLoss">Mean critic loss <c>mean((V − R)²)</c> over the critic's Adam steps.</param>
/// <param name="Kl">Mean <c>KL(π_old ‖ π_new)</c> after each step (0 for a rejected step).</param>
/// <param name="StepSize">Mean α of <c>θ ← θ + α·x</c> (0 for a rejected step).</param>
/// <param name="GradNorm">Mean ‖g‖ of the surrogate's gradient.</param>
/// <param name="Backtracks">Mean number of line-search shrinkings (always 0 for NPG).</param>
/// <param name="AcceptedSteps">Natural-gradient steps taken (TRPO rejects some).</param>
/// <param name="Steps">Natural-gradient steps attempted (one per minibatch and pass).</param>
public readonly record struct NaturalGradientUpdateStats(double PolicyLoss, double ValueLoss, double Kl, double StepSize, double GradNorm,
    double Backtracks, int AcceptedSteps, int Steps);

/// <summary>The outcome of one step along the natural-gradient direction.</summary>
/// <param name="StepSize">The α applied (0 when the step was rejected and θ restored).</param>
/// <param name="Kl">Mean <c>KL(π_old ‖ π_new)</c> after the step.</param>
/// <param name="Backtracks">How many times the step was shrunk.</param>
/// <param name="Accepted">Whether θ moved.</param>
public readonly record struct NaturalStep(double StepSize, double Kl, int Backtracks, bool Accepted);
