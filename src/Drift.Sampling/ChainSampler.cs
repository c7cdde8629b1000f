using System.Runtime.CompilerServices;
using Drift.Numerics;
using Drift.Random;
using Drift.Sampling.Adaptation;
using Drift.Sampling.Targets;

namespace Drift.Sampling;

/// <summary>
/// One chain: its state, metric, step size and workspaces, and the five transitions. Everything a transition draws
/// comes from the <see cref="StepDraws"/> of (seed, chain, iteration), so a chain's draws do not depend on which
/// thread runs it or on the other chains. No allocation per transition.
/// </summary>
internal sealed class ChainSampler<TTarget> where TTarget : struct, ILogDensity
{
    private readonly TTarget _target;
    private readonly int _d;
    private readonly McmcOptions _options;
    private readonly Integrator _integrator;
    private readonly double[] _logDensity1 = new double[1];

    // Current state and scratch.
    private readonly PhasePoint _z, _current;
    private readonly double[] _scratch, _scratch2, _proposal, _proposalGradient, _noise, _momentumNoise;

    // NUTS workspaces (Stan's names).
    private readonly PhasePoint _zFwd, _zBck, _zSample, _zPropose;
    private readonly double[] _pFwdFwd, _pSharpFwdFwd, _pFwdBck, _pSharpFwdBck, _pBckFwd, _pSharpBckFwd, _pBckBck, _pSharpBckBck;
    private readonly double[] _rho, _rhoFwd, _rhoBck, _rhoExtended;
    private readonly Level[] _levels;

    private sealed class Level(int d)
    {
        public readonly double[] PInitEnd = new double[d], PSharpInitEnd = new double[d], RhoInit = new double[d];
        public readonly double[] PFinalBeg = new double[d], PSharpFinalBeg = new double[d], RhoFinal = new double[d], RhoSubtree = new double[d];
        public readonly PhasePoint ZProposeFinal = new(d);
    }

    public ChainSampler(TTarget target, McmcOptions options)
    {
        _target = target;
        _d = target.Dimension;
        _options = options;
        _integrator = new Integrator(options.Integrator);
        Metric = new Metric(_d, options.Metric);
        _z = new PhasePoint(_d); _current = new PhasePoint(_d);
        _scratch = new double[_d]; _scratch2 = new double[_d]; _proposal = new double[_d]; _proposalGradient = new double[_d]; _noise = new double[_d]; _momentumNoise = new double[_d];
        if (options.Sampler == SamplerKind.Nuts)
        {
            _zFwd = new PhasePoint(_d); _zBck = new PhasePoint(_d); _zSample = new PhasePoint(_d); _zPropose = new PhasePoint(_d);
            _pFwdFwd = new double[_d]; _pSharpFwdFwd = new double[_d]; _pFwdBck = new double[_d]; _pSharpFwdBck = new double[_d];
            _pBckFwd = new double[_d]; _pSharpBckFwd = new double[_d]; _pBckBck = new double[_d]; _pSharpBckBck = new double[_d];
            _rho = new double[_d]; _rhoFwd = new double[_d]; _rhoBck = new double[_d]; _rhoExtended = new double[_d];
            _levels = new Level[options.MaxTreeDepth + 1];
            for (int i = 0; i < _levels.Length; i++) _levels[i] = new Level(_d);
        }
        else
        {
            _zFwd = _zBck = _zSample = _zPropose = _z;
            _pFwdFwd = _pSharpFwdFwd = _pFwdBck = _pSharpFwdBck = _pBckFwd = _pSharpBckFwd = _pBckBck = _pSharpBckBck = [];
            _rho = _rhoFwd = _rhoBck = _rhoExtended = [];
            _levels = [];
        }
    }

    public Metric Metric { get; }

    /// <summary>The nominal step size (adapted in warm-up).</summary>
    public double StepSize { get; set; }

    /// <summary>The step size the last transition used (the nominal one, jittered for HMC/NUTS when asked).</summary>
    public double UsedStepSize { get; private set; }

