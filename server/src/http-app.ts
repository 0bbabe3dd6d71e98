import * as fs from 'node:fs';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppModule } from './app.module';
import type { WardenConfig } from './engine/config/config';
import type { Engines } from './engine/engines';
import { RequestDrain } from './engine/http/request-drain';
import { EscapingConsoleLogger } from './engine/logging/escaping-console-logger';
import { GatewayHandler } from './modules/gateway/gateway.handler';

// Routes that read their own body (large, gzip, NDJSON, YAML, exact decimals) and must not meet the generic JSON parser.
const rawBodyRoutes = ['/api/v1/ingest/', '/v1/traces', '/api/v1/policies/'];
const apiPrefixes = ['/api/', '/graphql', '/v1/', '/healthz', '/readyz', '/metrics'];

export function consoleDirectory(): string | null {
  for (const candidate of [path.resolve(__dirname, '../../web/dist'), path.resolve(__dirname, '../../../../web/dist')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/** The HTTP application over running engines: body parsing, JSON errors, the console's files, then Nest. */
const logLevelsFrom: Record<WardenConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

const openAiStopping = (message: string) => ({ error: { message, type: 'server_error', param: null, code: 'server_stopping' } });
const wardenStopping = (message: string) => ({ error: { code: 'server_stopping', message } });
const gatewayRequestIdHeader = () => ({ 'x-request-id': GatewayHandler.newRequestId() });

export async function createHttpApp(engines: Engines, options: { logger?: false | LogLevel[] } = {}): Promise<NestExpressApplication> {
  const logLevels = options.logger ?? logLevelsFrom[engines.config.logLevel];
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forHttp(engines), {
    bodyParser: false,
    // Every log line escapes the text it carries: user input cannot start a forged line.
    logger: logLevels === false ? false : new EscapingConsoleLogger(logLevels),
  });
  const jsonParser = express.json({ limit: '10mb' });
  // The OpenAI-compatible gateway answers its own paths on the HTTP server itself, ahead of Express and Nest: its
  // own body limit, OpenAI's error shapes, streaming, and no per-request work it does not need (the hot path).
  const gateway = app.get(GatewayHandler);
  const server = app.getHttpServer() as HttpServer;
  const [expressListener] = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  server.removeAllListeners('request');
  // Every request passes the drain: a stopping server refuses new ones (in the caller's protocol) and waits for these.
  const drain = app.get(RequestDrain);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const requestPath = query === -1 ? url : url.slice(0, query);
    if (GatewayHandler.handles(requestPath)) {
      if (!drain.admit(response, openAiStopping, gatewayRequestIdHeader)) return;
      // The handler may outlive its answer (a client that left mid-stream is still logged and settled).
      void gateway.handle(request, response, requestPath).finally(drain.begin());
    } else if (drain.admit(response, wardenStopping)) {
      expressListener(request, response);
    }
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (rawBodyRoutes.some((prefix) => request.path.startsWith(prefix))) return next();
    return jsonParser(request, response, next);
  });
  // Body-parser failures happen before Nest sees the request; answer them in the same JSON error shape.
  app.use((error: { status?: number; type?: string; message: string }, _request: Request, response: Response, next: NextFunction) => {
    if (!error) return next();
    const status = error.status ?? 400;
    const code = status === 413 ? 'payload_too_large' : 'malformed_payload';
    response.status(status).json({ error: { code, message: `Request body: ${error.message}` } });
  });
  const directory = consoleDirectory();
  if (directory) {
    app.use(express.static(directory, { index: false, maxAge: '1h' }));
    app.use((request: Request, response: Response, next: NextFunction) => {
      // The console is a single-page app: every non-API GET gets index.html and the client routes it.
      if (request.method !== 'GET' || apiPrefixes.some((prefix) => request.path.startsWith(prefix))) return next();
      response.sendFile(path.join(directory, 'index.html'));
    });
  } else {
    app.use('/', (request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' || request.path !== '/') return next();
      response.type('text/plain').send('Warden is running, but the console is not built: run `npm run build -w web` (npm start does this).');
    });
  }
  // No enableShutdownHooks(): Nest would re-raise the signal after closing the modules and kill the process before
  // the writer's final flush. main.ts handles SIGTERM/SIGINT and calls stopHttpApp.
  return app;
}

/**
 * Stops in order: no new requests, then those in flight finish (up to `drainLimitMs`; what still runs is cut, as a
 * client leaving would cut it, and logs what it used), then the modules (the gateway's journal is written), then
 * the writer writes what is queued and the stores close. Nest's app.close() alone would run the modules' destroy
 * hooks while requests still ran, and a handler could then find its stores closed.
 */
export async function stopHttpApp(app: NestExpressApplication, engines: Engines, drainLimitMs: number, log: (line: string) => void): Promise<void> {
  const { runningAtLimit } = await app.get(RequestDrain).stop(app.getHttpServer() as HttpServer, drainLimitMs, 5_000);
  if (runningAtLimit > 0) log(`${runningAtLimit} request(s) still running after ${drainLimitMs / 1000} s: their connections were cut`);
  await app.close();
  await engines.close();
}
