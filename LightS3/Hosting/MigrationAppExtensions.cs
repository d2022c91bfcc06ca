using LightS3.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Hosting;

/// <summary><c>app.Migrations</c>: the app's <see cref="MigrationCatalog"/> (docs/migrations.md).</summary>
public static class MigrationAppExtensions
{
    extension(LightS3App app)
    {
        /// <summary>The app's migrations: <c>app.Migrations.Add(new RenameTitle())</c>, <c>.AddFromAssembly(...)</c>, <c>.AddFunction(...)</c>.</summary>
        public MigrationCatalog Migrations => app.Services.GetRequiredService<MigrationCatalog>();
    }
}
