import { Typography } from '@material-ui/core';
import type { DeployDefinitionChange } from '@archon/plugin-archon-common';
import { SimpleTable } from './SimpleTable';

/** A definition value as short text (objects as JSON). */
export function valueText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Field-by-field changes of an app definition (what runs vs what would run). */
export const DefinitionChangesTable = (props: {
  changes: DeployDefinitionChange[];
  label: string;
  empty?: string;
}) => {
  if (props.changes.length === 0) {
    return (
      <Typography variant="body2">
        {props.empty ?? 'No changes to the app definition.'}
      </Typography>
    );
  }
  return (
    <SimpleTable
      label={props.label}
      rows={props.changes}
      rowKey={c => c.field}
      columns={[
        { title: 'Field', width: '24%', mono: true, render: c => c.field },
        { title: 'Change', width: '12%', nowrap: true, render: c => c.change },
        {
          title: 'Before',
          width: '32%',
          mono: true,
          render: c => valueText(c.before),
        },
        {
          title: 'After',
          width: '32%',
          mono: true,
          render: c => valueText(c.after),
        },
      ]}
    />
  );
};
