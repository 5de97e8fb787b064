using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hustle.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdempotencyLocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Location",
                table: "IdempotencyRecord",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Location",
                table: "IdempotencyRecord");
        }
    }
}
