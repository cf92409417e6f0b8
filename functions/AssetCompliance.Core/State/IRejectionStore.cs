namespace AssetCompliance.Core.State;

/// <summary>Port to the stored rejections: every input that could not be used, with its errors and body.</summary>
public interface IRejectionStore
{
    /// <summary>Records an invalid input. Idempotent per message id, so a redelivered rejection is stored once.</summary>
    Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken);

    /// <summary>A department's rejections (null: those whose department could not be read), oldest first.</summary>
    Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken);
}
