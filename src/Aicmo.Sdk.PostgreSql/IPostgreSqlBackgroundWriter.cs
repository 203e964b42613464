using System.Threading.Channels;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Something that writes in the background and must finish its queued work before the database is disposed.</summary>
internal interface IPostgreSqlBackgroundWriter
{
    /// <summary>Stops taking work and completes once the queued work is done.</summary>
    Task CompleteAsync();
}
