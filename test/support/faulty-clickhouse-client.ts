import type { ClickHouseClient } from '@clickhouse/client';

export interface Faults {
  /** Inserts fail before reaching the engine, as when the server is down (ECONNREFUSED). */
  refuseInserts?: boolean;
  /** The next N inserts are applied by the real engine, then the connection "breaks" (ECONNRESET). */
  failInsertsAfterApplying?: number;
}

function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * A real ClickHouse client with a broken network in front of it: every statement still runs on the real engine,
 * the faults only decide what the caller is told. Used to prove what the writer does with the failures a network
 * produces (the engine itself is never imitated).
 */
export class FaultyClickhouseClient {
  appliedThenFailed = 0;

  constructor(
    private readonly real: ClickHouseClient,
    readonly options: Faults,
  ) {}

  asClient(): ClickHouseClient {
    return new Proxy(this.real, {
      get: (target, property, receiver) => {
        if (property === 'exec') return (params: Parameters<ClickHouseClient['exec']>[0]) => this.exec(params);
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private async exec(params: Parameters<ClickHouseClient['exec']>[0]) {
    const isInsert = /^\s*INSERT/i.test(params.query);
    if (isInsert && this.options.refuseInserts) throw networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8123');
    const result = await this.real.exec(params);
    if (isInsert && (this.options.failInsertsAfterApplying ?? 0) > 0) {
      this.options.failInsertsAfterApplying! -= 1;
      this.appliedThenFailed += 1;
      for await (const _chunk of result.stream) void _chunk;
      throw networkError('ECONNRESET', 'read ECONNRESET');
    }
    return result;
  }
}
