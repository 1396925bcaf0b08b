namespace HotlineBot.Cases.Tests;

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("13812348000", "138****8000")]
    [InlineData("电话13812348000，尽快回电", "电话138****8000，尽快回电")]
    [InlineData("138 1234 8000", "138****8000")]
    [InlineData("138-1234-8000", "138****8000")]
    [InlineData("+86 13812348000", "+86 138****8000")]
    [InlineData("8613812348000", "86138****8000")]
    [InlineData("110101199003071234", "110101********1234")]
    [InlineData("身份证号11010119900307123X。", "身份证号110101********123X。")]
    [InlineData("工资卡6222021234567890123", "工资卡6222****0123")]
    [InlineData("电话13812348000 身份证110101199003071234", "电话138****8000 身份证110101********1234")]
    [InlineData("我电话13812348000，座机010-12345678，身份证11010519900307123X。", "我电话138****8000，座机010-****5678，身份证110105********123X。")]
    public void Mask_HidesTheMiddleOfPhoneIdAndCardNumbers(string text, string expected)
    {
        Assert.Equal(expected, PersonalData.Mask(text));
    }

    [Theory]
    [InlineData("加班费按150%算，每月工资3000元，干了12个月")]
    [InlineData("2024年3月1日入职，工号12345678")]
    [InlineData("拨打12351或者12356")]
    [InlineData("")]
    public void Mask_LeavesOtherNumbersAlone(string text)
    {
        Assert.Equal(text, PersonalData.Mask(text));
    }
}
