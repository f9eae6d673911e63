// @ts-check

/**
 * Configuration history (every write through archon) and releases (the
 * immutable snapshot of a path's effective config that a deploy shipped).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('archon_config_history', table => {
    table.comment('Every configuration write made through archon');
    table.bigIncrements('id').primary();
    table.string('ensemble').notNullable();
    table.string('path', 1024).notNullable();
    table
      .string('action')
      .notNullable()
      .comment('put, patch, delete or import');
    table.string('actor').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.text('changed_keys').notNullable().comment('JSON array of keys');
    table
      .text('before')
      .nullable()
      .comment('JSON set before, null when absent');
    table.text('after').nullable().comment('JSON set after, null when removed');
    table
      .integer('version')
      .nullable()
      .comment('znode version after the write');
    table.index(['ensemble', 'path', 'id'], 'archon_config_history_path_idx');
  });
  await knex.schema.createTable('archon_releases', table => {
    table.comment(
      'Immutable snapshots of effective configuration, one per deploy',
    );
    table.string('id').primary();
    table.string('ensemble').notNullable();
    table.string('path', 1024).notNullable();
    table.text('target').notNullable().comment('JSON deployment target');
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.text('properties').notNullable().comment('JSON resolved properties');
    table.text('provenance').notNullable().comment('JSON provenance per key');
    table
      .text('versions')
      .notNullable()
      .comment('JSON znode version per level');
    table
      .string('status')
      .notNullable()
      .comment('created, deploying, deployed, failed');
    table.text('outcome').nullable().comment('JSON outcome of the deploy');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['ensemble', 'path', 'created_at'], 'archon_releases_path_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('archon_releases');
  await knex.schema.dropTable('archon_config_history');
};
