// Node.js flags the server runs with, wherever it is started (npm start, the benchmarks; the Dockerfile and
// docker-compose.yml repeat them). Ingest allocates a young object per field of every event: with V8's default
// 16 MiB semi-space most of them survive one scavenge and are copied. 64 MiB lets them die young; measured on
// 2 cores: OTLP ingest 8,345 → 10,155 spans/s (165 → 127 µs of server CPU per span), request ingest 126 → 114 µs
// of CPU per event. It costs at most 3 × 64 MiB of young generation on a server that idles at ~1.1 GiB.
export const serverNodeFlags = ['--max-semi-space-size=64'];
