using System.Text.Json;
using LightS3.Auth;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;

namespace LightS3.Tests.Admin;

/// <summary>The target of the showcase's reference: shown in pickers and tables by its name.</summary>
[Authentication(typeof(JwtAuthentication), Permission = typeof(IsAdminUser))]
[Filtering(Search = ["name"])]
public class AdminWriterEndpoint : RestEndpoint<AdminWriterEndpoint>
{
    [Field(MinLength = 1)] public string Name { get; set; } = "";
}

public sealed class ShowcasePlace
{
    public string? City { get; set; }
    [Field(Pattern = "^[0-9]{5}$")] public string? Zip { get; set; }
}

public sealed class ShowcaseLine
{
    [Field(MinLength = 1)] public string Sku { get; set; } = "";
    [Field(Ge = 1)] public int Qty { get; set; }
}

public enum ShowcaseStatus { Open, Done }

/// <summary>Every field kind the admin UI edits, with soft delete, history and a change feed.</summary>
[Authentication(typeof(JwtAuthentication), Permission = typeof(IsAdminUser))]
[Filtering(Fields = ["status"], Search = ["title"])]
[SoftDelete, History, ChangeFeed]
public class AdminShowcaseEndpoint : RestEndpoint<AdminShowcaseEndpoint>
{
    [Field(MinLength = 1, MaxLength = 200)] public string Title { get; set; } = "";
    [Field(Default = ShowcaseStatus.Open)] public ShowcaseStatus Status { get; set; }
    [Ref(typeof(AdminWriterEndpoint))] public string? Writer { get; set; }
    public DateTime? Due { get; set; }
    [Field(Ge = 0, Le = 1000, DecimalPlaces = 2)] public decimal? Price { get; set; }
    public ShowcasePlace Place { get; set; } = new();
    [Field(MaxLength = 100)] public List<string> Tags { get; set; } = [];
    public List<ShowcaseLine> Lines { get; set; } = [];
    public Dictionary<string, decimal> Prices { get; set; } = [];
    public JsonElement? Extra { get; set; }
    [FileField(MaxBytes = 1024 * 1024)] public StoredFile? Cover { get; set; }
}
