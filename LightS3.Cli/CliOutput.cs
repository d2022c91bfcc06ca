using Spectre.Console;

namespace LightS3.Cli;

/// <summary>
/// Where commands write. On a terminal: Spectre.Console tables, colours and progress bars. Redirected (CI logs,
/// pipes, tests): plain aligned lines with no escape codes, and progress as occasional lines on standard error.
/// Results go to standard output, problems and progress to standard error.
/// </summary>
public sealed class CliOutput(TextWriter output, TextWriter error, bool rich)
{
    /// <summary>The process console; rich when standard output is a terminal and <c>NO_COLOR</c> is unset.</summary>
    public static CliOutput ForConsole() => new(Console.Out, Console.Error,
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>Whether output goes to a terminal (tables, colours, progress bars).</summary>
    public bool Rich { get; } = rich;

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Writes a result line to standard output.</summary>
    public void Line(string text)
    {
        if (Rich) AnsiConsole.MarkupLineInterpolated($"{text}");
        else Out.WriteLine(text);
    }

    /// <summary>Writes a success line (green on a terminal).</summary>
    public void Success(string text)
    {
        if (Rich) AnsiConsole.MarkupLineInterpolated($"[green]{text}[/]");
        else Out.WriteLine(text);
    }

    /// <summary>Writes a problem line to standard error (red on a terminal).</summary>
    public void Problem(string text)
    {
        if (Rich && !Console.IsErrorRedirected) error.WriteLine($"\u001b[31m{text}\u001b[0m");
        else error.WriteLine(text);
    }

    /// <summary>Writes an informational line to standard error (kept out of piped results).</summary>
    public void Note(string text) => error.WriteLine(text);

    /// <summary>A table: Spectre on a terminal, space-aligned columns otherwise (first line: the headers).</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        if (Rich)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var h in headers) table.AddColumn(new TableColumn(Markup.Escape(h)));
            foreach (var row in all) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
            AnsiConsole.Write(table);
            return;
        }
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        string Format(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        Out.WriteLine(Format(headers));
        foreach (var row in all) Out.WriteLine(Format(row));
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress reporter (done, total or null): a progress bar on a terminal, a line on
    /// standard error at most every two seconds otherwise.
    /// </summary>
    public async Task<T> ProgressAsync<T>(string title, Func<Action<long, long?>, Task<T>> work)
    {
        if (Rich)
        {
            T result = default!;
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                task.IsIndeterminate = true;
                result = await work((done, total) =>
                {
                    if (total is > 0) { task.IsIndeterminate = false; task.MaxValue = total.Value; }
                    task.Value = done;
                });
                task.StopTask();
            });
            return result;
        }
        var last = DateTime.UtcNow;
        return await work((done, total) =>
        {
            if ((DateTime.UtcNow - last).TotalSeconds < 2) return;
            last = DateTime.UtcNow;
            error.WriteLine(total is { } t ? $"{title}: {done}/{t}" : $"{title}: {done}");
        });
    }
}
