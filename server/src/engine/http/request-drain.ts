import type { Server, ServerResponse } from 'node:http';
import { Injectable, type CallHandler, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';

/** How long a refused client is asked to wait: another process, or this one restarted, answers by then. */
const retryAfterSeconds = 5;

/**
 * The work the HTTP server has under way, so a stop can take no new requests and wait for those in flight before
 * the modules and stores close under them (Nest's own close runs the modules' destroy hooks while the server still
 * serves). A request counts until its answer is closed, and a handler until it returns: a GraphQL query or a
 * gateway stream whose client left goes on to its end (the stream logs and settles what was used), and must still
 * find its stores open.
 */
@Injectable()
export class RequestDrain implements NestInterceptor {
  private inFlight = 0;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];

  /** Counts one piece of work; the returned function ends it (once, however often it is called). */
  begin(): () => void {
    this.inFlight += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Nest's handlers (controllers, resolvers) count from their start to their end, answer or not. */
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(finalize(this.begin()));
  }

  /**
   * Admits a request, which then counts until its answer is closed; once the server is stopping, answers 503 with
   * `body(message)` and `headers()` (the caller's protocol shapes them), and returns false.
   */
  admit(response: ServerResponse, body: (message: string) => unknown, headers?: () => Record<string, string>): boolean {
    if (this.stopping) {
      const message = 'Warden is stopping: retry in a few seconds (another server process, or this one restarted, answers then)';
      const json = JSON.stringify(body(message));
      response.writeHead(503, {
        ...headers?.(),
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(json)),
        connection: 'close',
        'retry-after': String(retryAfterSeconds),
      });
      response.end(json);
      return false;
    }
    response.once('close', this.begin());
    return true;
  }

  /**
   * Stops taking requests and waits up to `limitMs` for those in flight. Whatever still runs then (a stream that
   * does not end) has its connection cut, which aborts it the way a client leaving does, and gets `cutGraceMs` to
   * log what it used. Answers how many were still running at the limit.
   */
  async stop(server: Server, limitMs: number, cutGraceMs: number): Promise<{ runningAtLimit: number }> {
    this.stopping = true;
    // No new connections; the idle keep-alive ones close now, the busy ones after their answer (refused above).
    server.close();
    server.closeIdleConnections();
    const finished = await this.idle(limitMs);
    const runningAtLimit = finished ? 0 : this.inFlight;
    server.closeAllConnections();
    if (!finished) await this.idle(cutGraceMs);
    return { runningAtLimit };
  }

  private idle(limitMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== wake);
        resolve(false);
      }, limitMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(wake);
    });
  }
}
