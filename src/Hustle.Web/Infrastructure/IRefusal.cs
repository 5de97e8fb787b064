namespace Hustle.Web.Infrastructure;

/// <summary>
/// An exception a feature throws to refuse a request with more to say than a code: <see cref="ProblemExceptionHandler"/>
/// answers it as problem details with its status and code, and adds <see cref="Extensions"/> to the body. The feature
/// owns the type; this layer knows only the shape.
/// </summary>
public interface IRefusal
{
    int Status { get; }

    /// <summary>The stable <c>code</c> of the problem.</summary>
    string Code { get; }

    /// <summary>Members the problem body carries besides <c>code</c> and <c>detail</c> (for a wrong code: <c>triesLeft</c>).</summary>
    IReadOnlyDictionary<string, object?> Extensions { get; }
}
