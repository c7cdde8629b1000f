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
        Assert.Equal(IterationPath.Banded, sparse.Path);
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
    /// The Brusselator at N = 8 (128 unknowns) over [0, 1.2] (through the forcing switched on at t = 1.1): Rodas5P and BDF
    /// with the banded path (after reverse Cuthill–McKee) agree with the same methods on the dense path to 10·rtol (the runs
    /// differ only by rounding in the factorisations, which can move a step-size decision; measured 4·10⁻⁷ at rtol 10⁻⁶ over [0, 2]),
    /// and both with a tight reference to 50·rtol. (About 3 s on the loaded 2-core machine, 10 s at load 65: the one slow
    /// test of the sparse path, kept because it is the end-to-end proof that the banded iteration matrix solves the same problem.)
    /// </summary>
    [Fact]
    public void Brusselator_on_the_banded_path_agrees_with_the_dense_path()
    {
        var f = new Brusselator2D(8);
        var plain = new OdeProblem<Brusselator2D>(f, f.InitialState(), 0, 1.2);
        var banded = new OdeProblem<Brusselator2D>(f, f.InitialState(), 0, 1.2) { JacobianSparsity = f.Sparsity() };
        var reference = StiffOde.Solve(banded, new Rodas5P(), Tol(1e-8, 1e-8));
        Assert.Equal(SolveStatus.Success, reference.Status);
        const double rtol = 1e-4;
        Compare("rodas5p", StiffOde.Solve(plain, new Rodas5P(), Tol(rtol, rtol)), StiffOde.Solve(banded, new Rodas5P(), Tol(rtol, rtol)));
        Compare("bdf", new Bdf().Solve(plain, Tol(rtol, rtol)), new Bdf().Solve(banded, Tol(rtol, rtol)));

        void Compare(string name, Drift.Solve.Adaptive.OdeSolution dense, Drift.Solve.Adaptive.OdeSolution band)
        {
            Assert.Equal(SolveStatus.Success, dense.Status);
            Assert.Equal(SolveStatus.Success, band.Status);
            for (int i = 0; i < f.Dimension; i++)
            {
                double r = reference.FinalState[i];
                Assert.True(Math.Abs(band.FinalState[i] - dense.FinalState[i]) < 10 * rtol * (1 + Math.Abs(r)), $"{name}, x{i}: banded {band.FinalState[i]} vs dense {dense.FinalState[i]}");
                Assert.True(Math.Abs(band.FinalState[i] - r) < 50 * rtol * (1 + Math.Abs(r)), $"{name}, x{i}: banded {band.FinalState[i]} vs reference {r}");
            }
            // The grouped Jacobian costs far fewer evaluations than d = 128 per Jacobian.
            Assert.True(band.Statistics.FunctionEvaluations < dense.Statistics.FunctionEvaluations, $"{name}: {band.Statistics.FunctionEvaluations} vs {dense.Statistics.FunctionEvaluations} evaluations");
        }
    }
}
