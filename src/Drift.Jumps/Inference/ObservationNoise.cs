namespace Drift.Jumps.Inference;

/// <summary>
/// How an observed value y relates to the true count x of a species at an observation time: the log-likelihood
/// ln p(y | x). Observations of different species and times are conditionally independent given the path.
/// </summary>
public abstract class ObservationNoise
{
    private protected ObservationNoise() { }

    /// <summary>ln p(y | x); −∞ when y is impossible given x.</summary>
    public abstract double LogLikelihood(double y, long x);

    /// <summary>Exact counts: p(y | x) = 1 if y = x, else 0.</summary>
    public static ObservationNoise Exact { get; } = new ExactNoise();

    /// <summary>Additive Gaussian noise y = x + σε, ε ~ N(0, 1): ln p = −½((y − x)/σ)² − ln(σ√(2π)).</summary>
    /// <exception cref="ArgumentException">σ is not positive and finite.</exception>
    public static ObservationNoise Gaussian(double sigma)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentException($"the noise standard deviation must be positive and finite, got {sigma}.", nameof(sigma));
        return new GaussianNoise(sigma);
    }

    /// <summary>
    /// Binomial thinning: each of the x molecules is detected independently with probability p, so y ~ Binomial(x, p):
    /// ln p = ln C(x, y) + y ln p + (x − y) ln(1 − p) for integer 0 ≤ y ≤ x, −∞ otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">p is not in (0, 1].</exception>
    public static ObservationNoise Binomial(double detection)
    {
        if (!(detection > 0 && detection <= 1)) throw new ArgumentException($"the detection probability must lie in (0, 1], got {detection}.", nameof(detection));
        return new BinomialNoise(detection);
    }

    private sealed class ExactNoise : ObservationNoise
    {
        public override double LogLikelihood(double y, long x) => y == x ? 0 : double.NegativeInfinity;
    }

    private sealed class GaussianNoise(double sigma) : ObservationNoise
    {
        private readonly double _normaliser = Math.Log(sigma * Math.Sqrt(2 * Math.PI));

        public override double LogLikelihood(double y, long x)
        {
            double z = (y - x) / sigma;
            return -0.5 * z * z - _normaliser;
        }
    }

    private sealed class BinomialNoise(double p) : ObservationNoise
    {
        public override double LogLikelihood(double y, long x)
        {
            if (y != Math.Floor(y) || y < 0 || y > x) return double.NegativeInfinity;
            long k = (long)y;
            double log = LogChoose(x, k);
            if (k > 0) log += k * Math.Log(p);
            if (x - k > 0) log += (x - k) * Math.Log(1 - p); // −∞ when p = 1 and a molecule was missed
            return log;
        }

        private static double LogChoose(long n, long k)
        {
            k = Math.Min(k, n - k);
            double s = 0;
            for (long i = 1; i <= k; i++) s += Math.Log((double)(n - k + i) / i);
            return s;
        }
    }
}
