using System.Globalization;
using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Agents.Intelligence.Triage;

namespace AspireTickets.Agents.Evaluation;

/// <summary>
/// <c>eval triage --train a.csv (--test b.csv | --folds 5)</c> and
/// <c>eval duplicates --tickets bugs.csv --pairs pairs.csv</c>: measure the local models on exported history.
/// </summary>
public static class EvaluationCommand
{
    private const string Usage = """
        usage:
          eval triage --train <csv> --test <csv>     train per repo on --train, score per repo on --test
          eval triage --train <csv> [--folds 5]      stratified k-fold cross-validation per repo
                      [--encoder minilm|none]        sentence encoder beside the n-grams (default minilm)
                      [--encoder-weight <w>]         weight of its vectors beside the n-grams (default 2)
                      [--fold-seed <n>]              shuffle of the folds (default 20240501)
          eval duplicates --tickets <bugs.csv> --pairs <pairs.csv>
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            if (args.Length == 0)
            {
                throw new EvaluationInputException("missing verb (triage or duplicates).");
            }

            var options = ParseOptions(args[1..]);
            switch (args[0])
            {
                case "duplicates":
                    return DuplicatesEvaluation.RunCommandAsync(Required(options, "tickets"), Required(options, "pairs"), output)
                        .GetAwaiter().GetResult();
                case "triage":
                    var train = Required(options, "train");
                    var test = options.GetValueOrDefault("test");
                    var folds = 5;
                    if (options.TryGetValue("folds", out var foldsText) && (!int.TryParse(foldsText, out folds) || folds < 2))
                    {
                        throw new EvaluationInputException($"--folds must be an integer ≥ 2 (got '{foldsText}').");
                    }

                    var encoder = TextEncoderKind.MiniLM;
                    if (options.TryGetValue("encoder", out var encoderText) && !Enum.TryParse(encoderText, ignoreCase: true, out encoder))
                    {
                        throw new EvaluationInputException($"--encoder must be one of {string.Join(", ", Enum.GetNames<TextEncoderKind>()).ToLowerInvariant()} (got '{encoderText}').");
                    }

                    var foldSeed = TriageEvaluation.FoldSeed;
                    if (options.TryGetValue("fold-seed", out var seedText) && !int.TryParse(seedText, out foldSeed))
                    {
                        throw new EvaluationInputException($"--fold-seed must be an integer (got '{seedText}').");
                    }

                    var classifier = new TextClassifierOptions();
                    if (options.TryGetValue("encoder-weight", out var weightText))
                    {
                        if (!float.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !(weight >= 0) || float.IsInfinity(weight))
                        {
                            throw new EvaluationInputException($"--encoder-weight must be a number ≥ 0 (got '{weightText}').");
                        }

                        classifier = classifier with { EncoderWeight = weight };
                    }

                    return TriageEvaluation.RunCommand(train, test, folds, output, encoder, foldSeed, classifier);
                default:
                    throw new EvaluationInputException($"unknown verb '{args[0]}' (expected triage or duplicates).");
            }
        }
        catch (EvaluationInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            error.WriteLine(Usage);
            return 2;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new EvaluationInputException($"unexpected argument '{args[i]}'.");
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new EvaluationInputException($"option {args[i]} needs a value.");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }

    private static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) ? value : throw new EvaluationInputException($"missing --{name}.");
}
