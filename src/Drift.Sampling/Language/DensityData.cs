using System.Globalization;
using System.Text.Json;
using Drift.IO;

namespace Drift.Sampling.Language;

/// <summary>One named data value: a scalar (shape []), a vector ([n]) or a matrix ([n, k], row-major).</summary>
internal sealed record DataValue(double[] Values, int[] Shape, bool Integer);

/// <summary>
/// The data of a density model, by name: scalars, vectors and matrices, read from JSON
/// (<c>{"N": 3, "y": [0, 1, 1], "X": [[1, 2], [3, 4], [5, 6]]}</c>) or from CSV columns (a header names each column; a
/// column is a vector, and columns named <c>X[1]</c>, <c>X[2]</c>, … or <c>X.1</c>, <c>X.2</c>, … are the columns of
/// matrix X; an <c>int</c> size missing from a CSV file is taken from the shape of the data it sizes).
/// </summary>
public sealed class DensityData
{
    private readonly Dictionary<string, DataValue> _values = new(StringComparer.Ordinal);

    /// <summary>Where the data came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The number of rows of a CSV source (null for JSON or values added in code).</summary>
    public int? Rows { get; private init; }

    /// <summary>Empty data named <paramref name="source"/> in messages.</summary>
    public DensityData(string source = "data") => Source = source ?? "data";

    /// <summary>The names present.</summary>
    public IReadOnlyCollection<string> Names => _values.Keys;

    internal bool TryGet(string name, out DataValue value) => _values.TryGetValue(name, out value!);

    /// <summary>Adds a scalar.</summary>
    /// <exception cref="ArgumentException">A duplicate name or a non-finite value.</exception>
    public DensityData Add(string name, double value) => Put(name, new DataValue([value], [], value == Math.Floor(value)));

    /// <summary>Adds a vector.</summary>
    /// <exception cref="ArgumentException">A duplicate name or a non-finite value.</exception>
    public DensityData Add(string name, IReadOnlyList<double> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        double[] v = [.. vector];
        return Put(name, new DataValue(v, [v.Length], v.All(x => x == Math.Floor(x))));
    }

    /// <summary>Adds a matrix.</summary>
    /// <exception cref="ArgumentException">A duplicate name or a non-finite value.</exception>
    public DensityData Add(string name, double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.GetLength(0), k = matrix.GetLength(1);
        var v = new double[n * k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) v[i * k + j] = matrix[i, j];
        return Put(name, new DataValue(v, [n, k], v.All(x => x == Math.Floor(x))));
    }

