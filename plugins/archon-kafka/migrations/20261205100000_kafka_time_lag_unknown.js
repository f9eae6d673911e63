// @ts-check

/**
 * Why a group's time lag on a topic is unknown in a sample (the record at
 * the committed offset was deleted, not read because of the per-sample cap,
 * ...): the sample said null before, without why.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('archon_kafka_group_samples', table => {
    table.text('time_lag_unknown').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('archon_kafka_group_samples', table => {
    table.dropColumn('time_lag_unknown');
  });
};
