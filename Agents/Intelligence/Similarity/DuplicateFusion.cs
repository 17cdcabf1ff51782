namespace AspireTickets.Agents.Intelligence.Similarity;

/// <summary>
/// Turns the two similarity signals into one probability-like score in [0, 1].
/// First a convex mix s = share · lexical + (1 − share) · dense, where lexical is BM25 divided by the query's
/// BM25 upper bound (so it lies in [0, 1] whatever the query length) and dense is the embedding cosine
/// clamped to [0, 1]; then Platt scaling p = σ(scale · s + bias). With share in [0, 1] and scale &gt; 0 the score
/// can only rise when either signal rises, and ranking by p is ranking by s.
///
/// The share is fixed at 0.5 (equal say): on GitBugs SeaMonkey any share between 0.2 and 0.9 gives
/// recall@10 within ±0.02, so there is nothing worth tuning there. Scale and bias are the calibration:
/// a logistic regression (<see cref="Fit"/>) of "candidate is the known original" on s over every
/// (duplicate, candidate) pair of that set (62 labelled pairs, each against the 1,075 other reports).
/// The score is then an estimate of the probability that a candidate is the ticket's duplicate, so the
/// default threshold 0.9 means "nine in ten candidates scoring this high were real duplicates" on data like
/// that set. `eval duplicates` prints the refit coefficients for your own history.
/// </summary>
public sealed record DuplicateFusion(double LexicalShare, double Scale, double Bias)
{
    // Scale and bias fitted by `eval duplicates` on shared/data/gitbugs-seamonkey ("calibration" line).
    public static DuplicateFusion Default { get; } = new(0.5, 14.75, -8.36);

    public double Combined(double lexical, double dense) =>
        (LexicalShare * Math.Clamp(lexical, 0, 1)) + ((1 - LexicalShare) * Math.Clamp(dense, 0, 1));

    public double Score(double lexical, double dense) => Sigmoid((Scale * Combined(lexical, dense)) + Bias);

    /// <summary>
    /// Platt scaling: maximum-likelihood logistic regression of the labels on the combined score (Newton's
    /// method; a tiny ridge keeps it finite when the classes separate).
    /// </summary>
    public DuplicateFusion Fit(IEnumerable<(double Lexical, double Dense, bool IsDuplicate)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var points = samples.Select(s => (X: Combined(s.Lexical, s.Dense), Y: s.IsDuplicate ? 1.0 : 0.0)).ToList();
        double a = 1, b = 0;
        const double ridge = 1e-4;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = ridge * a, gb = 0, haa = ridge, hab = 0, hbb = 1e-9;
            foreach (var (x, y) in points)
            {
                var p = Sigmoid((a * x) + b);
                var error = p - y;
                var w = Math.Max(p * (1 - p), 1e-12);
                ga += error * x;
                gb += error;
                haa += w * x * x;
                hab += w * x;
                hbb += w;
            }

            var det = (haa * hbb) - (hab * hab);
            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9)
            {
                break;
            }
        }

        return this with { Scale = a, Bias = b };
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
