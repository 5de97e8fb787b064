namespace Hustle.Domain.Messaging;

/// <summary>One message in a thread. The body is kept exactly as sent: it is text, and every client shows it as text.</summary>
public sealed class Message
{
    public const int MaxBodyLength = 2000;

    private Message()
    {
        Id = ThreadId = SenderId = Body = "";
    }

    public Message(string id, string threadId, long seq, string senderId, string body, DateTimeOffset now)
    {
        Id = id;
        ThreadId = threadId;
        Seq = seq;
        SenderId = senderId;
        Body = body;
        CreatedAt = now;
    }

    /// <summary>Opaque; the order of a thread's messages is <see cref="Seq"/>.</summary>
    public string Id { get; private set; }

    public string ThreadId { get; private set; }

    /// <summary>1, 2, 3, … within the thread, in commit order: the cursor for <c>?after=</c> and read receipts.</summary>
    public long Seq { get; private set; }

    public string SenderId { get; private set; }

    public string Body { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>How far one member has read a thread. Only ever moves forward.</summary>
public sealed class ThreadReadState
{
    private ThreadReadState()
    {
        ThreadId = UserId = "";
    }

    public ThreadReadState(string threadId, string userId, DateTimeOffset now)
    {
        ThreadId = threadId;
        UserId = userId;
        UpdatedAt = now;
    }

    public string ThreadId { get; private set; }

    public string UserId { get; private set; }

    /// <summary>The <see cref="Message.Seq"/> read up to (0: nothing read).</summary>
    public long LastReadSeq { get; private set; }

    public string? LastReadMessageId { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
}
