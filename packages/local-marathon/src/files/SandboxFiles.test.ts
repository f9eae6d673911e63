import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_READ_LENGTH, SandboxFiles } from './SandboxFiles';
import { SandboxLayout } from './sandboxLayout';

describe('SandboxFiles', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-files-'));
  const layout = new SandboxLayout(
    path.join(root, 'mesos'),
    'agent-S0',
    'fw-0000',
  );
  const files = new SandboxFiles(layout);
  const dir = layout.create('app.instance-1._app.1', 'c1');
  const stdout = path.join(dir, 'stdout');
  fs.writeFileSync(stdout, 'hello world\n');

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lays out sandboxes like a Mesos agent with a latest link', () => {
    expect(dir).toBe(
      path.join(
        root,
        'mesos/slaves/agent-S0/frameworks/fw-0000/executors/app.instance-1._app.1/runs/c1',
      ),
    );
    expect(fs.realpathSync(layout.latestDir('app.instance-1._app.1'))).toBe(
      fs.realpathSync(dir),
    );
  });

  it('reads with offset/length and reports the size for offset -1', () => {
    expect(files.read(stdout, '-1', null)).toEqual({
      ok: true,
      value: { data: '', offset: 12 },
    });
    expect(files.read(stdout, null, null)).toEqual({
      ok: true,
      value: { data: '', offset: 12 },
    });
    expect(files.read(stdout, '6', '5')).toEqual({
      ok: true,
      value: { data: 'world', offset: 6 },
    });
    expect(files.read(stdout, '0', null)).toEqual({
      ok: true,
      value: { data: 'hello world\n', offset: 0 },
    });
    expect(files.read(stdout, '100', '5')).toEqual({
      ok: true,
      value: { data: '', offset: 12 },
    });
    expect(files.read(stdout, '-5', null)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(files.read(stdout, 'x', null)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(files.read(dir, '0', null)).toMatchObject({
      ok: false,
      status: 400,
      message: 'Cannot read a directory.\n',
    });
  });

  it('caps reads at 16 pages', () => {
    const big = path.join(dir, 'big');
    fs.writeFileSync(big, 'x'.repeat(MAX_READ_LENGTH * 2));
    const result = files.read(big, '0', String(MAX_READ_LENGTH * 2));
    expect(result.ok && result.value.data.length).toBe(MAX_READ_LENGTH);
  });

  it('browses directories and refuses paths outside the work dir', () => {
    const listing = files.browse(dir);
    expect(listing.ok && listing.value.map(e => path.basename(e.path))).toEqual(
      ['big', 'stderr', 'stdout'],
    );
    expect(
      listing.ok && listing.value.find(e => e.path === stdout),
    ).toMatchObject({
      size: 12,
      mode: expect.stringMatching(/^-rw-/),
      nlink: 1,
    });
    expect(files.browse('/etc')).toMatchObject({ ok: false, status: 404 });
    expect(
      files.read(
        path.join(dir, '../../../../../../../../../etc/passwd'),
        '0',
        null,
      ),
    ).toMatchObject({ ok: false, status: 404 });
    expect(files.browse(null)).toMatchObject({ ok: false, status: 400 });
  });
});
