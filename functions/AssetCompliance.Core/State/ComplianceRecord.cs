using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.State;

/// <summary>The identified vendor as it was when the device was evaluated (a snapshot, so history stays true).</summary>
public sealed record VendorSnapshot(
    string Key,
    string Name,
    string LegalName,
    string Jurisdiction,
    string UltimateOwner,
    IReadOnlyList<string> OwnershipChain,
    bool? SubjectToNationalIntelligenceLaw,
    string? NationalIntelligenceLawNote,
    IReadOnlyList<VendorListing> Listings)
{
    public static VendorSnapshot From(Vendor vendor) => new(
        vendor.Key,
        vendor.Name,
        vendor.LegalName,
        vendor.Jurisdiction,
        vendor.UltimateOwner.Name,
        vendor.OwnershipChain.Select(v => $"{v.Name} ({v.Jurisdiction})").ToArray(),
        vendor.SubjectToNationalIntelligenceLaw,
        vendor.NationalIntelligenceLawNote,
        vendor.Listings);
}

public sealed record EvidenceSnapshot(string Kind, string Method, string Input, string Matched, string? Vendor)
{
    public static EvidenceSnapshot From(Evidence evidence) => new(
        evidence.Kind switch
        {
            EvidenceKind.Manufacturer => "manufacturer",
            EvidenceKind.Model => "model",
            EvidenceKind.MacAddress => "macAddress",
            EvidenceKind.RegistrantCountry => "registrantCountry",
            _ => "fingerprint",
        },
        evidence.Method,
        evidence.Input,
        evidence.Matched,
        evidence.Vendor?.Key);
}

