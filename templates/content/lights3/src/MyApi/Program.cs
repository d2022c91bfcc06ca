using LightS3;
using MyApi;

// Records go to the embedded file store in ./data unless S3 is configured, e.g.
//   LIGHTS3_S3_BUCKET=my-bucket LIGHTS3_S3_PREFIX=myapi AWS_REGION=eu-west-1 dotnet run
// Listens on http://localhost:8000 unless --urls or ASPNETCORE_URLS says otherwise.
// A configuration error exits with code 2 and one line on standard error.
return await LightS3App.RunAsync(args, app => app.Register("/products", typeof(ProductEndpoint)));
