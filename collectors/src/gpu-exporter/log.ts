/** Log lines go to stderr so that `--once` keeps stdout for the exposition alone. */
export type LogFunction = (message: string) => void;

export const logToStderr: LogFunction = (message) => {
  process.stderr.write(`${new Date().toISOString()} warden-gpu-exporter: ${message}\n`);
};
