namespace Conductor.LoadGenerator;

/// <summary>The load generator's entry point.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args) =>
        await LoadCommand.Create(LoadRun.RunAsync).Parse(args).InvokeAsync().ConfigureAwait(false);
}
