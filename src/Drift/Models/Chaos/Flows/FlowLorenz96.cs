using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Lorenz-96: dx_i/dt = (x_{i+1} − x_{i−2}) x_{i−1} − x_i + f with cyclic indices, any dimension ≥ 4.</summary>
internal readonly struct FlowLorenz96 : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double f = parameters[0];
        int n = state.Length;
        for (int i = 0; i < n; i++)
            derivative[i] = (state[(i + 1) % n] - state[(i + n - 2) % n]) * state[(i + n - 1) % n] - state[i] + f;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        int n = state.Length;
        jacobian[..(n * n)].Clear();
        for (int i = 0; i < n; i++)
        {
            int next = (i + 1) % n, back2 = (i + n - 2) % n, back1 = (i + n - 1) % n;
            jacobian[i * n + next] += state[back1];
            jacobian[i * n + back2] -= state[back1];
            jacobian[i * n + back1] += state[next] - state[back2];
            jacobian[i * n + i] -= 1;
        }
    }
}
