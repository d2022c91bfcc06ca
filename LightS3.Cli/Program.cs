// The `lights3` tool: serves an API declared in YAML and operates it (see docs/cli.md).
return await LightS3.Cli.LightS3Cli.RunAsync(args);
