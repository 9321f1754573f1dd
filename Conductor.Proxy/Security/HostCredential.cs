using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;

namespace Conductor.Proxy.Security;

/// <summary>
/// An identity's credential: its name, its role and a 256-bit random secret. Its text form,
/// <c>cnd1:&lt;role&gt;:&lt;name&gt;:&lt;secret&gt;</c>, is what <c>conductor hosts add</c> prints or writes once and what a compute
/// host reads from <c>Conductor:CredentialsFile</c>. The conductor never sees the secret, only the verifier
/// (<see cref="CreateVerifier"/>).
/// </summary>
public sealed class HostCredential
{
    /// <summary>The prefix (and version) of the text form.</summary>
    public const string Prefix = "cnd1";

    /// <summary>The longest identity name.</summary>
    public const int MaxNameLength = 253;

    private const int SecretLength = 32;
    private readonly byte[] _secret;

    private HostCredential(string name, ConductorRole role, byte[] secret)
    {
        Name = name;
        Role = role;
        _secret = secret;
    }

    /// <summary>Gets the identity: a compute host's name, or an admin's name.</summary>
    public string Name { get; }

    /// <summary>Gets the role the identity connects as.</summary>
    public ConductorRole Role { get; }

    /// <summary>Gets the secret.</summary>
    internal ReadOnlySpan<byte> Secret => _secret;

    /// <summary>Returns whether a name can be an identity: 1 to 253 ASCII letters, digits, '.', '-' and '_'.</summary>
    /// <param name="name">The candidate.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidName([NotNullWhen(true)] string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Generates a new credential with a fresh random secret.</summary>
    /// <param name="name">The identity.</param>
    /// <param name="role">The role.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static HostCredential Generate(string name, ConductorRole role)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid identity name. Use 1 to {MaxNameLength} ASCII letters, digits, '.', '-' and '_'.", nameof(name));
        }

        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "The role must be Compute or Admin.");
        }

        return new HostCredential(name, role, RandomNumberGenerator.GetBytes(SecretLength));
    }

    /// <summary>Reads a credential from its text form.</summary>
    /// <param name="text">The text, surrounding white space allowed.</param>
    /// <param name="credential">The credential.</param>
    /// <returns>Whether the text was a credential.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HostCredential? credential)
    {
        credential = null;
        string[] parts = (text ?? string.Empty).Trim().Split(':');
        if (parts.Length != 4 || parts[0] != Prefix || !IsValidName(parts[2]))
        {
            return false;
        }

        ConductorRole? role = parts[1] switch { "compute" => ConductorRole.Compute, "admin" => ConductorRole.Admin, _ => null };
        byte[] secret;
        try
        {
            secret = Base64Url.DecodeFromChars(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (role is null || secret.Length != SecretLength)
        {
            return false;
        }

        credential = new HostCredential(parts[2], role.Value, secret);
        return true;
    }

    /// <summary>Reads a credential from its text form.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="FormatException">The text is not a credential.</exception>
    public static HostCredential Parse(string text) =>
        TryParse(text, out HostCredential? credential)
            ? credential
            : throw new FormatException($"This is not a conductor credential. A credential reads {Prefix}:<role>:<name>:<secret>, as 'conductor hosts add' writes it.");

    /// <summary>Reads a credential file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="InvalidOperationException">The file cannot be read or does not hold a credential; the message names the file and the fix.</exception>
    public static HostCredential ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The credential file '{path}' cannot be read ({ex.Message.TrimEnd('.')}). Check the path and that this user may read it.", ex);
        }

        return TryParse(text, out HostCredential? credential)
            ? credential
            : throw new InvalidOperationException($"The file '{path}' does not hold a conductor credential. Write the text that 'conductor hosts add' printed ({Prefix}:<role>:<name>:<secret>) into it, or issue a new one.");
    }

    /// <summary>Returns the text form, which holds the secret: write it only where the identity's owner alone can read it.</summary>
    /// <returns>The text.</returns>
    public string Export() => $"{Prefix}:{(Role == ConductorRole.Admin ? "admin" : "compute")}:{Name}:{Base64Url.EncodeToString(_secret)}";

    /// <summary>
    /// Writes the text form to a new file that only the current user can read and write (mode 0600 on Unix).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="overwrite">Whether to replace an existing file.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public void WriteFile(string path, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Write then rename, so a reader never sees half a credential and the file is never briefly readable by others.
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(Export());
        }

        try
        {
            if (overwrite)
            {
                File.Move(temporary, full, overwrite: true);
            }
            else
            {
                // File.Move without overwrite still races; a hard link would not. The window only matters to two
                // operators issuing into the same path at once, and the loser gets a clear error.
                if (File.Exists(full))
                {
                    throw new IOException($"The file '{full}' already exists. Choose another path, or delete it first if you mean to replace that credential.");
                }

                File.Move(temporary, full, overwrite: false);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Derives the verifier the conductor stores for this credential, with a fresh salt.</summary>
    /// <param name="iterations">The PBKDF2 iteration count.</param>
    /// <param name="replace">Whether the conductor should replace an existing credential of the identity.</param>
    /// <returns>The verifier.</returns>
    public CredentialVerifier CreateVerifier(int iterations = ScramSha256.DefaultIterations, bool replace = false)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(ScramSha256.SaltLength);
        ScramKeys keys = ScramSha256.DeriveKeys(_secret, salt, iterations);
        return new CredentialVerifier
        {
            Name = Name,
            Role = Role,
            Salt = Convert.ToBase64String(salt),
            Iterations = iterations,
            StoredKey = Convert.ToBase64String(keys.StoredKey),
            ServerKey = Convert.ToBase64String(keys.ServerKey),
            Replace = replace,
        };
    }

    /// <summary>Describes the credential without its secret.</summary>
    /// <returns>The identity and role.</returns>
    public override string ToString() => $"{Name} ({(Role == ConductorRole.Admin ? "admin" : "compute")})";
}
