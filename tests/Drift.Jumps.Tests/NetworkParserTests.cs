using Drift.Jumps.Networks;
using Drift.Models.Text;

namespace Drift.Jumps.Tests;

public sealed class NetworkParserTests
{
    private const string Model = """
        # a small network with every construct
        species A = 10, B = 0
        species C = 3
        param k1 = 0.5
        param k2 = 2 * k1       # parameters may use earlier ones
        A + B -> 2C, k1
        0 -> A, 1.5
        A -> 0, k2
        2A <-> B, 0.1, 0.2
        C -> 0, propensity = k1 * C / (1 + C)
        """;

    [Fact]
    public void Parses_species_parameters_and_reactions()
    {
        var n = ReactionNetwork.Parse(Model);
        Assert.Equal(["A", "B", "C"], n.Species);
        Assert.Equal([10L, 0, 3], n.InitialCounts);
        Assert.Equal(["k1", "k2"], n.ParameterNames);
        Assert.Equal(1.0, n.Parameters[1]);
        Assert.Equal(6, n.ReactionCount); // <-> gives two
        Assert.Equal(-1, n.NetChange(0, 0));
        Assert.Equal(2, n.NetChange(0, 2));
        Assert.Equal(-2, n.NetChange(3, 0));
        Assert.Equal(2, n.NetChange(4, 0)); // the backward half of 2A <-> B
        Assert.True(n.Reactions[0].IsMassAction);
        Assert.False(n.Reactions[5].IsMassAction);
        Assert.Equal(10, n.Reactions[5].Line);
    }

    [Fact]
    public void Mass_action_propensities_count_distinct_reactant_combinations()
    {
        var n = ReactionNetwork.Parse(Model);
        double[] x = [7, 4, 5];
        Assert.Equal(0.5 * 7 * 4, n.Propensity(0, x));            // A + B
        Assert.Equal(1.5, n.Propensity(1, x));                    // 0 -> A
        Assert.Equal(1.0 * 7, n.Propensity(2, x));                // A -> 0
        Assert.Equal(0.1 * 7 * 6 / 2, n.Propensity(3, x), 1e-15); // 2A: C(7, 2)
        Assert.Equal(0.2 * 4, n.Propensity(4, x));
        Assert.Equal(0.5 * 5 / 6.0, n.Propensity(5, x), 1e-15);
        Assert.Equal(0.0, n.Propensity(3, [1, 0, 0]));            // one A cannot dimerise
        // the compiled table gives the same values as the reference interpreter
        var table = new PropensityTable(n);
        for (int j = 0; j < n.ReactionCount; j++) Assert.Equal(n.Propensity(j, x), table.Evaluate(j, x), 1e-15);
    }

    [Fact]
    public void Branch_free_low_order_kernel_gives_the_bits_of_the_general_one()
    {
        var low = new PropensityTable(ReactionNetwork.Parse("species A = 1, B = 1, C = 1\n0 -> A, 0.7\nA -> B, 1.3\nA + B -> C, 0.011\nC + A -> 0, 3e-5\n"));
        Assert.True(low.IsLowOrder);
        Assert.False(new PropensityTable(Models.Dimerisation).IsLowOrder); // 2P: the falling factorial needs the switch
        var random = new System.Random(4);
        for (int trial = 0; trial < 200; trial++)
        {
            double[] x = [random.Next(0, 1000), random.Next(0, 1000), random.Next(0, 3)];
            double[] padded = [.. x, 1];
            for (int j = 0; j < low.Reactions; j++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(low.Evaluate(j, x)), BitConverter.DoubleToInt64Bits(low.EvaluateLowOrder(j, ref padded[0])));
        }
    }

    [Fact]
    public void Dependency_graph_lists_the_propensities_a_firing_changes()
    {
        var n = ReactionNetwork.Parse("species A = 1, B = 1, C = 1\nA -> B, 1\nB -> C, 1\nC -> 0, 1\n0 -> A, 1\n");
        var table = new PropensityTable(n);
        Assert.Equal([0, 1], table.Dependents[0]); // A -> B changes A and B
        Assert.Equal([1, 2], table.Dependents[1]);
        Assert.Equal([2], table.Dependents[2]);
        Assert.Equal([0], table.Dependents[3]);
    }

