using Conductor.Host.Security;
using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Security;

/// <summary>A credential's stored document, read straight from the database.</summary>
internal sealed record CredentialDocumentView(byte[] StoredKey, byte[] ServerKey, byte[] Salt)
{
    public static CredentialDocumentView Read(SecureConductor conductor, string name)
    {
        CredentialDocument document = conductor.Database.Database.GetCollection<CredentialDocument>(CollectionNames.Credentials).FindById(name);
        return new CredentialDocumentView(document.StoredKey, document.ServerKey, document.Salt);
    }
}
