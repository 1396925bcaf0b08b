namespace HotlineBot.Cases.Tests;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("13812348000", "13812348000")]
    [InlineData("138 1234 8000", "13812348000")]
    [InlineData("+86 138-1234-8000", "13812348000")]
    [InlineData("１３８１２３４８０００", "13812348000")]
    [InlineData("010-12345678", "010-12345678")]
    [InlineData("0755-1234567", "0755-1234567")]
    [InlineData("075512345678", "0755-12345678")]
    [InlineData("02112345678", "021-12345678")]
    public void Normalize_AcceptsMobilesAndLandlines(string input, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.Normalize(input));
        Assert.True(PhoneNumbers.IsValid(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("跳过")]
    [InlineData("12812348000")]
    [InlineData("1381234800")]
    [InlineData("138123480001")]
    [InlineData("12345")]
    [InlineData("010-123456")]
    public void IsValid_RefusesAnythingElse(string? input)
    {
        Assert.False(PhoneNumbers.IsValid(input));
        Assert.Equal(PhoneKind.Invalid, PhoneNumbers.Classify(input));
    }

    [Theory]
    [InlineData("13812348000", "138****8000")]
    [InlineData("138-1234-8000", "138****8000")]
    [InlineData("010-12345678", "010-****5678")]
    [InlineData("not a phone 99887766", "****7766")]
    public void Mask_HidesTheMiddle(string input, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.Mask(input));
    }

    [Fact]
    public void MaskedPhone_OnTheWorker_ShowsTheMaskedForm()
    {
        var worker = TestCases.Draft().Worker;

        Assert.Equal("138****8000", worker.MaskedPhone);
        Assert.Null((worker with { CallbackPhone = null }).MaskedPhone);
    }

    [Theory]
    [InlineData(PhoneKind.Mobile, "13812348000")]
    [InlineData(PhoneKind.Landline, "010-12345678")]
    public void Classify_TellsMobileFromLandline(PhoneKind kind, string input)
    {
        Assert.Equal(kind, PhoneNumbers.Classify(input));
    }
}
