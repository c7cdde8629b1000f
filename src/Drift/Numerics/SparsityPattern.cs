namespace Drift.Numerics;

/// <summary>
/// Where an n × n matrix (a Jacobian ∂fᵢ/∂xⱼ) may be non-zero, in compressed sparse row form: row i's columns are
/// <see cref="Columns"/>[<see cref="RowStart"/>[i] … <see cref="RowStart"/>[i + 1]), sorted and distinct. Built banded
/// (<see cref="Banded"/>) or from entries (<see cref="FromEntries"/>, <see cref="FromCsr"/>); it supplies the graph
/// algorithms a sparse finite-difference Jacobian and a band solver need: Curtis–Powell–Reid column grouping
/// (<see cref="ColumnGroups"/>), the bandwidths under an ordering (<see cref="Bandwidth"/>), the reverse
/// Cuthill–McKee ordering that narrows the band (<see cref="ReverseCuthillMcKee"/>) and the minimum-degree ordering that
/// limits a sparse LU's fill (<see cref="MinimumDegree"/>). Immutable.
/// </summary>
public sealed class SparsityPattern
{
    private readonly int[] _rowStart;
    private readonly int[] _columns;

    private SparsityPattern(int n, int[] rowStart, int[] columns)
    {
        N = n;
        _rowStart = rowStart;
        _columns = columns;
    }

    /// <summary>The order n.</summary>
    public int N { get; }

    /// <summary>The number of structurally non-zero entries.</summary>
    public int Count => _columns.Length;

    /// <summary>Row i's entries start at RowStart[i] (length n + 1).</summary>
    public ReadOnlySpan<int> RowStart => _rowStart;

