// @ts-check

/**
 * Deploys across backend replicas sharing this database: the lock that lets
 * one change per app run at a time (whichever replica runs it), and each
 * flow's state and progress so any replica can answer for it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('archon_deploy_locks', table => {
    table.comment(
      'One row per app (target instance + workload) a deploy or operation is changing now',
    );
    table.string('instance').notNullable().comment('the deploy target');
    table
      .string('workload_id', 1024)
      .notNullable()
      .comment('the app id on the target');
    table
      .string('flow_id')
      .notNullable()
      .comment(
        'the deployment id (op-… until a deploy has its release, then rel-…)',
      );
    table
      .string('kind')
      .notNullable()
      .comment('deploy, rollback, scale, restart, suspend, destroy');
    table
      .string('target_kind')
      .notNullable()
      .comment('the orchestrator, e.g. marathon');
    table.string('actor').notNullable();
    table
      .text('ref')
      .nullable()
      .comment(
        "JSON: the orchestrator's ids for the change, once it accepted it",
      );
    table
      .string('holder')
      .notNullable()
      .comment('the replica running the flow');
    table.timestamp('acquired_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('the lease; renewed by the holder while the flow runs');
    table.primary(['instance', 'workload_id']);
  });
  await knex.schema.createTable('archon_deploy_flows', table => {
    table.comment(
      'Deploys and operations accepted by an orchestrator, as the API shows them',
    );
    table.string('id').primary();
    table.string('kind').notNullable();
    table
      .string('status')
      .notNullable()
      .comment('running, succeeded, failed, timeout');
    table.string('instance').notNullable();
    table.string('config_path', 1024).notNullable();
    table.string('holder').notNullable().comment('the replica that ran it');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table
      .text('view')
      .notNullable()
      .comment('JSON: the flow without its progress events');
    table.index(['started_at'], 'archon_deploy_flows_started_idx');
    table.index(['status'], 'archon_deploy_flows_status_idx');
  });
  await knex.schema.createTable('archon_deploy_events', table => {
    table.comment('Progress events of the flows in archon_deploy_flows');
    table.string('flow_id').notNullable();
    table.integer('seq').notNullable();
    table
      .string('at')
      .notNullable()
      .comment('ISO time, as the orchestrator gave it');
    table
      .string('type')
      .notNullable()
      .comment('step, task, health, info, warning');
    table.text('message').notNullable();
    table.text('data').nullable().comment('JSON');
    table.primary(['flow_id', 'seq']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('archon_deploy_events');
  await knex.schema.dropTable('archon_deploy_flows');
  await knex.schema.dropTable('archon_deploy_locks');
};
