using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using AspireTickets.Cloud;

namespace AspireTickets.Tests.Cloud;

/// <summary>
/// Synthesizes <see cref="TicketsStack"/> once for the whole test class: synthesis runs the CDK's jsii kernel on
/// Node.js, which takes seconds, while each assertion over the template is cheap.
/// </summary>
public sealed class TicketsStackFixture : IDisposable
{
    private readonly string _outdir = Directory.CreateTempSubdirectory("tickets-cdk-").FullName;

    public TicketsStackFixture()
    {
        // A fixed account/region keeps the template free of tokens that differ between machines.
        var app = new App(new AppProps { Outdir = _outdir });
        Stack = new TicketsStack(app, "AspireTickets", new StackProps
        {
            Env = new Amazon.CDK.Environment { Account = "123456789012", Region = "us-east-1" },
        });
        Template = Template.FromStack(Stack);
        var assembly = app.Synth();
        Json = JsonNode.Parse(File.ReadAllText(assembly.GetStackByName(Stack.StackName).TemplateFullPath))!.AsObject();
    }

    public TicketsStack Stack { get; }

    /// <summary>The CDK's own assertion API over the synthesized template.</summary>
    public Template Template { get; }

    /// <summary>The synthesized CloudFormation template as JSON, for exact structural checks.</summary>
    public JsonObject Json { get; }

    public IReadOnlyList<(string LogicalId, JsonObject Properties)> Resources(string type) =>
        Json["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!["Properties"]?.AsObject() ?? []))
            .ToList();

    public string LogicalId(Constructs.Construct construct) => Stack.GetLogicalId((CfnElement)construct.Node.DefaultChild!);

    public void Dispose()
    {
        try { Directory.Delete(_outdir, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}
