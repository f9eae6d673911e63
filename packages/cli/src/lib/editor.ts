import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors';
import { ExitCode } from './exitCodes';

/** `$VISUAL`, `$EDITOR`, or vi, as git picks it. */
export function editorCommand(env: NodeJS.ProcessEnv): string {
  return env.ARCHON_EDITOR || env.VISUAL || env.EDITOR || 'vi';
}

/** A private temp file (mode 600: it may hold secrets) for one edit session. */
export class EditFile {
  readonly path: string;
  readonly #dir: string;

  constructor(name: string) {
    this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-edit-'));
    this.path = path.join(this.#dir, name.replace(/[^A-Za-z0-9_.-]+/g, '-'));
  }

  /** Writes `text`, runs the editor on it, returns what was saved. */
  async edit(text: string, env: NodeJS.ProcessEnv): Promise<string> {
    fs.writeFileSync(this.path, text, { mode: 0o600 });
    const editor = editorCommand(env);
    // Through the shell, like git: EDITOR may carry arguments ("code --wait").
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('sh', ['-c', `${editor} "$@"`, editor, this.path], {
        stdio: 'inherit',
        env,
      });
      child.on('error', reject);
      child.on('exit', (c, signal) => resolve(signal ? null : c));
    }).catch(error => {
      throw new CliError(
        `cannot run the editor "${editor}": ${(error as Error).message}`,
      );
    });
    if (code !== 0) {
      throw new CliError(
        `the editor "${editor}" exited with ${
          code === null ? 'a signal' : `code ${code}`
        }; nothing was saved`,
        ExitCode.Cancelled,
      );
    }
    return fs.readFileSync(this.path, 'utf8');
  }

  remove(): void {
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
