# LightS3 YAML host (the LightS3.Cli tool): serves an API declared in a YAML file mounted from outside.
#   docker build -t lights3 .
#   docker run -p 8080:8080 -v $PWD/lightapi.yaml:/config/lightapi.yaml:ro \
#     -e LIGHTS3_JWT_SECRET=$(openssl rand -hex 32) \
#     -e LIGHTS3_STORAGE_URL=s3://my-bucket/shop -e AWS_REGION=eu-west-1 \
#     -e AWS_ACCESS_KEY_ID=... -e AWS_SECRET_ACCESS_KEY=... \
#     lights3
#   (on AWS prefer an instance/task role over keys; S3-compatible servers also need -e AWS_ENDPOINT_URL=http://host:port)
# Other commands of the same image (the default is `serve`):
#   docker run --rm -v $PWD/lightapi.yaml:/config/lightapi.yaml:ro lights3 validate      # exit 2 on a broken file
#   docker run --rm -v ... -e LIGHTS3_STORAGE_URL=... lights3 reindex /products
# Without LIGHTS3_STORAGE_URL records go to the /data volume (embedded file store), owned by the non-root user.
# Tags are pinned to the toolchain the test suite runs with (SDK 10.0.401, ASP.NET Core runtime 10.0.12).

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
# 1. restore, from the project files alone: this layer is reused until a project file changes
COPY Directory.Build.props ./
COPY LightS3/LightS3.csproj LightS3/
COPY LightS3.Yaml/LightS3.Yaml.csproj LightS3.Yaml/
COPY LightS3.Cli/LightS3.Cli.csproj LightS3.Cli/
RUN dotnet restore LightS3.Cli/LightS3.Cli.csproj
# 2. the sources, then publish without symbols or XML docs
COPY LightS3/ LightS3/
COPY LightS3.Yaml/ LightS3.Yaml/
COPY LightS3.Cli/ LightS3.Cli/
RUN dotnet publish LightS3.Cli/LightS3.Cli.csproj -c Release --no-restore -o /app \
      -p:DebugType=none -p:GenerateDocumentationFile=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12
WORKDIR /app
COPY --from=build /app .
# the image's built-in non-root user ($APP_UID, "app") owns the data volume
RUN mkdir -p /data /config && chown "$APP_UID" /data
USER $APP_UID
ENV LIGHTS3_CONFIG=/config/lightapi.yaml \
    ASPNETCORE_HTTP_PORTS=8080 \
    LIGHTS3_STORAGE_URL=file:/data
EXPOSE 8080
VOLUME ["/data"]
# the same command line the test suite runs against the published output (LightS3.Tests/Yaml/HostProcessTests.cs)
ENTRYPOINT ["dotnet", "LightS3.Cli.dll"]
CMD ["serve"]
