using Hustle.Domain.Jobs;
using Hustle.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Data.Configurations;

public sealed class MessageThreadConfiguration : IEntityTypeConfiguration<MessageThread>
{
    public void Configure(EntityTypeBuilder<MessageThread> thread)
    {
        thread.HasKey(t => t.Id);
        thread.Property(t => t.Id).HasMaxLength(40);
        thread.Property(t => t.JobId).HasMaxLength(40);
        thread.Property(t => t.CustomerId).HasMaxLength(450);
        thread.Property(t => t.HustlerId).HasMaxLength(450);
        thread.HasOne<Job>().WithMany().HasForeignKey(t => t.JobId);

        // One thread per job and hustler: an offer and a question on the same job land in the same conversation.
        thread.HasIndex(t => new { t.JobId, t.HustlerId }).IsUnique();
        thread.HasIndex(t => t.CustomerId);
        thread.HasIndex(t => t.HustlerId);
    }
}

public sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> message)
    {
        message.HasKey(m => m.Id);
        message.Property(m => m.Id).HasMaxLength(40);
        message.Property(m => m.ThreadId).HasMaxLength(40);
        message.Property(m => m.SenderId).HasMaxLength(450);
        message.Property(m => m.Body).HasMaxLength(Message.MaxBodyLength);
        message.HasOne<MessageThread>().WithMany().HasForeignKey(m => m.ThreadId);

        // Listing with a cursor, the last message and unread counts all read (ThreadId, Seq) ranges.
        message.HasIndex(m => new { m.ThreadId, m.Seq }).IsUnique();
    }
}

public sealed class ThreadReadStateConfiguration : IEntityTypeConfiguration<ThreadReadState>
{
    public void Configure(EntityTypeBuilder<ThreadReadState> read)
    {
        read.HasKey(r => new { r.ThreadId, r.UserId });
        read.Property(r => r.ThreadId).HasMaxLength(40);
        read.Property(r => r.UserId).HasMaxLength(450);
        read.Property(r => r.LastReadMessageId).HasMaxLength(40);
        read.HasOne<MessageThread>().WithMany().HasForeignKey(r => r.ThreadId);
        read.HasIndex(r => r.UserId);
    }
}
