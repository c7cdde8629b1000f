namespace Drift.Sampling;

/// <summary>
/// A symmetric kick–drift splitting of Hamiltonian dynamics with H(q, p) = −log π(q) + ½ pᵀM⁻¹p: one step of size ε is
/// kick(a₀ε), drift(b₀ε), kick(a₁ε), …, drift(b_{k−1}ε), kick(a_kε), where kick(h) is p ← p + h ∇log π(q) and
/// drift(h) is q ← q + h M⁻¹p. Symmetric coefficients make the map time-reversible and every stage is a shear, so
/// it preserves volume: the two properties HMC's correctness rests on.
/// </summary>
internal sealed class Integrator
{
    /// <summary>λ of McLachlan's minimum-error two-stage scheme (Blanes, Casas &amp; Sanz-Serna 2014, SIAM J. Sci.
    /// Comput. 36(4), eq. (23) "b = 0.1932" with the digits of McLachlan 1995 / Omelyan et al. 2002).</summary>
    public const double McLachlanLambda = 0.1931833275037836;

    public Integrator(IntegratorKind kind)
    {
        Kind = kind;
        switch (kind)
        {
            case IntegratorKind.Leapfrog:
                Kicks = [0.5, 0.5];
                Drifts = [1.0];
                break;
            case IntegratorKind.McLachlan:
                Kicks = [McLachlanLambda, 1 - 2 * McLachlanLambda, McLachlanLambda];
                Drifts = [0.5, 0.5];
                break;
            case IntegratorKind.Yoshida:
                double cbrt2 = Math.Cbrt(2), w1 = 1 / (2 - cbrt2), w0 = 1 - 2 * w1; // w0 = −2^⅓/(2 − 2^⅓)
                Kicks = [0.5 * w1, 0.5 * (w1 + w0), 0.5 * (w0 + w1), 0.5 * w1];
                Drifts = [w1, w0, w1];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown integrator.");
        }
    }

    public IntegratorKind Kind { get; }

    /// <summary>Kick coefficients a₀ … a_k.</summary>
    public double[] Kicks { get; }

    /// <summary>Drift coefficients b₀ … b_{k−1} (each followed by one gradient evaluation).</summary>
    public double[] Drifts { get; }

    /// <summary>Gradient evaluations per step.</summary>
    public int GradientsPerStep => Drifts.Length;
}
