using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Tests.Entries;

/// <summary>Entries compared field by field, so a failure names the field (records compare lists by reference).</summary>
internal static class EntryAssert
{
    public static void Same(PolicyEntry expected, PolicyEntry actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Question, actual.Question);
        Assert.Equal(expected.Alternates, actual.Alternates);
        Assert.Equal(expected.Answer, actual.Answer);
        Assert.Equal(expected.Category, actual.Category);
        Assert.Equal(expected.Sources, actual.Sources);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Region, actual.Region);
        Assert.Equal(expected.EffectiveFrom, actual.EffectiveFrom);
        Assert.Equal(expected.ReviewBy, actual.ReviewBy);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Version, actual.Version);
    }
}