    private double _epsilon;

    /// <summary>Stan's <c>sample_stepsize</c>: ε = nominal·(1 + j(2u − 1)) when jitter j &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SampleStepSize(ref StepDraws draws)
    {
        _epsilon = StepSize;
        if (_options.StepSizeJitter > 0) _epsilon *= 1 + _options.StepSizeJitter * (2 * draws.NextUniform() - 1);
        UsedStepSize = _epsilon;
    }

    /// <summary>The chain's current position.</summary>
    public ReadOnlySpan<double> Position => _current.Q;

    public double LogDensity => _current.LogDensity;

    // Statistics of the last transition.
    public double AcceptStat, Energy;
    public int TreeDepth, Steps;
    public bool Divergent;

    /// <summary>Evaluates the target at q (NaN becomes −∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Evaluate(ReadOnlySpan<double> q, Span<double> gradient)
    {
        _target.Evaluate(q, _logDensity1, gradient);
        double lp = _logDensity1[0];
        return double.IsNaN(lp) ? double.NegativeInfinity : lp;
    }

    /// <summary>Sets the position; returns log π there.</summary>
    public double SetPosition(ReadOnlySpan<double> q)
    {
        q.CopyTo(_current.Q);
        _current.LogDensity = Evaluate(_current.Q, _current.Gradient);
        return _current.LogDensity;
    }

    public ReadOnlySpan<double> Gradient => _current.Gradient;

    // ------------------------------------------------------------------ Hamiltonian pieces

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Hamiltonian(PhasePoint z) => Hamiltonian(z.LogDensity, Metric.Kinetic(z.P, _scratch2));

    /// <summary>H = −log π + kinetic, NaN read as +∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Hamiltonian(double logDensity, double kinetic)
    {
        double h = -logDensity + kinetic;
        return double.IsNaN(h) ? double.PositiveInfinity : h;
    }

