using System.Text;

namespace LightS3.Cli.Transfer;

/// <summary>RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.</summary>
public static class Csv
{
    /// <summary>The records of <paramref name="reader"/>, each with the line it starts on (1-based).</summary>
    public static IEnumerable<(int Line, List<string> Cells)> Read(TextReader reader)
    {
        var line = 1;
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var start = 1;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); cell.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    cell.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when cell.Length == 0: quoted = true; break;
                case ',': cells.Add(cell.ToString()); cell.Clear(); break;
                case '\r': break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    yield return (start, cells);
                    cells = [];
                    any = false;
                    start = ++line;
                    break;
                default: cell.Append(ch); break;
            }
        }
        if (any)
        {
            cells.Add(cell.ToString());
            yield return (start, cells);
        }
    }
}
