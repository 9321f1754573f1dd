namespace Conductor.Abstractions;

/// <summary>Rules for API names and the method names derived from them.</summary>
public static class ApiNames
{
    /// <summary>The reserved API name of the connection's own methods (the handshake).</summary>
    public const string ConnectionApi = "conductor";

    /// <summary>Returns whether <paramref name="name"/> is a valid API name.</summary>
    /// <param name="name">The candidate name.</param>
    /// <returns><see langword="true"/> when the name is non-empty, starts with a lower case letter and has only lower case letters, digits, '-' and '.'.</returns>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Builds the wire method name of a contract member: the API name, a dot, and the member name without its <c>Async</c> suffix.</summary>
    /// <param name="apiName">The API name from <see cref="ConductorApiAttribute.Name"/>.</param>
    /// <param name="memberName">The .NET member name, for example <c>GetAsync</c>.</param>
    /// <returns>The method name, for example <c>instances.Get</c>.</returns>
    public static string MethodName(string apiName, string memberName)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiName);
        ArgumentException.ThrowIfNullOrEmpty(memberName);
        const string Suffix = "Async";
        string bare = memberName.EndsWith(Suffix, StringComparison.Ordinal) && memberName.Length > Suffix.Length
            ? memberName[..^Suffix.Length]
            : memberName;
        return apiName + "." + bare;
    }
}
