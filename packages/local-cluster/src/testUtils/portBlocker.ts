import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * For port-taken tests: a listener on a free port (someone else's program, as
 * far as the cluster can tell) and a scratch run folder; `close` ends both.
 */
export async function blockPort(label: string): Promise<{
  port: number;
  runDir: string;
  close(): Promise<void>;
}> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `archon-${label}-`));
  const blocker = net.createServer();
  await new Promise<void>(resolve =>
    blocker.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    port: (blocker.address() as net.AddressInfo).port,
    runDir,
    async close() {
      await new Promise(resolve => blocker.close(resolve));
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
