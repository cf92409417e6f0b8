using AssetCompliance.Core.Processing;

namespace AssetCompliance.Core.Tests;

/// <summary>The processor's rule for who a message speaks for (docs/security.md, "the queue").</summary>
public sealed class SenderVouchTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("HO'; SET x = 1")]
    [InlineData("-HO")]
    [InlineData("HO/MOJ")]
    public void Anything_but_a_department_code_is_no_vouch(string? value) =>
        Assert.Null(SenderVouch.ForDepartment(value, "test"));

    [Fact]
    public void Only_the_vouched_department_s_events_pass_and_a_refusal_names_both()
    {
        var ho = SenderVouch.ForDepartment("HO", "its Service Bus topic");

        Assert.Null(SenderVouch.Refusal(ho, "HO"));
        var refusal = SenderVouch.Refusal(ho, "MOJ")!;
        Assert.Equal("$.data.department", refusal.Path);
        Assert.Contains("'MOJ'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("'HO' (its Service Bus topic)", refusal.Message, StringComparison.Ordinal);
        Assert.NotNull(SenderVouch.Refusal(ho, "ho")); // codes are compared exactly, as storage keys are
    }

    [Fact]
    public void No_vouch_refuses_every_event_and_the_operator_s_replay_refuses_none()
    {
        Assert.Equal("$", SenderVouch.Refusal(null, "HO")!.Path);
        Assert.Null(SenderVouch.Refusal(SenderVouch.Operator, "HO"));
        Assert.Null(SenderVouch.Refusal(SenderVouch.Operator, "MOJ"));
    }

    [Fact]
    public void A_rejection_is_shown_to_the_vouched_department_never_the_body_s_claim()
    {
        Assert.Equal("HO", SenderVouch.RejectionDepartment(SenderVouch.ForDepartment("HO", "test"), "MOJ"));
        Assert.Equal("HO", SenderVouch.RejectionDepartment(SenderVouch.ForDepartment("HO", "test"), null));
        Assert.Null(SenderVouch.RejectionDepartment(null, "MOJ"));
        Assert.Equal("MOJ", SenderVouch.RejectionDepartment(SenderVouch.Operator, "MOJ"));
    }
}
