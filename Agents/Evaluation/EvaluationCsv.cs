using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace AspireTickets.Agents.Evaluation;

/// <summary>A problem with an evaluation input that the user can fix (missing file, wrong columns).</summary>
public sealed class EvaluationInputException(string message) : Exception(message);

/// <summary>
/// Reads RFC 4180 CSV (quoted fields with commas, doubled quotes and newlines; fields of any size) into rows
/// keyed by the header's column names. Columns are matched case-insensitively; missing ones are reported
/// by name together with the columns the file does have.
/// </summary>
public static class EvaluationCsv
{
    public static List<Dictionary<string, string>> Read(string path, params string[] requiredColumns)
    {
        path = Resolve(path);
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"file not found: {Path.GetFullPath(path)}");
        }

        using var reader = new StreamReader(path);
        return Read(reader, path, requiredColumns);
    }

    /// <summary>
    /// `dotnet run --project X` starts the program in X's folder, not where the user typed the command, so a
    /// relative path is also tried against the shell's working directory ($PWD).
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return path;
        }

        var shellDirectory = Environment.GetEnvironmentVariable("PWD");
        var candidate = string.IsNullOrEmpty(shellDirectory) ? path : Path.Combine(shellDirectory, path);
        return File.Exists(candidate) ? candidate : path;
    }

    public static List<Dictionary<string, string>> Read(TextReader reader, string sourceName, params string[] requiredColumns)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            DetectColumnCountChanges = false,
            // A stray quote inside an unquoted field is kept as text rather than failing the whole file.
            BadDataFound = null,
            TrimOptions = TrimOptions.None,
        };
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new EvaluationInputException($"{sourceName}: empty file (expected a header with columns {string.Join(",", requiredColumns)}).");
        }

        var header = csv.HeaderRecord.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        var missing = requiredColumns
            .Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (missing.Count > 0)
        {
            throw new EvaluationInputException(
                $"{sourceName}: missing column(s) {string.Join(", ", missing)}; the file has {string.Join(", ", header)}.");
        }

        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = csv.TryGetField<string>(i, out var value) ? value ?? "" : "";
            }

            rows.Add(row);
        }

        return rows;
    }
}
