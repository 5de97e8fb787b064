using Hustle.Domain.Jobs;

namespace Hustle.Domain.Tests.Jobs;

/// <summary>The state diagram in docs/ARCHITECTURE.md is the transition table, rendered; it cannot drift from it.</summary>
public sealed class StateDiagramTests
{
    private const string Begin = "<!-- state-diagram:begin (generated from TransitionTable.Rows; do not edit) -->";
    private const string End = "<!-- state-diagram:end -->";
    private const string Regenerate = "HUSTLE_REGENERATE_DOCS=1 dotnet test tests/Hustle.Domain.Tests --filter FullyQualifiedName~StateDiagramTests";

    [Fact]
    public void The_diagram_in_the_architecture_document_is_the_one_the_table_renders()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "ARCHITECTURE.md");
        var document = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/ARCHITECTURE.md has no block between '{Begin}' and '{End}'.");

        var current = document[(start + Begin.Length)..end];
        var rendered = $"\n```mermaid\n{StateDiagram.Mermaid()}```\n";
        if (current != rendered && Environment.GetEnvironmentVariable("HUSTLE_REGENERATE_DOCS") == "1")
        {
            File.WriteAllText(path, document[..(start + Begin.Length)] + rendered + document[end..]);
            return;
        }

        Assert.True(current == rendered, $"The state diagram in docs/ARCHITECTURE.md differs from the transition table. Regenerate it with:\n  {Regenerate}");
    }

    [Fact]
    public void Every_row_of_the_table_is_an_arrow_from_each_of_its_states_and_the_final_states_end()
    {
        var diagram = StateDiagram.Mermaid();

        Assert.StartsWith("stateDiagram-v2\n    [*] --> OPEN\n", diagram);
        Assert.Contains("    REQUESTED --> OPEN : withdraw offer (offer hustler), no offer left pending\n", diagram);
        Assert.Contains("    SCHEDULED --> OPEN : unassign (customer, assigned hustler)\n", diagram);
        Assert.Contains("    COMPLETED_BY_HUSTLER --> AWAITING_CUSTOMER_CONFIRM : request payment (assigned hustler, system)\n", diagram);
        Assert.Contains("    AWAITING_CUSTOMER_CONFIRM --> AWAITING_CUSTOMER_CONFIRM : dispute (customer)\n", diagram);
        var arrows = diagram.Split('\n').Count(l => l.Contains(" --> ", StringComparison.Ordinal) && !l.Contains("[*]", StringComparison.Ordinal));
        Assert.Equal(TransitionTable.Rows.Sum(r => r.From.Count * (r.ToWhenNoOfferPending is null ? 1 : 2)), arrows);
        Assert.Equal(["PAID --> [*]", "CANCELLED --> [*]", "EXPIRED --> [*]"], diagram.Split('\n').Where(l => l.EndsWith("[*]", StringComparison.Ordinal)).Select(l => l.Trim()));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hustle.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hustle.slnx not found above the test's directory.");
    }
}
