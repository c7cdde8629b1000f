using Drift.Random;

namespace Drift.Brownian;

/// <summary>
/// Brownian increments ΔW and space–space Lévy areas A_ij of one path over one step, a pure function of
/// (seed, path, step): step n of length h is cut into r = <see cref="Refinement"/> substeps of h/r; substep q (global
/// index n·r + q) takes its m increments √(h/r)·Z and its areas (<see cref="LevyArea.Sample"/>, p =
/// <see cref="Terms"/>) from Philox normals of stream <c>path</c> starting at draw (n·r + q)·2²⁴, and the substeps
/// are joined by Chen's relation (<see cref="LevyArea.Concatenate"/>).
/// </summary>
/// <remarks>
/// So step n with refinement r sees exactly the Brownian path (increments and areas) that steps n·r … n·r + r − 1
/// see with refinement 1 on a grid r times finer: the tool for strong-order measurements against a fine reference on
/// the same path. The increments of a substep come first in its draws, so they do not depend on the method or p.
/// </remarks>
public readonly struct LevyAreaIncrements
{
    private readonly PhiloxNormals _normals;

    /// <summary>A source for the given seed, area method and terms, and substeps per step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Terms or refinement below 1, or an unknown method.</exception>
    public LevyAreaIncrements(ulong seed, int terms, LevyAreaMethod method = LevyAreaMethod.MrongowiusRossler, int refinement = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terms, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(refinement, 1);
        if (!Enum.IsDefined(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "unknown Lévy area method.");
        _normals = new PhiloxNormals(SeedMixer.Derive(seed, 0x4C45_5659_4152_4541)); // "LEVYAREA"
        (Terms, Method, Refinement) = (terms, method, refinement);
    }

    /// <summary>Fourier terms p of each substep's areas.</summary>
    public int Terms { get; }
    /// <summary>The areas' tail treatment.</summary>
    public LevyAreaMethod Method { get; }
    /// <summary>Substeps r per step.</summary>
    public int Refinement { get; }

    /// <summary>Doubles of workspace <see cref="Draw"/> needs for m components.</summary>
    public int WorkspaceLength(int m) => m + LevyArea.NormalsNeeded(m, Terms, Method) + LevyArea.Pairs(m);

    /// <summary>Writes the m increments and (unless <paramref name="area"/> is empty) the m(m − 1)/2 areas of step n.</summary>
    /// <param name="path">The path (Philox stream).</param>
    /// <param name="step">The step index n (n·r below 2⁴⁰).</param>
    /// <param name="h">The step length.</param>
    /// <param name="dW">Output: m increments.</param>
    /// <param name="area">Output: m(m − 1)/2 areas in <see cref="LevyArea.PairIndex"/> order, or empty.</param>
    /// <param name="workspace">At least <see cref="WorkspaceLength"/> doubles.</param>
    public void Draw(long path, long step, double h, Span<double> dW, Span<double> area, Span<double> workspace)
    {
        int m = dW.Length, r = Refinement, pairs = LevyArea.Pairs(m);
        double hs = h / r, root = Math.Sqrt(hs);
        bool areas = !area.IsEmpty;
        int normals = areas ? m + LevyArea.NormalsNeeded(m, Terms, Method) : m;
        if (normals > 1 << 24) throw new ArgumentException($"a substep would need {normals} normals (m = {m}, p = {Terms}); at most 2^24 are keyed per substep.", nameof(dW));
        if (workspace.Length < normals + pairs) throw new ArgumentException($"need {WorkspaceLength(m)} doubles of workspace, got {workspace.Length}.", nameof(workspace));
        var z = workspace[..normals];
        var subArea = workspace.Slice(normals, pairs);
        var subW = workspace.Slice(0, m);
        dW.Clear();
        if (areas) area[..pairs].Clear();
        for (int q = 0; q < r; q++)
        {
            _normals.FillStream((ulong)path, (ulong)(step * r + q) << 24, z);
            for (int j = 0; j < m; j++) z[j] *= root;
            if (areas) LevyArea.Sample(subW, hs, Terms, Method, z[m..], subArea);
            if (q == 0)
            {
                subW.CopyTo(dW);
                if (areas) subArea.CopyTo(area);
            }
            else if (areas) LevyArea.Concatenate(dW, area, subW, subArea);
            else for (int j = 0; j < m; j++) dW[j] += subW[j];
        }
    }
}
