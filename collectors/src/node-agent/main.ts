/**
 * Wiring of warden-node-agent: parse flags, then either print one report (--once) or report every
 * --interval until SIGTERM/SIGINT.
 */
import { parseCommandLine, USAGE } from './command-line';
import { logToStderr, type LogFunction } from './log';
import { NodeAgent } from './node-agent';
import type { NodeHeartbeat } from './node-report';

export interface OnceResult {
  readonly report: NodeHeartbeat;
  readonly exitCode: number;
}

const ONCE_DELIVERY_MILLISECONDS = 10_000;

/** One report; exit 1 when the engine is down or, with a server, the report was not delivered. */
export async function reportOnce(agent: NodeAgent): Promise<OnceResult> {
  const report = await agent.report();
  let delivered = true;
  if (agent.pusher) {
    agent.pusher.enqueue(report);
    delivered = await agent.pusher.flushWithin(ONCE_DELIVERY_MILLISECONDS);
    agent.pusher.stop();
  }
  return { report, exitCode: report.engine.up && delivered ? 0 : 1 };
}

function runUntilSignal(agent: NodeAgent, log: LogFunction): Promise<number> {
  agent.start();
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      log(`${signal}: stopping`);
      void agent.stop().then(() => {
        log('stopped');
        resolve(0);
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

/** Returns the process exit status. */
export async function main(argv: readonly string[], log: LogFunction = logToStderr): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    process.stderr.write(`warden-node-agent: ${parsed.error}\nRun warden-node-agent --help for the options.\n`);
    return 2;
  }
  if (parsed.options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const agent = new NodeAgent(parsed.options, log);
  if (parsed.options.once) {
    const result = await reportOnce(agent);
    process.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
    return result.exitCode;
  }
  return runUntilSignal(agent, log);
}
