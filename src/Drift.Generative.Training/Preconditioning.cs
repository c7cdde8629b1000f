namespace Drift.Generative.Training;

/// <summary>
/// The affine wrapper of a network F at one time: the model's prediction is
/// P(x, t) = <see cref="Skip"/>·x + <see cref="Out"/>·F(<see cref="In"/>·x, <see cref="Noise"/>).
/// Plain objectives use (0, 1, 1, τ(t)); EDM uses (c_skip, c_out, c_in, c_noise) of Karras et al. 2022, Table 1.
/// </summary>
/// <param name="Skip">c_skip.</param>
/// <param name="Out">c_out.</param>
/// <param name="In">c_in.</param>
/// <param name="Noise">The network's time input (already scaled for its sinusoidal embedding).</param>
public readonly record struct Preconditioning(double Skip, double Out, double In, double Noise);
