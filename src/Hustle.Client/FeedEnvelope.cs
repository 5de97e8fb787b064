using System.Text.Json;

namespace Hustle.Client;

/// <summary>One event of a user's feed, as the server sends it: <c>{ seq, id, type, jobId, at, data }</c>.</summary>
public sealed record FeedEnvelope(long Seq, string Id, string Type, string? JobId, DateTimeOffset At, JsonElement Data);

/// <summary>The answer of <c>GET /api/feed</c>.</summary>
public sealed record FeedPage(IReadOnlyList<FeedEnvelope> Events, long LastSeq, bool ResetRequired);
