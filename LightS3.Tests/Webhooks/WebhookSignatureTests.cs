using System.Security.Cryptography;
using System.Text;
using LightS3.Webhooks;

namespace LightS3.Tests.Webhooks;

public class WebhookSignatureTests
{
    // The Standard Webhooks reference vector (standard-webhooks / svix library tests)
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Test]
    public void Signing_reproduces_the_published_Standard_Webhooks_test_vector() =>
        Assert.That(WebhookSignature.Sign(VectorSecret, VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody)), Is.EqualTo(VectorSignature));

    [Test]
    public void Verification_accepts_the_published_vector_among_several_signatures()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);
        Assert.That(WebhookSignature.Verify(VectorSecret, VectorId, VectorTimestamp.ToString(), "v1,bm9wZQ== " + VectorSignature,
            Encoding.UTF8.GetBytes(VectorBody), at, TimeSpan.FromMinutes(5)), Is.True);
    }

    [Test]
    public void Verification_refuses_a_changed_body_a_wrong_secret_and_a_stale_timestamp()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);
        var body = Encoding.UTF8.GetBytes(VectorBody);
        Assert.Multiple(() =>
        {
            Assert.That(WebhookSignature.Verify(VectorSecret, VectorId, VectorTimestamp.ToString(), VectorSignature,
                Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), at, TimeSpan.FromMinutes(5)), Is.False, "changed body");
            Assert.That(WebhookSignature.Verify("whsec_" + Convert.ToBase64String(new byte[24]), VectorId, VectorTimestamp.ToString(), VectorSignature,
                body, at, TimeSpan.FromMinutes(5)), Is.False, "wrong secret");
            Assert.That(WebhookSignature.Verify(VectorSecret, VectorId, VectorTimestamp.ToString(), VectorSignature,
                body, at.AddMinutes(6), TimeSpan.FromMinutes(5)), Is.False, "stale timestamp");
            Assert.That(WebhookSignature.Verify(VectorSecret, VectorId, "16142653x0", VectorSignature, body, at, TimeSpan.FromMinutes(5)), Is.False, "bad timestamp");
        });
    }

    [Test]
    public void A_secret_without_the_whsec_prefix_signs_with_its_utf8_bytes()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("plain-secret"), Encoding.UTF8.GetBytes("msg_1.10.{}")));
        Assert.That(WebhookSignature.Sign("plain-secret", "msg_1", 10, body), Is.EqualTo(expected));
    }

    [Test]
    public void A_whsec_secret_that_is_not_base64_is_a_configuration_problem() =>
        Assert.That(WebhookSignature.KeyProblem("whsec_not base64!"), Does.Contain("not base64"));

    [Test]
    public void The_StandardWebhooks_library_accepts_what_LightS3_signs_and_refuses_a_changed_body()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = "{\"type\":\"books.created\",\"data\":{\"title\":\"Déjà vu\"}}";
        var signature = WebhookSignature.Sign(VectorSecret, "msg_x", now, Encoding.UTF8.GetBytes(body));
        var received = new ReceivedWebhook("msg_x", now.ToString(), signature, Encoding.UTF8.GetBytes(body), 200, DateTimeOffset.UtcNow);
        Assert.That(StandardWebhooksLibrary.Verifies(received, VectorSecret), Is.True);
        Assert.That(StandardWebhooksLibrary.Verifies(received with { Body = Encoding.UTF8.GetBytes(body.Replace("vu", "vo")) }, VectorSecret), Is.False);
    }

    [Test]
    public void LightS3_verifies_what_the_StandardWebhooks_library_signs()
    {
        var at = DateTimeOffset.UtcNow;
        var signature = new StandardWebhooks.StandardWebhook(VectorSecret).Sign("msg_y", at, VectorBody);
        Assert.That(WebhookSignature.Verify(VectorSecret, "msg_y", at.ToUnixTimeSeconds().ToString(), signature, Encoding.UTF8.GetBytes(VectorBody),
            at, TimeSpan.FromMinutes(5)), Is.True);
    }
}
