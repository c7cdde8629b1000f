using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace Drift.Tests.Architecture;

/// <summary>
/// Keeps the layers of docs/architecture.md: data flows one way, bottom-up, and a namespace imports only
/// namespaces in layers below its own (or itself and its own sub-namespaces). Checked two ways: the
/// <c>using</c> directives of every source file under src/ (all four assemblies), and the types the
/// compiled Drift assembly really touches (signatures, base types, constraints, locals and method
/// bodies), which also catches fully-qualified names and the implicit lookup into parent namespaces.
/// </summary>
public partial class LayeringTests
{
    /// <summary>
    /// The layers, bottom first; keep docs/architecture.md in step. An entry holds its sub-namespaces
    /// (Drift.Solve holds Drift.Solve.Adaptive), except the root Drift, which holds only itself. Entries in
    /// one row are peers: they may import the rows below, never each other.
    /// </summary>
    private static readonly string[][] Layers =
    [
        ["Drift.Numerics", "Drift.IO"],
        ["Drift.Statistics"],
        ["Drift.Random"],
        ["Drift.Brownian"],
        ["Drift.Solve"],
        ["Drift.Ensembles", "Drift.Potentials"],
        ["Drift"],
        ["Drift.Analysis", "Drift.Models"],
        ["Drift.Learning", "Drift.Jumps"],
        ["Drift.Langevin", "Drift.Generative", "Drift.Transport", "Drift.Sampling"],
        ["Drift.Generative.Training"],
        ["Drift.Learning.Onnx"],
        ["Drift.Cli"],
    ];

    private const string Root = "Drift";

    private static readonly Assembly Core = typeof(Drift.Solve.SdeProblem<,>).Assembly;

    /// <summary>The entry of <see cref="Layers"/> that holds a namespace, or null when none does.</summary>
    private static string? EntryOf(string ns)
    {
        string? best = null;
        foreach (var row in Layers)
            foreach (var entry in row)
            {
                bool holds = ns == entry || (entry != Root && ns.StartsWith(entry + ".", StringComparison.Ordinal));
                if (holds && (best is null || entry.Length > best.Length)) best = entry;
            }
        return best;
    }

    private static int LayerOf(string entry) => Array.FindIndex(Layers, row => row.Contains(entry));

