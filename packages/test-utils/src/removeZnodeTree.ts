import zookeeper from 'node-zookeeper-client';

/**
 * Deletes a znode and everything under it (a test file's private root), so
 * test runs leave nothing behind in the shared ZooKeeper. Missing is fine.
 */
export async function removeZnodeTree(
  connectionString: string,
  root: string,
): Promise<void> {
  const client = zookeeper.createClient(connectionString);
  await new Promise<void>(resolve => {
    client.once('connected', () => resolve());
    client.connect();
  });
  try {
    await removeTree(client, root);
  } finally {
    client.close();
  }
}

async function removeTree(client: zookeeper.Client, node: string) {
  const children = await new Promise<string[]>((resolve, reject) =>
    client.getChildren(node, (error, names) => {
      if (error && isNoNode(error)) resolve([]);
      else if (error) reject(error);
      else resolve(names);
    }),
  );
  for (const child of children) await removeTree(client, `${node}/${child}`);
  await new Promise<void>((resolve, reject) =>
    client.remove(node, error => {
      if (error && !isNoNode(error)) reject(error);
      else resolve();
    }),
  );
}

function isNoNode(error: unknown): boolean {
  return (
    error instanceof zookeeper.Exception &&
    error.getCode() === zookeeper.Exception.NO_NODE
  );
}