    /// <summary>y ← y + a·x over y's length (span loop: no bounds checks, no cloned loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        x = x[..y.Length];
        for (int i = 0; i < y.Length; i++) y[i] += a * x[i];
    }

    /// <summary>One integrator step of signed size <paramref name="epsilon"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Evolve(PhasePoint z, double epsilon)
    {
        var kicks = _integrator.Kicks;
        var drifts = _integrator.Drifts;
        for (int s = 0; s < drifts.Length; s++)
        {
            AddScaled(kicks[s] * epsilon, z.Gradient, z.P);
            Metric.Velocity(z.P, _scratch);
            AddScaled(drifts[s] * epsilon, _scratch, z.Q);
            z.LogDensity = Evaluate(z.Q, z.Gradient);
        }
        AddScaled(kicks[^1] * epsilon, z.Gradient, z.P);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Stan's generalised no-U-turn criterion: p♯₋·ρ &gt; 0 and p♯₊·ρ &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Criterion(ReadOnlySpan<double> pSharpMinus, ReadOnlySpan<double> pSharpPlus, ReadOnlySpan<double> rho)
        => Dot(pSharpPlus, rho) > 0 && Dot(pSharpMinus, rho) > 0;

    /// <summary>
    /// destination ← source. Not inlined on purpose: NUTS copies phase-space vectors at some forty sites, and an inlined
    /// copy at each made <see cref="Nuts"/> and <see cref="BuildTree"/> several kilobytes of machine code whose JIT
    /// compilation cost more than the call, in a run of a few thousand transitions. Optimised at once (a run too short
    /// for tiered compilation to promote it would otherwise copy with unoptimised code throughout).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Copy(double[] source, double[] destination) => source.AsSpan().CopyTo(destination);

    /// <summary>x ← 0 (not inlined, as <see cref="Copy"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Clear(double[] x) => x.AsSpan().Clear();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<double> target, ReadOnlySpan<double> x)
    {
        for (int i = 0; i < target.Length; i++) target[i] += x[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sum(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        for (int i = 0; i < result.Length; i++) result[i] = a[i] + b[i];
    }

    /// <summary>Test hook: integrates <paramref name="steps"/> steps of size <see cref="StepSize"/> from (q, p).</summary>
    internal PhasePoint IntegrateForTest(ReadOnlySpan<double> q, ReadOnlySpan<double> p, int steps)
    {
        var z = new PhasePoint(_d);
        q.CopyTo(z.Q);
        p.CopyTo(z.P);
        z.LogDensity = Evaluate(z.Q, z.Gradient);
        for (int s = 0; s < steps; s++) Evolve(z, StepSize);
        return z;
    }

    // ------------------------------------------------------------------ transitions

    /// <summary>One transition of the configured kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Transition(ref StepDraws draws)
    {
        switch (_options.Sampler)
        {
            case SamplerKind.Nuts: Nuts(ref draws); break;
            case SamplerKind.Hmc: StaticHmc(ref draws); break;
            case SamplerKind.Mala: Langevin(ref draws, adjusted: true); break;
            case SamplerKind.Ula: Langevin(ref draws, adjusted: false); break;
            case SamplerKind.Obabo: Obabo(ref draws, adjusted: false); break;
            case SamplerKind.Ghmc: Obabo(ref draws, adjusted: true); break;
            case SamplerKind.Ubu: Ubu(ref draws, adjusted: false); break;
            case SamplerKind.MaUbu: Ubu(ref draws, adjusted: true); break;
            default: RandomWalk(ref draws); break;
        }
    }

    /// <summary>
    /// NUTS as Stan's <c>base_nuts::transition</c> (stan-dev/stan, src/stan/mcmc/hmc/nuts/base_nuts.hpp): the
    /// trajectory doubles in a random direction; each new subtree is accepted whole with probability
    /// min(1, w_new/w_old) (biased progressive sampling) and built by multinomial sampling inside; it stops at a
    /// U-turn (checked over the whole trajectory and across the two merged halves), a divergence (H − H₀ &gt; 1000)
    /// or the maximum depth. accept_stat is the mean of min(1, e^{H₀−H}) over every state visited.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Nuts(ref StepDraws draws)
    {
        SampleStepSize(ref draws);
        _z.CopyFrom(_current);
        Metric.SampleMomentum(ref draws, _z.P);
        _zFwd.CopyFrom(_z); _zBck.CopyFrom(_z); _zSample.CopyFrom(_z); _zPropose.CopyFrom(_z);
        Copy(_z.P, _pFwdFwd);
        Metric.Velocity(_z.P, _pSharpFwdFwd);
        Copy(_z.P, _pFwdBck); Copy(_pSharpFwdFwd, _pSharpFwdBck);
        Copy(_z.P, _pBckFwd); Copy(_pSharpFwdFwd, _pSharpBckFwd);
        Copy(_z.P, _pBckBck); Copy(_pSharpFwdFwd, _pSharpBckBck);
        Copy(_z.P, _rho);

        double logSumWeight = 0, h0 = Hamiltonian(_z), sumMetroProb = 0;
        int nLeapfrog = 0, depth = 0;
        Divergent = false;

        while (depth < _options.MaxTreeDepth)
        {
            Clear(_rhoFwd);
            Clear(_rhoBck);
            bool valid;
            double logSumWeightSubtree = double.NegativeInfinity;
            if (draws.NextUniform() > 0.5)
            {
                _z.CopyFrom(_zFwd);
                Copy(_rho, _rhoBck);
                Copy(_pFwdFwd, _pBckFwd);
                Copy(_pSharpFwdFwd, _pSharpBckFwd);
                valid = BuildTree(depth, _zPropose, _pSharpFwdBck, _pSharpFwdFwd, _rhoFwd, _pFwdBck, _pFwdFwd,
                    h0, 1, ref nLeapfrog, ref logSumWeightSubtree, ref sumMetroProb, ref draws);
                _zFwd.CopyFrom(_z);
            }
            else
            {
                _z.CopyFrom(_zBck);
                Copy(_rho, _rhoFwd);
                Copy(_pBckBck, _pFwdBck);
                Copy(_pSharpBckBck, _pSharpFwdBck);
                valid = BuildTree(depth, _zPropose, _pSharpBckFwd, _pSharpBckBck, _rhoBck, _pBckFwd, _pBckBck,
                    h0, -1, ref nLeapfrog, ref logSumWeightSubtree, ref sumMetroProb, ref draws);
                _zBck.CopyFrom(_z);
            }
            if (!valid) break;

            depth++;
            if (logSumWeightSubtree > logSumWeight) _zSample.CopyFrom(_zPropose);
            else if (draws.NextUniform() < Math.Exp(logSumWeightSubtree - logSumWeight)) _zSample.CopyFrom(_zPropose);
            logSumWeight = LogSumExp(logSumWeight, logSumWeightSubtree);

            Sum(_rhoBck, _rhoFwd, _rho);
            bool persist = Criterion(_pSharpBckBck, _pSharpFwdFwd, _rho);
            Sum(_rhoBck, _pFwdBck, _rhoExtended);
            persist &= Criterion(_pSharpBckBck, _pSharpFwdBck, _rhoExtended);
            Sum(_rhoFwd, _pBckFwd, _rhoExtended);
            persist &= Criterion(_pSharpBckFwd, _pSharpFwdFwd, _rhoExtended);
            if (!persist) break;
        }

        Steps = nLeapfrog;
        TreeDepth = depth;
        AcceptStat = nLeapfrog > 0 ? sumMetroProb / nLeapfrog : 0;
        _current.CopyFrom(_zSample);
        Energy = Hamiltonian(_current);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool BuildTree(int depth, PhasePoint zPropose, double[] pSharpBeg, double[] pSharpEnd, double[] rho,
        double[] pBeg, double[] pEnd, double h0, double sign, ref int nLeapfrog, ref double logSumWeight,
        ref double sumMetroProb, ref StepDraws draws)
    {
        if (depth == 0)
        {
            Evolve(_z, sign * _epsilon);
            nLeapfrog++;
            Metric.Velocity(_z.P, pSharpBeg); // p♯ = M⁻¹p, needed by the U-turn checks, also gives the kinetic energy
            double h = Hamiltonian(_z.LogDensity, Metric.KineticOfVelocity(_z.P, pSharpBeg));
            if (h - h0 > _options.MaxEnergyError) Divergent = true;
            logSumWeight = LogSumExp(logSumWeight, h0 - h);
            sumMetroProb += h0 - h > 0 ? 1 : Math.Exp(h0 - h);
            zPropose.CopyFrom(_z);
            Copy(pSharpBeg, pSharpEnd);
            Add(rho, _z.P);
            Copy(_z.P, pBeg);
            Copy(_z.P, pEnd);
            return !Divergent;
        }

        var level = _levels[depth];
        double logSumWeightInit = double.NegativeInfinity;
        Clear(level.RhoInit);
        bool validInit = BuildTree(depth - 1, zPropose, pSharpBeg, level.PSharpInitEnd, level.RhoInit, pBeg, level.PInitEnd,
            h0, sign, ref nLeapfrog, ref logSumWeightInit, ref sumMetroProb, ref draws);
        if (!validInit) return false;

        var zProposeFinal = level.ZProposeFinal;
        zProposeFinal.CopyFrom(_z);
        double logSumWeightFinal = double.NegativeInfinity;
        Clear(level.RhoFinal);
        bool validFinal = BuildTree(depth - 1, zProposeFinal, level.PSharpFinalBeg, pSharpEnd, level.RhoFinal, level.PFinalBeg, pEnd,
            h0, sign, ref nLeapfrog, ref logSumWeightFinal, ref sumMetroProb, ref draws);
        if (!validFinal) return false;

        double logSumWeightSubtree = LogSumExp(logSumWeightInit, logSumWeightFinal);
        logSumWeight = LogSumExp(logSumWeight, logSumWeightSubtree);
        if (logSumWeightFinal > logSumWeightSubtree) zPropose.CopyFrom(zProposeFinal);
        else if (draws.NextUniform() < Math.Exp(logSumWeightFinal - logSumWeightSubtree)) zPropose.CopyFrom(zProposeFinal);

        var rhoSubtree = level.RhoSubtree;
        Sum(level.RhoInit, level.RhoFinal, rhoSubtree);
        Add(rho, rhoSubtree);
        bool persist = Criterion(pSharpBeg, pSharpEnd, rhoSubtree);
        Sum(level.RhoInit, level.PFinalBeg, rhoSubtree);
        persist &= Criterion(pSharpBeg, level.PSharpFinalBeg, rhoSubtree);
        Sum(level.RhoFinal, level.PInitEnd, rhoSubtree);
        persist &= Criterion(level.PSharpInitEnd, pSharpEnd, rhoSubtree);
        return persist;
    }

    /// <summary>
    /// Static HMC: p ~ N(0, M), L integrator steps of size ε, accept with probability min(1, e^{H₀−H}). A trajectory
    /// whose energy error exceeds the divergence threshold stops early, is rejected and marked divergent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StaticHmc(ref StepDraws draws)
    {
        SampleStepSize(ref draws);
        _z.CopyFrom(_current);
        Metric.SampleMomentum(ref draws, _z.P);
        double h0 = Hamiltonian(_z), h = h0;
        Divergent = false;
        int steps = 0;
        for (; steps < _options.HmcSteps; steps++)
        {
            Evolve(_z, _epsilon);
            h = Hamiltonian(_z);
            if (h - h0 > _options.MaxEnergyError) { Divergent = true; steps++; break; }
        }
        Steps = steps;
        TreeDepth = 0;
        AcceptStat = Divergent ? 0 : Metropolis.AcceptProbability(h0 - h);
        bool accept = !Divergent && draws.NextUniform() < AcceptStat;
        if (accept) _current.CopyFrom(_z);
        Energy = accept ? h : h0; // as Stan: the energy of the state kept, with the momentum it was drawn or arrived with
    }

    private bool _momentumDrawn;

    /// <summary>p ← ηp + √(1 − η²)·p′ with p′ ~ N(0, M) and η = e^{−γε/2}: the exact O half-step (unit temperature).</summary>
    private void OrnsteinUhlenbeckHalfStep(ref StepDraws draws, OrnsteinUhlenbeckStep o)
    {
        Metric.SampleMomentum(ref draws, _noise);
        double scale = o.NoiseScale;
        for (int i = 0; i < _d; i++) _current.P[i] = o.Decay * _current.P[i] + scale * _noise[i];
    }

    /// <summary>
    /// OBABO, the splitting of underdamped Langevin dynamics dq = M⁻¹p dt, dp = ∇log π dt − γp dt + √(2γM) dW into an
    /// exact O half-step, one integrator step (B A B for leapfrog) and an O half-step. <paramref name="adjusted"/> adds
    /// the Metropolis test of the deterministic step, with the momentum negated on rejection: Horowitz's generalised
    /// HMC (Horowitz 1991, Phys. Lett. B 268; Bou-Rabee &amp; Sanz-Serna 2018, Acta Numerica 27, §5), whose every part
    /// leaves π(q)N(p; 0, M) invariant (the O-steps exactly; the step plus flip is a reversible volume-preserving
    /// proposal with its Metropolis test, an involution). The momentum persists between transitions.
    /// </summary>
    private void Obabo(ref StepDraws draws, bool adjusted)
    {
        SampleStepSize(ref draws);
        if (!_momentumDrawn)
        {
            Metric.SampleMomentum(ref draws, _current.P);
            _momentumDrawn = true;
        }
        var o = OrnsteinUhlenbeckStep.Of(_options.Friction, 0.5 * _epsilon);
        OrnsteinUhlenbeckHalfStep(ref draws, o);
        _z.CopyFrom(_current);
        double h0 = Hamiltonian(_z);
        Evolve(_z, _epsilon);
        double h = Hamiltonian(_z);
        Divergent = !(h - h0 <= _options.MaxEnergyError);
        AcceptStat = Divergent ? 0 : Metropolis.AcceptProbability(h0 - h);
        bool accept = adjusted ? draws.NextUniform() < AcceptStat : !Divergent;
        if (accept) _current.CopyFrom(_z);
        else for (int i = 0; i < _d; i++) _current.P[i] = -_current.P[i];
        OrnsteinUhlenbeckHalfStep(ref draws, o);
        Steps = 1; TreeDepth = 0;
        Energy = Hamiltonian(_current);
    }

    /// <summary>
    /// UBU (Sanz-Serna &amp; Zygalakis 2021) arranged as B_{ε/2} U_ε B_{ε/2}: a half kick, the exact flow U_ε of
    /// dq = M⁻¹p dt, dp = −γp dt + √(2γ) M^{1/2} dW (the coefficients are <c>Drift.Langevin.UbuHalfStep</c>'s, a U-step
    /// of length ε being the half-step of a 2ε UBU step; with a metric, q's noise is shaped by L and p's by L⁻ᵀ, since
    /// M⁻¹M^{1/2} = L for M^{1/2} = L⁻ᵀ), and a half kick. Back to back these transitions are the UBU integrator.
    /// <paramref name="adjusted"/>: the path x₀ → x₁ → x₂ → x₃ is a proposal R x₃ (R negates p) whose reverse path
    /// from R x₃ retraces R x₂, R x₁, R x₀ (each kick is reversible); as U_ε satisfies skew detailed balance
    /// μ(x)U(x, y) = μ(Ry)U(Ry, Rx) for μ = Lebesgue(q)·N(p; 0, M) (its generator's μ-adjoint is R L R), the
    /// Metropolis–Hastings ratio of the paths is Π(x₃)μ(x₁)/(Π(x₀)μ(x₂)) = exp(H₀ − H₃ − K(p₁) + K(p₂)) with
    /// Π ∝ e^{−H}. Accept: x₃; reject: R x₀ (the negation that makes the kernel Π-invariant, as in GHMC). A non-finite
    /// log-density or an energy error above <see cref="McmcOptions.MaxEnergyError"/> is divergent and rejected by both.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ubu(ref StepDraws draws, bool adjusted)
    {
        SampleStepSize(ref draws);
        if (!_momentumDrawn)
        {
            Metric.SampleMomentum(ref draws, _current.P);
            _momentumDrawn = true;
        }
        double h = _epsilon;
        _z.CopyFrom(_current);
        double h0 = Hamiltonian(_z);
        for (int i = 0; i < _d; i++) _z.P[i] += 0.5 * h * _z.Gradient[i];
        double k1 = Metric.Kinetic(_z.P, _scratch2);

        // U_h: raw rows w ~ N(0, 2h), a ~ N(0, 2h/12) as UbuHalfStep.Of(2h) expects (its half-step has length h).
        var u = Drift.Langevin.UbuHalfStep.Of(2 * h, _options.Friction, 1, 1);
        double sw = Math.Sqrt(2 * h), sa = Math.Sqrt(2 * h / 12);
        for (int i = 0; i < _d; i++)
        {
            double w = sw * draws.NextNormal(), a = sa * draws.NextNormal();
            _noise[i] = u.QW * w + u.QH * a;   // position noise before shaping by L
            _momentumNoise[i] = u.PW * w + u.PH * a;    // momentum noise before shaping by L⁻ᵀ
        }
        Metric.Shape(_noise, _noise);
        Metric.MomentumShape(_momentumNoise);
        Metric.Velocity(_z.P, _scratch);
        for (int i = 0; i < _d; i++)
        {
            _z.Q[i] += u.QP * _scratch[i] + _noise[i];
            _z.P[i] = u.Eta * _z.P[i] + _momentumNoise[i];
        }
        double k2 = Metric.Kinetic(_z.P, _scratch2);
        _z.LogDensity = Evaluate(_z.Q, _z.Gradient);
        for (int i = 0; i < _d; i++) _z.P[i] += 0.5 * h * _z.Gradient[i];
        double h3 = Hamiltonian(_z);

        double logAccept = h0 - h3 - k1 + k2;
        Divergent = !(h3 - h0 <= _options.MaxEnergyError) || !double.IsFinite(_z.LogDensity) || double.IsNaN(logAccept);
        AcceptStat = Divergent ? 0 : Metropolis.AcceptProbability(logAccept);
        bool accept = adjusted ? draws.NextUniform() < AcceptStat : !Divergent;
        if (accept) _current.CopyFrom(_z);
        else for (int i = 0; i < _d; i++) _current.P[i] = -_current.P[i];
        Steps = 1; TreeDepth = 0;
        Energy = accept ? h3 : h0; // negating p leaves the quadratic kinetic energy, hence H, unchanged
    }

    /// <summary>Proposal mean of MALA/ULA: m(x) = x + (ε²/2) M⁻¹ ∇log π(x).</summary>
    private void LangevinMean(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, Span<double> mean)
    {
        Metric.Velocity(gradient, mean);
        double half = 0.5 * StepSize * StepSize;
        for (int i = 0; i < _d; i++) mean[i] = x[i] + half * mean[i];
    }

    /// <summary>
    /// log of the Metropolis–Hastings ratio of a Langevin move x → y:
    /// log π(y) − log π(x) + log q(x | y) − log q(y | x), with q(y | x) = N(y; m(x), ε² M⁻¹).
    /// </summary>
    internal double LangevinLogRatio(ReadOnlySpan<double> x, ReadOnlySpan<double> gx, double lx, ReadOnlySpan<double> y, ReadOnlySpan<double> gy, double ly)
    {
        if (double.IsNegativeInfinity(ly)) return double.NegativeInfinity;
        double e2 = StepSize * StepSize;
        Span<double> mean = _scratch;
        LangevinMean(y, gy, mean);                         // m(y): the reverse move's mean
        for (int i = 0; i < _d; i++) mean[i] = x[i] - mean[i];
        double reverse = Metric.InverseQuadratic(mean, _scratch2);
        LangevinMean(x, gx, mean);
        for (int i = 0; i < _d; i++) mean[i] = y[i] - mean[i];
        double forward = Metric.InverseQuadratic(mean, _scratch2);
        return ly - lx - (reverse - forward) / (2 * e2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Langevin(ref StepDraws draws, bool adjusted)
    {
        UsedStepSize = StepSize;
        for (int i = 0; i < _d; i++) _noise[i] = draws.NextNormal();
        Metric.Shape(_noise, _noise);
        LangevinMean(_current.Q, _current.Gradient, _proposal);
        for (int i = 0; i < _d; i++) _proposal[i] += StepSize * _noise[i];
        double ly = Evaluate(_proposal, _proposalGradient);
        double logRatio = LangevinLogRatio(_current.Q, _current.Gradient, _current.LogDensity, _proposal, _proposalGradient, ly);
        AcceptStat = Metropolis.AcceptProbability(logRatio);
        Steps = 1; TreeDepth = 0; Energy = double.NaN;
        Divergent = !double.IsFinite(ly);
        bool accept = adjusted ? draws.NextUniform() < AcceptStat : !Divergent;
        if (accept)
        {
            Copy(_proposal, _current.Q);
            Copy(_proposalGradient, _current.Gradient);
            _current.LogDensity = ly;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RandomWalk(ref StepDraws draws)
    {
        UsedStepSize = StepSize;
        for (int i = 0; i < _d; i++) _noise[i] = draws.NextNormal();
        Metric.Shape(_noise, _noise);
        for (int i = 0; i < _d; i++) _proposal[i] = _current.Q[i] + StepSize * _noise[i];
        double ly = Evaluate(_proposal, _proposalGradient);
        double logRatio = ly - _current.LogDensity;
        AcceptStat = Metropolis.AcceptProbability(logRatio);
        Steps = 1; TreeDepth = 0; Energy = double.NaN; Divergent = false;
        if (draws.NextUniform() < AcceptStat)
        {
            Copy(_proposal, _current.Q);
            Copy(_proposalGradient, _current.Gradient);
            _current.LogDensity = ly;
        }
    }

    // ------------------------------------------------------------------ step-size search

    /// <summary>log of the acceptance ratio of one trial move of size ε from the current point (fresh randomness).</summary>
    private double TrialLogAccept(ref StepDraws draws)
    {
        switch (_options.Sampler)
        {
            case SamplerKind.Nuts or SamplerKind.Hmc or SamplerKind.Obabo or SamplerKind.Ghmc or SamplerKind.Ubu or SamplerKind.MaUbu:
                _z.CopyFrom(_current);
                Metric.SampleMomentum(ref draws, _z.P);
                double h0 = Hamiltonian(_z);
                Evolve(_z, StepSize);
                return h0 - Hamiltonian(_z);
            case SamplerKind.Rwm:
                for (int i = 0; i < _d; i++) _noise[i] = draws.NextNormal();
                Metric.Shape(_noise, _noise);
                for (int i = 0; i < _d; i++) _proposal[i] = _current.Q[i] + StepSize * _noise[i];
                return Evaluate(_proposal, _proposalGradient) - _current.LogDensity;
            default:
                for (int i = 0; i < _d; i++) _noise[i] = draws.NextNormal();
                Metric.Shape(_noise, _noise);
                LangevinMean(_current.Q, _current.Gradient, _proposal);
                for (int i = 0; i < _d; i++) _proposal[i] += StepSize * _noise[i];
                double ly = Evaluate(_proposal, _proposalGradient);
                return LangevinLogRatio(_current.Q, _current.Gradient, _current.LogDensity, _proposal, _proposalGradient, ly);
        }
    }

    /// <summary>
    /// Stan's <c>base_hmc::init_stepsize</c> (src/stan/mcmc/hmc/base_hmc.hpp): from ε, one trial move decides a
    /// direction (up when its log acceptance exceeds log 0.8); then ε doubles (or halves) until a fresh trial crosses
    /// log 0.8. Here the trial is one integrator step for HMC/NUTS and one proposal for MALA/ULA/RWM.
    /// </summary>
    /// <exception cref="InvalidOperationException">When ε leaves [1e-300, 1e7] (a target with no scale).</exception>
    public void InitStepSize(ref StepDraws draws)
    {
        if (StepSize == 0 || StepSize > 1e7 || double.IsNaN(StepSize)) return;
        double logTarget = Math.Log(0.8);
        double delta = Nan(TrialLogAccept(ref draws));
        int direction = delta > logTarget ? 1 : -1;
        for (int tries = 0; tries < 2000; tries++)
        {
            delta = Nan(TrialLogAccept(ref draws));
            if (direction == 1 && !(delta > logTarget)) return;
            if (direction == -1 && !(delta < logTarget)) return;
            StepSize = direction == 1 ? StepSize * 2 : StepSize * 0.5;
            if (StepSize > 1e7) throw new InvalidOperationException("the step-size search diverged above 1e7: the target looks improper (flat) in some direction.");
            if (StepSize < 1e-300) throw new InvalidOperationException("the step-size search fell below 1e-300: the target's log-density or gradient is not finite near the current point.");
        }
        static double Nan(double x) => double.IsNaN(x) ? double.NegativeInfinity : x;
    }
}
