import type {
  ZooKeeperData,
  ZooKeeperDataInput,
} from '@archon/plugin-archon-common';
import {
  base64FromBytes,
  bytesFromBase64,
  bytesFromHex,
  hexOf,
  prettyJson,
  textOf,
} from '../../lib/znodes';

export type DataView = 'text' | 'json' | 'hex';

/** The view a znode opens in: JSON for JSON, text for text, hex for the rest. */
export function defaultView(data: ZooKeeperData): DataView {
  if (data.format === 'json') return 'json';
  return data.format === 'text' ? 'text' : 'hex';
}

/** The bytes shown in a view, or undefined when the view cannot show them (binary as text). */
export function renderView(
  bytes: Uint8Array,
  view: DataView,
): string | undefined {
  if (view === 'hex') return hexOf(bytes);
  const text = textOf(bytes);
  if (text === undefined) return undefined;
  if (view === 'json') return text === '' ? '' : prettyJson(text);
  return text;
}

/** The bytes of a draft in a view; throws saying what is wrong with it. */
export function bytesOfDraft(draft: string, view: DataView): Uint8Array {
  if (view === 'hex') return bytesFromHex(draft);
  if (view === 'json' && draft.trim() !== '') {
    try {
      JSON.parse(draft);
    } catch (e) {
      throw new Error(`Not valid JSON: ${(e as Error).message}`);
    }
  }
  return new TextEncoder().encode(draft);
}

/** What to send: text as text (exactly as typed), other bytes as base64. */
export function dataInputOf(draft: string, view: DataView): ZooKeeperDataInput {
  if (view === 'hex')
    return { base64: base64FromBytes(bytesOfDraft(draft, view)) };
  bytesOfDraft(draft, view);
  return { text: draft };
}

export function bytesOfData(data: ZooKeeperData): Uint8Array {
  return bytesFromBase64(data.base64);
}
