using Conductor.Abstractions.Versioning;

namespace Conductor.Abstractions.Tests;

/// <summary>
/// Nova's ObjectVersionChecker for the built-in contract: every API and DTO shape is fingerprinted and compared with
/// contract-fingerprints.txt, so a shape cannot change without a version bump. When it fails, read the message: it
/// says what changed and what to bump; the test output prints the table the code has now.
/// </summary>
[TestClass]
public sealed class ContractFingerprintTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void BuiltInContract_MatchesTheCheckedInFingerprints()
    {
        IReadOnlyDictionary<string, string> actual = ContractFingerprints.Compute(BuiltInApis.All);
        IReadOnlyDictionary<string, string> expected = ContractFingerprints.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contract-fingerprints.txt")));

        IReadOnlyList<string> problems = ContractFingerprints.Compare(actual, expected, ContractFingerprints.Carriers(BuiltInApis.All));

        if (problems.Count > 0)
        {
            TestContext.WriteLine("The contract's fingerprints now are:\n" + ContractFingerprints.Format(actual));
        }

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }
}
