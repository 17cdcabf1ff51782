namespace AspireTickets.Agents.Intelligence.Text;

/// <summary>
/// A pretrained sentence encoder: text to a fixed-length vector that carries what the encoder learned about language
/// from far more text than any help desk's history holds, so that "app dies on launch" and "crashes at startup" land
/// close together although no ticket used both phrasings. Triage adds these vectors to its n-gram features
/// (<see cref="Triage.TextClassifier"/>).
/// </summary>
public interface ITextEncoder
{
    /// <summary>Names the weights: a model trained on one encoder's vectors is only valid with the same encoder.</summary>
    string Name { get; }

    int Dimension { get; }

    /// <summary>One unit-length vector per text, in the order of <paramref name="texts"/>.</summary>
    float[][] Encode(IReadOnlyList<string> texts, CancellationToken ct = default);
}
