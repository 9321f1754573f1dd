using System.Globalization;
using Conductor.CrashLoop;

// Usage: Conductor.CrashLoop [--rounds N] [--writers N] [--seed N] [--keep] [--work DIR] [--conductor PATH/Conductor.Host.dll]
var options = new CrashLoopOptions { Log = Console.Out };
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--rounds": options.Rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--writers": options.ComputeWriters = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--seed": options.Seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--work": options.WorkDirectory = Next(); break;
        case "--conductor": options.ConductorPath = Next(); break;
        case "--keep": options.DeleteWorkDirectory = false; break;
        default:
            await Console.Error.WriteLineAsync($"crash-loop: unknown argument '{args[i]}'. Use --rounds N, --writers N, --seed N, --work DIR, --conductor PATH, --keep.");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
CrashLoopResult result = await new CrashLoopRunner(options).RunAsync(stop.Token);
return result.Passed ? 0 : 1;
