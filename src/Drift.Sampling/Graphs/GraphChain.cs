namespace Drift.Sampling.Graphs;

/// <summary>
/// A reversible Markov chain on the nodes of a finite connected graph: transition probabilities Pᵢⱼ on the edges
/// (rows stored sparse) and its stationary law μ, with μᵢ Pᵢⱼ = μⱼ Pⱼᵢ. It is the base walk that
/// <see cref="SelfRepellentWalk"/> reweights.
/// </summary>
public sealed class GraphChain
{
    private readonly int[] _start, _target;
    private readonly double[] _probability, _stationary;

    private GraphChain(int[] start, int[] target, double[] probability, double[] stationary)
    {
        _start = start;
        _target = target;
        _probability = probability;
        _stationary = stationary;
    }

    /// <summary>The number of nodes.</summary>
    public int Nodes => _stationary.Length;

    /// <summary>The stationary law μ (sums to 1).</summary>
    public ReadOnlySpan<double> Stationary => _stationary;

    internal ReadOnlySpan<int> Targets(int node) => _target.AsSpan(_start[node], _start[node + 1] - _start[node]);

    internal ReadOnlySpan<double> Probabilities(int node) => _probability.AsSpan(_start[node], _start[node + 1] - _start[node]);

    /// <summary>The dense transition matrix P (row-major n×n), for analysis of small graphs.</summary>
    public double[] TransitionMatrix()
    {
        int n = Nodes;
        var p = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            var targets = Targets(i);
            var probabilities = Probabilities(i);
            for (int k = 0; k < targets.Length; k++) p[i * n + targets[k]] += probabilities[k];
        }
        return p;
    }

    /// <summary>
    /// The simple random walk on an undirected graph: Pᵢⱼ = 1/deg(i) for each edge {i, j}, μᵢ = deg(i)/(2|E|).
    /// </summary>
    /// <param name="nodes">The number of nodes (≥ 2).</param>
    /// <param name="edges">Undirected edges {i, j}, i ≠ j, each listed once; the graph must be connected.</param>
    /// <exception cref="ArgumentException">A node out of range, a self-loop, a repeated edge, or a disconnected graph.</exception>
    public static GraphChain SimpleRandomWalk(int nodes, IReadOnlyList<(int From, int To)> edges)
    {
        var adjacency = Adjacency(nodes, edges);
        int total = adjacency.Sum(a => a.Count);
        var start = new int[nodes + 1];
        var target = new int[total];
        var probability = new double[total];
        var stationary = new double[nodes];
        for (int i = 0, k = 0; i < nodes; i++)
        {
            start[i] = k;
            foreach (int j in adjacency[i])
            {
                target[k] = j;
                probability[k++] = 1.0 / adjacency[i].Count;
            }
            start[i + 1] = k;
            stationary[i] = adjacency[i].Count / (double)total;
        }
        return new GraphChain(start, target, probability, stationary);
    }

    /// <summary>
    /// The Metropolis–Hastings walk with the uniform law as target: Pᵢⱼ = min(1/deg(i), 1/deg(j)) on each edge, the rest of
    /// the row on the self-loop Pᵢᵢ; μ uniform.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="SimpleRandomWalk"/>.</exception>
    public static GraphChain MetropolisHastings(int nodes, IReadOnlyList<(int From, int To)> edges)
    {
        var adjacency = Adjacency(nodes, edges);
        int total = adjacency.Sum(a => a.Count) + nodes;
        var start = new int[nodes + 1];
        var target = new int[total];
        var probability = new double[total];
        for (int i = 0, k = 0; i < nodes; i++)
        {
            start[i] = k;
            double stay = 1;
            foreach (int j in adjacency[i])
            {
                double pij = Math.Min(1.0 / adjacency[i].Count, 1.0 / adjacency[j].Count);
                target[k] = j;
                probability[k++] = pij;
                stay -= pij;
            }
            target[k] = i;
            probability[k++] = Math.Max(0, stay);
            start[i + 1] = k;
        }
        var stationary = new double[nodes];
        stationary.AsSpan().Fill(1.0 / nodes);
        return new GraphChain(start, target, probability, stationary);
    }

    private static List<int>[] Adjacency(int nodes, IReadOnlyList<(int From, int To)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 2);
        var adjacency = Enumerable.Range(0, nodes).Select(_ => new List<int>()).ToArray();
        var seen = new HashSet<(int, int)>();
        foreach (var (a, b) in edges)
        {
            if (a < 0 || a >= nodes || b < 0 || b >= nodes)
                throw new ArgumentException($"edge ({a}, {b}) names a node outside 0..{nodes - 1}.", nameof(edges));
            if (a == b) throw new ArgumentException($"edge ({a}, {b}) is a self-loop; list only edges between distinct nodes.", nameof(edges));
            if (!seen.Add((Math.Min(a, b), Math.Max(a, b)))) throw new ArgumentException($"edge ({a}, {b}) is listed twice.", nameof(edges));
            adjacency[a].Add(b);
            adjacency[b].Add(a);
        }
        var reached = new bool[nodes];
        var queue = new Queue<int>();
        queue.Enqueue(0);
        reached[0] = true;
        while (queue.Count > 0)
            foreach (int j in adjacency[queue.Dequeue()])
                if (!reached[j]) { reached[j] = true; queue.Enqueue(j); }
        int missing = Array.IndexOf(reached, false);
        if (missing >= 0) throw new ArgumentException($"the graph is not connected: node {missing} cannot be reached from node 0.", nameof(edges));
        return adjacency;
    }
}
