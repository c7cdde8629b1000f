using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Adaptive;

public class BatchTests
{
    [Fact]
    public void Each_path_of_a_batch_adapts_on_its_own_and_matches_a_single_solve()
    {
        const int paths = 8;
        var problem = new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 2)
        {
            PathInitialStates = (first, n, x) =>
            {
                for (int p = 0; p < n; p++)
                {
                    x[p] = 1.0 + 0.5 * (first + p);
                    x[n + p] = 1.0;
                    x[2 * n + p] = 1.0 + (first + p);
                }
            },
        };
        var options = new AdaptiveOptions { SaveTimes = [0.5, 2.0] };
        var batch = AdaptiveOde.SolveBatch(problem, new DormandPrince5(), paths, options with { Threads = 2 });
        Assert.True(batch.AllSucceeded);
        Assert.Equal(-1, batch.FirstFailedPath);
        var stepCounts = new HashSet<long>();
        for (int p = 0; p < paths; p++)
        {
            var single = AdaptiveOde.Solve(new OdeProblem<Lorenz63>(default, [1.0 + 0.5 * p, 1.0, 1.0 + p], 0, 2), new DormandPrince5(), options);
            Assert.True(single.State(0).SequenceEqual(batch[p].State(0)));
            Assert.True(single.FinalState.SequenceEqual(batch[p].FinalState));
            stepCounts.Add(batch[p].Statistics.AcceptedSteps);
        }
        Assert.True(stepCounts.Count > 1, "paths should take different step sequences");
        Assert.Equal(Enumerable.Range(0, paths).Sum(p => batch[p].Statistics.FunctionEvaluations), batch.FunctionEvaluations);
    }
}
