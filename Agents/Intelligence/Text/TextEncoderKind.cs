namespace AspireTickets.Agents.Intelligence.Text;

/// <summary>The sentence encoders the product ships (configuration <c>Agents:Triage:Encoder</c>, <c>eval triage --encoder</c>).</summary>
public enum TextEncoderKind
{
    /// <summary>No encoder: n-gram features only (the fastest triage, about 1 ms a ticket).</summary>
    None,

    /// <summary><see cref="MiniLmTextEncoder"/>: the most accurate triage, at tens of milliseconds a ticket.</summary>
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
