using Conductor.Abstractions;
using Conductor.Abstractions.Wire;

namespace Conductor.Host.Rpc;

/// <summary>Checks a handshake's fields before anything is done with them.</summary>
internal static class HandshakeRules
{
    public const int MaxHostNameLength = 253;
    public const int MaxClientNameLength = 200;
    public const int MaxApis = 64;

    public static void Validate(HandshakeRequest? request)
    {
        if (request is null)
        {
            throw new InvalidRequestException("The handshake has no request object. Send one object with clientName, role, hostName and apis.");
        }

        if (!IsValidHostName(request.HostName))
        {
            throw new InvalidRequestException($"The handshake's hostName must be 1 to {MaxHostNameLength} characters of letters, digits, '.', '-' and '_'.");
        }

        if (string.IsNullOrWhiteSpace(request.ClientName) || request.ClientName.Length > MaxClientNameLength)
        {
            throw new InvalidRequestException($"The handshake's clientName must be 1 to {MaxClientNameLength} characters.");
        }

        if (!Enum.IsDefined(request.Role))
        {
            throw new InvalidRequestException("The handshake's role must be \"compute\" or \"admin\".");
        }

        if (request.Apis is null || request.Apis.Count > MaxApis)
        {
            throw new InvalidRequestException($"The handshake's apis must map up to {MaxApis} API names to the \"major.minor\" versions the client speaks.");
        }

        foreach ((string name, string version) in request.Apis)
        {
            if (!ApiNames.IsValid(name) || !ApiVersion.TryParse(version, out _))
            {
                throw new InvalidRequestException($"The handshake names API '{name}' with version '{version}'. API names are lower case and versions are written major.minor, for example \"1.0\".");
            }
        }
    }

    public static bool IsValidHostName(string? hostName)
    {
        if (string.IsNullOrEmpty(hostName) || hostName.Length > MaxHostNameLength)
        {
            return false;
        }

        foreach (char c in hostName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
