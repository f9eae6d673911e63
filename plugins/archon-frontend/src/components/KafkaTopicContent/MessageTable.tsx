import type { KafkaMessage } from '@archon/plugin-archon-common';
import { ArchonTable, Identifier } from '../common/ArchonTable';
import { payloadText } from './payloadText';

/** A value's first line, for the table: whitespace folded, cut at 200 characters (the cell ends in an ellipsis). */
export function previewText(m: KafkaMessage['value']): string {
  if (!m) return '(null)';
  const text = m.format === 'json' ? compactJson(m.text) : m.text;
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** Key and value bytes of a record (headers not counted, like the read's bytes budget). */
export const messageSize = (m: KafkaMessage) =>
  (m.key?.size ?? 0) + (m.value?.size ?? 0);

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;

/**
 * Messages one line each (Redpanda Console's viewer): offset, partition,
 * time, key, the value's first line, headers count and size; a click on a
 * row opens its details.
 *
 * The columns have fixed widths and the value takes what is left (the
 * table's fixed layout): what a cell holds never widens the table past its
 * card, whatever the keys and values (each cut with an ellipsis, whole in
 * the tooltip and the drawer). The small figure columns are as wide as their
 * headers; headers count and size do not sort (a header's sort arrow alone
 * takes a fifth of such a column).
 */
export const MessageTable = (props: {
  messages: KafkaMessage[];
  title?: string;
  onOpen: (m: KafkaMessage) => void;
}) => (
  <ArchonTable<KafkaMessage>
    title={props.title}
    data={props.messages}
    onRowClick={(_e, m) => m && props.onOpen(m)}
    options={{
      paging: props.messages.length > 50,
      pageSize: 50,
      pageSizeOptions: [50, 200, 1000],
      search: false,
      toolbar: !!props.title,
      tableLayout: 'fixed',
    }}
    columns={[
      { title: 'Offset', field: 'offset', type: 'numeric', width: '120px' },
      {
        title: 'Partition',
        field: 'partition',
        type: 'numeric',
        width: '140px',
      },
      {
        title: 'Timestamp',
        field: 'timestamp',
        width: '230px',
        render: m => (
          <Identifier
            text={m.time ?? new Date(m.timestamp).toISOString()}
            maxWidth="100%"
            copy={false}
          />
        ),
      },
      {
        title: 'Key',
        field: 'key',
        width: '150px',
        render: m =>
          m.key ? (
            <Identifier
              text={payloadText(m.key)}
              maxWidth="100%"
              copy={false}
            />
          ) : (
            <em>null</em>
          ),
      },
      {
        title: 'Value',
        field: 'value',
        render: m => (
          <Identifier
            text={previewText(m.value)}
            maxWidth="100%"
            copy={false}
          />
        ),
      },
      {
        title: 'Headers',
        field: 'headers',
        type: 'numeric',
        width: '110px',
        sorting: false,
        render: m => m.headers.length,
      },
      {
        title: 'Size',
        field: 'value',
        type: 'numeric',
        width: '80px',
        sorting: false,
        render: m => formatBytes(messageSize(m)),
      },
    ]}
  />
);