/// <summary>
/// A device's current compliance state in its department: what the register last said, who made it, the verdict,
/// and the versions of the catalogue and policy that produced the verdict.
/// </summary>
public sealed record ComplianceRecord
{
    public required string Department { get; init; }
    public required string AssetId { get; init; }
    public required long Revision { get; init; }
    public required string EventId { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required RegisteredDevice Device { get; init; }
    public required ComplianceStatus Status { get; init; }
    public Severity? Severity { get; init; }
    public required string Rule { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public VendorSnapshot? Vendor { get; init; }
    public required IReadOnlyList<EvidenceSnapshot> Evidence { get; init; }
    public bool RelabelSuspected { get; init; }
    public required string CatalogueVersion { get; init; }
    public required string PolicyVersion { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the status or severity last changed.</summary>
    public required DateTimeOffset StatusSince { get; init; }

    public required DateTimeOffset EvaluatedAt { get; init; }
    public ComplianceStatus? PreviousStatus { get; init; }

    /// <summary>The waiver in force, if any. While it holds, <see cref="Status"/> is <c>Exempt</c>.</summary>
    public Exemption? Exemption { get; init; }

    /// <summary>What the policy alone says (differs from <see cref="Status"/> only while an exemption holds).</summary>
    public ComplianceStatus? PolicyStatus { get; init; }

    public Severity? PolicySeverity { get; init; }

    /// <summary>
    /// Set by an administrator's revision reset: while present, the next asset event applies whatever its revision
    /// (and clears it). Null otherwise.
    /// </summary>
    public RevisionReset? RevisionReset { get; init; }

    /// <summary>
    /// An exemption a department or administrator asked for and no second person has decided yet. It changes nothing
    /// about the status; an approval by a different administrator turns it into <see cref="Exemption"/>, a refusal
    /// drops it. Null when none is pending. Added in issue 17; records written before it have none.
    /// </summary>
    public PendingExemption? PendingExemption { get; init; }

    /// <summary>
    /// When the progress trend counts this state from (<see cref="ProgressLedger.ProgressAtAfter"/>: the date of the
    /// last change that moved the device's figures, never before the state it replaced was dated), so that the next
    /// change is never dated before it. Null on records written before issue 19 (their <see cref="EventTime"/> stands in).
    /// </summary>
    public DateTimeOffset? ProgressAt { get; init; }

    /// <summary>
    /// The department's remediation plan for the device, open or closed (issue 19), changed only by commands: a
    /// department's PUT, the overdue sweep, and the close an asset event or re-evaluation makes when the device's state
    /// shows the outcome. Null when none was ever made.
    /// </summary>
    public RemediationPlan? Remediation { get; init; }

    /// <summary>
    /// The latest network observation of the device (issue 18): what it showed, where, and what reconciling it with
    /// the register found. Every evaluation of the record weighs it. Null when no observation was ever matched to it.
    /// </summary>
    public ObservedState? Observation { get; init; }
}

/// <summary>
/// Who did something: the signed-in principal's display name and its Entra ID object id (the <c>oid</c> claim), which
/// is what tells two people apart (names are neither unique nor stable). Null where the system did it (a timer).
/// </summary>
/// <param name="Name">The principal's name claim, as given (for people reading the history).</param>
/// <param name="ObjectId">The principal's object id, or the empty string when the platform gave none.</param>
public sealed record Actor(string Name, string ObjectId)
{
    /// <summary>Whether the platform gave an object id (not empty or white space): without one, no one can be told apart from this actor.</summary>
    public bool HasObjectId => !string.IsNullOrWhiteSpace(ObjectId);

    /// <summary>
    /// Whether <paramref name="other"/> may be the same person: the same object id, or either object id unknown
    /// (empty or white space), because an identity that cannot be told apart must not count as a second person. Object
    /// ids are compared as GUIDs when both are one (so padding, braces, case or missing hyphens do not make a second
    /// person of the same one), else trimmed and without regard to case.
    /// </summary>
    public bool IsSamePersonAs(Actor other)
    {
        if (!HasObjectId || !other.HasObjectId)
        {
            return true;
        }

        var (mine, theirs) = (ObjectId.Trim(), other.ObjectId.Trim());
        return Guid.TryParse(mine, out var a) && Guid.TryParse(theirs, out var b) ? a == b : string.Equals(mine, theirs, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"name (object id)" for history reasons and cards.</summary>
    public override string ToString() => ObjectId.Length == 0 ? Name : $"{Name} ({ObjectId})";
}

/// <summary>An exemption requested and not yet decided (see <see cref="ComplianceRecord.PendingExemption"/>).</summary>
/// <param name="RequestId">The request's id (the caller's, or one generated); an approval may name it to be sure it approves what it read.</param>
/// <param name="Reason">Why the requester wants the waiver.</param>
/// <param name="ExpiresAt">When the exemption would end (UTC), at most 12 months after the request.</param>
/// <param name="RequestedAt">When the request was recorded.</param>
/// <param name="RequestedBy">The requester.</param>
/// <param name="SuggestedApprover">Whom the requester asked to approve (free text, informational only: the approver is whoever approves).</param>
public sealed record PendingExemption(string RequestId, string Reason, DateTimeOffset ExpiresAt, DateTimeOffset RequestedAt, Actor RequestedBy, string? SuggestedApprover);

/// <summary>Who reset a record's revision, when and why (see <see cref="ComplianceRecord.RevisionReset"/>).</summary>
/// <param name="Reason">The administrator's reason, as given.</param>
/// <param name="By">The signed-in principal's name, or null when the caller had none (the host's master key alone).</param>
/// <param name="At">When the reset was recorded.</param>
/// <param name="StoredRevision">The revision the record had, which the next event need no longer exceed.</param>
public sealed record RevisionReset(string Reason, string? By, DateTimeOffset At, long StoredRevision);

/// <summary>A waiver for one device, granted by an approver for a reason until a date no more than a year ahead.</summary>
public sealed record Exemption
{
    public required string Reason { get; init; }
    public required string Approver { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required DateTimeOffset GrantedAt { get; init; }

    /// <summary>Who asked for it (the signed-in principal's name), when known.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The requester with object id (two-person exemptions, issue 17); null on exemptions granted before.</summary>
    public Actor? Requester { get; init; }

    /// <summary>The administrator who approved it, a different person from <see cref="Requester"/>; null on exemptions granted before issue 17.</summary>
    public Actor? ApprovedBy { get; init; }

    /// <summary>
    /// True when an administrator explicitly waived a device the policy did not find NonCompliant, NeedsReview or
    /// Advisory at approval (a pre-emptive waiver): it makes a later non-compliant revision Exempt.
    /// </summary>
    public bool Preemptive { get; init; }
}

public enum HistoryOutcome
{
    /// <summary>The event was newer than the stored state and was applied.</summary>
    Applied,

    /// <summary>The event's revision was not newer than the stored one; the stored state was kept.</summary>
    Superseded,

    /// <summary>The stored device was evaluated again under a new catalogue or policy version.</summary>
    Reevaluated,

    /// <summary>An exemption was requested, granted (approved), refused, revoked or expired.</summary>
    ExemptionChanged,

    /// <summary>An administrator reset the revision: the next event applies whatever its revision.</summary>
    RevisionReset,

    /// <summary>A remediation plan was made, changed, reopened, marked overdue or closed.</summary>
    RemediationChanged,

    /// <summary>A network observation (<c>asset.device.observed</c>) was matched to the record and evaluated with it.</summary>
    Observed,
}

/// <summary>One line of a device's audit trail. Never rewritten.</summary>
public sealed record HistoryEntry
{
    public required string Department { get; init; }
    public required string AssetId { get; init; }
    public required string EventId { get; init; }
    public required long Revision { get; init; }
    public required string EventType { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required HistoryOutcome Outcome { get; init; }
    public ComplianceStatus? StatusBefore { get; init; }
    public ComplianceStatus? StatusAfter { get; init; }
    public Severity? SeverityBefore { get; init; }
    public Severity? SeverityAfter { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public required string CatalogueVersion { get; init; }
    public required string PolicyVersion { get; init; }

    /// <summary>Who caused the entry (an administrator's or department's action); null for register events and timers.</summary>
    public Actor? By { get; init; }

    /// <summary>
    /// The progress facts of the record this entry left (PRC-made, on a sensitive site, on the core network), so the
    /// progress trend can be rebuilt from history (<see cref="ProgressLedger.FromHistory"/>). Null on a superseded
    /// event (it changed nothing) and on entries written before issue 19.
    /// </summary>
    public ProgressFacts? Progress { get; init; }
}

/// <summary>An input that could not be accepted, kept whole (up to 3 million characters) so that nothing a department sent is lost.</summary>
public sealed record Rejection
{
    /// <summary>The department the message claims, when it can be read and is a valid code; otherwise null.</summary>
    public string? Department { get; init; }

    public required string MessageId { get; init; }

    /// <summary>
    /// Which message this is, as a storage key: <see cref="KeyFor"/> of the message id and the body as received. The
    /// transport's message id alone does not tell messages apart (a sender may set its own ids, and two replayed files
    /// of the same name number their lines alike), so two different bodies under one id are two rejections, while an
    /// exact redelivery has the same key and overwrites its own row.
    /// </summary>
    public required string Key { get; init; }

    public string? EventId { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required string Channel { get; init; }
    public required IReadOnlyList<ValidationError> Errors { get; init; }
    public required string Body { get; init; }

    /// <summary>
    /// The length of the body as received. Bodies are kept whole up to 3 million characters (far beyond any message the
    /// queue or the HTTP route accepts); only a longer one is cut, and then this says how long it was.
    /// </summary>
    public int? BodyLength { get; init; }

    /// <summary>
    /// A rejection's key: the first 40 hex digits of the SHA-256 of the message id (its UTF-16 code units, which
    /// every string has, even one with a lone surrogate; length-prefixed, so that no id and body can pass for another
    /// pair) followed by the body's bytes exactly as received (before any decoding or cut). <paramref name="body"/> is those bytes, or for a body known only by its start, a digest of
    /// the whole that the transport computed.
    /// </summary>
    public static string KeyFor(string messageId, ReadOnlySpan<byte> body)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var id = System.Runtime.InteropServices.MemoryMarshal.AsBytes(messageId.AsSpan()); // little-endian on every .NET platform
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, messageId.Length);
        hash.AppendData(length);
        hash.AppendData(id);
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..40];
    }
}
