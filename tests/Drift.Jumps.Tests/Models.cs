using Drift.Jumps.Networks;

namespace Drift.Jumps.Tests;

/// <summary>The test networks, with their published or closed-form laws.</summary>
internal static class Models
{
    /// <summary>Immigration–death: X(t) ~ Poisson(k/γ·(1 − e^{−γt})) from X(0) = 0 (k = 10, γ = 1).</summary>
    public static ReactionNetwork ImmigrationDeath => ReactionNetwork.Parse("species A = 0\n0 -> A, 10\nA -> 0, 1\n");

    /// <summary>DSMTS 001-01 birth–death: X → 2X (λ = 0.1), X → ∅ (μ = 0.11), X(0) = 100.</summary>
    public static ReactionNetwork BirthDeath => ReactionNetwork.Parse("species X = 100\nparam lambda = 0.1\nparam mu = 0.11\nX -> 2X, lambda\nX -> 0, mu\n");

    public static double BirthDeathMean(double t) => 100 * Math.Exp(-0.01 * t);

    public static double BirthDeathVariance(double t) => 100 * (0.21 / -0.01) * Math.Exp(-0.01 * t) * (Math.Exp(-0.01 * t) - 1);

    /// <summary>DSMTS 003-01-like dimerisation: 2P → P2 (k1 = 0.001), P2 → 2P (k2 = 0.01), P(0) = 100.</summary>
    public static ReactionNetwork Dimerisation => ReactionNetwork.Parse("species P = 100, P2 = 0\n2P <-> P2, 0.001, 0.01\n");

    /// <summary>Telegraph (two-state) gene expression: G_off ⇄ G_on (k_on = 0.5, k_off = 1), G_on → G_on + M (20), M → ∅ (1).</summary>
    public static ReactionNetwork Telegraph => ReactionNetwork.Parse("""
        species Goff = 1, Gon = 0, M = 0
        param kon = 0.5
        param koff = 1
        param kr = 20
        Goff <-> Gon, kon, koff
        Gon -> Gon + M, kr
        M -> 0, 1
        """);
}
