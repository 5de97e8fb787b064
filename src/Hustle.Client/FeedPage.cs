using Hustle.Domain;

namespace Hustle.Client;

/// <summary>The answer of <c>GET /api/feed</c>.</summary>
public sealed record FeedPage(IReadOnlyList<FeedEnvelope> Events, long LastSeq, bool ResetRequired);
