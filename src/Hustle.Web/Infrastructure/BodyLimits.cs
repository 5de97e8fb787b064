using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Hustle.Web.Setup;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Infrastructure;

/// <summary>
/// How big a request body may be. The JSON API takes at most <c>Hustle:BodyLimits:ApiBytes</c> (64 KiB): the largest
/// legitimate body is a job post, 4 540 characters of text (title 120, description 4 000, area 120, location 300) that
/// take at most 6 bytes each in JSON (<c>\uXXXX</c>), about 27 KiB with the other fields, so 64 KiB leaves more than
/// double. An endpoint that needs more says so with <see cref="RequestSizeLimitAttribute"/> metadata (the Stripe webhook,
/// <c>Hustle:BodyLimits:StripeWebhookBytes</c>). Kestrel enforces the limit while reading; in front of it a body whose
/// <c>Content-Length</c> is over the limit is answered 413 <c>payload_too_large</c> before a byte is read, and a chunked
/// body as soon as it passes the limit, as problem details rather than Kestrel's bare 413 or a half-read request.
/// </summary>
public static class BodyLimits
{
    public const long DefaultApiBytes = 64 * 1024;

    /// <summary>Stripe's events are up to a few hundred KB.</summary>
    public const long DefaultStripeWebhookBytes = 512 * 1024;

    /// <summary>The hub's largest message from a client: <c>Typing(threadId)</c> is tens of bytes.</summary>
    public const long HubMessageBytes = 32 * 1024;

    public static IServiceCollection AddBodyLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<BodyLimitOptions>(configuration, BodyLimitOptions.Section);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<BodyLimitOptions>>((o, limits) => o.Limits.MaxRequestBodySize = limits.Value.ApiBytes);
        services.Configure<HubOptions>(o => o.MaximumReceiveMessageSize = HubMessageBytes);
        return services;
    }

    /// <summary>After routing (the endpoint's limit is known), before anything reads the body.</summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.UseMiddleware<BodyLimitMiddleware>();

    public static ApiProblem TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"The request body is larger than {limit} bytes, the most this endpoint takes.");
}

public sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<BodyLimitOptions> limits)
{
    private readonly long _api = limits.Value.ApiBytes;

    public Task InvokeAsync(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } endpoint ? endpoint.MaxRequestBodySize : _api;
        if (limit is not { } max)
        {
            return next(http);
        }

        if (http.Request.ContentLength > max)
        {
            throw BodyLimits.TooLarge(max);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = max;
        }

        if (http.Request.ContentLength is null && (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true))
        {
            http.Request.Body = new CappedBody(http.Request.Body, max);
        }

        return next(http);
    }
}

/// <summary>
/// A body of unknown length (chunked) that is refused with <see cref="BodyLimits.TooLarge"/> once it passes the limit,
/// whether the server counts (Kestrel's <c>BadHttpRequestException</c>, which body binding would take for a dropped
/// connection) or not (the test server).
/// </summary>
internal sealed class CappedBody(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Counted(await inner.ReadAsync(buffer, cancellationToken));
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw BodyLimits.TooLarge(limit);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Counted(int read)
    {
        _read += read;
        return _read > limit ? throw BodyLimits.TooLarge(limit) : read;
    }
}
