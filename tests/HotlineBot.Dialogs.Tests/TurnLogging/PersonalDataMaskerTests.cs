using HotlineBot.Dialogs.TurnLogging;

namespace HotlineBot.Dialogs.Tests.TurnLogging;

public sealed class PersonalDataMaskerTests
{
    [Fact]
    public void HashUserId_IsStable_AndRevealsNothing()
    {
        var a = PersonalDataMasker.HashUserId("webchat", "user-13812348000");

        Assert.Equal(a, PersonalDataMasker.HashUserId("webchat", "user-13812348000"));
        Assert.NotEqual(a, PersonalDataMasker.HashUserId("telegram", "user-13812348000"));
        Assert.Equal(16, a.Length);
        Assert.DoesNotContain("1381234", a, StringComparison.Ordinal);
    }
}
