import type { KafkaMessagePayload } from '@archon/plugin-archon-common';

/** A key or value: pretty JSON when it parses, as the backend decoded it otherwise. */
export function payloadText(p: KafkaMessagePayload | null | undefined): string {
  if (!p) return '(null)';
  if (p.format === 'json') {
    try {
      return JSON.stringify(JSON.parse(p.text), null, 2);
    } catch {
      return p.text;
    }
  }
  return p.text;
}
