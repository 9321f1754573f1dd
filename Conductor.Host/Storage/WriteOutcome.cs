namespace Conductor.Host.Storage;

/// <summary>The result of <see cref="LiteDbConductorDatabase.Write{T}"/>.</summary>
/// <typeparam name="T">The outcome's type.</typeparam>
/// <param name="Value">The outcome to return to the caller.</param>
/// <param name="Replayed">Whether the write had been applied before and this is the original outcome from the ledger.</param>
internal readonly record struct WriteOutcome<T>(T Value, bool Replayed);
