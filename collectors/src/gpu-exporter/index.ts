/** Public surface of the exporter, for the bin, the tests and the benchmark. */
export { main, createExporter, collectOnce, type Exporter } from './main';
export { parseCommandLine, type ExporterOptions } from './command-line';
export { parseCsvTable } from './csv-table';
export { readGpus } from './gpu-reading';
export { ExporterMetrics } from './metrics-registry';
export { toGpuSamples, type GpuSample, type GpuSampleBatch } from './gpu-sample';
