using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LightS3.Yaml.Config;

/// <summary>Collects configuration problems, each with its YAML path and position.</summary>
internal sealed class YamlProblems
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> All => _problems;

    public void Add(string path, string message, YamlNode? node) => Add(path, message, node?.Start);

    public void Add(string path, string message, Mark? mark) =>
        _problems.Add(mark is { } m ? $"{path}: {message} (line {m.Line}, column {m.Column})" : $"{path}: {message}");
}
