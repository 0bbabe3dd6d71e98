import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WriterMetrics {
  writtenRows: Counter<'table'>;
  batchRows: Histogram<'table'>;
  lagSeconds: Histogram<'table'>;
  pendingRows: Gauge<'table'>;
  failedBatches: Counter<'table'>;
  retries: Counter;
  refusedRows: Counter<'table'>;
}

export function createWriterMetrics(registry: Registry): WriterMetrics {
  return {
    writtenRows: new Counter({ name: 'warden_clickhouse_written_rows_total', help: 'Rows written to ClickHouse', labelNames: ['table'], registers: [registry] }),
    batchRows: new Histogram({
      name: 'warden_clickhouse_batch_rows',
      help: 'Rows per ClickHouse insert',
      labelNames: ['table'],
      buckets: [1, 10, 100, 1000, 5000, 10000, 20000, 50000],
      registers: [registry],
    }),
    lagSeconds: new Histogram({
      name: 'warden_clickhouse_writer_lag_seconds',
      help: 'Time from a write being handed to the writer until it is stored',
      labelNames: ['table'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    pendingRows: new Gauge({ name: 'warden_clickhouse_writer_pending_rows', help: 'Rows waiting in the writer', labelNames: ['table'], registers: [registry] }),
    failedBatches: new Counter({ name: 'warden_clickhouse_failed_batches_total', help: 'Batches that failed after retries', labelNames: ['table'], registers: [registry] }),
    retries: new Counter({ name: 'warden_clickhouse_writer_retries_total', help: 'Transient failures retried', registers: [registry] }),
    refusedRows: new Counter({ name: 'warden_clickhouse_refused_rows_total', help: 'Rows ClickHouse refused, isolated from their batch', labelNames: ['table'], registers: [registry] }),
  };
}
