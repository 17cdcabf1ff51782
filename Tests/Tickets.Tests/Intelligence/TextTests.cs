using AspireTickets.Agents.Evaluation;
using AspireTickets.Agents.Intelligence.Text;

namespace AspireTickets.Tests.Intelligence;

public class TextTests
{
    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("cats", "cat")]
    [InlineData("agreed", "agre")]
    [InlineData("plastered", "plaster")]
    [InlineData("motoring", "motor")]
    [InlineData("hopping", "hop")]
    [InlineData("filing", "file")]
    [InlineData("happy", "happi")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("generalization", "gener")]
    [InlineData("crashes", "crash")]
    [InlineData("crashing", "crash")]
    [InlineData("adjustment", "adjust")]
    [InlineData("controlling", "control")]
    [InlineData("v2", "v2")]
    public void Porter_stemmer_matches_the_published_examples(string word, string stem)
    {
        Assert.Equal(stem, PorterStemmer.Stem(word));
    }

    [Fact]
    public void Tokenizer_lowercases_alphanumeric_runs()
    {
        Assert.Equal(["crash", "in", "nsifoo", "v2", "0", "café"], Tokenizer.Tokenize("Crash in nsIFoo (v2.0) café!"));
    }

    [Fact]
    public void Csv_reader_handles_multi_line_quoted_fields()
    {
        const string csv = "repo,created_at,label,title,body\r\n" +
            "a/b,2024-01-01,bug,\"Title, with comma\",\"line one\nline \"\"two\"\"\n\n```\ncode, more\n```\"\n" +
            "a/b,2024-01-02,question,Plain,\n";

        var rows = EvaluationCsv.Read(new StringReader(csv), "test.csv", "repo", "label", "title", "body");

        Assert.Equal(2, rows.Count);
        Assert.Equal("Title, with comma", rows[0]["title"]);
        Assert.Equal("line one\nline \"two\"\n\n```\ncode, more\n```", rows[0]["body"]);
        Assert.Equal("question", rows[1]["label"]);
        Assert.Equal("", rows[1]["body"]);
    }

    [Fact]
    public void Csv_reader_names_missing_columns()
    {
        var error = Assert.Throws<EvaluationInputException>(() =>
            EvaluationCsv.Read(new StringReader("repo,title\nx,y\n"), "bad.csv", "repo", "label", "title", "body"));

        Assert.Contains("label", error.Message, StringComparison.Ordinal);
        Assert.Contains("body", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad.csv", error.Message, StringComparison.Ordinal);
    }
}
