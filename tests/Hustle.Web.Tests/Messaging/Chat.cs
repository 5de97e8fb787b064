using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Domain.Jobs;
using Hustle.Web.Tests.Sync;

namespace Hustle.Web.Tests.Messaging;

/// <summary>The messaging calls over HTTP, as a client makes them.</summary>
public static class Chat
{
    /// <summary>
    /// The customer posts a job and the hustler asks about it: their thread. The job's <c>JOB_CREATED</c> is taken off
    /// the customer's <paramref name="connectedDevices"/>, so what they receive next is about the thread.
    /// </summary>
    public static async Task<(string JobId, string ThreadId)> ThreadAsync(TestUser customer, TestUser hustler, params HubInbox[] connectedDevices)
    {
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        foreach (var device in connectedDevices)
        {
            Assert.Equal(jobId, (await device.NextEventAsync(EventTypes.JobCreated)).JobId);
        }

        var thread = await (await hustler.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.Created);
        return (jobId, thread.Str("id"));
    }

    /// <summary>A thread in which both have written (the hustler asked, the customer answered): they share presence.</summary>
    public static async Task<(string JobId, string ThreadId)> ConversationAsync(TestUser customer, TestUser hustler)
    {
        var (jobId, threadId) = await ThreadAsync(customer, hustler);
        await hustler.SendAsync(threadId, "Is the sink under the window?");
        await customer.SendAsync(threadId, "Yes, it is.");
        return (jobId, threadId);
    }

    public static async Task<JsonElement> SendAsync(this TestUser user, string threadId, string body) =>
        await (await user.Client.PostAsJsonAsync($"/api/threads/{threadId}/messages", new { body })).Json(HttpStatusCode.Created);

    public static async Task<JsonElement> MessagesAsync(this TestUser user, string threadId, string query = "") =>
        await (await user.Client.GetAsync($"/api/threads/{threadId}/messages{query}")).Json();

    public static async Task<JsonElement> ThreadsAsync(this TestUser user) =>
        await (await user.Client.GetAsync("/api/threads")).Json();

    public static async Task<JsonElement> ThreadAsync(this TestUser user, string threadId) =>
        (await user.ThreadsAsync()).EnumerateArray().Single(t => t.Str("id") == threadId);

    public static async Task<JsonElement> MarkReadAsync(this TestUser user, string threadId, string upToMessageId) =>
        await (await user.PostAsync($"/api/threads/{threadId}/read", new { upToMessageId })).Json();

    public static async Task<JsonElement> FeedPageAsync(this TestUser user, long after = 0) =>
        await (await user.Client.GetAsync($"/api/feed?after={after}")).Json();

    public static List<string> Ids(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.Str("id"))];
}
