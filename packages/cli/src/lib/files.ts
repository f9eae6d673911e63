import fs from 'node:fs';
import { UsageError } from './errors';
import { readStdin } from './prompt';

/** The text of `-f <file>`; `-` is stdin. */
export async function readInputFile(
  file: string,
  stdin: NodeJS.ReadableStream,
): Promise<string> {
  if (file === '-') return readStdin(stdin);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file'
          : (error as Error).message
      }`,
    );
  }
}
