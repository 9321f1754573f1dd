namespace Conductor.Abstractions;

/// <summary>
/// Marks an interface as a conductor API: a versioned set of members that the conductor serves and that compute
/// hosts call through a generated proxy.
/// </summary>
/// <remarks>
/// <para>
/// The <see cref="Name"/> namespaces the members on the wire (<c>instances.Get</c>), so two APIs never collide.
/// A minor version bump is backward compatible (members or fields added); a major bump is not.
/// </para>
/// <para>
/// Members must return <see cref="Task"/>, <see cref="Task{TResult}"/> or <see cref="IAsyncEnumerable{T}"/> and take a
/// <see cref="CancellationToken"/> as their last parameter. Properties, events and generic methods are not allowed.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class ConductorApiAttribute : Attribute
{
    private int? _nextReleaseMinimumMinor;

    /// <summary>Initializes a new instance of the <see cref="ConductorApiAttribute"/> class.</summary>
    /// <param name="name">The API name used as the wire prefix: lower case letters, digits, '-' and '.', starting with a letter.</param>
    /// <param name="major">The major version: incompatible changes bump it.</param>
    /// <param name="minor">The minor version: compatible additions bump it.</param>
    /// <exception cref="ArgumentException">The name is not a valid API name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A version number is negative, or the major version is zero.</exception>
    public ConductorApiAttribute(string name, int major, int minor)
    {
        if (!ApiNames.IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid conductor API name. Use lower case letters, digits, '-' and '.', starting with a letter (for example \"instances\").",
                nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(major, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        Name = name;
        Version = new ApiVersion(major, minor);
    }

    /// <summary>Gets the API name, the prefix of every member's method name on the wire.</summary>
    public string Name { get; }

    /// <summary>Gets the version this build of the contract implements.</summary>
    public ApiVersion Version { get; }

    /// <summary>Gets or sets which kind of caller the API is for. Defaults to <see cref="ConductorRole.Compute"/>.</summary>
    public ConductorRole Audience { get; set; } = ConductorRole.Compute;

    /// <summary>
    /// Gets or sets the oldest minor version of this major that this build still talks to. The conductor refuses
    /// clients older than it ("upgrade the compute host"); the proxy refuses conductors older than it ("upgrade the
    /// conductor first"). Defaults to 0: every minor of the major.
    /// </summary>
    public int MinimumMinor { get; set; }

    /// <summary>
    /// Gets or sets the oldest minor version the next release will still talk to, announced one release ahead so that
    /// operators can upgrade the peers that would be refused (<c>conductor upgrade check</c> lists them). Defaults to
    /// <see cref="MinimumMinor"/>.
    /// </summary>
    public int NextReleaseMinimumMinor
    {
        get => _nextReleaseMinimumMinor ?? MinimumMinor;
        set => _nextReleaseMinimumMinor = value;
    }
}
