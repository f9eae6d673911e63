/** Helpers for raw ZooKeeper znodes: paths and the three views of their bytes. */

/** The root is `/`; children of `/a` are `/a/<name>`. */
export function znodeChild(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** `/a/b/c` → [`/a`, `/a/b`] (the ancestors, not the root nor the path itself). */
export function znodeAncestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts
    .slice(0, -1)
    .map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/** A typed path as ZooKeeper wants it: absolute, no trailing slash. */
export function normalizeZnodePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (!trimmed) return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export function bytesFromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function base64FromBytes(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Bytes as hex pairs, 16 to a line. */
export function hexOf(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(
      Array.from(bytes.slice(i, i + 16))
        .map(b => b.toString(16).padStart(2, '0'))
        .join(' '),
    );
  }
  return lines.join('\n');
}

/** Hex text (any whitespace) → bytes; throws naming the problem. */
export function bytesFromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0)
    throw new Error('Hex needs an even number of digits');
  if (!/^[0-9a-fA-F]*$/.test(clean))
    throw new Error('Hex may only hold 0-9 and a-f');
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** UTF-8 text of bytes, or undefined when they are not valid UTF-8. */
export function textOf(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** JSON text pretty-printed, or undefined when it is not JSON. */
export function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

/** ZooKeeper's permission letters (zkCli's `cdrwa`). */
export const PERMISSION_NAMES = [
  'read',
  'write',
  'create',
  'delete',
  'admin',
] as const;
