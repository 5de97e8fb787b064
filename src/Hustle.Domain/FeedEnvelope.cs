using System.Text.Json;

namespace Hustle.Domain;

/// <summary>
/// One event of a user's feed as the contract carries it, on the hub and from <c>GET /api/feed</c>:
/// <c>{ seq, id, type, jobId, at, data }</c>. The server writes it and the .NET client reads it.
/// </summary>
public sealed record FeedEnvelope(long Seq, string Id, string Type, string? JobId, DateTimeOffset At, JsonElement Data);
