import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SimpleTable } from './SimpleTable';

type Change = { field: string; before: string; after: string };

describe('SimpleTable', () => {
  it('gives columns their widths, so a long value wraps in its column instead of squeezing the others', async () => {
    const long = JSON.stringify({ cmd: 'x'.repeat(300) });
    await renderInTestApp(
      <SimpleTable<Change>
        label="Changes"
        rows={[{ field: 'cmd', before: long, after: 'short' }]}
        rowKey={r => r.field}
        rowClassName={r => (r.after === 'short' ? 'stands-out' : undefined)}
        columns={[
          { title: 'Field', width: '20%', nowrap: true, render: r => r.field },
          { title: 'Before', width: '40%', mono: true, render: r => r.before },
          { title: 'After', width: '40%', mono: true, render: r => r.after },
        ]}
      />,
    );
    const table = screen.getByRole('table', { name: 'Changes' });
    expect(table).toHaveStyle({ tableLayout: 'fixed' });
    expect(
      within(table).getByRole('columnheader', { name: 'Field' }),
    ).toHaveStyle({ width: '20%' });
    // A value keeps its line breaks and wraps only where it must; a name stays on one line.
    expect(screen.getByText(long)).toHaveStyle({
      whiteSpace: 'pre-wrap',
      fontFamily: 'monospace',
    });
    expect(screen.getByText('cmd')).toHaveStyle({ whiteSpace: 'nowrap' });
    expect(screen.getByText('short').closest('tr')).toHaveClass('stands-out');
  });

  it('sizes columns to their content when none has a width', async () => {
    await renderInTestApp(
      <SimpleTable<{ id: string }>
        label="Plain"
        rows={[{ id: 'a' }]}
        rowKey={r => r.id}
        columns={[{ title: 'Id', render: r => r.id }]}
      />,
    );
    expect(screen.getByRole('table', { name: 'Plain' })).not.toHaveStyle({
      tableLayout: 'fixed',
    });
  });
});