    private DensityData Put(string name, DataValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_values.ContainsKey(name)) throw new ArgumentException($"{Source}: '{name}' is given twice.", nameof(name));
        for (int i = 0; i < value.Values.Length; i++)
            if (!double.IsFinite(value.Values[i]))
                throw new ArgumentException($"{Source}: '{name}'{(value.Shape.Length == 0 ? "" : $" element {i + 1}")} is {value.Values[i].ToString(CultureInfo.InvariantCulture)}; data must be finite.", nameof(value));
        _values[name] = value;
        return this;
    }

    /// <summary>Reads a .json or .csv file (by extension).</summary>
    /// <exception cref="InvalidDataException">Malformed content, with the file name and the offending entry.</exception>
    /// <exception cref="ArgumentException">The extension is neither .json nor .csv.</exception>
    public static DensityData Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return FromJson(File.ReadAllText(path), path);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(path);
            return FromCsv(reader, path);
        }
        throw new ArgumentException($"data file '{path}': give a .json or .csv file.", nameof(path));
    }

    /// <summary>
    /// Parses a JSON object whose members are numbers (scalars), arrays of numbers (vectors) or arrays of equally long
    /// arrays of numbers (matrices, one inner array per row).
    /// </summary>
    /// <exception cref="InvalidDataException">Not an object, or a member of another form (string, boolean, ragged or deeper arrays).</exception>
    public static DensityData FromJson(string json, string source = "data")
    {
        ArgumentNullException.ThrowIfNull(json);
        var data = new DensityData(source);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: expected a JSON object of named data, found {doc.RootElement.ValueKind}.");
            foreach (var member in doc.RootElement.EnumerateObject())
            {
                if (data._values.ContainsKey(member.Name)) throw new InvalidDataException($"{source}: '{member.Name}' is given twice.");
                data._values[member.Name] = FromJson(member.Value, source, member.Name);
            }
        }
        return data;
    }

    private static DataValue FromJson(JsonElement e, string source, string name)
    {
        InvalidDataException Bad(string why) => new($"{source}: '{name}' {why}");
        double Number(JsonElement x, string where)
        {
            if (x.ValueKind != JsonValueKind.Number) throw Bad($"{where}is {Kind(x)}; data must be numbers.");
            double v = x.GetDouble();
            return double.IsFinite(v) ? v : throw Bad($"{where}is not a finite number.");
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
            {
                double v = Number(e, "");
                return new DataValue([v], [], v == Math.Floor(v));
            }
            case JsonValueKind.Array:
            {
                int n = e.GetArrayLength();
                if (n > 0 && e[0].ValueKind == JsonValueKind.Array)
                {
                    int k = e[0].GetArrayLength();
                    var m = new double[n * k];
                    for (int i = 0; i < n; i++)
                    {
                        var row = e[i];
                        if (row.ValueKind != JsonValueKind.Array) throw Bad($"row {i + 1} is {Kind(row)}; a matrix is an array of arrays.");
                        if (row.GetArrayLength() != k) throw Bad($"row {i + 1} has {row.GetArrayLength()} entries, row 1 has {k}; a matrix's rows must be equally long.");
                        for (int j = 0; j < k; j++) m[i * k + j] = Number(row[j], $"entry [{i + 1}][{j + 1}] ");
                    }
                    return new DataValue(m, [n, k], m.All(x => x == Math.Floor(x)));
                }
                var v = new double[n];
                for (int i = 0; i < n; i++) v[i] = Number(e[i], $"element {i + 1} ");
                return new DataValue(v, [n], v.All(x => x == Math.Floor(x)));
            }
            default:
                throw Bad($"is {Kind(e)}; give a number, an array of numbers or an array of arrays.");
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "a number",
    };

    /// <summary>
    /// Reads CSV columns through <see cref="CsvReader"/>: the header names each column; <c>X[j]</c> or <c>X.j</c>
    /// (j = 1, 2, …, all present) are the columns of matrix X, any other name a vector.
    /// </summary>
    /// <exception cref="InvalidDataException">No header, a repeated or empty column name, or matrix columns with a gap.</exception>
    public static DensityData FromCsv(TextReader reader, string source = "data")
    {
        var table = CsvReader.Read(reader, source, out var header);
        if (header is null) throw new InvalidDataException($"{source}: the first line must be a header naming the columns (y, x, X[1], X[2], ...).");
        int rows = table.Rows, columns = table.Columns;
        if (header.Length != columns) throw new InvalidDataException($"{source}: the header has {header.Length} names for {columns} columns.");
        var data = new DensityData(source) { Rows = rows };
        var matrices = new Dictionary<string, SortedDictionary<int, int>>(StringComparer.Ordinal);
        for (int c = 0; c < columns; c++)
        {
            string name = header[c];
            if (name.Length == 0) throw new InvalidDataException($"{source}: column {c + 1} has no name.");
            if (MatrixColumn(name) is ({ } matrix, int j))
            {
                var cols = matrices.TryGetValue(matrix, out var m) ? m : matrices[matrix] = [];
                if (!cols.TryAdd(j, c)) throw new InvalidDataException($"{source}: column '{name}' is given twice.");
                continue;
            }
            if (data._values.ContainsKey(name)) throw new InvalidDataException($"{source}: column '{name}' is given twice.");
            var v = new double[rows];
            for (int r = 0; r < rows; r++) v[r] = table.Data[r * columns + c];
            data._values[name] = new DataValue(v, [rows], v.All(x => x == Math.Floor(x)));
        }
        foreach (var (name, cols) in matrices)
        {
            if (data._values.ContainsKey(name)) throw new InvalidDataException($"{source}: '{name}' is both a column and a matrix.");
            int k = cols.Count;
            for (int j = 1; j <= k; j++)
                if (!cols.ContainsKey(j)) throw new InvalidDataException($"{source}: matrix '{name}' has {k} columns but no column {name}[{j}].");
            var m = new double[rows * k];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < k; j++) m[r * k + j] = table.Data[r * columns + cols[j + 1]];
            data._values[name] = new DataValue(m, [rows, k], m.All(x => x == Math.Floor(x)));
        }
        return data;
    }

    private static (string? Matrix, int Column) MatrixColumn(string name)
    {
        int open = name.IndexOf('[', StringComparison.Ordinal);
        if (open > 0 && name.EndsWith(']') && int.TryParse(name.AsSpan(open + 1, name.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int j) && j >= 1)
            return (name[..open], j);
        int dot = name.LastIndexOf('.');
        if (dot > 0 && int.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out j) && j >= 1)
            return (name[..dot], j);
        return (null, 0);
    }
}
