using LightS3.Tests.Support;

namespace LightS3.Tests.OpenApi;

/// <summary>
/// A TypeScript client generated from the document with openapi-typescript: a small script typed by it type-checks under
/// <c>tsc --noEmit</c> (strict) and, run with node's fetch against the app, does create → read → update → stale update (409).
/// </summary>
[Category(External.Category)]
public class TypeScriptClientTests
{
    private const string Client = """
        import type { components, paths } from "./api";
        import { base } from "./config.js";

        type Book = components["schemas"]["Book"];
        type BookCreate = components["schemas"]["BookCreate"];
        type BookUpdate = components["schemas"]["BookUpdate"];
        type Problem = components["schemas"]["Problem"];
        type Created = paths["/books"]["post"]["responses"][201]["content"]["application/json"];
        type Conflict = paths["/books/{id}"]["put"]["responses"][409]["content"]["application/problem+json"];

        // the generated types are strict: a create without its required title does not compile
        // @ts-expect-error title is required
        const missingTitle: BookCreate = { author: "nobody" };
        // @ts-expect-error genre is an enum
        const badGenre: BookCreate = { title: "t", author: "a", genre: "Poetry" };
        void missingTitle; void badGenre;

        async function send(method: string, path: string, body?: unknown): Promise<Response> {
          return fetch(base + path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
        }

        function expect(condition: boolean, message: string): void {
          if (!condition) throw new Error(message);
        }

        async function main(): Promise<void> {
          const input: BookCreate = { title: "Dune", author: "Herbert", price: 9.99, genre: "Science" };
          const created = await send("POST", "/books", input);
          expect(created.status === 201, `create: ${created.status}`);
          expect(created.headers.get("location") !== null && created.headers.get("etag") !== null, "create: Location and ETag");
          const book: Created = await created.json();

          const read = await send("GET", `/books/${book.id}`);
          expect(read.status === 200, `read: ${read.status}`);
          const current: Book = await read.json();
          expect(current.title === "Dune" && current.version === 1 && current.genre === "Science", `read: ${JSON.stringify(current)}`);

          const update: BookUpdate = { title: "Dune Messiah", author: current.author, version: current.version };
          const updated = await send("PUT", `/books/${book.id}`, update);
          expect(updated.status === 200, `update: ${updated.status}`);
          const after: Book = await updated.json();
          expect(after.version === 2 && after.title === "Dune Messiah", `update: ${JSON.stringify(after)}`);

          const stale = await send("PUT", `/books/${book.id}`, { ...update, title: "Children of Dune" } satisfies BookUpdate);
          expect(stale.status === 409, `stale update: ${stale.status}`);
          expect(stale.headers.get("content-type")?.startsWith("application/problem+json") === true, "stale update: problem+json");
          const problem: Conflict & Problem = await stale.json();
          expect(problem.status === 409 && problem.detail.length > 0, `stale update: ${JSON.stringify(problem)}`);
          console.log(`create-read-update-conflict ok: ${book.id}`);
        }

        main().catch((e: unknown) => { console.error(e); throw e; });
        """;

    private const string TsConfig = """
        { "compilerOptions": { "target": "ES2022", "module": "ES2022", "moduleResolution": "bundler", "lib": ["ES2022", "DOM"],
          "strict": true, "noEmitOnError": true, "skipLibCheck": true, "types": [], "outDir": "out" }, "files": ["client.ts"] }
        """;

    [Test]
    public async Task A_generated_TypeScript_client_type_checks_and_meets_409_on_a_stale_update()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"), socket: true);
        var directory = Directory.CreateTempSubdirectory("lights3-ts-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "openapi.json"), await app.Client.GetStringAsync("/openapi/v1.json"));
            await File.WriteAllTextAsync(Path.Combine(directory, "client.ts"), Client);
            await File.WriteAllTextAsync(Path.Combine(directory, "config.ts"), $"export const base = {System.Text.Json.JsonSerializer.Serialize(app.App.Urls[0])};\n");
            await File.WriteAllTextAsync(Path.Combine(directory, "tsconfig.json"), TsConfig);
            await File.WriteAllTextAsync(Path.Combine(directory, "package.json"), "{ \"type\": \"module\" }\n");

            var (generated, generateOutput) = NpmTools.Run(NpmTools.Bin("openapi-typescript"), directory, null, "openapi.json", "-o", "api.d.ts", "--default-non-nullable=false");
            Assert.That(generated, Is.Zero, generateOutput);
            var tsc = NpmTools.Bin("tsc");
            var (checkedCode, checkOutput) = NpmTools.Run(tsc, directory, null, "--noEmit", "-p", ".");
            Assert.That(checkedCode, Is.Zero, "tsc --noEmit:\n" + checkOutput);
            var (built, buildOutput) = NpmTools.Run(tsc, directory, null, "-p", ".");
            Assert.That(built, Is.Zero, buildOutput);
            var (ran, runOutput) = NpmTools.Run("node", directory, null, Path.Combine("out", "client.js"));
            Assert.That(ran, Is.Zero, runOutput);
            Assert.That(runOutput, Does.Contain("create-read-update-conflict ok"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
