using Drift.Models.Physics;
using Drift.Numerics;
using Drift.Solve;
using Drift.Solve.Stiff;

using static Drift.Tests.Solve.Stiff.StiffOptions;

namespace Drift.Tests.Solve.Stiff;

public class SparseJacobianTests
{
    /// <summary>
    /// Curtis–Powell–Reid grouped differences perturb several columns at once; since no two columns of a group share a
    /// row, every fᵢ sees exactly the perturbation a column-by-column difference gives it, so the entries are bitwise the
    /// dense finite-difference ones (and the dense one is zero off the pattern), with 11 evaluations instead of d = 128.
    /// </summary>
    [Fact]
    public void Grouped_finite_differences_equal_the_dense_ones_bit_for_bit()
    {
        var f = new Brusselator2D(8);
        var y = f.InitialState();
        int d = y.Length;
        var f0 = new double[d];
        f.Evaluate(2.0, y, f0, 1);
        var dense = new IterationMatrix(d, null, analytic: false);
        var sparse = new IterationMatrix(d, f.Sparsity(), analytic: false);
        long denseEvaluations = 0, sparseEvaluations = 0;
        dense.Evaluate(ref f, null, 2.0, y, f0, default, new double[d], ref denseEvaluations);
        sparse.Evaluate(ref f, null, 2.0, y, f0, default, new double[d], ref sparseEvaluations);
        Assert.Equal(dense.DenseJacobian(), sparse.DenseJacobian());
        Assert.Equal(d, denseEvaluations);
        Assert.True(sparseEvaluations <= 12, $"{sparseEvaluations} grouped evaluations"); // measured 11
        Assert.Equal(IterationPath.Sparse, sparse.Path);
    }

    /// <summary>
    /// W = αI − βJ of the Brusselator (N = 8, J by grouped differences) factored on each path — the sparse LU the cost
    /// comparison picks for this 2-D grid, the band LU after RCM (forced) and dense LU — solves W x = b to the same x within
    /// 10⁻¹¹ relative, at a small and a large step (β = 10⁻⁴ and 1, where −βJ dominates and pivots leave the diagonal more easily).
    /// </summary>
    [Fact]
    public void Sparse_banded_and_dense_iteration_matrices_solve_alike()
    {
        var f = new Brusselator2D(8);
        var y = f.InitialState();
        int d = y.Length;
        var f0 = new double[d];
        f.Evaluate(2.0, y, f0, 1);
        var dense = new IterationMatrix(d, null, analytic: false);
        var sparse = new IterationMatrix(d, f.Sparsity(), analytic: false);
        var banded = new IterationMatrix(d, f.Sparsity(), analytic: false, IterationPath.Banded);
        Assert.Equal(IterationPath.Sparse, sparse.Path);
        Assert.Equal(IterationPath.Banded, banded.Path);
        long evaluations = 0;
        foreach (var w in new[] { dense, sparse, banded }) w.Evaluate(ref f, null, 2.0, (double[])y.Clone(), f0, default, new double[d], ref evaluations);
        foreach (double beta in new[] { 1e-4, 1.0 })
        {
            var b = Enumerable.Range(0, d).Select(i => Math.Cos(i)).ToArray();
            var expected = (double[])b.Clone();
            Assert.Equal(-1, dense.Factor(1.0, beta));
            dense.Solve(expected);
            foreach (var w in new[] { sparse, banded })
            {
                Assert.Equal(-1, w.Factor(1.0, beta));
                var x = (double[])b.Clone();
                w.Solve(x);
                double scale = expected.Max(Math.Abs);
                for (int i = 0; i < d; i++) Assert.True(Math.Abs(x[i] - expected[i]) < 1e-11 * scale, $"{w.Path}, β = {beta}, x{i}: {x[i]} vs dense {expected[i]}");
            }
        }
    }

    [Fact]
    public void The_detected_pattern_is_the_Brusselator_stencil()
    {
        var f = new Brusselator2D(8);
        var detected = JacobianSparsity.Detect(f, f.InitialState(), 0.0);
        var given = f.Sparsity();
        Assert.Equal(given.RowStart.ToArray(), detected.RowStart.ToArray());
        Assert.Equal(given.Columns.ToArray(), detected.Columns.ToArray());
        Assert.Throws<ArgumentException>(() => new OdeProblem<Brusselator2D>(f, f.InitialState(), 0, 1) { JacobianSparsity = SparsityPattern.Banded(5, 1, 1) });
    }