    /// <summary>The column of each entry, row by row, sorted within a row.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>The band pattern: (i, j) with −<paramref name="upper"/> ≤ i − j ≤ <paramref name="lower"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1 or a bandwidth is negative.</exception>
    public static SparsityPattern Banded(int n, int lower, int upper)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lower);
        ArgumentOutOfRangeException.ThrowIfNegative(upper);
        var entries = new List<(int, int)>();
        for (int i = 0; i < n; i++)
            for (int j = Math.Max(0, i - lower); j <= Math.Min(n - 1, i + upper); j++) entries.Add((i, j));
        return FromEntries(n, entries);
    }

    /// <summary>The pattern of the given (row, column) entries (duplicates allowed).</summary>
    /// <exception cref="ArgumentException">An index is outside 0 … n − 1.</exception>
    public static SparsityPattern FromEntries(int n, IEnumerable<(int Row, int Column)> entries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentNullException.ThrowIfNull(entries);
        var rows = new List<int>[n];
        foreach (var (i, j) in entries)
        {
            if ((uint)i >= (uint)n || (uint)j >= (uint)n) throw new ArgumentException($"entry ({i}, {j}) is outside a {n} × {n} matrix.", nameof(entries));
            (rows[i] ??= []).Add(j);
        }
        var start = new int[n + 1];
        var columns = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (rows[i] is { } r)
            {
                r.Sort();
                for (int k = 0; k < r.Count; k++)
                    if (k == 0 || r[k] != r[k - 1]) columns.Add(r[k]);
            }
            start[i + 1] = columns.Count;
        }
        return new SparsityPattern(n, start, [.. columns]);
    }

    /// <summary>The pattern of a CSR structure: row i's columns are <paramref name="columns"/>[rowStart[i] … rowStart[i + 1]).</summary>
    /// <exception cref="ArgumentException">rowStart does not have n + 1 non-decreasing entries from 0 to columns.Length, or a column is out of range.</exception>
    public static SparsityPattern FromCsr(int n, ReadOnlySpan<int> rowStart, ReadOnlySpan<int> columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (rowStart.Length != n + 1 || rowStart[0] != 0 || rowStart[n] != columns.Length)
            throw new ArgumentException($"rowStart needs n + 1 = {n + 1} entries from 0 to columns.Length = {columns.Length}.", nameof(rowStart));
        var entries = new List<(int, int)>(columns.Length);
        for (int i = 0; i < n; i++)
        {
            if (rowStart[i + 1] < rowStart[i]) throw new ArgumentException($"rowStart decreases at row {i}.", nameof(rowStart));
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) entries.Add((i, columns[k]));
        }
        return FromEntries(n, entries);
    }

    /// <summary>This pattern with every diagonal entry (i, i) added (the pattern of αI − βJ).</summary>
    public SparsityPattern WithDiagonal()
    {
        var entries = new List<(int, int)>(Count + N);
        for (int i = 0; i < N; i++)
        {
            entries.Add((i, i));
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++) entries.Add((i, _columns[k]));
        }
        return FromEntries(N, entries);
    }

    /// <summary>
    /// Curtis–Powell–Reid grouping: a colour per column such that no two columns of one colour have an entry in the
    /// same row (greedy, columns in order, each takes the smallest colour free of its row-neighbours'). One finite
    /// difference per colour then recovers every entry. A band pattern takes kl + ku + 1 colours. Returns the colour
    /// of each column; the number of colours is the maximum plus one.
    /// </summary>
    public int[] ColumnGroups()
    {
        int n = N;
        var (colStart, rows) = Transpose();
        var colour = new int[n];
        var forbidden = new int[n + 1];
        Array.Fill(forbidden, -1);
        for (int j = 0; j < n; j++)
        {
            for (int k = colStart[j]; k < colStart[j + 1]; k++)
            {
                int i = rows[k];
                for (int m = _rowStart[i]; m < _rowStart[i + 1]; m++)
                {
                    int other = _columns[m];
                    if (other < j) forbidden[colour[other]] = j;
                }
            }
            int c = 0;
            while (forbidden[c] == j) c++;
            colour[j] = c;
        }
        return colour;
    }

    /// <summary>
    /// The (lower, upper) bandwidths max(i′ − j′) and max(j′ − i′) over the entries, in the ordering where index i goes to
    /// position <paramref name="position"/>[i] (the identity when empty).
    /// </summary>
    public (int Lower, int Upper) Bandwidth(ReadOnlySpan<int> position = default)
    {
        int lower = 0, upper = 0;
        for (int i = 0; i < N; i++)
        {
            int pi = position.IsEmpty ? i : position[i];
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++)
            {
                int pj = position.IsEmpty ? _columns[k] : position[_columns[k]];
                lower = Math.Max(lower, pi - pj);
                upper = Math.Max(upper, pj - pi);
            }
        }
        return (lower, upper);
    }

    /// <summary>
    /// The reverse Cuthill–McKee ordering of the symmetrised graph (i ~ j when (i, j) or (j, i) is an entry): breadth-first
    /// from a pseudo-peripheral vertex of least degree in each connected component, neighbours by increasing degree, then
    /// reversed. Returns the position of each index (position[i] = where row and column i go), a permutation of 0 … n − 1.
    /// </summary>
    public int[] ReverseCuthillMcKee()
    {
        int n = N;
        var neighbours = new List<int>[n];
        for (int i = 0; i < n; i++) neighbours[i] = [];
        for (int i = 0; i < n; i++)
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++)
            {
                int j = _columns[k];
                if (j == i) continue;
                neighbours[i].Add(j);
                neighbours[j].Add(i);
            }
        for (int i = 0; i < n; i++) neighbours[i] = [.. neighbours[i].Distinct()];
        int[] degree = [.. neighbours.Select(l => l.Count)];
        foreach (var l in neighbours) l.Sort((a, b) => degree[a] != degree[b] ? degree[a].CompareTo(degree[b]) : a.CompareTo(b));

        var order = new List<int>(n);
        var seen = new bool[n];
        while (order.Count < n)
        {
            int start = -1;
            for (int i = 0; i < n; i++)
                if (!seen[i] && (start < 0 || degree[i] < degree[start])) start = i;
            start = PseudoPeripheral(start, neighbours, degree);
            int from = order.Count;
            order.Add(start);
            seen[start] = true;
            for (int head = from; head < order.Count; head++)
                foreach (int j in neighbours[order[head]])
                    if (!seen[j]) { seen[j] = true; order.Add(j); }
        }
        var position = new int[n];
        for (int k = 0; k < n; k++) position[order[k]] = n - 1 - k;
        return position;
    }

    /// <summary>George–Liu: repeat breadth-first searches from a vertex of least degree in the last level while the depth grows.</summary>
    private static int PseudoPeripheral(int start, List<int>[] neighbours, int[] degree)
    {
        int depth = -1;
        for (int round = 0; round < 8; round++)
        {
            var visited = new Dictionary<int, int> { [start] = 0 };
            var queue = new Queue<int>();
            queue.Enqueue(start);
            int deepest = 0, candidate = start;
            while (queue.Count > 0)
            {
                int v = queue.Dequeue();
                int lv = visited[v];
                if (lv > deepest || (lv == deepest && degree[v] < degree[candidate])) { deepest = lv; candidate = v; }
                foreach (int j in neighbours[v])
                    if (visited.TryAdd(j, lv + 1)) queue.Enqueue(j);
            }
            if (deepest <= depth) break;
            depth = deepest;
            start = candidate;
        }
        return start;
    }

    /// <summary>
    /// A minimum-degree ordering of the symmetrised graph (i ~ j when (i, j) or (j, i) is an entry, i ≠ j), the
    /// fill-reducing order of <see cref="SparseLu"/>: repeatedly eliminate the vertex of least current degree (ties: the
    /// lowest index, so the order is deterministic) and join its neighbours into a clique (Tinney–Walker scheme 2, Rose's
    /// elimination graph; the exact-degree form of the approximate minimum degree of Amestoy, Davis &amp; Duff 1996). On
    /// the elimination graph the degree of the vertex eliminated at step k is the number of entries below the diagonal in
    /// column k of the Cholesky factor of the permuted A + Aᵀ, so the same pass measures the fill. The graph is kept
    /// explicitly (no quotient graph), costing O(Σₖ degₖ²) time — the multiply-adds of one factorisation — which suits
    /// patterns up to some 10⁵ unknowns with moderate fill. Returns the position of each index (position[i] = where row
    /// and column i go), a permutation of 0 … n − 1.
    /// </summary>
    public int[] MinimumDegree() => MinimumDegreeWithCost().Position;

    /// <summary>
    /// The minimum-degree ordering (<see cref="MinimumDegree"/>) with the symbolic count of the entries below the diagonal
    /// of the Cholesky factor of the permuted A + Aᵀ (Σₖ degₖ) and the multiply-adds of an LU that keeps the diagonal
    /// pivots on that pattern (Σₖ degₖ², the Schur-complement updates).
    /// </summary>
    internal (int[] Position, long Lower, double MultiplyAdds) MinimumDegreeWithCost() =>
        N <= BitGraphLimit ? MinimumDegreeOnBits() : MinimumDegreeOnSets();

    /// <summary>Up to this order the elimination graph is a bit matrix (n²/8 bytes: 8 MiB at the limit), above it hash sets.</summary>
    internal const int BitGraphLimit = 8192;

    /// <summary>
    /// <see cref="MinimumDegreeWithCost"/> on an n × n bit matrix: eliminating p ORs p's row into each neighbour's row
    /// (O(deg·n/64) word operations) and the least degree is found by a scan (O(n)); the same order as the set form.
    /// </summary>
    internal (int[] Position, long Lower, double MultiplyAdds) MinimumDegreeOnBits()
    {
        int n = N, words = (n + 63) >> 6;
        var bits = new ulong[(long)n * words];
        for (int i = 0; i < n; i++)
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++)
            {
                int j = _columns[k];
                if (j == i) continue;
                bits[(long)i * words + (j >> 6)] |= 1UL << (j & 63);
                bits[(long)j * words + (i >> 6)] |= 1UL << (i & 63);
            }
        var degree = new int[n];
        for (int i = 0; i < n; i++) degree[i] = PopCount(bits.AsSpan((int)((long)i * words), words));
        var eliminated = new bool[n];
        var position = new int[n];
        var clique = new int[n];
        long lower = 0;
        double multiplyAdds = 0;
        for (int step = 0; step < n; step++)
        {
            int p = -1;
            for (int i = 0; i < n; i++)
                if (!eliminated[i] && (p < 0 || degree[i] < degree[p])) p = i;
            eliminated[p] = true;
            position[p] = step;
            lower += degree[p];
            multiplyAdds += (double)degree[p] * degree[p];
            var row = bits.AsSpan((int)((long)p * words), words);
            int count = 0;
            for (int w = 0; w < words; w++)
                for (ulong word = row[w]; word != 0; word &= word - 1) clique[count++] = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word);
            for (int c = 0; c < count; c++)
            {
                int u = clique[c];
                var other = bits.AsSpan((int)((long)u * words), words);
                for (int w = 0; w < words; w++) other[w] |= row[w];
                other[p >> 6] &= ~(1UL << (p & 63));
                other[u >> 6] &= ~(1UL << (u & 63));
                degree[u] = PopCount(other);
            }
        }
        return (position, lower, multiplyAdds);

        static int PopCount(ReadOnlySpan<ulong> row)
        {
            int c = 0;
            foreach (ulong w in row) c += System.Numerics.BitOperations.PopCount(w);
            return c;
        }
    }

    /// <summary><see cref="MinimumDegreeWithCost"/> on hash sets, ordered by (degree, index) in a sorted set.</summary>
    internal (int[] Position, long Lower, double MultiplyAdds) MinimumDegreeOnSets()
    {
        int n = N;
        var adjacent = new HashSet<int>[n];
        for (int i = 0; i < n; i++) adjacent[i] = [];
        for (int i = 0; i < n; i++)
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++)
            {
                int j = _columns[k];
                if (j == i) continue;
                adjacent[i].Add(j);
                adjacent[j].Add(i);
            }
        var queue = new SortedSet<(int Degree, int Index)>();
        for (int i = 0; i < n; i++) queue.Add((adjacent[i].Count, i));
        var position = new int[n];
        long lower = 0;
        double multiplyAdds = 0;
        var clique = new List<int>();
        for (int step = 0; step < n; step++)
        {
            var (degree, p) = queue.Min;
            queue.Remove((degree, p));
            position[p] = step;
            lower += degree;
            multiplyAdds += (double)degree * degree;
            clique.Clear();
            clique.AddRange(adjacent[p]);
            foreach (int u in clique)
            {
                var set = adjacent[u];
                queue.Remove((set.Count, u));
                set.Remove(p);
                foreach (int w in clique)
                    if (w != u) set.Add(w);
                queue.Add((set.Count, u));
            }
            adjacent[p] = null!;
        }
        return (position, lower, multiplyAdds);
    }

    /// <summary>The transpose's CSR with, for each of its entries, the index of that entry in this pattern's CSR order.</summary>
    internal (int[] ColumnStart, int[] Rows, int[] Entries) TransposeWithEntries()
    {
        int n = N;
        var colStart = new int[n + 1];
        foreach (int j in _columns) colStart[j + 1]++;
        for (int j = 0; j < n; j++) colStart[j + 1] += colStart[j];
        var next = (int[])colStart.Clone();
        var rows = new int[_columns.Length];
        var entries = new int[_columns.Length];
        for (int i = 0; i < n; i++)
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++)
            {
                int at = next[_columns[k]]++;
                rows[at] = i;
                entries[at] = k;
            }
        return (colStart, rows, entries);
    }

    /// <summary>The transpose's CSR (the columns' row lists, CSC of this pattern).</summary>
    internal (int[] ColumnStart, int[] Rows) Transpose()
    {
        var (colStart, rows, _) = TransposeWithEntries();
        return (colStart, rows);
    }
}
