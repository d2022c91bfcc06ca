// Fixtures run side by side: each has its own app, store location (directory or S3 prefix) and clients, so nothing is
// shared but the services. A fixture that reads process-wide state (the thread pool, meters, activity listeners,
// settable statics) is [NonParallelizable] and runs alone. Four workers keep both cores busy while tests wait on RGW,
// Redis, child processes and browsers.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
