namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>
/// A network that loses answers: the request reaches Stripe (which acts on it and remembers its idempotency key), then
/// the connection breaks before the answer arrives, as <see cref="HttpRequestException"/>. Sits in Stripe.net's
/// <see cref="HttpClient"/> pipeline, inside Stripe.net's retry loop.
/// </summary>
public sealed class LosingNetwork : DelegatingHandler
{
    private int _toLose;

    public void LoseNextAnswer(int times = 1) => Interlocked.Add(ref _toLose, times);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        for (var left = Volatile.Read(ref _toLose); left > 0; left = Volatile.Read(ref _toLose))
        {
            if (Interlocked.CompareExchange(ref _toLose, left - 1, left) == left)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset before the answer arrived.");
            }
        }

        return response;
    }
}
