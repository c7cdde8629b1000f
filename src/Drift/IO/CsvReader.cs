using System.Globalization;

namespace Drift.IO;

/// <summary>
/// Reads a numeric matrix from CSV text: comma-separated invariant-culture numbers, one row per line. Blank lines
/// and lines starting with '#' are skipped; a first line whose first field is not a number is taken as a header.
/// Refused with an <see cref="InvalidDataException"/> whose one-line message is <c>source:line: …</c>: a field that
/// is not a number (with its column), a NaN or ±∞ value, a row with a different number of columns from the first,
/// and a file with no data rows.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads a CSV file as a rows × columns matrix.</summary>
    /// <exception cref="InvalidDataException">See the class remarks.</exception>
    public static NumericArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads CSV text as a rows × columns matrix; <paramref name="source"/> names the input in messages.</summary>
    /// <exception cref="InvalidDataException">See the class remarks.</exception>
    public static NumericArray Read(TextReader reader, string source = "input") => Read(reader, source, out _);

    /// <summary>
    /// Reads CSV text as a rows × columns matrix and returns the header's fields (trimmed) in <paramref name="header"/>,
    /// or null when the first line is data.
    /// </summary>
    /// <exception cref="InvalidDataException">See the class remarks (the header's field count is not checked).</exception>
    public static NumericArray Read(TextReader reader, string source, out string[]? header)
    {
        ArgumentNullException.ThrowIfNull(reader);
        header = null;
        var values = new List<double>();
        int columns = -1, lineNo = 0, rows = 0;
        bool first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var t = line.Trim();
            if (t.Length == 0 || t[0] == '#') continue;
            var parts = t.Split(',');
            if (first)
            {
                first = false;
                if (!double.TryParse(parts[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    header = [.. parts.Select(p => p.Trim())];
                    continue;
                }
            }
            if (columns < 0) columns = parts.Length;
            else if (parts.Length != columns)
                throw new InvalidDataException($"{source}:{lineNo}: {parts.Length} columns, expected {columns}.");
            for (int k = 0; k < parts.Length; k++)
            {
                string field = parts[k].Trim();
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                    throw new InvalidDataException($"{source}:{lineNo}: column {k + 1} '{(field.Length <= 60 ? field : string.Concat(field.AsSpan(0, 60), "…"))}' is not a number{(field.Contains(';', StringComparison.Ordinal) ? " (fields are separated by ',', not ';')" : "")}.");
                if (!double.IsFinite(x))
                    throw new InvalidDataException($"{source}:{lineNo}: column {k + 1} is {field}; values must be finite.");
                values.Add(x);
            }
            rows++;
        }
        if (rows == 0) throw new InvalidDataException($"{source}: no data rows.");
        return new NumericArray([.. values], [rows, columns]);
    }
}
