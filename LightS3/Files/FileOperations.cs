using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Model;
using LightS3.Storage;
using LightS3.Validation;
using Microsoft.AspNetCore.Http;

namespace LightS3.Files;

/// <summary>
/// The file operations of one record's file field. Each reads the record (1 GET), checks the object-level permission,
/// and changes the field by a compare-and-swap write of the record (1 PUT), so a file change moves version and ETag
/// like any update and a concurrent writer gets 409. Blobs are never deleted here (except one that broke its limits):
/// the garbage collector removes released ones after the grace period (<see cref="FileCollector"/>).
/// </summary>
internal sealed class FileOperations(EndpointRuntime runtime, FieldModel fileField, FileService files)
{
    private FileSpec Spec => fileField.File!;

    private string KeyOf(string id, string token) => BlobKeys.Key(runtime.Model.Collection, id, fileField.Name, token);

    /// <summary>
    /// Starts an upload: records a pending upload in the field (a previous ready file stays readable until the new one is
    /// confirmed) and returns the grant. 2 requests (GET + PUT of the record); signing the URL takes none.
    /// </summary>
    public async Task<(Record Record, UploadGrant Grant)> UploadAsync(HttpContext http, string id, JsonObject request)
    {
        var (name, contentType, size) = ReadUploadRequest(request);
        var record = await ReadAsync(http, id, HttpVerbs.Put);
        var now = files.Time.GetUtcNow();
        var expires = now + (Spec.UploadExpiry ?? files.Options.UploadExpiry);
        var value = FileValue.Of(record.Data[fileField.Name]);
        var pending = new PendingUpload(BlobKeys.NewToken(), name, contentType, size, expires);
        var written = await WriteAsync(record, value with { Pending = pending, Released = value.ReleasedWith(null, now, files.Grace) }, http.RequestAborted);
        var grant = await files.Transfer.CreateUploadAsync(KeyOf(id, pending.Blob), contentType, size ?? 0, size ?? Spec.MaxBytes, expires, BaseUrl(http));
        FileMetrics.Count("upload");
        return (written, grant);
    }

    /// <summary>
    /// Confirms the pending upload: checks the uploaded blob (exists, size and content type within the limits — a blob
    /// that breaks them is deleted and the answer is 422) and makes it the field's ready file. 3 requests on S3 (GET, HEAD,
    /// PUT). A ready field without a pending upload is answered as is (confirming twice is harmless). With
    /// <paramref name="http"/> null (a storage event) no permission is checked and only the upload <paramref name="token"/> is confirmed.
    /// </summary>
    public async Task<Record?> ConfirmAsync(HttpContext? http, string id, string? token, CancellationToken ct)
    {
        var record = http is null ? await runtime.Repository.GetAsync(id, ct) : await ReadAsync(http, id, HttpVerbs.Put);
        if (record is null) return null;
        var value = FileValue.Of(record.Data[fileField.Name]);
        var now = files.Time.GetUtcNow();
        if (value.Pending is not { } pending || (token is not null && pending.Blob != token))
        {
            if (token is not null) return null;
            return value.Ready is not null ? record : throw Conflict("there is no pending upload to confirm; request one with POST …/upload first");
        }
        // the collector keeps an unconfirmed blob until its URL expired plus the grace period; confirming stops halfway, well before
        if (now > pending.ExpiresAt + files.Grace / 2) throw Conflict("the upload expired; request a new upload URL");
        var key = KeyOf(id, pending.Blob);
        var blob = await files.Transfer.StatAsync(key, ct) ?? throw Conflict("nothing has been uploaded yet: upload the file with the URL you were given, then confirm");
        var problems = new List<string>();
        if (blob.Size > Spec.MaxBytes) problems.Add($"the uploaded file has {blob.Size} bytes, more than the limit of {Spec.MaxBytes}");
        else if (pending.Size is { } declared && blob.Size != declared) problems.Add($"the uploaded file has {blob.Size} bytes, not the {declared} declared");
        var stored = MediaType(blob.ContentType);
        if (stored is not null && !string.Equals(stored, pending.ContentType, StringComparison.OrdinalIgnoreCase) || !Spec.Allows(stored ?? pending.ContentType))
            problems.Add($"the uploaded file is {stored}, not {pending.ContentType}");
        if (problems.Count > 0)
        {
            await files.Transfer.DeleteAsync(key, blob.ETag, ct);
            FileMetrics.Count("rejected");
            throw new RecordValidationException(new Dictionary<string, string[]> { [fileField.Name] = [.. problems] });
        }
        var ready = new ReadyFile(pending.Blob, pending.Name, blob.Size, pending.ContentType, blob.ETag, now);
        var confirmed = await WriteAsync(record, new FileValue(ready, null, value.ReleasedWith(value.Ready?.Blob, now, files.Grace)), ct);
        FileMetrics.Count(http is null ? "confirm_event" : "confirm");
        return confirmed;
    }