    /// <summary>
    /// Radau IIA's complex system in real form [[αI − J, −βI], [βI, αI − J]]: the sparse pair (a <see cref="SparseLu"/> on
    /// the doubled Brusselator pattern) solves it as the dense pair does, to 10⁻¹¹ relative; and a short Radau solve on the
    /// sparse path (N = 8 over [0, 0.2], rtol 10⁻⁵) ends within 10·rtol of the dense path's.
    /// </summary>
    [Fact]
    public void Radau_pair_system_and_solve_agree_on_the_sparse_and_dense_paths()
    {
        var f = new Brusselator2D(8);
        var y = f.InitialState();
        int d = y.Length;
        var f0 = new double[d];
        f.Evaluate(0.5, y, f0, 1);
        var dense = new IterationMatrix(d, null, analytic: false);
        var sparse = new IterationMatrix(d, f.Sparsity(), analytic: false);
        dense.EnablePair();
        sparse.EnablePair();
        long evaluations = 0;
        foreach (var w in new[] { dense, sparse }) w.Evaluate(ref f, null, 0.5, (double[])y.Clone(), f0, default, new double[d], ref evaluations);
        Assert.Equal(-1, dense.FactorPair(2.68, 3.05));
        Assert.Equal(-1, sparse.FactorPair(2.68, 3.05));
        var b = Enumerable.Range(0, 2 * d).Select(i => Math.Sin(0.7 * i)).ToArray();
        var expected = (double[])b.Clone();
        var x = (double[])b.Clone();
        dense.SolvePair(expected);
        sparse.SolvePair(x);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < 2 * d; i++) Assert.True(Math.Abs(x[i] - expected[i]) < 1e-11 * scale, $"x{i}: sparse {x[i]} vs dense {expected[i]}");

        const double rtol = 1e-5;
        var plain = new OdeProblem<Brusselator2D>(f, f.InitialState(), 0, 0.2);
        var withPattern = new OdeProblem<Brusselator2D>(f, f.InitialState(), 0, 0.2) { JacobianSparsity = f.Sparsity() };
        var a = new RadauIIA5().Solve(plain, Tol(rtol, rtol));
        var c = new RadauIIA5().Solve(withPattern, Tol(rtol, rtol));
        Assert.Equal(SolveStatus.Success, a.Status);
        Assert.Equal(SolveStatus.Success, c.Status);
        for (int i = 0; i < d; i++)
            Assert.True(Math.Abs(a.FinalState[i] - c.FinalState[i]) < 10 * rtol * (1 + Math.Abs(a.FinalState[i])), $"x{i}: sparse {c.FinalState[i]} vs dense {a.FinalState[i]}");
        Assert.True(c.Statistics.FunctionEvaluations < a.Statistics.FunctionEvaluations, $"{c.Statistics.FunctionEvaluations} vs {a.Statistics.FunctionEvaluations} evaluations");
    }

    /// <summary>
    /// The Brusselator at N = 8 (128 unknowns) over [0, 1.2] (through the forcing switched on at t = 1.1): Rodas5P and BDF
    /// with the sparse path (grouped differences, sparse LU in minimum-degree order, which the cost comparison picks for
    /// this grid) agree with the same methods on the dense path to 10·rtol (the runs
    /// differ only by rounding in the factorisations, which can move a step-size decision; measured 4·10⁻⁷ at rtol 10⁻⁶ over [0, 2]),
    /// and both with a tight reference to 50·rtol. (About 3 s on the loaded 2-core machine, 10 s at load 65: the one slow
    /// test of the sparse path, kept because it is the end-to-end proof that the sparse iteration matrix solves the same problem.)
    /// </summary>
    [Fact]
    public void Brusselator_on_the_sparse_path_agrees_with_the_dense_path()
    {
        var f = new Brusselator2D(8);
        var plain = new OdeProblem<Brusselator2D>(f, f.InitialState(), 0, 1.2);
        var sparse = new OdeProblem<Brusselator2D>(f, f.InitialState(), 0, 1.2) { JacobianSparsity = f.Sparsity() };
        var reference = StiffOde.Solve(sparse, new Rodas5P(), Tol(1e-8, 1e-8));
        Assert.Equal(SolveStatus.Success, reference.Status);
        const double rtol = 1e-4;
        Compare("rodas5p", StiffOde.Solve(plain, new Rodas5P(), Tol(rtol, rtol)), StiffOde.Solve(sparse, new Rodas5P(), Tol(rtol, rtol)));
        Compare("bdf", new Bdf().Solve(plain, Tol(rtol, rtol)), new Bdf().Solve(sparse, Tol(rtol, rtol)));

        void Compare(string name, Drift.Solve.Adaptive.OdeSolution dense, Drift.Solve.Adaptive.OdeSolution band)
        {
            Assert.Equal(SolveStatus.Success, dense.Status);
            Assert.Equal(SolveStatus.Success, band.Status);
            for (int i = 0; i < f.Dimension; i++)
            {
                double r = reference.FinalState[i];
                Assert.True(Math.Abs(band.FinalState[i] - dense.FinalState[i]) < 10 * rtol * (1 + Math.Abs(r)), $"{name}, x{i}: sparse {band.FinalState[i]} vs dense {dense.FinalState[i]}");
                Assert.True(Math.Abs(band.FinalState[i] - r) < 50 * rtol * (1 + Math.Abs(r)), $"{name}, x{i}: sparse {band.FinalState[i]} vs reference {r}");
            }
            // The grouped Jacobian costs far fewer evaluations than d = 128 per Jacobian.
            Assert.True(band.Statistics.FunctionEvaluations < dense.Statistics.FunctionEvaluations, $"{name}: {band.Statistics.FunctionEvaluations} vs {dense.Statistics.FunctionEvaluations} evaluations");
        }
    }
}
