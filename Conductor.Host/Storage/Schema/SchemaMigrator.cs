using LiteDB;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Storage.Schema;

/// <summary>
/// Checks the schema version of an open database and migrates it to <see cref="DatabaseSchema.Current"/>: documents are
/// rewritten in batches, one transaction each, and the position reached is committed in the same transaction, so a
/// migration cut short (a crash, a kill) resumes where it stopped and never rewrites a document twice. The version in
/// the header moves only once every step has run.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>The collection that holds a migration's progress while it runs.</summary>
    public const string ProgressCollection = "conductor_schema";

    private const string ProgressId = "migration";

    /// <summary>Reads the schema version of an open database: the header's, or <see cref="DatabaseSchema.Foundation"/> for an unversioned file with data.</summary>
    /// <param name="db">The database.</param>
    /// <returns>The version, or 0 for a new, empty file.</returns>
    public static int ReadVersion(LiteDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.UserVersion != 0)
        {
            return db.UserVersion;
        }

        bool hasData = db.GetCollectionNames().Any(name => db.GetCollection(name).FindAll().Any());
        return hasData ? DatabaseSchema.Foundation : 0;
    }

    /// <summary>Throws if the schema is one this conductor must not open: newer than it understands, or older and not to be migrated. Writes nothing.</summary>
    /// <param name="db">The database, just opened.</param>
    /// <param name="location">The file, for messages.</param>
    /// <param name="policy">Whether an older schema may be migrated.</param>
    /// <exception cref="DatabaseSchemaMismatchException">The schema is refused.</exception>
    public static void Refuse(LiteDatabase db, string location, SchemaPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        int found = ReadVersion(db);
        if (found > DatabaseSchema.Current)
        {
            throw new DatabaseSchemaMismatchException(
                $"The database '{location}' has schema version {found}, but this conductor understands schema versions up to {DatabaseSchema.Current}: a newer conductor release wrote it. " +
                "The file was left untouched. Run that release or a newer one, or restore the backup taken before the upgrade; a conductor never downgrades a database.");
        }

        if (found != 0 && found < DatabaseSchema.Current && !policy.MigrateOnStart)
        {
            throw new DatabaseSchemaMismatchException(
                $"The database '{location}' has schema version {found}, older than the version {DatabaseSchema.Current} this conductor needs. " +
                "The file was left untouched. With the conductor stopped, run 'conductor db migrate --data-dir <directory>', or set Conductor:MigrateDatabaseOnStart to true.");
        }
    }

    /// <summary>Brings the schema of an open database to <see cref="DatabaseSchema.Current"/>, or refuses it.</summary>
    /// <param name="db">The database, opened by this process (which holds the owner lock).</param>
    /// <param name="location">The file, for messages.</param>
    /// <param name="policy">Whether to migrate, and how.</param>
    /// <param name="sync">Makes committed writes durable (called after each batch).</param>
    /// <param name="logger">The logger.</param>
    /// <returns>What was found and done.</returns>
    /// <exception cref="DatabaseSchemaMismatchException">The schema is newer than this conductor understands, or older and <see cref="SchemaPolicy.MigrateOnStart"/> is off.</exception>
    public static SchemaReport Prepare(LiteDatabase db, string location, SchemaPolicy policy, Action sync, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(logger);
        Refuse(db, location, policy);
        int found = ReadVersion(db);
        if (found == 0)
        {
            // No sync: if a crash loses this header write, the next start finds an unversioned file whose documents
            // need no rewrite, and records the version then.
            db.UserVersion = DatabaseSchema.Current;
            return new SchemaReport(DatabaseSchema.Current, DatabaseSchema.Current, 0, Created: true);
        }

        if (found == DatabaseSchema.Current)
        {
            return new SchemaReport(found, found, 0, Created: false);
        }

        logger.LogInformation("Migrating the database {Location} from schema version {From} to {To}.", location, found, DatabaseSchema.Current);
        long rewritten = 0;
        IReadOnlyList<SchemaMigration> steps = DatabaseSchema.Migrations;
        for (int i = 0; i < steps.Count; i++)
        {
            SchemaMigration step = steps[i];
            if (step.To <= found)
            {
                continue;
            }

            rewritten += Run(db, step, policy, sync);
            if (i == steps.Count - 1 || steps[i + 1].To != step.To)
            {
                // The last step to a version moves the header; a later crash resumes from there.
                db.UserVersion = step.To;
                db.GetCollection(ProgressCollection).Delete(ProgressId);
                sync();
            }

            logger.LogInformation("Schema step {Step} done: {Count} document(s) rewritten; the database is at schema version {Version}.", step.Name, rewritten, db.UserVersion);
        }

        db.Checkpoint();
        sync();
        return new SchemaReport(found, db.UserVersion, rewritten, Created: false);
    }

    private static long Run(LiteDatabase db, SchemaMigration step, SchemaPolicy policy, Action sync)
    {
        ILiteCollection<BsonDocument> progress = db.GetCollection(ProgressCollection);
        ILiteCollection<BsonDocument> documents = db.GetCollection(step.Collection);
        BsonDocument? saved = progress.FindById(ProgressId);
        BsonValue last = saved is not null && saved["Step"].AsString == step.Name ? saved["LastId"] : BsonValue.MinValue;
        long rewritten = 0;
        while (true)
        {
            if (!db.BeginTrans())
            {
                throw new InvalidOperationException("The schema migration needs its own transaction, but one is already open on this thread.");
            }

            try
            {
                List<BsonDocument> batch = documents.Query()
                    .Where(Query.GT("_id", last))
                    .OrderBy(BsonExpression.Create("_id"))
                    .Limit(policy.BatchSize)
                    .ToList();
                if (batch.Count == 0)
                {
                    db.Rollback();
                    return rewritten;
                }

                foreach (BsonDocument document in batch.Where(step.Needs))
                {
                    step.Rewrite(document);
                    documents.Update(document);
                    rewritten++;
                }

                last = batch[^1]["_id"];
                progress.Upsert(new BsonDocument { ["_id"] = ProgressId, ["To"] = step.To, ["Step"] = step.Name, ["LastId"] = last });
                db.Commit();
            }
            catch
            {
                db.Rollback();
                throw;
            }

            sync();
            policy.AfterBatch?.Invoke(step.Name, rewritten);
        }
    }
}