    /// <summary>
    /// A short-lived signed URL to the ready file (1 GET of the record; signing takes no request), or 404. The URL makes
    /// the file an attachment when asked, and always for a type that may not show inline (<see cref="DownloadPolicy"/>).
    /// </summary>
    public async Task<string> DownloadUrlAsync(HttpContext http, string id, bool attachment)
    {
        var record = await ReadAsync(http, id, HttpVerbs.Get);
        var ready = FileValue.Of(record.Data[fileField.Name]).Ready ?? throw new ApiProblemException(StatusCodes.Status404NotFound, $"'{fileField.Name}' has no ready file");
        var expires = files.Time.GetUtcNow() + (Spec.DownloadExpiry ?? files.Options.DownloadExpiry);
        FileMetrics.Count("download");
        return files.Transfer.DownloadUrl(KeyOf(id, ready.Blob), ready.ContentType, DownloadPolicy.AttachmentName(ready.ContentType, ready.Name, attachment), expires, BaseUrl(http));
    }

    /// <summary>Empties the field (its file and any pending upload); the bytes are collected after the grace period. 404 when it is empty.</summary>
    public async Task<Record> DeleteAsync(HttpContext http, string id)
    {
        var record = await ReadAsync(http, id, HttpVerbs.Put);
        var value = FileValue.Of(record.Data[fileField.Name]);
        if (value.Ready is null && value.Pending is null) throw new ApiProblemException(StatusCodes.Status404NotFound, $"'{fileField.Name}' has no file");
        var now = files.Time.GetUtcNow();
        var released = value.ReleasedWith(value.Ready?.Blob, now, files.Grace);
        if (value.Pending is { } p) released = [.. released, new ReleasedBlob(p.Blob, now)];
        var written = await WriteAsync(record, new FileValue(null, null, released), http.RequestAborted);
        FileMetrics.Count("delete");
        return written;
    }

    private async Task<Record> ReadAsync(HttpContext http, string id, HttpVerbs verb)
    {
        var record = await runtime.Repository.GetAsync(id, http.RequestAborted) ?? throw new RecordNotFoundException(id);
        if (!(await Endpoints.RecordVisibility.OpenAsync(runtime, http)).InScope(record.Peek())) throw new RecordNotFoundException(id); // outside the queryset: not there
        await runtime.Authorizer.EnsureObjectPermissionAsync(http, verb, record);
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (verb != HttpVerbs.Get && ifMatch.Length > 0 && !ETags.HeaderMatches(ifMatch, record.ETag)) throw new VersionConflictException(id, null, record.Version);
        return record;
    }

    private async Task<Record> WriteAsync(Record current, FileValue value, CancellationToken ct)
    {
        var fields = new JsonObject();
        foreach (var f in runtime.Model.Fields) fields[f.Name] = current.Data[f.Name]?.DeepClone();
        fields[fileField.Name] = value.ToJson();
        var written = await runtime.Repository.ReplaceFilesAsync(current, fields, ct);
        await runtime.InvalidateCacheAsync(ct);
        return written;
    }

    private (string Name, string ContentType, long? Size) ReadUploadRequest(JsonObject request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Text(string key)
        {
            if (request[key] is null) return null;
            if (request[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
            errors[key] = ["must be a string"];
            return null;
        }
        foreach (var (key, _) in request)
            if (key is not ("name" or "content_type" or "size")) errors[key] = ["is not a parameter of an upload (use name, content_type, size)"];
        var name = FileNames.Sanitize(Text("name"), fileField.Name);
        var contentType = Text("content_type")?.Trim();
        if (contentType is null)
        {
            if (Spec.ContentTypes is [var only] && !only.EndsWith("/*", StringComparison.Ordinal)) contentType = only;
            else if (Spec.ContentTypes.Count == 0) contentType = "application/octet-stream";
            else if (!errors.ContainsKey("content_type")) errors["content_type"] = [$"is required: one of {string.Join(", ", Spec.ContentTypes)}"];
        }
        else if (!FileSpec.IsMediaType(contentType)) errors["content_type"] = ["must be a media type such as image/png"];
        else if (!Spec.Allows(contentType)) errors["content_type"] = [$"must be one of {string.Join(", ", Spec.ContentTypes)}"];
        long? size = null;
        if (request["size"] is { } s)
        {
            if (s is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n >= 0)
            {
                if (n > Spec.MaxBytes) errors["size"] = [$"must be at most {Spec.MaxBytes} bytes"];
                else size = n;
            }
            else errors["size"] = ["must be a non-negative integer (bytes)"];
        }
        if (errors.Count > 0) throw new RecordValidationException(errors);
        return (name, contentType!, size);
    }

    private static string? MediaType(string? contentType) =>
        contentType is null ? null : Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var m) ? m.MediaType.ToString() : contentType;

    private static ApiProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
