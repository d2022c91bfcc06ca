using LightS3.Model;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Time;

/// <summary>The YAML keys of soft delete, history, actors and expiry read into the same model as the attributes.</summary>
public sealed class YamlTimeTests
{
    [Test]
    public void Meta_keys_and_the_expires_field_read_into_the_time_settings()
    {
        var config = YamlConfigReader.Read("""
            endpoints:
              - route: /notes
                fields:
                  title: { type: str }
                meta: { soft_delete: true, history: { keep: 10, max_age: 30d }, track_actors: true }
              - route: /drafts
                fields:
                  title: { type: str }
                meta: { soft_delete: { retention: 12h }, history: true }
              - route: /tickets
                fields:
                  code: { type: str }
                meta: { ttl: 7d }
              - route: /invites
                fields:
                  email: { type: str }
                  valid_until: { type: datetime, optional: true, expires: true }
            """, "api.yaml", _ => null);
        var time = config.Endpoints.Select(e => e.Model.Time).ToList();
        Assert.That(time[0], Is.EqualTo(new TimeSpec { SoftDelete = true, History = new HistorySpec(10, TimeSpan.FromDays(30)), TrackActors = true }));
        Assert.That(time[1], Is.EqualTo(new TimeSpec { SoftDelete = true, SoftDeleteRetention = TimeSpan.FromHours(12), History = new HistorySpec() }));
        Assert.That(time[2], Is.EqualTo(new TimeSpec { Ttl = TimeSpan.FromDays(7) }));
        Assert.That(time[3], Is.EqualTo(new TimeSpec { ExpiresField = "valid_until" }));
    }

    [Test]
    public void A_bad_duration_or_keep_is_reported_at_its_path()
    {
        var error = Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read("""
            endpoints:
              - route: /notes
                fields:
                  title: { type: str }
                meta: { ttl: soon, history: { keep: 0 } }
            """, "api.yaml", _ => null))!;
        Assert.That(error.Message, Does.Contain("endpoints[0].meta.ttl").And.Contain("'soon' is not a duration"));
        Assert.That(error.Message, Does.Contain("endpoints[0].meta.history.keep").And.Contain("at least 1"));
    }

    [Test]
    public void An_expiry_field_must_be_a_time_and_time_fields_cannot_be_redeclared()
    {
        var error = Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read("""
            endpoints:
              - route: /invites
                fields:
                  email: { type: str, expires: true }
                  deleted_at: { type: str }
                meta: { soft_delete: true }
            """, "api.yaml", _ => null))!;
        Assert.That(error.Message, Does.Contain("expiry field 'email' must be a date-time"));
        Assert.That(error.Message, Does.Contain("'deleted_at' redeclares an automatic field"));
    }
}
