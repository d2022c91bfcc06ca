using Books;
using LightS3.Hosting;

// Embedded file store in ./data unless S3 is configured (LIGHTS3_S3_BUCKET, AWS_ENDPOINT_URL, ...).
var app = LightS3App.Create(args);
app.Register("/books", typeof(BookEndpoint));
app.Run();
