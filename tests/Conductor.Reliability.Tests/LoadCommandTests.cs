using System.CommandLine;
using Conductor.LoadGenerator;

namespace Conductor.Reliability.Tests;

/// <summary>The load generator's command line: bad values are refused when parsed, before any conductor starts.</summary>
[TestClass]
public sealed class LoadCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("--interval-seconds", "0.0005", "--interval-seconds must be at least 0.001")]
    [DataRow("--interval-seconds", "0", "--interval-seconds must be at least 0.001")]
    [DataRow("--interval-seconds", "NaN", "--interval-seconds must be at least 0.001")]
    [DataRow("--hosts", "0", "--hosts must be at least 1")]
    [DataRow("--instances-per-host", "-3", "--instances-per-host must be at least 1")]
    [DataRow("--duration-seconds", "0", "--duration-seconds must be more than 0")]
    [DataRow("--settle-seconds", "-1", "--settle-seconds must be 0 or more")]
    public async Task Parse_ValueOutOfRange_IsRefusedWithTheOptionNamedAndNothingRuns(string option, string value, string expected)
    {
        bool ran = false;
        RootCommand command = LoadCommand.Create((_, _) =>
        {
            ran = true;
            return Task.FromResult(0);
        });

        ParseResult parsed = command.Parse([option, value]);
        int exitCode = await parsed.InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, TestContext.CancellationToken);

        Assert.HasCount(1, parsed.Errors);
        StringAssert.StartsWith(parsed.Errors[0].Message, expected);
        Assert.AreNotEqual(0, exitCode);
        Assert.IsFalse(ran, "The load must not start with a refused option.");
    }

    [TestMethod]
    [DataRow(new[] { "--endpoint", "tcp://127.0.0.1:5000" }, "--endpoint needs --conductor-pid")]
    [DataRow(new[] { "--endpoint", "tcp://127.0.0.1:5000", "--conductor-pid", "42" }, "--endpoint needs --conductor-pid")]
    [DataRow(new[] { "--conductor-pid", "42" }, "--conductor-pid and --admin-credentials describe a running conductor")]
    [DataRow(new[] { "--admin-credentials", "admin.credential" }, "--conductor-pid and --admin-credentials describe a running conductor")]
    public void Parse_RunningConductorOptionsIncomplete_IsRefusedSayingWhatToAdd(string[] args, string expected)
    {
        ParseResult parsed = LoadCommand.Create((_, _) => Task.FromResult(0)).Parse(args);

        Assert.HasCount(1, parsed.Errors);
        StringAssert.StartsWith(parsed.Errors[0].Message, expected);
    }

    [TestMethod]
    public async Task Invoke_NoOptions_RunsTheIssuesFleetOfAThousandHostsEveryTenSeconds()
    {
        (int exitCode, LoadOptions? given) = await InvokeAsync([]);

        Assert.AreEqual(0, exitCode);
        Assert.IsNotNull(given);
        Assert.AreEqual(1000, given.Hosts);
        Assert.AreEqual(1, given.InstancesPerHost);
        Assert.AreEqual(TimeSpan.FromSeconds(10), given.Interval);
        Assert.AreEqual(TimeSpan.FromSeconds(60), given.Duration);
        Assert.IsNull(given.Endpoint);
        Assert.IsFalse(given.WithFloor, "The floor doubles the run's time, so it is measured only when asked for.");
    }

    [TestMethod]
    public async Task Invoke_RunningConductorWithEverythingItNeeds_PassesTheValuesThrough()
    {
        string[] args =
        [
            "--hosts", "20", "--instances-per-host", "3", "--interval-seconds", "0.001", "--duration-seconds", "2.5", "--settle-seconds", "0",
            "--endpoint", "tcp://127.0.0.1:5000", "--conductor-pid", "42", "--admin-credentials", "admin.credential", "--out", "report.md", "--with-floor",
        ];

        (int exitCode, LoadOptions? given) = await InvokeAsync(args);

        Assert.AreEqual(0, exitCode);
        Assert.AreEqual(
            new LoadOptions(20, 3, LoadCommand.ShortestInterval, TimeSpan.FromSeconds(2.5), TimeSpan.Zero, "tcp://127.0.0.1:5000", 42, "admin.credential", "report.md", WithFloor: true),
            given);
    }

    /// <summary>Parses and invokes the command with a stand-in for the load run, and returns what the run was given.</summary>
    private async Task<(int ExitCode, LoadOptions? Given)> InvokeAsync(string[] args)
    {
        LoadOptions? given = null;
        RootCommand command = LoadCommand.Create((options, _) =>
        {
            given = options;
            return Task.FromResult(0);
        });
        int exitCode = await command.Parse(args).InvokeAsync(cancellationToken: TestContext.CancellationToken);
        return (exitCode, given);
    }
}
