using System.CommandLine;
using Conductor.Host.Cli;

namespace Conductor.Host.Tests.Cli;

/// <summary>Runs the conductor binary's command line in this process and captures what it prints.</summary>
/// <remarks>It swaps <see cref="Console.Out"/>: test classes that use it must not run in parallel.</remarks>
internal static class CommandLineRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        TextWriter output = Console.Out;
        TextWriter error = Console.Error;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        Console.SetError(captured);
        try
        {
            int exitCode = await ConductorCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
            return (exitCode, captured.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }
}
