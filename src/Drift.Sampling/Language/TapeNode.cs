using Drift.Models.Text;

namespace Drift.Sampling.Language;

/// <summary>What a <see cref="TapeNode"/> computes.</summary>
internal enum TapeOp
{
    /// <summary>A fixed value: a number, data, or a subexpression that depends on no parameter (folded at bind time).</summary>
    Constant,
    /// <summary>The constrained value of a declared parameter (written by the transform before the forward pass).</summary>
    Parameter,
    Add,
    Subtract,
    Multiply,
    Divide,
    Negate,
    Power,
    /// <summary>A unary function of the expression language, element by element.</summary>
    Function,
    /// <summary>min or max, element by element.</summary>
    MinMax,
    /// <summary>Matrix (data, N×K) times vector (K): an N-vector.</summary>
    MatrixVector,
    /// <summary>Sum of the elements: a scalar.</summary>
    Sum,
    /// <summary>Σ log p(yᵢ | args) of a <c>~</c> statement: a scalar.</summary>
    Distribution,
}

/// <summary>
/// One node of the compiled vector expression DAG. Values of non-constant nodes live at <see cref="Offset"/> in a
/// per-thread workspace (length <see cref="Size"/>); constants hold theirs in <see cref="Fixed"/>. A matrix constant is
/// stored column-major (<see cref="Rows"/> × <see cref="Columns"/>), so a matrix–vector product is a sum of scaled
/// columns, SIMD along the data.
/// </summary>
internal sealed class TapeNode
{
    public required TapeOp Op { get; init; }
    public required int Size { get; init; }
    public TapeNode[] Children { get; init; } = [];
    public double[]? Fixed { get; set; }
    public int Offset { get; set; } = -1;
    public int Rows { get; init; }
    public int Columns { get; init; }
    /// <summary>Whether the value depends on a parameter (then it is recomputed and differentiated).</summary>
    public bool Live { get; init; }
    public TextFunction? Function { get; init; }
    /// <summary>For <see cref="TapeOp.MinMax"/>: true for max.</summary>
    public bool IsMax { get; init; }
    /// <summary>For <see cref="TapeOp.Parameter"/>: index of the parameter declaration.</summary>
    public int Parameter { get; init; } = -1;
    /// <summary>For <see cref="TapeOp.Distribution"/>: the distribution.</summary>
    public DistributionInfo? Distribution { get; init; }
    /// <summary>For <see cref="TapeOp.Distribution"/>: a constant added to the sum (−Σ log yᵢ! of poisson_log).</summary>
    public double Constant { get; init; }
    /// <summary>For <see cref="TapeOp.Distribution"/>: workspace offsets of each live child's partials (−1 if not live).</summary>
    public int[] PartialOffsets { get; set; } = [];
    /// <summary>For <see cref="TapeOp.Distribution"/>: the broadcast length of its operands.</summary>
    public int Length { get; init; } = 1;
    /// <summary>Where the node comes from, for messages.</summary>
    public required Node Source { get; init; }

    /// <summary>Whether this is matrix data (Rows × Columns, column-major).</summary>
    public bool IsMatrix { get; init; }
}
