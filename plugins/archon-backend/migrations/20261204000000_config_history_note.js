// @ts-check

/**
 * A note per configuration history entry: where a write came from when its
 * action alone does not say it ("restored from v3", "raw znode write",
 * "forced; broke /a/b").
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('archon_config_history', table => {
    table
      .text('note')
      .nullable()
      .comment('restored from vN, raw znode write, forced; broke …');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('archon_config_history', table => {
    table.dropColumn('note');
  });
};
