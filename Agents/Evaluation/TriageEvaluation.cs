namespace AspireTickets.Agents.Evaluation;

public static class TriageEvaluation
{
    public static int RunCommand(string train, string? test, int folds, TextWriter output) => throw new NotImplementedException();
}
