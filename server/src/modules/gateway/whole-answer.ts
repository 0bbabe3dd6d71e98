import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { errors, util, type Dispatcher } from 'undici';

/*
 * A node's answer read whole, for the answers the gateway relays in one piece (JSON, never a stream). undici's
 * request() wraps every answer in a Readable and an async-hooks scope, and reading it back takes a turn of that
 * stream per chunk: about 5% of the gateway's main thread. Here the chunks are kept as they arrive, and the answer
 * resolves once it is complete. Streams keep request(): their chunks are relayed as they come.
 */

/** An EventEmitter with an 'abort' event: the caller went away, so the node's call is dropped. */
export class ClientGoneSignal extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

export interface WholeAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
}

/** The node's answer had begun (its status and headers came) when the call failed; `answer` holds what came. */
export class AnswerBrokenOff extends Error {
  readonly code: string;

  constructor(
    override readonly cause: Error,
    readonly answer: WholeAnswer,
  ) {
    super(cause.message);
    this.code = (cause as { code?: string }).code ?? '';
  }
}

/** Rejects as request() would before the answer begins (the same undici errors), and with AnswerBrokenOff after. */
export function requestWhole(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: ClientGoneSignal): Promise<WholeAnswer> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new WholeAnswerHandler(signal, resolve, reject));
  });
}

/** undici's dispatch handler (the callbacks its own request() handler implements), collecting the body. */
class WholeAnswerHandler implements Dispatcher.DispatchHandler {
  private abortCall: ((reason: Error) => void) | null = null;
  private statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private begun = false;
  private readonly clientGone = () => this.abortCall?.(new errors.RequestAbortedError());

  constructor(
    private readonly signal: ClientGoneSignal,
    private readonly resolve: (answer: WholeAnswer) => void,
    private readonly reject: (error: Error) => void,
  ) {
    signal.once('abort', this.clientGone);
  }

  onConnect(abort: (reason: Error) => void): void {
    if (this.signal.aborted) abort(new errors.RequestAbortedError());
    else this.abortCall = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx answers (100 Continue) come before the real one.
    if (statusCode < 200) return true;
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    this.begun = true;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.signal.removeListener('abort', this.clientGone);
    this.resolve(this.answerSoFar());
  }

  onError(error: Error): void {
    this.signal.removeListener('abort', this.clientGone);
    this.reject(this.begun ? new AnswerBrokenOff(error, this.answerSoFar()) : error);
  }

  private answerSoFar(): WholeAnswer {
    const bytes = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    return { statusCode: this.statusCode, headers: util.parseHeaders(this.rawHeaders) as IncomingHttpHeaders, bytes };
  }
}
