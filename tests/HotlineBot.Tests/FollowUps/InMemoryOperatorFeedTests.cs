using HotlineBot.FollowUps;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Tests.FollowUps;

/// <summary>The feed contract on one instance's memory (the embedded default).</summary>
public sealed class InMemoryOperatorFeedTests : OperatorFeedContractTests
{
    protected override IOperatorFeed CreateFeed(TimeProvider time) => new OperatorFeed(time, NullLogger<OperatorFeed>.Instance);
}
