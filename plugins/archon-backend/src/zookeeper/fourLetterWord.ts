import { Socket } from 'node:net';

/**
 * Sends one ZooKeeper four-letter-word command (e.g. `srvr`) to one server
 * and returns its text answer. The server closes the connection after
 * answering; a server that is starting may accept and never answer, so the
 * caller's signal bounds the wait.
 */
export function sendFourLetterWord(
  host: string,
  port: number,
  command: string,
  signal: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    const onAbort = () => {
      socket.destroy();
      reject(new Error(`${host}:${port} did not answer '${command}'`));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', err => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error(`${host}:${port}: ${err.message}`));
    });
    socket.on('data', chunk => chunks.push(Buffer.from(chunk)));
    socket.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) {
        reject(
          new Error(
            `${host}:${port} gave an empty answer to '${command}' (is it whitelisted in 4lw.commands.whitelist?)`,
          ),
        );
      } else {
        resolve(text);
      }
    });
    socket.connect(port, host, () => socket.end(command));
  });
}

/** Parses the `srvr` answer into its fields (`Zookeeper version`, `Mode`, ...). */
export function parseSrvr(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return fields;
}
