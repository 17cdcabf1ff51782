namespace AspireTickets.Agents.Intelligence.Text;

/// <summary>The sentence encoders the product ships (configuration <c>Agents:Triage:Encoder</c>, <c>eval triage --encoder</c>).</summary>
public enum TextEncoderKind
{
    /// <summary>No encoder: n-gram features only (the fastest triage).</summary>
    None,

    /// <summary><see cref="MiniLmTextEncoder"/>: the most accurate triage, at the cost of a transformer pass per text.</summary>
    MiniLM,
}

public static class TextEncoders
{
    public static ITextEncoder? Create(TextEncoderKind kind) => kind switch
    {
        TextEncoderKind.None => null,
        TextEncoderKind.MiniLM => new MiniLmTextEncoder(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown text encoder."),
    };
}
