namespace Drift.Learning.Tests.Optimisers;

/// <summary>
/// Scalar double-precision transcriptions of the pseudo-code in the PyTorch documentation of
/// torch.optim.SGD, torch.optim.Adam and torch.optim.AdamW (one parameter element at a time, as the
/// algorithms are element-wise), written independently of Drift's optimisers.
/// </summary>
internal static class TorchOracle
{
    /// <summary>θ after the steps; gradients[t][k] is g_{t+1} of element k and rates[t] is γ of step t + 1.</summary>
    public static double[] Sgd(double[] theta0, double[][] gradients, double[] rates,
        double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
    {
        var theta = (double[])theta0.Clone();
        for (int k = 0; k < theta.Length; k++)
        {
            double b = 0;
            for (int t = 1; t <= gradients.Length; t++)
            {
                double g = gradients[t - 1][k];
                if (weightDecay != 0) g += weightDecay * theta[k];
                if (momentum != 0)
                {
                    b = t > 1 ? momentum * b + (1 - dampening) * g : g;
                    g = nesterov ? g + momentum * b : b;
                }
                theta[k] -= rates[t - 1] * g;
            }
        }
        return theta;
    }

    /// <summary>Adam (coupled L2 decay) or, with <paramref name="decoupled"/>, AdamW.</summary>
    public static double[] Adam(double[] theta0, double[][] gradients, double[] rates,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0, bool decoupled = false)
    {
        var theta = (double[])theta0.Clone();
        for (int k = 0; k < theta.Length; k++)
        {
            double m = 0, v = 0;
            for (int t = 1; t <= gradients.Length; t++)
            {
                double g = gradients[t - 1][k], gamma = rates[t - 1];
                if (decoupled) theta[k] -= gamma * weightDecay * theta[k];
                else if (weightDecay != 0) g += weightDecay * theta[k];
                m = beta1 * m + (1 - beta1) * g;
                v = beta2 * v + (1 - beta2) * g * g;
                double mHat = m / (1 - Math.Pow(beta1, t));
                double vHat = v / (1 - Math.Pow(beta2, t));
                theta[k] -= gamma * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }
        return theta;
    }
}