    [Theory]
    [InlineData("species A = 1\nA -> B, 1", 2, 6, "unknown species 'B'")]
    [InlineData("species A = 1\nA -> 0", 2, 7, "one rate")]
    [InlineData("species A = 1\nA <-> 0, 1", 2, 11, "two rates")]
    [InlineData("species A = 1\nA -> 0, k", 2, 9, "unknown name 'k'")]
    [InlineData("species A = 1\nA -> 0, A", 2, 9, "propensity =")]
    [InlineData("species A = 1.5\nA -> 0, 1", 1, 12, "whole number")]
    [InlineData("species A = 1\nA -> 0, -1", 2, 9, "non-negative")]
    [InlineData("species A = 1\nA -> 0, 1 +", 2, 12, "expected a number")]
    [InlineData("species A = 1\nA -> 0, 2 * t", 2, 9, "cannot depend on time t")]
    [InlineData("species A = 1\nparam k = t\nA -> 0, k", 2, 11, "time t cannot appear here")]
    [InlineData("species A = 1\nparam A = 2\nA -> 0, 1", 2, 7, "already a species")]
    [InlineData("species A = 1\nA -> 0, 1 $", 2, 11, "unexpected character")]
    [InlineData("species A = 1\nfoo bar", 2, 1, "expected 'species")]
    [InlineData("species A = 1\n0 -> 0, 1", 2, 1, "at least one side")]
    [InlineData("param k = 1", 1, 1, "no species")]
    public void Bad_text_is_reported_with_line_and_column(string text, int line, int column, string fragment)
    {
        var e = Assert.Throws<ModelParseException>(() => ReactionNetwork.Parse(text));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void Fuzzed_inputs_parse_or_fail_with_a_positioned_error()
    {
        // 10⁵ mutations of a valid model: byte flips, insertions, deletions and splices of grammar fragments. The parser
        // must either accept or throw ModelParseException at a line and column inside the text (message "line L,
        // column C: ..."); never another exception, never hang. Trial k draws from its own generator (seed 14 + k), so
        // the inputs do not depend on the thread count.
        const int trials = 100_000;
        string[] fragments = ["->", "<->", ",", "(", ")", "+", "2", "0", "propensity =", "species", "param", "=", "#", "\n", "A", "1e308", "^", "*", "--", "1e", "\u2212"];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int accepted = 0, rejected = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Parallel.For(0, trials, () => (Accepted: 0, Rejected: 0), (trial, _, local) =>
        {
            var random = new System.Random(14 + trial);
            var text = new System.Text.StringBuilder(Model);
            int edits = 1 + random.Next(4);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(text.Length + 1);
                switch (random.Next(4))
                {
                    case 0: if (at < text.Length) text.Remove(at, 1); break;
                    case 1: text.Insert(at, fragments[random.Next(fragments.Length)]); break;
                    case 2: text.Insert(at, (char)random.Next(32, 127)); break;
                    default: if (at < text.Length) text[at] = (char)random.Next(0, 0x3000); break;
                }
            }
            string input = text.ToString();
            try
            {
                var n = ReactionNetwork.Parse(input);
                if (n.ReactionCount == 0 || n.SpeciesCount == 0) failures.Enqueue($"trial {trial}: an empty network was accepted");
                local.Accepted++;
            }
            catch (ModelParseException e)
            {
                int lines = input.Split('\n').Length;
                if (!(e.Line >= 1 && e.Line <= lines + 1 && e.Column >= 1 && e.Message.StartsWith($"line {e.Line}, column {e.Column}:", StringComparison.Ordinal)))
                    failures.Enqueue($"trial {trial}: badly positioned error '{e.Message}' (text has {lines} lines)");
                local.Rejected++;
            }
            catch (Exception e)
            {
                failures.Enqueue($"trial {trial}: {e.GetType().Name}: {e.Message}");
            }
            return local;
        }, local =>
        {
            Interlocked.Add(ref accepted, local.Accepted);
            Interlocked.Add(ref rejected, local.Rejected);
        });
        Assert.True(failures.IsEmpty, string.Join('\n', failures.Take(10)));
        Assert.Equal(trials, accepted + rejected);
        Assert.True(accepted > 2000 && rejected > 2000, $"accepted {accepted}, rejected {rejected}");
        Assert.True(clock.Elapsed.TotalSeconds < 120, $"fuzzing took {clock.Elapsed.TotalSeconds} s"); // a hang guard, not a timing
    }
}
