using System.CommandLine;
using Conductor.Demo;

// Ctrl+C or SIGTERM cancels the demo, which then kills its child processes and deletes its data directory; the
// command line waits that long for it before it gives up.
return await DemoCommand.Create()
    .Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45) })
    .ConfigureAwait(false);
