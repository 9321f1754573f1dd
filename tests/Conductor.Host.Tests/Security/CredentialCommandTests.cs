using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Tests.Cli;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Tests.Security;

/// <summary>The conductor binary's credential verbs, run in-process against a real conductor, as an operator would.</summary>
[TestClass]
[DoNotParallelize]
public sealed class CredentialCommandTests
{
    [TestMethod]
    public async Task HostsAddListRevoke_ThroughTheRunningConductor_WithTheAdminCredentialFromTheDataDirectory()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync();
        string file = Path.Combine(conductor.DataDirectory, "compute-9.cred");

        (int added, string addOutput) = await CommandLineRunner.RunAsync("hosts", "add", "compute-9", "--data-dir", conductor.DataDirectory, "--out", file);
        HostCredential credential = HostCredential.ReadFile(file);
        await using (RawClient client = await RawClient.AuthenticatedAsync(conductor, credential))
        {
            Assert.AreEqual("compute-9", (await client.CallAsync("services.Register", new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" })).GetProperty("host").GetString());
        }

        (int listed, string list) = await CommandLineRunner.RunAsync("hosts", "list", "--data-dir", conductor.DataDirectory);
        (int revoked, string revokeOutput) = await CommandLineRunner.RunAsync("hosts", "revoke", "compute-9", "--data-dir", conductor.DataDirectory);
        await using RawClient refused = await RawClient.ConnectAsync(conductor);
        await Assert.ThrowsExactlyAsync<StreamJsonRpc.RemoteInvocationException>(() => refused.AuthenticateAsync(credential));

        Assert.AreEqual(0, added, addOutput);
        Assert.AreEqual($"Issued a credential for compute host 'compute-9' and wrote it to {file} (mode 0600). Give that file to the host as Conductor:CredentialsFile.", addOutput.Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.AreEqual(0, listed, list);
        StringAssert.Contains(list, "compute-9  compute");
        StringAssert.Contains(list, "admin      admin");
        Assert.AreEqual(0, revoked, revokeOutput);
        Assert.AreEqual("Revoked the credential of 'compute-9'; closed 0 live connection(s).", revokeOutput.Trim());
    }

    [TestMethod]
    public async Task AdminInit_BeforeTheFirstStart_MakesTheCredentialTheConductorThenAccepts()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        (int made, string output) = await CommandLineRunner.RunAsync("admin", "init", "--data-dir", directory);
        (int again, string againOutput) = await CommandLineRunner.RunAsync("admin", "init", "--data-dir", directory);
        HostCredential admin = HostCredential.ReadFile(Path.Combine(directory, "admin.credential"));

        await using SecureConductor conductor = await SecureConductor.StartAsync(dataDirectory: directory);
        await using ServiceProvider client = ProxyClient.Create(conductor.Endpoint, admin);
        IReadOnlyList<ServiceStatus> services = await client.GetRequiredService<Abstractions.Admin.IServiceAdminRepository>().ListAsync(CancellationToken.None);

        Assert.AreEqual(0, made, output);
        Assert.AreEqual($"Made the admin credential and wrote it to {Path.Combine(directory, "admin.credential")} (mode 0600). The CLI's data verbs use it with --data-dir {directory}.", output.Trim());
        Assert.AreEqual(0, again, againOutput);
        StringAssert.StartsWith(againOutput, "The admin credential already exists at ");
        Assert.AreEqual(ConductorRole.Admin, admin.Role);
        Assert.IsEmpty(services);
    }

    [TestMethod]
    public async Task AdminInit_WhileTheConductorRuns_AsksToStopItFirst()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync();

        (int rotated, string output) = await CommandLineRunner.RunAsync("admin", "init", "--rotate", "--data-dir", conductor.DataDirectory);

        Assert.AreEqual(2, rotated);
        StringAssert.Contains(output, "stop the conductor first");
    }
}
