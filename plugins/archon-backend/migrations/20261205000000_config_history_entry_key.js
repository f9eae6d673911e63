// @ts-check

/**
 * A key per configuration history entry written after its change landed in
 * ZooKeeper: the entry is inserted again until archon's database takes it,
 * and an earlier attempt that was given up on may still land, so the key
 * makes a second insert of the same entry a no-op.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('archon_config_history', table => {
    table
      .string('entry_key', 64)
      .nullable()
      .unique()
      .comment('one entry, however often it is inserted');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('archon_config_history', table => {
    table.dropUnique(['entry_key']);
    table.dropColumn('entry_key');
  });
};
