import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProgram } from '../program';
import type { CliIo } from '../lib/runtime';
import { bashCompletion, zshCompletion } from './completion';

const io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: {},
} as unknown as CliIo;

/** What bash completes for the words typed so far (the last one being completed). */
function complete(script: string, words: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-compl-'));
  const file = path.join(dir, 'archon.bash');
  fs.writeFileSync(file, script);
  try {
    const out = execFileSync(
      'bash',
      [
        '-c',
        `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _archon; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        file,
        ...words,
      ],
      { encoding: 'utf8' },
    );
    return out.split('\n').filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('archon completion', () => {
  const program = buildProgram(io);
  const bash = bashCompletion(program);

  it('completes commands, subcommands (aliases too), options and option values in bash', () => {
    expect(complete(bash, ['archon', ''])).toEqual(
      expect.arrayContaining([
        'config',
        'topics',
        'groups',
        'messages',
        'connectors',
        'context',
        'login',
        'health',
        'completion',
        'zk',
        'consumer-groups',
        'zookeeper',
      ]),
    );
    expect(complete(bash, ['archon', 'con'])).toEqual(
      expect.arrayContaining(['config', 'connectors', 'context']),
    );
    expect(complete(bash, ['archon', 'config', ''])).toEqual(
      expect.arrayContaining([
        'get',
        'set',
        'unset',
        'edit',
        'resolve',
        'diff',
        'effective',
        'pending',
        'history',
        'tree',
      ]),
    );
    expect(complete(bash, ['archon', 'topic', 'l']).sort()).toEqual([
      'list',
      'ls',
    ]);
    expect(
      complete(bash, [
        'archon',
        '-o',
        'json',
        'connectors',
        '--cluster',
        'x',
        'restart',
        'name',
        '--f',
      ]),
    ).toEqual(['--failed-only']);
    expect(
      complete(bash, ['archon', 'config', 'resolve', '/x', '--ex']),
    ).toEqual(['--explain']);
    expect(complete(bash, ['archon', 'topics', 'ls', '--out'])).toEqual([
      '--output',
    ]);
    // tree, dot and mermaid: the graph commands' renderings (others refuse them).
    expect(complete(bash, ['archon', 'health', '-o', ''])).toEqual([
      'table',
      'json',
      'yaml',
      'tree',
      'dot',
      'mermaid',
    ]);
    expect(complete(bash, ['archon', 'apps', 'tasks', ''])).toEqual(
      expect.arrayContaining(['ls', 'kill']),
    );
    expect(
      complete(bash, ['archon', 'apps', 'tasks', 'kill', 'x', '--s']),
    ).toEqual(['--scale']);
    expect(complete(bash, ['archon', 'deployments', 'c'])).toEqual(['cancel']);
    expect(complete(bash, ['archon', 'apps', 'queue', 'x', '--r'])).toEqual([
      '--reset-delay',
    ]);
    expect(complete(bash, ['archon', 'deploy', '/x', '--inst'])).toEqual([
      '--instance',
    ]);
    // --instance, the older name of --target, on every command with --target.
    expect(complete(bash, ['archon', 'apps', 'status', 'x', '--inst'])).toEqual(
      ['--instance'],
    );
    expect(
      complete(bash, ['archon', 'graph', '--direction', '']).sort(),
    ).toEqual(['both', 'down', 'up']);
    expect(complete(bash, ['archon', 'zk', '-e', 'local', 'r'])).toEqual([
      'rm',
    ]);
  });

  it('prints a zsh script that registers with compdef', () => {
    const zsh = zshCompletion(program);
    expect(zsh.startsWith('#compdef archon')).toBe(true);
    expect(zsh).toContain('compdef _archon archon');
    expect(zsh).toMatch(/"config"\) print -rl -- 'get:/);
  });
});
