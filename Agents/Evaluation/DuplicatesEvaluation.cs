using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Agents.Intelligence.Text;

namespace AspireTickets.Agents.Evaluation;

/// <summary>Ranking quality of one method over the usable pairs.</summary>
public sealed record RankingMetrics(int Queries, double RecallAt1, double RecallAt5, double RecallAt10, double Mrr)
{
    public static RankingMetrics From(IReadOnlyList<int> ranks) => new(
        ranks.Count,
        ranks.Count(r => r <= 1) / (double)Math.Max(ranks.Count, 1),
        ranks.Count(r => r <= 5) / (double)Math.Max(ranks.Count, 1),
        ranks.Count(r => r <= 10) / (double)Math.Max(ranks.Count, 1),
        ranks.Sum(r => 1.0 / r) / Math.Max(ranks.Count, 1));

    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"recall@1: {RecallAt1:0.000} recall@5: {RecallAt5:0.000} recall@10: {RecallAt10:0.000} mrr: {Mrr:0.000}");
}

public sealed record DuplicateReport(int Reports, int Pairs, int UsablePairs, RankingMetrics Bm25, RankingMetrics Hybrid, DuplicateFusion Calibration);

/// <summary>
/// The GitBugs protocol: index every report; for each pair whose two reports both exist, query with the
/// duplicate's summary + description, rank every other report and note the original's rank.
/// </summary>
public static partial class DuplicatesEvaluation
{
    public sealed record BugReport(string Id, string Summary, string Description)
    {
        public Guid Key { get; } = KeyOf(Id);
    }

    public static (List<BugReport> Reports, List<(string Original, string Duplicate)> Pairs) Load(string ticketsPath, string pairsPath)
    {
        var reports = EvaluationCsv.Read(ticketsPath, "Summary", "Issue id", "Description")
            .Select(r => new BugReport(r["Issue id"].Trim(), r["Summary"], r["Description"]))
            .GroupBy(r => r.Id)
            .Select(g => g.First())
            .ToList();
        var pairs = EvaluationCsv.Read(pairsPath, "Issue id", "Duplicate id")
            .Select(r => (r["Issue id"].Trim(), r["Duplicate id"].Trim()))
            .ToList();
        return (reports, pairs);
    }

    public static async Task<DuplicateReport> RunAsync(
        IReadOnlyList<BugReport> reports,
        IReadOnlyList<(string Original, string Duplicate)> pairs,
        DuplicateFinderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var byId = reports.ToDictionary(r => r.Id);
        var usable = pairs.Where(p => p.Original != p.Duplicate && byId.ContainsKey(p.Original) && byId.ContainsKey(p.Duplicate)).ToList();

        var bm25Ranks = PlainBm25Ranks(reports, usable, byId);

        options ??= new DuplicateFinderOptions();
        var finder = new DuplicateFinder(new InMemoryVectorIndex(options.Embedding.Dimensions), options);
        foreach (var report in reports)
        {
            await finder.UpsertAsync(report.Key, report.Summary, report.Description, cancellationToken);
        }

        await finder.RefreshEmbeddingsAsync(cancellationToken);

        var hybridRanks = new List<int>();
        var samples = new List<(double, double, bool)>();
        foreach (var (original, duplicate) in usable)
        {
            var query = byId[duplicate];
            var matches = await finder.FindAsync(query.Summary, query.Description, int.MaxValue, [query.Key], cancellationToken);
            var target = KeyOf(original);
            hybridRanks.Add(matches.Select((m, i) => (m, i)).First(x => x.m.Id == target).i + 1);
            samples.AddRange(matches.Select(m => (m.Lexical, m.Dense, m.Id == target)));
        }

        return new DuplicateReport(
            reports.Count,
            pairs.Count,
            usable.Count,
            RankingMetrics.From(bm25Ranks),
            RankingMetrics.From(hybridRanks),
            options.Fusion.Fit(samples));
    }

    public static async Task<int> RunCommandAsync(string ticketsPath, string pairsPath, TextWriter output)
    {
        var stopwatch = Stopwatch.StartNew();
        var (reports, pairs) = Load(ticketsPath, pairsPath);
        var report = await RunAsync(reports, pairs);
        output.WriteLine($"reports: {report.Reports}  pairs: {report.Pairs}  usable pairs (both reports present): {report.UsablePairs}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calibration (Platt scaling of the fused score, refit on this data): scale {report.Calibration.Scale:0.00} bias {report.Calibration.Bias:0.00}"));
        output.WriteLine($"elapsed: {stopwatch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"bm25 (k1=1.2, b=0.75, lowercase alphanumeric tokens) {report.Bm25.Format()}");
        output.WriteLine(report.Hybrid.Format());
        return 0;
    }

    /// <summary>The reference: plain BM25, lowercase alphanumeric tokens, summary + description.</summary>
    private static List<int> PlainBm25Ranks(IReadOnlyList<BugReport> reports, List<(string Original, string Duplicate)> usable, Dictionary<string, BugReport> byId)
    {
        var index = new Bm25Index<string>(new Bm25Options { K1 = 1.2, B = 0.75 });
        foreach (var report in reports)
        {
            index.Upsert(report.Id, AsciiTokens(report.Summary + " " + report.Description));
        }

        var ranks = new List<int>();
        foreach (var (original, duplicate) in usable)
        {
            var query = byId[duplicate];
            // The reference counts each distinct query term once.
            var scores = index.Score(AsciiTokens(query.Summary + " " + query.Description).Distinct());
            var target = scores.GetValueOrDefault(original);
            // Rank = 1 + number of other reports scoring strictly higher (ties resolved in the original's favour
            // only when scores are exactly equal, which plain BM25 makes rare).
            ranks.Add(1 + scores.Count(s => s.Key != duplicate && s.Key != original && s.Value > target));
        }

        return ranks;
    }

    private static IEnumerable<string> AsciiTokens(string text) =>
        AsciiToken().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex AsciiToken();

    private static Guid KeyOf(string id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, StableHash.Hash(id));
        BitConverter.TryWriteBytes(bytes[8..], StableHash.Hash(id, 0x5bd1e995UL));
        return new Guid(bytes);
    }
}
