import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ArchonTable, Identifier } from './ArchonTable';

describe('ArchonTable', () => {
  it('ends a short page with its last row, and keeps identifiers whole', async () => {
    const id = 'sample_pipeline_enricher.4f6b2a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    await renderInTestApp(
      <ArchonTable<{ id: string }>
        title="Tasks"
        options={{ paging: true, pageSize: 10, search: false }}
        columns={[
          {
            title: 'Task',
            field: 'id',
            render: r => <Identifier text={r.id} />,
          },
        ]}
        data={[{ id }]}
      />,
    );
    const cell = await screen.findByText(id);
    const body = cell.closest('tbody')!;
    expect(body.querySelectorAll('tr')).toHaveLength(1);
    // One line, cut with an ellipsis; the whole id in the tooltip and a copy button.
    expect(cell).toHaveStyle({
      whiteSpace: 'nowrap',
      textOverflow: 'ellipsis',
      overflow: 'hidden',
    });
    expect(cell).toHaveAttribute('title', id);
    const copy = screen.getByRole('button', { name: `Copy ${id}` });
    expect(copy).toBeVisible();
    // The quiet icon, not BUI's filled primary square.
    expect(copy).toHaveAttribute('data-variant', 'tertiary');
  });

  it('keeps the header row in view while a long list scrolls', async () => {
    await renderInTestApp(
      <ArchonTable<{ n: number }>
        title="Many"
        options={{ paging: false, search: false }}
        columns={[{ title: 'Row', field: 'n' }]}
        data={Array.from({ length: 200 }, (_, n) => ({ n }))}
      />,
    );
    const header = await screen.findByRole('columnheader', { name: 'Row' });
    expect(header).toHaveStyle({ position: 'sticky', top: '0px' });
    // The rows scroll in a box of their own, right around the table, which
    // is what the header sticks to (the browser test scrolls it).
    const box = header.closest('table')!.parentElement!.parentElement!;
    expect(box).toHaveStyle({ maxHeight: '70vh', overflowY: 'auto' });
  });
});
