/**
 * One collection = one `nvidia-smi --query-gpu` run (plus -L when MIG is on and --query-compute-apps when
 * asked). Every consumer (each /metrics scrape, the pusher) shares it, and callers that arrive while a run
 * is in flight get that run's result instead of starting another: nvidia-smi is slow and holds driver locks.
 */
import { COMPUTE_APPS_FIELDS, parseComputeApps, type ComputeProcess } from './compute-apps';
import { parseCsvTable } from './csv-table';
import { classifyFailure, unreadableOutput, type Failure } from './failure-cause';
import {
  fallbackFieldSelection,
  queryArgument,
  selectSupportedFields,
  withoutField,
  type FieldSelection,
} from './field-catalogue';
import { parseHelpQueryGpu } from './field-discovery';
import { readGpus, type GpuReading } from './gpu-reading';
import type { LogFunction } from './log';
import { parseMigDevices, type MigDevice } from './mig-devices';
import type { NvidiaSmiRunner } from './nvidia-smi-runner';

export interface Snapshot {
  readonly collectedAt: Date;
  readonly durationSeconds: number;
  /** Set when --query-gpu failed: the exporter then reports up 0 and no GPU series. */
  readonly failure: Failure | undefined;
  readonly gpus: readonly GpuReading[];
  /** Undefined when not asked for, or when that query failed. */
  readonly processes: readonly ComputeProcess[] | undefined;
  readonly migDevices: readonly MigDevice[];
  /** Failures of the optional queries (-L, --query-compute-apps): logged and counted, GPU data still up. */
  readonly secondaryFailures: readonly Failure[];
  readonly fieldSource: FieldSelection['source'];
}

export interface CollectorOptions {
  readonly queryComputeApps: boolean;
  readonly log: LogFunction;
}

/** Each refused field costs one retry; past this the failure is reported instead of looping. */
const MAX_FIELD_RETRIES = 5;

export class GpuCollector {
  private selection: FieldSelection | undefined;
  private inFlight: Promise<Snapshot> | undefined;
  private lastFailureCause: string | undefined;

  constructor(
    private readonly runner: NvidiaSmiRunner,
    private readonly options: CollectorOptions,
  ) {}

  collect(): Promise<Snapshot> {
    if (this.inFlight === undefined) {
      this.inFlight = this.collectOnce().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async collectOnce(): Promise<Snapshot> {
    const collectedAt = new Date();
    const started = process.hrtime.bigint();
    const secondaryFailures: Failure[] = [];
    const selection = await this.fieldSelection();
    const { failure, gpus } = await this.queryGpus(selection);

    let processes: ComputeProcess[] | undefined;
    let migDevices: MigDevice[] = [];
    if (failure === undefined) {
      if (this.options.queryComputeApps) {
        const result = await this.runner.run([`--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`, '--format=csv']);
        const appsFailure = classifyFailure(result, this.runner.executable);
        if (appsFailure) secondaryFailures.push(appsFailure);
        else processes = parseComputeApps(result.stdout);
      }
      if (gpus.some((gpu) => gpu.numbers.get('mig.mode.current') === 1)) {
        const result = await this.runner.run(['-L']);
        const listFailure = classifyFailure(result, this.runner.executable);
        if (listFailure) secondaryFailures.push(listFailure);
        else migDevices = parseMigDevices(result.stdout);
      }
    }
    for (const secondary of secondaryFailures) this.options.log(`optional nvidia-smi query failed: ${secondary.message}`);
    this.logTransition(failure);

    return {
      collectedAt,
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      failure,
      gpus,
      processes,
      migDevices,
      secondaryFailures,
      fieldSource: (this.selection ?? selection).source,
    };
  }

  /** Discovers once; after a failed discovery the next collection tries again (the driver may be back). */
  private async fieldSelection(): Promise<FieldSelection> {
    if (this.selection !== undefined && this.selection.source === 'discovered') return this.selection;
    const result = await this.runner.run(['--help-query-gpu']);
    const failure = classifyFailure(result, this.runner.executable);
    const discovered = failure === undefined ? selectSupportedFields(parseHelpQueryGpu(result.stdout)) : undefined;
    if (discovered !== undefined && discovered.fields.length > 0) {
      this.selection = discovered;
      this.options.log(`field discovery: this driver answers ${discovered.fields.length} of the exporter's fields`);
    } else if (this.selection === undefined) {
      this.selection = fallbackFieldSelection();
      const why = failure?.message ?? 'no known field in the --help-query-gpu output';
      this.options.log(`field discovery failed, using the built-in field list: ${why}`);
    }
    return this.selection;
  }

  private async queryGpus(initial: FieldSelection): Promise<{ failure: Failure | undefined; gpus: GpuReading[] }> {
    let selection = initial;
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.runner.run([`--query-gpu=${queryArgument(selection)}`, '--format=csv']);
      const failure = classifyFailure(result, this.runner.executable);
      if (failure === undefined) {
        const table = parseCsvTable(result.stdout);
        if (table.columns.length === 0) return { failure: unreadableOutput('empty output'), gpus: [] };
        if (table.malformedRowCount > 0) {
          this.options.log(`skipped ${table.malformedRowCount} row(s) whose cell count did not match the header`);
        }
        return { failure: undefined, gpus: readGpus(table) };
      }
      // One refused field fails the whole query: drop it and ask again, rather than report nothing forever.
      const reduced =
        failure.cause === 'invalid_field' && failure.invalidField !== undefined && attempt < MAX_FIELD_RETRIES
          ? withoutField(selection, failure.invalidField)
          : undefined;
      if (reduced === undefined) return { failure, gpus: [] };
      this.options.log(`nvidia-smi refused field "${failure.invalidField}"; asking again without it`);
      selection = reduced;
      this.selection = reduced;
    }
  }

  /** Logs a failure when it starts or changes, and the recovery, instead of one line per scrape. */
  private logTransition(failure: Failure | undefined): void {
    const cause = failure?.cause;
    if (cause === this.lastFailureCause) return;
    if (failure !== undefined) this.options.log(`nvidia-smi failed, reporting up 0: ${failure.message}`);
    else this.options.log('nvidia-smi answers again, reporting up 1');
    this.lastFailureCause = cause;
  }
}
