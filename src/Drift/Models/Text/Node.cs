using System.Globalization;

namespace Drift.Models.Text;

/// <summary>An expression of the model language; immutable, so subtrees may be shared (a DAG).</summary>
internal abstract class Node(int line, int column)
{
    public const int MaxDepth = 256;

    public int Line { get; } = line;
    public int Column { get; } = column;

    /// <summary>Height of the tree below and including this node.</summary>
    public virtual int Depth => 1;

    /// <summary>Whether the value depends on the state x.</summary>
    public virtual bool DependsOnState => false;

    /// <summary>Whether dt or some dW occurs below.</summary>
    public virtual bool HasDifferential => false;

    /// <summary>Whether the time t occurs below (the value may depend on t).</summary>
    public virtual bool DependsOnTime => false;

    public ModelParseException Error(string reason) => new(reason, Line, Column);
}

internal sealed class NumberNode(double value, int line, int column) : Node(line, column)
{
    public double Value { get; } = value;
    public override string ToString() => Value < 0 ? $"({Value.ToString("R", CultureInfo.InvariantCulture)})" : Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>An identifier before binding.</summary>
internal sealed class NameNode(string name, int line, int column) : Node(line, column)
{
    public string Name { get; } = name;
    public override string ToString() => Name;
}

internal sealed class ParameterNode(int index, string name, int line, int column) : Node(line, column)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public override string ToString() => Name;
}

internal sealed class StateNode(int index, string name, int line, int column) : Node(line, column)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public override bool DependsOnState => true;
    public override string ToString() => Name;
}

internal sealed class TimeNode(int line, int column) : Node(line, column)
{
    public override bool DependsOnTime => true;
    public override string ToString() => "t";
}

/// <summary>dt (Index 0) or dW_j (Index j ≥ 1).</summary>
internal sealed class DifferentialNode(int index, int line, int column) : Node(line, column)
{
    public int Index { get; } = index;
    public override bool HasDifferential => true;
    public override string ToString() => Index == 0 ? "dt" : $"dW{Index}";
}

internal sealed class NegateNode : Node
{
    public NegateNode(Node operand, int line, int column) : base(line, column)
    {
        Operand = operand;
        Depth = operand.Depth + 1;
        DependsOnState = operand.DependsOnState;
        HasDifferential = operand.HasDifferential;
        DependsOnTime = operand.DependsOnTime;
    }

    public Node Operand { get; }
    public override int Depth { get; }
    public override bool DependsOnState { get; }
    public override bool HasDifferential { get; }
    public override bool DependsOnTime { get; }
    public override string ToString() => $"(-{Operand})";
}

/// <summary>a op b with op one of + - * / ^.</summary>
internal sealed class BinaryNode : Node
{
    public BinaryNode(char op, Node left, Node right, int line, int column) : base(line, column)
    {
        Op = op;
        Left = left;
        Right = right;
        Depth = Math.Max(left.Depth, right.Depth) + 1;
        DependsOnState = left.DependsOnState || right.DependsOnState;
        HasDifferential = left.HasDifferential || right.HasDifferential;
        DependsOnTime = left.DependsOnTime || right.DependsOnTime;
    }

    public char Op { get; }
    public Node Left { get; }
    public Node Right { get; }
    public override int Depth { get; }
    public override bool DependsOnState { get; }
    public override bool HasDifferential { get; }
    public override bool DependsOnTime { get; }
    public override string ToString() => $"({Left} {Op} {Right})";
}

internal sealed class CallNode : Node
{
    public CallNode(TextFunction function, Node[] arguments, int line, int column) : base(line, column)
    {
        Function = function;
        Arguments = arguments;
        Depth = arguments.Length == 0 ? 1 : arguments.Max(a => a.Depth) + 1;
        DependsOnState = arguments.Any(a => a.DependsOnState);
        HasDifferential = arguments.Any(a => a.HasDifferential);
        DependsOnTime = arguments.Any(a => a.DependsOnTime);
    }

    public TextFunction Function { get; }
    public Node[] Arguments { get; }
    public override int Depth { get; }
    public override bool DependsOnState { get; }
    public override bool HasDifferential { get; }
    public override bool DependsOnTime { get; }
    public override string ToString() => $"{Function.Name}({string.Join(", ", Arguments.Select(a => a.ToString()))})";
}

/// <summary>sum(v) of the log-density form: the sum of a vector's elements (a scalar stays itself).</summary>
internal sealed class SumNode : Node
{
    public SumNode(Node operand, int line, int column) : base(line, column)
    {
        Operand = operand;
        Depth = operand.Depth + 1;
        DependsOnTime = operand.DependsOnTime;
    }

    public Node Operand { get; }
    public override int Depth { get; }
    public override bool DependsOnTime { get; }
    public override string ToString() => $"sum({Operand})";
}
