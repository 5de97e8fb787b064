using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hustle.Web.Data.Migrations.PostgreSQL
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
                type: "integer",
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
