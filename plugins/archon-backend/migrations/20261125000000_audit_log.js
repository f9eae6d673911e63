// @ts-check

/**
 * The audit log: every mutation made through archon (configuration,
 * ZooKeeper, deploys and app operations, Kafka, Connect, Marathon), with its
 * actor, target, outcome and masked before/after summaries.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('archon_audit_log', table => {
    table.comment('Every mutation made through archon (secrets masked)');
    table.bigIncrements('id').primary();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .string('actor')
      .notNullable()
      .comment('user entity ref or service subject');
    table
      .string('action')
      .notNullable()
      .comment('operation id, e.g. config-set-put');
    table
      .string('system')
      .notNullable()
      .comment('config, zookeeper, deploy, kafka, connect, marathon, ...');
    table
      .string('cluster')
      .nullable()
      .comment('ensemble, cluster or instance name');
    table
      .string('resource', 1024)
      .notNullable()
      .comment('config path, znode, topic, connector, app id, ...');
    table
      .string('config_path', 1024)
      .nullable()
      .comment('the configuration path the change belongs to');
    table.string('outcome').notNullable().comment('success or failure');
    table.text('error').nullable().comment('the error message of a failure');
    table.text('before').nullable().comment('JSON summary before (masked)');
    table.text('after').nullable().comment('JSON summary after (masked)');
    table.text('meta').nullable().comment('JSON extra facts (masked)');
    table.string('request_id').nullable();
    table.index(['created_at'], 'archon_audit_log_time_idx');
    table.index(['system', 'resource'], 'archon_audit_log_target_idx');
    table.index(['config_path'], 'archon_audit_log_config_path_idx');
    table.index(['actor'], 'archon_audit_log_actor_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('archon_audit_log');
};
