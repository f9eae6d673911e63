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
    expect(screen.getByRole('button', { name: `Copy ${id}` })).toBeVisible();
  });
});
