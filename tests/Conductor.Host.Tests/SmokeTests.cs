namespace Conductor.Host.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void Options_Defaults_ListenOnLoopback()
    {
        Assert.AreEqual("127.0.0.1:7400", new ConductorOptions().TcpEndpoint);
    }
}
