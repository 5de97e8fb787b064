using Hustle.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Data.Configurations;

public sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> s)
    {
        s.ToTable("UserSessions");
        s.HasKey(x => x.Id);
        s.Property(x => x.Id).HasMaxLength(32);
        s.Property(x => x.UserId).HasMaxLength(450);
        s.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        s.HasIndex(x => x.UserId);
    }
}
