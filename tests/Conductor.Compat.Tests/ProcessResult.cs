using System.Text.Json;

namespace Conductor.Compat.Tests;

/// <summary>How a short-lived process ended.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Everything it wrote to stdout.</param>
/// <param name="Error">Everything it wrote to stderr.</param>
internal sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    /// <summary>Reads stdout as one JSON value, failing the test with both streams when the process failed.</summary>
    public JsonElement Json()
    {
        Assert.AreEqual(0, ExitCode, $"The process failed.\nstdout: {Output}\nstderr: {Error}");
        return JsonDocument.Parse(Output).RootElement.Clone();
    }

    /// <summary>Reads stderr as the client's JSON error, failing the test when the process succeeded.</summary>
    public JsonElement ErrorJson()
    {
        Assert.AreNotEqual(0, ExitCode, $"The process was expected to fail.\nstdout: {Output}");
        return JsonDocument.Parse(Error.Trim()).RootElement.Clone();
    }
}
