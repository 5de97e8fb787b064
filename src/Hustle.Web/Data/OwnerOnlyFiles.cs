using Microsoft.Data.Sqlite;

namespace Hustle.Web.Data;

/// <summary>
/// Files only the account running Hustle may read: the SQLite database (it holds every account's password hash and
/// the key ring) and the key-ring certificate. Created 0600 in folders created 0700; an existing database file (and its
/// <c>-wal</c>/<c>-shm</c>/<c>-journal</c> companions) is narrowed to 0600. SQLite creates those companions with the
/// database file's own mode, so creating the file first is what keeps them private too. A folder that already
/// exists (<c>/tmp</c>, a mounted volume) is left as it is: it may be shared on purpose. Nothing happens on Windows,
/// where the folder's access list decides.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the SQLite file of <paramref name="connectionString"/> (and its folder) owner-only before SQLite opens it.</summary>
    public static void PrepareSqlite(string? connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return;
        }

        var path = Path.GetFullPath(builder.DataSource);
        CreateFolder(Path.GetDirectoryName(path));
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            try
            {
                // An empty file is an empty SQLite database.
                using var created = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process (a second command on the same file) created it first; narrowed below.
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" }.Where(File.Exists))
        {
            File.SetUnixFileMode(file, FileMode);
        }
    }

    /// <summary>Creates <paramref name="folder"/> 0700 when it does not exist yet.</summary>
    public static void CreateFolder(string? folder)
    {
        if (string.IsNullOrEmpty(folder) || Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }
}
