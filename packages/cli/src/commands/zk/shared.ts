import fs from 'node:fs';
import { Option } from 'commander';
import type {
  ZooKeeperData,
  ZooKeeperDataInput,
  ZooKeeperImportPlan,
  ZooKeeperStat,
} from '@archon/plugin-archon-common';
import { UsageError } from '../../lib/errors';
import { readInputFile } from '../../lib/files';
import { formatFields, type Colors } from '../../lib/output';
import { readStdin } from '../../lib/prompt';
import type { CliRuntime } from '../../lib/runtime';

export const MODES = [
  'persistent',
  'persistent_sequential',
  'sequential',
  'ephemeral',
  'ephemeral_sequential',
] as const;

/** `/a/b`, `a/b` → `/a/b`; `/` stays the root. The server validates the rest. */
export function znodePathArg(input: string): string {
  const trimmed = input.trim();
  if (!trimmed || trimmed === '/') return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export function dataText(data: ZooKeeperData): string {
  if (data.size === 0) return '';
  if (data.format === 'json' && data.json !== undefined)
    return JSON.stringify(data.json, null, 2);
  if (data.format === 'text' && data.text !== undefined) return data.text;
  return data.hex ?? Buffer.from(data.base64, 'base64').toString('hex');
}

export function statFields(stat: ZooKeeperStat, colors: Colors): string {
  return formatFields(
    [
      ['version', stat.version],
      ['cversion', stat.cversion],
      ['aversion', stat.aversion],
      ['ctime', stat.ctime],
      ['mtime', stat.mtime],
      ['czxid', stat.czxid],
      ['mzxid', stat.mzxid],
      ['pzxid', stat.pzxid],
      ['ephemeralOwner', stat.ephemeralOwner],
      ['dataLength', stat.dataLength],
      ['numChildren', stat.numChildren],
    ],
    colors,
  );
}

/** Data to write: the argument as text (or JSON/base64), or a file's exact bytes. */
export async function dataInput(
  rt: CliRuntime,
  value: string | undefined,
  options: { file?: string; json?: boolean; base64?: boolean },
): Promise<ZooKeeperDataInput> {
  if (options.json && options.base64)
    throw new UsageError('use either --json or --base64');
  if (value !== undefined && options.file)
    throw new UsageError(
      'give the data either as an argument or with -f, not both',
    );
  let text: string | undefined = value;
  if (options.file) {
    if (!options.json && !options.base64) {
      // A file goes byte for byte.
      const bytes =
        options.file === '-'
          ? Buffer.from(await readStdin(rt.io.stdin), 'utf8')
          : readBytes(options.file);
      return { base64: bytes.toString('base64') };
    }
    text = await readInputFile(options.file, rt.io.stdin);
  }
  if (text === undefined) return {};
  if (options.json) {
    try {
      return { json: JSON.parse(text) };
    } catch (error) {
      throw new UsageError(
        `--json: not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  if (options.base64) return { base64: text.trim() };
  return { text };
}

export function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

export function formatPlan(plan: ZooKeeperImportPlan, colors: Colors): string {
  const lines = [
    `${plan.dryRun ? 'Plan' : 'Applied'} for ${plan.path} (${plan.mode}): ${
      plan.creates.length
    } to create, ${plan.updates.length} to update, ${
      plan.deletes.length
    } to delete, ${plan.unchanged} unchanged${
      plan.skipped.length ? `, ${plan.skipped.length} skipped` : ''
    }`,
  ];
  for (const c of plan.creates)
    lines.push(colors.green(`  + ${c.path} (${c.size} bytes)`));
  for (const u of plan.updates)
    lines.push(
      colors.yellow(`  ~ ${u.path} (${u.fromSize} → ${u.toSize} bytes)`),
    );
  for (const d of plan.deletes) lines.push(colors.red(`  - ${d.path}`));
  for (const s of plan.skipped)
    lines.push(colors.dim(`  skipped ${s.path}: ${s.reason}`));
  return lines.join('\n');
}

export const nothingToDo = (plan: ZooKeeperImportPlan) =>
  !plan.creates.length && !plan.updates.length && !plan.deletes.length;
/** The ensemble of the zk group (its --ensemble, else the context's, else the only one). */
export type ZkEnsembleResolver = (rt: CliRuntime) => Promise<string>;

/** `--raw`: the server refuses raw writes under the configuration root without it. */
export function rawOption(): Option {
  return new Option(
    '--raw',
    'write a znode under the Pheidippides configuration root anyway (otherwise refused with exit 4; archon config keeps writes checked); recorded in the configuration history as a raw znode write',
  );
}
