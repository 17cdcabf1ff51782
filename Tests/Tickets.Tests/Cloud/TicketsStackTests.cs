using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using AspireTickets.Cloud;

namespace AspireTickets.Tests.Cloud;

public sealed class TicketsStackTests(TicketsStackFixture stack) : IClassFixture<TicketsStackFixture>
{
    private static JsonNode Node(string json) => JsonNode.Parse(json)!;

    private static void AssertJson(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\n  actual {actual?.ToJsonString()}");

    private JsonNode GetAtt(Constructs.Construct construct, string attribute) =>
        new JsonObject { ["Fn::GetAtt"] = new JsonArray(stack.LogicalId(construct), attribute) };

    private JsonNode Ref(Constructs.Construct construct) => new JsonObject { ["Ref"] = stack.LogicalId(construct) };

    [Fact]
    public void Creates_one_bucket_two_queues_one_alarm_two_policies_and_three_roles()
    {
        stack.Template.ResourceCountIs("AWS::S3::Bucket", 1);
        stack.Template.ResourceCountIs("AWS::SQS::Queue", 2);
        stack.Template.ResourceCountIs("AWS::CloudWatch::Alarm", 1);
        stack.Template.ResourceCountIs("AWS::IAM::ManagedPolicy", 2);
        stack.Template.ResourceCountIs("AWS::IAM::Role", 3);
        // Permissions come only from the managed policies: no inline policy grants anything on the side.
        stack.Template.ResourceCountIs("AWS::IAM::Policy", 0);
    }

    [Fact]
    public void Raw_tickets_bucket_is_versioned_encrypted_and_private()
    {
        var (_, bucket) = Assert.Single(stack.Resources("AWS::S3::Bucket"));

        AssertJson(Node("""{ "Status": "Enabled" }"""), bucket["VersioningConfiguration"]);
        AssertJson(
            Node("""{ "ServerSideEncryptionConfiguration": [ { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } } ] }"""),
            bucket["BucketEncryption"]);
        AssertJson(
            Node("""{ "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true }"""),
            bucket["PublicAccessBlockConfiguration"]);
    }

    [Fact]
    public void Raw_tickets_bucket_survives_stack_deletion()
    {
        var bucket = stack.Json["Resources"]![stack.LogicalId(stack.Stack.RawTickets)]!;
        Assert.Equal("Retain", (string?)bucket["DeletionPolicy"]);
        Assert.Equal("Retain", (string?)bucket["UpdateReplacePolicy"]);
    }

    [Fact]
    public void Raw_tickets_move_to_infrequent_access_after_30_days_and_glacier_after_90()
    {
        var (_, bucket) = Assert.Single(stack.Resources("AWS::S3::Bucket"));
        var rule = Assert.Single(bucket["LifecycleConfiguration"]!["Rules"]!.AsArray())!;

        Assert.Equal("Enabled", (string?)rule["Status"]);
        AssertJson(
            Node("""
                [
                  { "StorageClass": "STANDARD_IA", "TransitionInDays": 30 },
                  { "StorageClass": "GLACIER", "TransitionInDays": 90 }
                ]
                """),
            rule["Transitions"]);
    }

    [Fact]
    public void Raw_tickets_bucket_refuses_requests_without_tls()
    {
        var (_, policy) = Assert.Single(stack.Resources("AWS::S3::BucketPolicy"));
        Assert.True(JsonNode.DeepEquals(Ref(stack.Stack.RawTickets), policy["Bucket"]));

        var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("Deny", (string?)statement["Effect"]);
        Assert.Equal("s3:*", (string?)statement["Action"]);
        AssertJson(Node("""{ "AWS": "*" }"""), statement["Principal"]);
        AssertJson(Node("""{ "Bool": { "aws:SecureTransport": "false" } }"""), statement["Condition"]);
        AssertJson(
            new JsonArray(
                GetAtt(stack.Stack.RawTickets, "Arn"),
                new JsonObject { ["Fn::Join"] = new JsonArray("", new JsonArray(GetAtt(stack.Stack.RawTickets, "Arn"), "/*")) }),
            statement["Resource"]);
    }

    [Fact]
    public void Both_queues_are_encrypted_and_refuse_requests_without_tls()
    {
        var queues = stack.Resources("AWS::SQS::Queue");
        Assert.Equal(2, queues.Count);
        Assert.All(queues, q => Assert.True((bool?)q.Properties["SqsManagedSseEnabled"], $"{q.LogicalId} is not encrypted"));

        var policies = stack.Resources("AWS::SQS::QueuePolicy");
        foreach (var queue in new[] { stack.Stack.Escalations, stack.Stack.EscalationsDeadLetters })
        {
            var policy = Assert.Single(policies, p => p.Properties["Queues"]!.AsArray().Any(q => JsonNode.DeepEquals(q, Ref(queue)))).Properties;
            var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;
            Assert.Equal("Deny", (string?)statement["Effect"]);
            Assert.Equal("sqs:*", (string?)statement["Action"]);
            AssertJson(Node("""{ "Bool": { "aws:SecureTransport": "false" } }"""), statement["Condition"]);
        }
    }

    [Fact]
    public void Escalations_go_to_the_dead_letter_queue_after_five_receives()
    {
        var escalations = stack.Json["Resources"]![stack.LogicalId(stack.Stack.Escalations)]!["Properties"]!;

        AssertJson(
            new JsonObject
            {
                ["deadLetterTargetArn"] = GetAtt(stack.Stack.EscalationsDeadLetters, "Arn"),
                ["maxReceiveCount"] = 5,
            },
            escalations["RedrivePolicy"]);
        Assert.Null(stack.Json["Resources"]![stack.LogicalId(stack.Stack.EscalationsDeadLetters)]!["Properties"]!["RedrivePolicy"]);
    }

    [Fact]
    public void Alarm_fires_on_the_first_message_in_the_dead_letter_queue()
    {
        var (_, alarm) = Assert.Single(stack.Resources("AWS::CloudWatch::Alarm"));

        Assert.Equal("AWS/SQS", (string?)alarm["Namespace"]);
        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)alarm["MetricName"]);
        AssertJson(
            new JsonArray(new JsonObject { ["Name"] = "QueueName", ["Value"] = GetAtt(stack.Stack.EscalationsDeadLetters, "QueueName") }),
            alarm["Dimensions"]);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(0, (double)alarm["Threshold"]!);
        Assert.Equal(1, (int)alarm["EvaluationPeriods"]!);
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
    }

    [Fact]
    public void Ingestion_may_only_put_objects_into_the_raw_tickets_bucket()
    {
        var policy = stack.Json["Resources"]![stack.LogicalId(stack.Stack.IngestionPolicy)]!["Properties"]!;
        var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;

        Assert.Equal("Allow", (string?)statement["Effect"]);
        Assert.Equal("s3:PutObject", (string?)statement["Action"]);
        AssertJson(
            new JsonObject { ["Fn::Join"] = new JsonArray("", new JsonArray(GetAtt(stack.Stack.RawTickets, "Arn"), "/*")) },
            statement["Resource"]);
    }

    [Fact]
    public void Agents_may_only_send_messages_to_the_escalation_queue()
    {
        var policy = stack.Json["Resources"]![stack.LogicalId(stack.Stack.AgentsPolicy)]!["Properties"]!;
        var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;

        Assert.Equal("Allow", (string?)statement["Effect"]);
        Assert.Equal("sqs:SendMessage", (string?)statement["Action"]);
        AssertJson(GetAtt(stack.Stack.Escalations, "Arn"), statement["Resource"]);
    }

    [Fact]
    public void No_policy_grants_a_wildcard_action_or_resource()
    {
        stack.Template.AllResourcesProperties("AWS::IAM::ManagedPolicy", new Dictionary<string, object>
        {
            ["PolicyDocument"] = new Dictionary<string, object>
            {
                ["Statement"] = Match.Not(Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Action"] = "*" })])),
            },
        });
        // The one wildcard any policy needs: the objects under the raw-tickets bucket (keys are not known up front).
        var bucketObjects = new JsonObject { ["Fn::Join"] = new JsonArray("", new JsonArray(GetAtt(stack.Stack.RawTickets, "Arn"), "/*")) };
        var policies = stack.Resources("AWS::IAM::ManagedPolicy");
        Assert.NotEmpty(policies);
        foreach (var (id, policy) in policies)
        {
            foreach (var statement in policy["PolicyDocument"]!["Statement"]!.AsArray())
            {
                Assert.Equal("Allow", (string?)statement!["Effect"]);
                Assert.Null(statement["NotAction"]);
                Assert.Null(statement["NotResource"]);
                foreach (var action in AsList(statement["Action"]))
                {
                    Assert.DoesNotContain("*", (string?)action ?? "", StringComparison.Ordinal);
                }
                foreach (var resource in AsList(statement["Resource"]))
                {
                    // Either one named resource (an Arn attribute) or the bucket's objects; never a string pattern.
                    var named = resource is JsonObject o && o.ContainsKey("Fn::GetAtt") && (string?)o["Fn::GetAtt"]![1] == "Arn";
                    Assert.True(named || JsonNode.DeepEquals(resource, bucketObjects), $"{id} grants on {resource?.ToJsonString()}");
                }
            }
        }
    }

    private static IEnumerable<JsonNode?> AsList(JsonNode? node) => node is JsonArray array ? array : new[] { node };

    public static TheoryData<string, string> ServiceRoles => new()
    {
        { nameof(TicketsStack.IngestionRole), nameof(TicketsStack.IngestionPolicy) },
        { nameof(TicketsStack.ApiRole), nameof(TicketsStack.AgentsPolicy) },
        { nameof(TicketsStack.AgentsRole), nameof(TicketsStack.AgentsPolicy) },
    };

    [Theory]
    [MemberData(nameof(ServiceRoles))]
    public void Each_service_role_is_assumable_only_by_ecs_tasks_of_this_account_and_has_only_its_policy(string roleName, string policyName)
    {
        var role = (Amazon.CDK.AWS.IAM.Role)typeof(TicketsStack).GetProperty(roleName)!.GetValue(stack.Stack)!;
        var policy = (Constructs.Construct)typeof(TicketsStack).GetProperty(policyName)!.GetValue(stack.Stack)!;
        var properties = stack.Json["Resources"]![stack.LogicalId(role)]!["Properties"]!;

        AssertJson(
            Node("""
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Action": "sts:AssumeRole",
                      "Effect": "Allow",
                      "Principal": { "Service": "ecs-tasks.amazonaws.com" },
                      "Condition": { "StringEquals": { "aws:SourceAccount": "123456789012" } }
                    }
                  ]
                }
                """),
            properties["AssumeRolePolicyDocument"]);
        AssertJson(new JsonArray(Ref(policy)), properties["ManagedPolicyArns"]);
        Assert.Null(properties["Policies"]);
    }

    [Fact]
    public void Every_managed_policy_is_attached_to_a_role()
    {
        var attached = stack.Resources("AWS::IAM::Role")
            .SelectMany(r => r.Properties["ManagedPolicyArns"]!.AsArray().Select(a => (string?)a!["Ref"]))
            .ToHashSet();
        Assert.All(stack.Resources("AWS::IAM::ManagedPolicy"), p => Assert.Contains(p.LogicalId, attached));
    }

    [Fact]
    public void Outputs_give_the_role_arns()
    {
        var outputs = stack.Json["Outputs"]!.AsObject();

        AssertJson(GetAtt(stack.Stack.IngestionRole, "Arn"), outputs["IngestionRoleArn"]!["Value"]);
        AssertJson(GetAtt(stack.Stack.ApiRole, "Arn"), outputs["ApiRoleArn"]!["Value"]);
        AssertJson(GetAtt(stack.Stack.AgentsRole, "Arn"), outputs["AgentsRoleArn"]!["Value"]);
    }

    [Fact]
    public void Outputs_give_the_bucket_name_and_the_queue_url()
    {
        var outputs = stack.Json["Outputs"]!.AsObject();

        AssertJson(Ref(stack.Stack.RawTickets), outputs["RawTicketsBucketName"]!["Value"]);
        // An SQS queue's Ref is its URL.
        AssertJson(Ref(stack.Stack.Escalations), outputs["EscalationsQueueUrl"]!["Value"]);
    }
}