    private static bool IsDrift(string? ns) => ns is not null && (ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal));

    /// <summary>Why an import from <paramref name="from"/> to <paramref name="to"/> breaks the layers, or null if it keeps them.</summary>
    private static string? Breach(string from, string to)
    {
        string? a = EntryOf(from), b = EntryOf(to);
        if (a is null || b is null || a == b) return null; // unplaced namespaces fail their own test
        int la = LayerOf(a), lb = LayerOf(b);
        if (lb < la) return null;
        return lb > la
            ? $"runs upward: {from} is in layer {la} ({a}), {to} in layer {lb} ({b})"
            : $"runs sideways between peers of layer {la}: {from} ({a}) and {to} ({b})";
    }

    // ---------------------------------------------------------------- the tests

    [Fact]
    public void Every_namespace_has_a_layer()
    {
        var unplaced = SourceFiles().Select(f => (Where: f.Path, f.Namespace))
            .Concat(CoreTypes().Select(t => (Where: "type " + t.FullName, Namespace: t.Namespace!)))
            .Where(x => EntryOf(x.Namespace) is null)
            .Select(x => $"{x.Namespace} ({x.Where}) is in no layer; add it to LayeringTests.Layers and docs/architecture.md")
            .Distinct().ToList();
        Assert.True(unplaced.Count == 0, string.Join('\n', unplaced));
    }

    [Fact]
    public void Using_directives_point_only_down()
    {
        var breaches = UsingEdges()
            .Select(e => (e, Why: Breach(e.From, e.To)))
            .Where(x => x.Why is not null)
            .Select(x => $"{x.e.Where}: `using {x.e.Import};` {x.Why}")
            .ToList();
        Assert.True(breaches.Count == 0, $"{breaches.Count} imports break the layers:\n" + string.Join('\n', breaches));
    }

    [Fact]
    public void Type_references_point_only_down()
    {
        var breaches = TypeEdges()
            .Select(e => (e, Why: Breach(e.From, e.To)))
            .Where(x => x.Why is not null)
            .Select(x => $"{x.e.Where} uses {x.e.Import}: {x.Why}")
            .Distinct().ToList();
        Assert.True(breaches.Count == 0, $"{breaches.Count} type references break the layers:\n" + string.Join('\n', breaches));
    }

    [Fact]
    public void Namespaces_form_no_cycle()
    {
        var edges = UsingEdges().Concat(TypeEdges()).ToList();
        var cycles = new List<string>();
        // Namespace by namespace (sub-namespaces apart), then layer entry by entry (sub-namespaces together).
        foreach (var (kind, key) in new (string, Func<string, string>)[] { ("namespaces", ns => ns), ("layer entries", ns => EntryOf(ns) ?? ns) })
        {
            var graph = new Dictionary<string, HashSet<string>>();
            var witness = new Dictionary<(string, string), string>();
            foreach (var e in edges)
            {
                string a = key(e.From), b = key(e.To);
                if (a == b) continue;
                (graph.TryGetValue(a, out var next) ? next : graph[a] = []).Add(b);
                witness.TryAdd((a, b), $"{e.Where} → {e.Import}");
            }
            foreach (var scc in StronglyConnected(graph).Where(c => c.Count > 1))
            {
                var inside = scc.ToHashSet();
                var links = scc.SelectMany(a => graph[a].Where(inside.Contains).Select(b => $"    {a} → {b} (e.g. {witness[(a, b)]})"));
                cycles.Add($"cycle among {kind} {{{string.Join(", ", scc.Order(StringComparer.Ordinal))}}}:\n" + string.Join('\n', links));
            }
        }
        Assert.True(cycles.Count == 0, string.Join('\n', cycles));
    }

    [Fact]
    public void The_checks_see_the_code()
    {
        // Guards against a scan that silently finds nothing (a moved root, a changed folder layout).
        var files = SourceFiles().ToList();
        Assert.Contains(files, f => f.Path.StartsWith("src/Drift.Cli/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Path.StartsWith("src/Drift.Generative/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Path.StartsWith("src/Drift.Transport/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Path.StartsWith("src/Drift.Generative.Training/", StringComparison.Ordinal));
        Assert.Contains(UsingEdges(), e => e.From == "Drift.Models.Finance" && e.To == "Drift.Solve");
        Assert.Contains(TypeEdges(), e => e.From.StartsWith("Drift.Solve", StringComparison.Ordinal) && e.To == "Drift.Numerics");
        Assert.Null(Breach("Drift.Models.Physics", "Drift.Solve.Adaptive"));
        Assert.NotNull(Breach("Drift.Solve.Adaptive", "Drift.Ensembles"));
        Assert.NotNull(Breach("Drift.Models", "Drift.Analysis"));
    }

    // ---------------------------------------------------------------- source files and their usings

    private sealed record SourceFile(string Path, string Namespace, string Text);

    private sealed record Edge(string From, string To, string Import, string Where);

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(static\s+)?(?:\w+\s*=\s*)?([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Drift.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Drift.slnx above {AppContext.BaseDirectory}");
    }

    private static readonly Lazy<List<SourceFile>> Sources = new(() =>
    {
        string root = RepositoryRoot(), src = Path.Combine(root, "src");
        var files = new List<SourceFile>();
        foreach (var path in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)) continue;
            string text = File.ReadAllText(path);
            var ns = NamespaceLine().Match(text);
            // A file without a namespace (top-level statements) belongs to its project's root namespace.
            string project = relative.Split('/')[1];
            files.Add(new SourceFile(relative, ns.Success ? ns.Groups[1].Value : project, text));
        }
        return files;
    });

    private static List<SourceFile> SourceFiles() => Sources.Value;

    private static IEnumerable<Edge> UsingEdges()
    {
        foreach (var file in SourceFiles())
            foreach (Match m in UsingLine().Matches(file.Text))
            {
                string name = m.Groups[2].Value;
                if (!IsDrift(name)) continue;
                // `using static Drift.X.SomeType;` names a type: its namespace is the name less its last part.
                string target = m.Groups[1].Success && EntryOf(name) is null && name.Contains('.', StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : name;
                yield return new Edge(file.Namespace, target, name, file.Path);
            }
    }

    // ---------------------------------------------------------------- compiled type references

    private static IEnumerable<Type> CoreTypes() => Core.GetTypes().Where(t => IsDrift(t.Namespace));

    private static readonly Lazy<List<Edge>> TypeEdgeList = new(() =>
    {
        // One edge per (declared type, used type), naming the first member that uses it.
        var edges = new Dictionary<(string, string), Edge>();
        foreach (var type in CoreTypes())
        {
            string from = type.Namespace!, outer = Outer(type).FullName!;
            foreach (var (member, used) in References(type))
                foreach (var t in Flatten(used))
                    if (t.Assembly.GetName().Name?.StartsWith(Root, StringComparison.Ordinal) == true && IsDrift(t.Namespace) && t.Namespace != from)
                    {
                        string import = Outer(t).FullName ?? t.Name;
                        edges.TryAdd((outer, import), new Edge(from, t.Namespace!, import, member is null ? outer : $"{outer} ({member})"));
                    }
        }
        return [.. edges.Values];
    });

    private static List<Edge> TypeEdges() => TypeEdgeList.Value;

    private static Type Outer(Type t) => t.DeclaringType is { } d ? Outer(d) : t;

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type a type's declaration and code mention, with the member that mentions it.</summary>
    private static IEnumerable<(string? Member, Type Used)> References(Type type)
    {
        if (type.BaseType is { } b) yield return (null, b);
        foreach (var i in type.GetInterfaces()) yield return (null, i);
        foreach (var a in type.CustomAttributes) yield return (null, a.AttributeType);
        if (type.IsGenericTypeDefinition)
            foreach (var p in type.GetGenericArguments())
                foreach (var c in p.GetGenericParameterConstraints()) yield return (null, c);
        foreach (var f in type.GetFields(Declared)) yield return (f.Name, f.FieldType);
        foreach (var p in type.GetProperties(Declared)) yield return (p.Name, p.PropertyType);
        foreach (var e in type.GetEvents(Declared)) if (e.EventHandlerType is { } h) yield return (e.Name, h);
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo mi)
            {
                yield return (m.Name, mi.ReturnType);
                if (mi.IsGenericMethodDefinition)
                    foreach (var p in mi.GetGenericArguments())
                        foreach (var c in p.GetGenericParameterConstraints()) yield return (m.Name, c);
            }
            foreach (var p in m.GetParameters()) yield return (m.Name, p.ParameterType);
            foreach (var used in BodyReferences(m)) yield return (m.Name, used);
        }
    }

    /// <summary>Types of a method's locals and every type, method or field token in its IL.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        MethodBody? body;
        try { body = method.GetMethodBody(); }
        catch (InvalidOperationException) { yield break; }
        if (body is null) yield break;
        foreach (var local in body.LocalVariables) yield return local.LocalType;
        var il = body.GetILAsByteArray() ?? [];
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            OpCode op = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += op.Size;
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    MemberInfo? member = null;
                    try { member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    i += 4;
                    switch (member)
                    {
                        case Type t: yield return t; break;
                        case FieldInfo f: if (f.DeclaringType is { } fd) yield return fd; yield return f.FieldType; break;
                        case MethodBase m:
                            if (m.DeclaringType is { } md) yield return md;
                            if (m.IsGenericMethod) foreach (var a in m.GetGenericArguments()) yield return a;
                            break;
                    }
                    break;
                default: i += 4; break; // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
            }
        }
    }

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

