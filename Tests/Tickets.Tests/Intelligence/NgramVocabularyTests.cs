using AspireTickets.Agents.Intelligence.Triage;

namespace AspireTickets.Tests.Intelligence;

public class NgramVocabularyTests
{
    private static readonly NgramSpec WordsOnly = new() { WordNgrams = 1, CharNgramMax = 0 };

    [Fact]
    public void Term_frequency_is_sublinear_and_weighted_by_smoothed_idf()
    {
        var vocabulary = NgramVocabulary.Fit(["crash crash crash app", "app start"], WordsOnly);

        var sublinear = Featurize(vocabulary, "crash crash crash app");
        var linear = Featurize(NgramVocabulary.Fit(["crash crash crash app", "app start"], WordsOnly with { SublinearTf = false }), "crash crash crash app");

        // idf(crash) = ln(3/2) + 1, idf(app) = ln(3/3) + 1 = 1.
        Assert.Equal(3, vocabulary.Count);
        Assert.Equal(2, sublinear.Count);
        Assert.Equal((1 + Math.Log(3)) * (1 + Math.Log(1.5)), sublinear.Max() / sublinear.Min(), 4);
        Assert.Equal(3 * (1 + Math.Log(1.5)), linear.Max() / linear.Min(), 4);
        Assert.Equal(1, Math.Sqrt(sublinear.Sum(v => v * v)), 5);
    }

    [Fact]
    public void Character_ngrams_stay_inside_words()
    {
        var vocabulary = NgramVocabulary.Fit(["ab cd"], new NgramSpec { WordNgrams = 0, CharNgramMin = 3, CharNgramMax = 3 });

        // " ab", "ab ", " cd", "cd ": nothing spans the gap ("b c").
        Assert.Equal(4, vocabulary.Count);
        Assert.Equal(2, Featurize(vocabulary, "xab cdx").Count);
        Assert.Empty(Featurize(vocabulary, "b c"));
    }

    [Fact]
    public void Rare_ngrams_and_unseen_text_give_no_features()
    {
        var vocabulary = NgramVocabulary.Fit(["alpha beta", "alpha gamma"], WordsOnly with { MinDocumentFrequency = 2 });

        Assert.Equal(1, vocabulary.Count);
        Assert.Empty(Featurize(vocabulary, "beta gamma delta"));
    }

    [Fact]
    public void Saved_vocabulary_loads_and_featurizes_the_same()
    {
        string[] texts = ["the app crashes on start", "please add dark mode", "how do I export data"];
        var vocabulary = NgramVocabulary.Fit(texts, new NgramSpec());
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            vocabulary.Save(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var loaded = NgramVocabulary.Load(reader);

        Assert.Equal(vocabulary.Spec, loaded.Spec);
        Assert.Equal(vocabulary.Count, loaded.Count);
        var before = new List<KeyValuePair<int, float>>();
        var after = new List<KeyValuePair<int, float>>();
        vocabulary.Featurize("the app crashes when I export", 10, 2, before);
        loaded.Featurize("the app crashes when I export", 10, 2, after);
        Assert.NotEmpty(before);
        Assert.Equal(before, after);
        Assert.All(before, f => Assert.InRange(f.Key, 10, 10 + vocabulary.Count - 1));
    }

    private static List<double> Featurize(NgramVocabulary vocabulary, string text)
    {
        var features = new List<KeyValuePair<int, float>>();
        vocabulary.Featurize(text, 0, 1, features);
        return [.. features.Select(f => (double)f.Value)];
    }
}
