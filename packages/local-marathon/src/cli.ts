import { parseArgs } from 'node:util';
import { startLocalMarathon } from './LocalMarathon';
import { parsePortRange } from './options';

const USAGE = `Usage: local-marathon [options]

  --port <n>                 HTTP port (default 8080; 0 = any free port)
  --host <addr>              interface to listen on (default 127.0.0.1)
  --data-dir <dir>           state and task sandboxes (default ./.local-marathon)
  --port-range <min-max>     host ports for tasks (default 31000-32000)
  --deployment-timeout <s>   seconds before a stuck deployment step fails (default 60; 0 = never)
  -h, --help                 show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'port-range': { type: 'string' },
      'deployment-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const number = (
    text: string | undefined,
    name: string,
  ): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} must be a non-negative number`);
    return value;
  };
  const timeoutSeconds = number(
    values['deployment-timeout'],
    'deployment-timeout',
  );
  const marathon = await startLocalMarathon({
    port: number(values.port, 'port'),
    host: values.host,
    dataDir: values['data-dir'],
    portRange: values['port-range']
      ? parsePortRange(values['port-range'])
      : undefined,
    deploymentTimeoutMs:
      timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
    log: line => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`local-marathon ready at ${marathon.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping tasks and shutting down\n`);
    marathon.close().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(error => {
  process.stderr.write(
    `local-marathon: ${
      error instanceof Error ? error.message : String(error)
    }\n`,
  );
  process.exit(1);
});
