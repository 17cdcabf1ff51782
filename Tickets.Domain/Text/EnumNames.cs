namespace AspireTickets.Domain.Text;

/// <summary>
/// Reading an enum from text the way every input of the product does: by one of its names, in any case, and nothing
/// else. <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> alone also takes numbers ("-1", "7"), undefined
/// ones included, and comma lists ("High,Low"), which then reach code that assumes a named value.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (!string.IsNullOrWhiteSpace(text) && !text.Contains(',') && !char.IsDigit(text.TrimStart()[0]) && text.TrimStart()[0] is not ('-' or '+')
            && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value))
        {
            return true;
        }
        value = default;
        return false;
    }
}
