/**
 * The /metrics endpoint. Each scrape asks the collector, which shares an in-flight nvidia-smi run between
 * concurrent scrapes, so two Prometheus replicas never double the load on the driver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GpuCollector } from './gpu-collector';
import type { LogFunction } from './log';
import type { ExporterMetrics } from './metrics-registry';

const LANDING_PAGE = `<html><head><title>warden-gpu-exporter</title></head>
<body><h1>warden-gpu-exporter</h1><p><a href="/metrics">Metrics</a></p></body></html>\n`;

export function createMetricsServer(collector: GpuCollector, metrics: ExporterMetrics, log: LogFunction): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      collector
        .collect()
        .then(async (snapshot) => {
          metrics.update(snapshot);
          const body = await metrics.exposition();
          response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
        })
        .catch((error: unknown) => {
          log(`scrape failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n');
        });
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(LANDING_PAGE);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
}

export function listen(server: Server, port: number, address: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
