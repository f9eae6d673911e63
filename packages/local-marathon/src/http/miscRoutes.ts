import os from 'node:os';
import { SERVICE_PORT_MAX, SERVICE_PORT_MIN } from '../model/servicePorts';
import { Router } from './router';
import { ServerContext } from './ServerContext';

export const MARATHON_VERSION = '1.11.0';

/** /ping, /v2/info, /v2/leader, /v2/plugins, /metrics (server: InfoResource, LeaderResource, ...). */
export function registerMiscRoutes(
  router: Router,
  server: ServerContext,
): void {
  router
    .add('GET', /^\/ping\/?$/, context => {
      const wantsJson = (context.req.headers.accept ?? '').includes(
        'application/json',
      );
      return wantsJson
        ? { status: 200, body: 'pong' }
        : { status: 200, text: 'pong', contentType: 'text/plain' };
    })
    .add('GET', /^\/v2\/info\/?$/, () => ({
      status: 200,
      body: {
        name: 'marathon',
        version: MARATHON_VERSION,
        buildref: 'local-marathon',
        elected: true,
        leader: server.leader,
        frameworkId: server.layout.frameworkId,
        marathon_config: {
          access_control_allow_origin: null,
          checkpoint: true,
          decline_offer_duration: 120000,
          default_network_name: null,
          env_vars_prefix: null,
          executor: '//cmd',
          failover_timeout: 604800,
          features: [],
          framework_name: 'marathon',
          ha: false,
          hostname: server.taskHost,
          launch_token: 100,
          launch_token_refresh_interval: 30000,
          leader_proxy_connection_timeout_ms: 5000,
          leader_proxy_read_timeout_ms: 10000,
          local_port_max: SERVICE_PORT_MAX,
          local_port_min: SERVICE_PORT_MIN,
          master: 'local',
          max_instances_per_offer: 5,
          mesos_bridge_name: 'mesos-bridge',
          mesos_heartbeat_failure_threshold: 5,
          mesos_heartbeat_interval: 15000,
          mesos_leader_ui_url: `http://${server.leader}/`,
          mesos_role: '*',
          mesos_user: os.userInfo().username,
          min_revive_offers_interval: 5000,
          offer_matching_timeout: 3000,
          on_elected_prepare_timeout: 180000,
          reconciliation_initial_delay: 15000,
          reconciliation_interval: 600000,
          scale_apps_initial_delay: 15000,
          scale_apps_interval: 300000,
          store_cache: true,
          task_launch_confirm_timeout: 300000,
          task_launch_timeout: 300000,
          task_lost_expunge_initial_delay: 300000,
          task_lost_expunge_interval: 30000,
          task_reservation_timeout: 20000,
          webui_url: null,
        },
        zookeeper_config: {
          zk: 'local',
          zk_compression: true,
          zk_compression_threshold: 65536,
          zk_connection_timeout: 10000,
          zk_max_node_size: 1024000,
          zk_max_versions: 50,
          zk_session_timeout: 10000,
          zk_timeout: 10000,
        },
        http_config: { http_port: server.httpPort, https_port: 8443 },
      },
    }))
    .add('GET', /^\/v2\/leader\/?$/, () => ({
      status: 200,
      body: { leader: server.leader },
    }))
    .add('DELETE', /^\/v2\/leader\/?$/, () => ({
      status: 200,
      body: { message: 'Leadership abdicated' },
    }))
    .add('GET', /^\/v2\/plugins\/?$/, () => ({
      status: 200,
      body: { plugins: [] },
    }))
    .add('GET', /^\/metrics\/?$/, () => ({
      status: 200,
      body: {
        version: '4.0.0',
        counters: {},
        gauges: {
          'marathon.apps.active.gauge': { value: server.store.all().length },
          'marathon.instances.running.gauge': {
            value: server.scheduler
              .allTasks()
              .filter(t => t.state === 'TASK_RUNNING').length,
          },
          'marathon.deployments.active.gauge': {
            value: server.service.deployments.list().length,
          },
        },
        histograms: {},
        meters: {},
        timers: {},
      },
    }));
}
