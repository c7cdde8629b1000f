using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Optimisers;

/// <summary>A gradient (or loss) held NaN or ±∞: says which parameter, which element and which step.</summary>
public sealed class NonFiniteGradientException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteGradientException(string message, string parameter, long step) : base(message)
    {
        ParameterName = parameter;
        Step = step;
    }

    /// <summary>Creates the exception.</summary>
    public NonFiniteGradientException() : this("A gradient was not finite.", "", 0) { }

    /// <summary>Creates the exception.</summary>
    public NonFiniteGradientException(string message) : this(message, "", 0) { }

    /// <summary>Creates the exception.</summary>
    public NonFiniteGradientException(string message, Exception innerException) : base(message, innerException)
    {
        ParameterName = "";
    }

    /// <summary>The parameter whose gradient was not finite ("loss" for the loss itself).</summary>
    public string ParameterName { get; }

    /// <summary>The 1-based step at which it happened.</summary>
    public long Step { get; }

    internal static void ThrowIfNonFinite<T>(ReadOnlySpan<T> values, Tensor<T> parameter, int index, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < values.Length; k++)
            if (!T.IsFinite(values[k]))
            {
                string name = parameter.Name ?? $"#{index}";
                throw new NonFiniteGradientException(
                    $"The gradient of parameter '{name}' {ShapeRules.Format(parameter.Shape)} is {values[k]} at element {k} on step {step}.", name, step);
            }
    }
}
