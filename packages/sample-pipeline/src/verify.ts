import fs from 'node:fs';

/** The non-empty lines of a file (none when it does not exist yet). */
export function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Waits until the file has at least `count` lines; fails naming the file after `timeoutMs`. */
export async function waitForSinkLines(
  file: string,
  count: number,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = readLines(file);
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) {
      throw new Error(
        `${file} has ${lines.length} line(s) after ${Math.round(
          timeoutMs / 1000,
        )} s, expected at least ${count}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}
