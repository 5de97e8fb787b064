using Hustle.Domain.Messaging;

namespace Hustle.Domain.Tests.Messaging;

public sealed class MessageThreadTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static MessageThread Thread() => MessageThread.Open("thr_1", "job_1", "customer", "hustler", Now);

    [Fact]
    public void Members_are_the_customer_and_the_hustler_and_each_sees_the_other()
    {
        var thread = Thread();

        Assert.True(thread.IsMember("customer"));
        Assert.True(thread.IsMember("hustler"));
        Assert.False(thread.IsMember("stranger"));
        Assert.Equal("hustler", thread.OtherMember("customer"));
        Assert.Equal("customer", thread.OtherMember("hustler"));
    }

    [Theory]
    [InlineData(null, false, null)]
    [InlineData("hustler", false, null)]
    [InlineData("hustler", true, null)]
    [InlineData("someone-else", false, MessageThread.AnotherHustlerChosen)]
    [InlineData("someone-else", true, MessageThread.AnotherHustlerChosen)]
    [InlineData(null, true, MessageThread.JobClosed)]
    public void A_thread_is_read_only_when_the_job_went_to_another_hustler_or_closed_without_this_one(string? assignedHustler, bool jobClosed, string? reason) =>
        Assert.Equal(reason, Thread().ReadOnlyReason(assignedHustler, jobClosed));

    [Fact]
    public void A_customer_cannot_open_a_thread_with_themselves() =>
        Assert.Throws<ArgumentException>(() => MessageThread.Open("thr_1", "job_1", "customer", "customer", Now));
}
