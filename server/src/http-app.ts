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
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const requestPath = query === -1 ? url : url.slice(0, query);
    if (GatewayHandler.handles(requestPath)) void gateway.handle(request, response, requestPath);
    else expressListener(request, response);
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
  // the writer's final flush. main.ts handles SIGTERM/SIGINT and closes everything in order.
  return app;
}
