using AspireTickets.Agents.Intelligence.Triage;

namespace AspireTickets.Tests.Intelligence;

public class TriageTextTests
{
    [Fact]
    public void Structure_has_one_named_value_per_feature()
    {
        var values = TriageText.Structure("How do I add an option?", "Is it possible?\n```\ncode\n```");

        Assert.Equal(TriageText.StructureFeatureCount, values.Length);
        Assert.Equal(TriageText.StructureFeatureCount, TriageText.StructureFeatureNames.Count());
    }

    [Fact]
    public void Structure_reads_template_answers_stack_traces_and_questions()
    {
        var names = TriageText.StructureFeatureNames.ToList();
        var bug = TriageText.Structure(
            "Crash in tf.reshape",
            "### Issue type\n\nBug\n\n### Current behavior?\n\nTraceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n");
        var question = TriageText.Structure("How to load a model?", "Is there a way to do this? Thanks in advance");

        Assert.Equal(1, bug[names.IndexOf("template_answer_bug")]);
        Assert.Equal(0, bug[names.IndexOf("template_answer_feature")]);
        Assert.Equal(1, bug[names.IndexOf("body_stack_trace")]);
        Assert.Equal(1, question[names.IndexOf("title_question_mark")]);
        Assert.Equal(1, question[names.IndexOf("title_how")]);
        Assert.Equal(1, question[names.IndexOf("body_asking")]);
        Assert.Equal(1, question[names.IndexOf("body_gratitude")]);
    }

    [Fact]
    public void Normalization_collapses_code_urls_and_versions()
    {
        var body = TriageText.NormalizeBody("See https://github.com/x/y on **v2.13.0**\n```python\nimport tensorflow as tf\nx = 1\n```\nthen 42 rows");

        Assert.Contains("urltoken github com", body, StringComparison.Ordinal);
        Assert.Contains("versiontoken", body, StringComparison.Ordinal);
        Assert.Contains("codeblock python", body, StringComparison.Ordinal);
        Assert.DoesNotContain("import", body, StringComparison.Ordinal);
        Assert.Contains("numtoken rows", body, StringComparison.Ordinal);
        Assert.DoesNotContain("*", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Headings_keep_the_template_skeleton_and_short_answers()
    {
        var headings = TriageText.Headings("**Do you want to request a *feature* or report a *bug*?**\n\nFeature\n\n### Motivation\n\nA long paragraph that is not an answer because it goes on and on and on.");

        Assert.Contains("do you want to request", headings, StringComparison.Ordinal);
        Assert.Contains("ansxfeature", headings, StringComparison.Ordinal);
        Assert.Contains("motivation", headings, StringComparison.Ordinal);
        Assert.DoesNotContain("ansxa", headings, StringComparison.Ordinal);
    }
}
