// @ts-check

/**
 * The deploy target (Marathon instance) of each release as a column of its
 * own: one configuration path can be deployed to several targets, and each
 * target's latest deployed release is what runs there, so the release state
 * is read per (path, instance). The target's JSON already holds it; the
 * column makes it a filter and a group key the database can index (a JSON
 * text column cannot be queried alike on SQLite and PostgreSQL).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('archon_releases', table => {
    table
      .string('instance')
      .nullable()
      .comment('the deploy target (target.instance), null when it names none');
    table.index(
      ['ensemble', 'path', 'instance', 'created_at'],
      'archon_releases_instance_idx',
    );
  });
  const rows = await knex('archon_releases').select('id', 'target');
  for (const row of rows) {
    let instance;
    try {
      instance = JSON.parse(row.target)?.instance;
    } catch {
      instance = undefined;
    }
    if (typeof instance === 'string') {
      await knex('archon_releases').where({ id: row.id }).update({ instance });
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('archon_releases', table => {
    table.dropIndex(
      ['ensemble', 'path', 'instance', 'created_at'],
      'archon_releases_instance_idx',
    );
    table.dropColumn('instance');
  });
};
