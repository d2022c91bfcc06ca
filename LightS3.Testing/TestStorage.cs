namespace LightS3.Testing;

/// <summary>The store a <see cref="LightS3AppFactory{TProgram}"/> gives the app under test: always a fresh one.</summary>
public enum TestStorage
{
    /// <summary>In memory: the fastest, gone with the factory.</summary>
    Memory,
    /// <summary>The embedded SQLite store in a temporary directory, deleted with the factory (what <c>dotnet run</c> uses).</summary>
    Embedded,
}
