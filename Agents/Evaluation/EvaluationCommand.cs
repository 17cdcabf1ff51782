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

                    return TriageEvaluation.RunCommand(train, test, folds, output);
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