#pragma warning disable CA1810 // the opcode tables are filled from reflection once
    static LayeringTests()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            ushort value = unchecked((ushort)op.Value);
            if (op.Size == 1) OneByte[value] = op;
            else TwoByte[value & 0xFF] = op;
        }
    }
#pragma warning restore CA1810

    /// <summary>A type and the types it is built from (element types, generic arguments), generic parameters dropped.</summary>
    private static IEnumerable<Type> Flatten(Type t)
    {
        if (t.IsGenericParameter) yield break;
        if (t.HasElementType) { foreach (var e in Flatten(t.GetElementType()!)) yield return e; yield break; }
        yield return t.IsGenericType ? t.GetGenericTypeDefinition() : t;
        if (t.IsGenericType && !t.IsGenericTypeDefinition)
            foreach (var a in t.GetGenericArguments())
                foreach (var x in Flatten(a)) yield return x;
    }

    // ---------------------------------------------------------------- cycles

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v); onStack.Add(v);
            foreach (var w in graph.TryGetValue(v, out var next) ? next : [])
            {
                if (!index.TryGetValue(w, out int iw)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], iw);
            }
            if (low[v] != index[v]) return;
            var scc = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); scc.Add(x); } while (x != v);
            result.Add(scc);
        }
        foreach (var v in graph.Keys.Order(StringComparer.Ordinal).ToList())
            if (!index.ContainsKey(v)) Visit(v);
        return result;
    }
}
