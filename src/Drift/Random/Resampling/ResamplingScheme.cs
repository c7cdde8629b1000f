namespace Drift.Random.Resampling;

/// <summary>
/// How a particle system draws N ancestors from normalised weights W₁…W_N. Every scheme is unbiased:
/// the offspring count O_i of particle i has E[O_i] = N·W_i. They differ in variance (multinomial &gt;
/// residual, stratified &gt; systematic in practice; Douc, Cappé &amp; Moulines 2005).
/// </summary>
public enum ResamplingScheme
{
    /// <summary>N independent draws from the categorical law W (ordered uniforms by exponential spacings, O(N)).</summary>
    Multinomial,
    /// <summary>One uniform per stratum: u_i = (i + U_i)/N, U_i ~ U(0,1) independent.</summary>
    Stratified,
    /// <summary>One uniform for all strata: u_i = (i + U)/N.</summary>
    Systematic,
    /// <summary>⌊N·W_i⌋ copies deterministically, the remaining R = N − Σ⌊N·W_i⌋ by multinomial draws on the residuals N·W_i − ⌊N·W_i⌋.</summary>
    Residual,
}
