import path from 'node:path';

/** The command that runs `groupMemberApp.mjs` with this node. */
export const groupMemberCommand = `exec "${process.execPath}" "${path.join(
  __dirname,
  'groupMemberApp.mjs',
)}"`;
