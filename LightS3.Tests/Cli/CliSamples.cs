namespace LightS3.Tests.Cli;

/// <summary>The endpoints the CLI tests declare after a storage section.</summary>
public static class CliSamples
{
    /// <summary>/orders (authenticated, indexed status, no PUT/DELETE) and /tags (open, unique label).</summary>
    public const string Endpoints = """
        endpoints:
          - route: /orders
            fields:
              status: { type: str, index: true }
              total: { type: decimal, ge: 0 }
            meta:
              methods: [GET, POST, PATCH]
              authentication: { backend: JWTAuthentication }
          - route: /tags
            fields:
              label: { type: str, min_length: 2, unique: true }
              weight: { type: int, optional: true }

        """;
}
