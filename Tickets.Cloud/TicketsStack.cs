using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace AspireTickets.Cloud;

/// <summary>
/// The AWS side of AspireTickets: the raw-ticket archive (S3), the escalation queue (SQS) with its dead-letter
/// queue and alarm, and the least-privilege policies the services run with.
/// </summary>
public sealed class TicketsStack : Stack
{
    /// <summary>Receives (redelivered) messages after this many failed receives, then they go to the DLQ.</summary>
    public const int EscalationMaxReceiveCount = 5;

    public TicketsStack(Construct scope, string id, IStackProps? props = null)
        : base(scope, id, props)
    {
        RawTickets = new Bucket(this, "RawTickets", new BucketProps
        {
            // Raw payloads are the evidence of what a source sent; versioning keeps an overwrite from losing it.
            Versioned = true,
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            // The archive is written once and read rarely (re-processing, audits): move it to cheaper storage.
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ArchiveRawTickets",
                    Enabled = true,
                    Transitions =
                    [
                        new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(30) },
                        new Transition { StorageClass = StorageClass.GLACIER, TransitionAfter = Duration.Days(90) },
                    ],
                },
            ],
            // Tickets' raw sources must survive a stack deletion.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        EscalationsDeadLetters = new Queue(this, "EscalationsDeadLetters", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            // The longest SQS allows: a failed escalation must stay visible until someone looks at it.
            RetentionPeriod = Duration.Days(14),
        });

        Escalations = new Queue(this, "Escalations", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = EscalationsDeadLetters, MaxReceiveCount = EscalationMaxReceiveCount },
        });

        // A message in the DLQ is an escalation nobody was told about: alarm on the first one.
        EscalationsDeadLettersAlarm = new Alarm(this, "EscalationsDeadLettersAlarm", new AlarmProps
        {
            AlarmDescription = "An escalation could not be delivered and is waiting in the dead-letter queue.",
            Metric = EscalationsDeadLetters.MetricApproximateNumberOfMessagesVisible(new MetricOptions
            {
                Period = Duration.Minutes(1),
                Statistic = Stats.MAXIMUM,
            }),
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            Threshold = 0,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        // Ingestion only archives: it may add objects, not read, list or delete them.
        IngestionPolicy = new ManagedPolicy(this, "IngestionPolicy", new ManagedPolicyProps
        {
            Description = "AspireTickets ingestion: archive raw tickets.",
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Effect = Effect.ALLOW,
                    Actions = ["s3:PutObject"],
                    Resources = [RawTickets.ArnForObjects("*")],
                }),
            ],
        });

        // The escalation job only announces escalations; it neither reads nor purges the queue.
        AgentsPolicy = new ManagedPolicy(this, "AgentsPolicy", new ManagedPolicyProps
        {
            Description = "AspireTickets agents: send escalations.",
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Effect = Effect.ALLOW,
                    Actions = ["sqs:SendMessage"],
                    Resources = [Escalations.QueueArn],
                }),
            ],
        });

        // One role per service that calls AWS, each with only its own policy. The services run as ECS tasks, so the
        // task role is what their AWS SDK picks up (the container credentials endpoint); trusting only
        // ecs-tasks.amazonaws.com means no user, Lambda or EC2 instance can assume them, and the condition on the
        // source account blocks the confused-deputy case of another account's task definition naming the role.
        IngestionRole = ServiceRole("IngestionRole", "AspireTickets ingestion: archives raw tickets.", IngestionPolicy);
        // The api runs the SLA escalation check, whose SQS notifier sends to the escalation queue.
        ApiRole = ServiceRole("ApiRole", "AspireTickets api: sends escalations.", AgentsPolicy);
        AgentsRole = ServiceRole("AgentsRole", "AspireTickets agents: send escalations.", AgentsPolicy);

        // Output ids differ from the names the AppHost's WithReference(...) adds ("BucketName", "QueueUrl"),
        // which become outputs of this same stack: equal ids would collide.
        _ = new CfnOutput(this, "RawTicketsBucketName", new CfnOutputProps
        {
            Description = "Bucket that archives raw tickets (AWS:Resources:rawtickets:BucketName).",
            Value = RawTickets.BucketName,
        });
        _ = new CfnOutput(this, "EscalationsQueueUrl", new CfnOutputProps
        {
            Description = "Queue that receives escalations (AWS:Resources:escalations:QueueUrl).",
            Value = Escalations.QueueUrl,
        });
        foreach (var (name, role) in new[] { ("IngestionRoleArn", IngestionRole), ("ApiRoleArn", ApiRole), ("AgentsRoleArn", AgentsRole) })
        {
            // For the deployment that creates the ECS task definitions (taskRoleArn); the services themselves never read it.
            _ = new CfnOutput(this, name, new CfnOutputProps { Description = $"Task role of {role.Node.Id}.", Value = role.RoleArn });
        }
    }

    private Role ServiceRole(string id, string description, ManagedPolicy policy) =>
        new(this, id, new RoleProps
        {
            Description = description,
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Account },
                },
            }),
            ManagedPolicies = [policy],
        });

    /// <summary>Archive of every ticket as its source sent it.</summary>
    public Bucket RawTickets { get; }

    /// <summary>Overdue tickets, for whoever is on call.</summary>
    public Queue Escalations { get; }

    /// <summary>Escalations that could not be processed after <see cref="EscalationMaxReceiveCount"/> receives.</summary>
    public Queue EscalationsDeadLetters { get; }

    public Alarm EscalationsDeadLettersAlarm { get; }

    /// <summary>Attach to the ingestion service's role.</summary>
    public ManagedPolicy IngestionPolicy { get; }

    /// <summary>
    /// Attach to the role of every service that sends escalations: the api (its escalation check) and the agents.
    /// </summary>
    public ManagedPolicy AgentsPolicy { get; }

    /// <summary>Task role of the ingestion service (<see cref="IngestionPolicy"/>).</summary>
    public Role IngestionRole { get; }

    /// <summary>Task role of the api, which runs the escalation check (<see cref="AgentsPolicy"/>).</summary>
    public Role ApiRole { get; }

    /// <summary>Task role of the agents service (<see cref="AgentsPolicy"/>).</summary>
    public Role AgentsRole { get; }
}
