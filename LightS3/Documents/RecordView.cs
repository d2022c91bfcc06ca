namespace LightS3.Documents;

/// <summary>Which stored records a read returns.</summary>
public enum RecordView
{
    /// <summary>Live records only (the default): soft-deleted and expired ones are hidden.</summary>
    Live,
    /// <summary>Soft-deleted records only (an admin's <c>?deleted=true</c> listing).</summary>
    Deleted,
    /// <summary>Live and soft-deleted records (restore, purge, history for admins); expired ones stay hidden.</summary>
    Any,
}
