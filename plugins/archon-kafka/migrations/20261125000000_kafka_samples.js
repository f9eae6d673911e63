// @ts-check

/**
 * Samples the Kafka sampler takes: per-topic offset sums (for throughput) and
 * per-group, per-topic lag in messages and time. Times are epoch milliseconds.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('archon_kafka_topic_samples', table => {
    table.comment('End and start offset sums of each topic, per sample');
    table.string('cluster', 255).notNullable();
    table.string('topic', 255).notNullable();
    table.bigInteger('sampled_at').notNullable();
    table.bigInteger('end_offset_sum').notNullable();
    table.bigInteger('start_offset_sum').notNullable();
    table.primary(['cluster', 'topic', 'sampled_at']);
    table.index(
      ['cluster', 'sampled_at'],
      'archon_kafka_topic_samples_time_idx',
    );
  });
  await knex.schema.createTable('archon_kafka_group_samples', table => {
    table.comment('Lag of each consumer group on each topic, per sample');
    table.string('cluster', 255).notNullable();
    table.string('group_id', 1024).notNullable();
    table.string('topic', 255).notNullable();
    table.bigInteger('sampled_at').notNullable();
    table.bigInteger('lag').notNullable();
    table.bigInteger('time_lag_ms').nullable();
    table.index(
      ['cluster', 'group_id', 'sampled_at'],
      'archon_kafka_group_samples_group_idx',
    );
    table.index(
      ['cluster', 'sampled_at'],
      'archon_kafka_group_samples_time_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('archon_kafka_group_samples');
  await knex.schema.dropTable('archon_kafka_topic_samples');
};
