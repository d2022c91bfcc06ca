# LightS3 YAML host: serve an API declared in a YAML file mounted from outside.
#   docker build -t lights3 .
#   docker run -p 8080:8080 -v $PWD/lightapi.yaml:/config/lightapi.yaml:ro \
#     -e LIGHTS3_JWT_SECRET=... -e LIGHTS3_STORAGE_URL=s3://bucket/prefix -e AWS_REGION=eu-west-1 lights3
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish LightS3.Yaml/LightS3.Yaml.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV LIGHTS3_CONFIG=/config/lightapi.yaml \
    ASPNETCORE_HTTP_PORTS=8080 \
    LIGHTS3_STORAGE_URL=file:/data
EXPOSE 8080
VOLUME ["/data"]
# the same command line the test suite runs against the published output (LightS3.Tests/Yaml/HostProcessTests.cs)
ENTRYPOINT ["dotnet", "LightS3.Yaml.dll", "serve"]
