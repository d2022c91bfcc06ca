using System.Reflection;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;

namespace LightS3.Migrations;

/// <summary>
/// The migrations an app declares (C# classes, YAML <c>migrations:</c>) and the named C# functions YAML transforms call.
/// One per app, in DI; <c>app.Migrations</c> reaches it. Each endpoint's repository upgrades records on read through
/// <see cref="UpgraderFor"/>, whatever order endpoints and migrations are registered in.
/// </summary>
public sealed class MigrationCatalog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Migration> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<JsonObject>> _functions = new(StringComparer.Ordinal);
    private volatile Dictionary<string, IReadOnlyList<Migration>> _byRoute = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A catalog holding the migration classes of the program's entry assembly (none when it cannot be read).</summary>
    public static MigrationCatalog FromEntryAssembly()
    {
        var catalog = new MigrationCatalog();
        try
        {
            if (Assembly.GetEntryAssembly() is { } entry) catalog.AddFromAssembly(entry);
        }
        catch (ReflectionTypeLoadException)
        {
            // a host whose types cannot all load (test runners): migrations are then registered explicitly
        }
        return catalog;
    }

    /// <summary>Every declared migration, in order (ordinal by id).</summary>
    public IReadOnlyList<Migration> All
    {
        get { lock (_lock) return _byId.Values.OrderBy(m => m.Id, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>Declares <paramref name="migration"/>; a second migration with the same id is a configuration error.</summary>
    public MigrationCatalog Add(Migration migration)
    {
        if (string.IsNullOrWhiteSpace(migration.Id)) throw new ConfigurationException($"migration {migration.GetType().Name}: an id is required");
        if (EndpointModelValidator.NormalizeRoute(migration.Route) is null) throw new ConfigurationException($"migration '{migration.Id}': '{migration.Route}' is not a route");
        lock (_lock)
        {
            if (_byId.TryGetValue(migration.Id, out var existing))
                throw new ConfigurationException($"migration id '{migration.Id}' is declared twice ({existing.Description}; {migration.Description})");
            _byId[migration.Id] = migration;
            _byRoute = _byId.Values.GroupBy(m => EndpointModelValidator.NormalizeRoute(m.Route)!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<Migration>)g.OrderBy(m => m.Id, StringComparer.Ordinal).ToList(), StringComparer.OrdinalIgnoreCase);
        }
        return this;
    }

    /// <summary>Declares every concrete <see cref="Migration"/> subclass of <paramref name="assembly"/> that has a parameterless constructor.</summary>
    public MigrationCatalog AddFromAssembly(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null))
            if (!_byId.Values.Any(m => m.GetType() == type)) Add((Migration)Activator.CreateInstance(type)!);
        return this;
    }

    /// <summary>Names a C# function for YAML's <c>transform: { function: NAME }</c>; it changes the record in place.</summary>
    public MigrationCatalog AddFunction(string name, Action<JsonObject> function)
    {
        lock (_lock) _functions[name] = function;
        return this;
    }

    /// <summary>The function named <paramref name="name"/>; a configuration error naming the known ones when there is none.</summary>
    public Action<JsonObject> Function(string name)
    {
        lock (_lock)
            return _functions.TryGetValue(name, out var f) ? f
                : throw new ConfigurationException($"transform function '{name}' is not registered (app.Migrations.AddFunction; known: {(_functions.Count == 0 ? "none" : string.Join(", ", _functions.Keys))})");
    }

    /// <summary>The migrations of <paramref name="route"/>, in order.</summary>
    public IReadOnlyList<Migration> For(string route) =>
        _byRoute.TryGetValue(EndpointModelValidator.NormalizeRoute(route) ?? route, out var list) ? list : [];

    /// <summary>The upgrader of <paramref name="route"/>'s records (see <see cref="RecordRepository.Upgrader"/>).</summary>
    public IRecordUpgrader UpgraderFor(string route) => new RouteUpgrader(this, route);

    /// <summary>
    /// Where a record stamped <paramref name="stamp"/> stands in <paramref name="migrations"/>: -1 before the first,
    /// else the index of the last one applied; null when the stamp names no migration of the list (left alone).
    /// </summary>
    public static int? Position(IReadOnlyList<Migration> migrations, string? stamp)
    {
        if (stamp is null) return -1;
        for (var i = 0; i < migrations.Count; i++)
            if (migrations[i].Id == stamp) return i;
        return null;
    }

    /// <summary>
    /// Moves <paramref name="record"/> from position <paramref name="from"/> to <paramref name="to"/> in
    /// <paramref name="migrations"/> (Up forward, Down backward) and stamps it; true when anything was applied.
    /// </summary>
    public static bool MoveTo(JsonObject record, IReadOnlyList<Migration> migrations, int from, int to)
    {
        if (from == to) return false;
        if (from < to)
            for (var i = from + 1; i <= to; i++) migrations[i].Up(record);
        else
            for (var i = from; i > to; i--) migrations[i].Down(record);
        if (to < 0) record.Remove(SchemaStamp.Field);
        else record[SchemaStamp.Field] = migrations[to].Id;
        return true;
    }

    private sealed class RouteUpgrader(MigrationCatalog catalog, string route) : IRecordUpgrader
    {
        public string? Latest => catalog.For(route) is { Count: > 0 } list ? list[^1].Id : null;

        public bool Upgrade(JsonObject data)
        {
            var list = catalog.For(route);
            if (list.Count == 0 || Position(list, SchemaStamp.Read(data)) is not { } at || at >= list.Count - 1) return false;
            var copy = (JsonObject)data.DeepClone();
            try
            {
                MoveTo(copy, list, at, list.Count - 1);
            }
            catch (Exception e) when (e is MigrationRecordException or InvalidOperationException)
            {
                return false; // served as stored; `migrate up`/`finish` stops at this record and names it
            }
            data.Clear();
            foreach (var (k, v) in copy.ToList())
            {
                copy.Remove(k);
                data[k] = v;
            }
            return true;
        }
    }
}
