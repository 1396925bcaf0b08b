namespace HotlineBot.Cases.Tests;

public sealed class CaseIdsTests
{
    [Fact]
    public void Format_And_TryParse_RoundTrip()
    {
        var id = CaseIds.Format(new DateOnly(2026, 11, 24), 7);

        Assert.Equal("12351-20261124-0007", id);
        Assert.True(CaseIds.TryParse(id, out var day, out var number));
        Assert.Equal((new DateOnly(2026, 11, 24), 7L), (day, number));
    }

    [Fact]
    public void Format_Widens_PastNineThousandNineHundredNinetyNine()
    {
        Assert.Equal("12351-20261124-10000", CaseIds.Format(new DateOnly(2026, 11, 24), 10000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12351-2026112-0001")]
    [InlineData("12350-20261124-0001")]
    [InlineData("12351-20261124-00x1")]
    [InlineData("12351-20261124-0000")]
    public void TryParse_RefusesMalformedIds(string id)
    {
        Assert.False(CaseIds.TryParse(id, out _, out _));
    }

    [Fact]
    public void DayOf_UsesTheHotlinesTimeZone()
    {
        var lateUtc = new DateTimeOffset(2026, 11, 24, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 11, 25), CaseIds.DayOf(lateUtc, CaseIds.DefaultTimeZone));
        Assert.Equal(new DateOnly(2026, 11, 24), CaseIds.DayOf(lateUtc, TimeZoneInfo.Utc));
    }
}
