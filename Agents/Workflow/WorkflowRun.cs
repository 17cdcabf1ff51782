namespace AspireTickets.Agents.Workflow;

/// <summary>One execution of the workflow for one ticket, stored in the document collection <c>workflow_runs</c>.</summary>
public sealed class WorkflowRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TicketId { get; set; }

    /// <summary>What started it: the event type (<c>ticket.created</c>…) or <c>api</c>.</summary>
    public string Trigger { get; set; } = "";
    public string? TriggeredBy { get; set; }
    public WorkflowRunStatus Status { get; set; } = WorkflowRunStatus.Queued;
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public List<WorkflowStepRun> Steps { get; set; } = [];

    /// <summary>Fallbacks and decisions worth knowing (for example an invalid language-model answer).</summary>
    public List<string> Notes { get; set; } = [];
}

public enum WorkflowRunStatus
{
    Queued,
    Running,
    Succeeded,

    /// <summary>Some step failed, but what the others found was saved.</summary>
    PartiallySucceeded,
    Failed,
}

public sealed class WorkflowStepRun
{
    public string Name { get; set; } = "";
    public StepStatus Status { get; set; } = StepStatus.Pending;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Wall time of all attempts, measured with a monotonic clock.</summary>
    public double DurationMs { get; set; }
    public int Attempts { get; set; }
    public string? Summary { get; set; }
    public string? Error { get; set; }
}

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>Not run because a step it needs failed.</summary>
    Skipped,
}

public static class WorkflowSteps
{
    public const string Triage = "triage";
    public const string Duplicates = "duplicates";
    public const string Resolution = "resolution";
    public const string Quality = "quality";
    public const string Update = "update";

    public static readonly IReadOnlyList<string> All = [Triage, Duplicates, Resolution, Quality, Update];
}

public static class WorkflowTriggers
{
    public const string Api = "api";
}
