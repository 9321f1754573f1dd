using System.CommandLine;
using Conductor.Host.Cli;

// The host handles SIGTERM and Ctrl+C itself (graceful stop); the command line's own handler would race it.
return await ConductorCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
