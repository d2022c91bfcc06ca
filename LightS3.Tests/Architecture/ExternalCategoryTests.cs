using LightS3.Tests.Support;

namespace LightS3.Tests.Architecture;

/// <summary>
/// The guard that keeps the quick loop service-free: helpers reaching RGW, Redis, Chromium, npm tools, packaging or child
/// processes call <see cref="External.Require"/>, which fails a test outside the External category.
/// </summary>
public sealed class ExternalCategoryTests
{
    [Test]
    public void A_test_without_the_category_is_refused_by_name()
    {
        var refused = Assert.Throws<AssertionException>(() => External.Require("a probe service"));
        Assert.That(refused!.Message, Does.Contain(nameof(A_test_without_the_category_is_refused_by_name)).And.Contain("a probe service"));
    }

    [Test, Category(External.Category)]
    public void A_test_with_the_category_is_let_through() => Assert.That(External.Use("a probe service", () => 42), Is.EqualTo(42));

    [TestCase(1, Category = External.Category)]
    public void A_test_case_with_the_category_is_let_through(int value) =>
        Assert.That(External.Use("a probe service", () => value), Is.EqualTo(1));
}
