using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AspireTickets.Domain.Text;

/// <summary>
/// What text a client may send, in any field of any service: well-formed UTF-16 (no lone surrogates) and no control
/// characters but tab, line feed and carriage return. A NUL or a bell in a ticket is junk that no person typed; it
/// breaks other systems the text later reaches (C strings, terminals, some databases). Required fields additionally need
/// a character a reader can see, so a value made only of whitespace, control or format characters (zero-width spaces,
/// byte-order marks) counts as missing.
/// </summary>
public static class InputText
{
    /// <summary>Why <paramref name="value"/> is not acceptable text, or null when it is.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return $"Contains a lone surrogate (U+{(int)c:X4}) at position {i}; the text is not valid Unicode.";
            }
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return $"Contains the control character U+{(int)c:X4} at position {i}.";
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="value"/> has at least one character a reader can see.</summary>
    public static bool HasVisibleText([NotNullWhen(true)] string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        foreach (var rune in value.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format))
            {
                return true;
            }
        }
        return false;
    }
}
