using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hustle.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaymentCallVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "PaymentCall",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Version",
                table: "PaymentCall");
        }
    }
}
