/** Log lines go to stderr so that `--once` keeps stdout for the report alone. */
export type LogFunction = (message: string) => void;

export const logToStderr: LogFunction = (message) => {
  process.stderr.write(`${new Date().toISOString()} warden-node-agent: ${message}\n`);
};
