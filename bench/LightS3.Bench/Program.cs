using LightS3.Bench;

// bash scripts/bench.sh crud [seconds-per-round] [workers] [rounds]
// bash scripts/bench.sh query [records]
// dotnet run -c Release --project bench/LightS3.Bench -- shape [records] [lines-per-bulk] [seconds-per-round]   (with /tmp/s3env.sh-style AWS_* variables)
// dotnet run -c Release --project bench/LightS3.Bench -- expand [works] [writers] [seconds-per-round]   (with AWS_* variables)
// bash scripts/bench.sh cache [seconds-per-round] [workers] [rounds]
// dotnet run -c Release --project bench/LightS3.Bench -- store-scale [files:10000,sqlite:10000,sqlite:100000,sqlite:1000000]
// dotnet run -c Release --project bench/LightS3.Bench -- store-listing [memory:10000,memory:1000000,sqlite:10000,sqlite:1000000]
var mode = args.Length > 0 ? args[0] : "crud";
var rest = args.Skip(1).ToArray();
if (mode == "query") await QueryBenchmark.RunAsync(rest);
else if (mode == "store-listing") await StoreListingBenchmark.RunAsync(rest);
else if (mode == "store-scale") await StoreScaleBenchmark.RunAsync(rest);
else if (mode == "cache") await CacheBenchmark.RunAsync(rest);
else if (mode == "expand") await ExpandBenchmark.RunAsync(rest); // ?expand= cost (issue 14)
else if (mode == "shape") await ShapeBenchmark.RunAsync(rest); // bulk import, export, ?fields= (issue 14)
else await CrudBenchmark.RunAsync(mode == "crud" ? rest : args);
