using System.Globalization;

namespace AspireTickets.Benchmarks;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of samples in milliseconds.</summary>
    public static double Of(IReadOnlyList<double> sortedMilliseconds, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100.0 * sortedMilliseconds.Count);
        return sortedMilliseconds[Math.Clamp(rank - 1, 0, sortedMilliseconds.Count - 1)];
    }

    public static string Describe(List<double> milliseconds, double p95TargetMs)
    {
        milliseconds.Sort();
        var p95 = Of(milliseconds, 95);
        return string.Create(CultureInfo.InvariantCulture,
            $"p50 {Of(milliseconds, 50):0.00} ms p95 {p95:0.00} ms p99 {Of(milliseconds, 99):0.00} ms   (target p95 < {p95TargetMs:0} ms: {Verdict(p95 < p95TargetMs)})");
    }

    public static string Verdict(bool met) => met ? "met" : "MISSED";
}
