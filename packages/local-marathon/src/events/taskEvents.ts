import { conditionOf } from '../model/types';
import { HealthTransition } from '../runtime/HealthChecker';
import { isHealthy, Task } from '../runtime/Task';
import { EventBus } from './EventBus';

/** Publishes task and health events with the server's payload fields (api/v2/json/Formats). */
export class TaskEvents {
  constructor(
    private readonly bus: EventBus,
    private readonly host: string,
    private readonly agentId: string,
  ) {}

  /** `status_update_event` (a Mesos status update) and `instance_changed_event`. */
  status(task: Task): void {
    this.bus.publish('status_update_event', {
      slaveId: this.agentId,
      taskId: task.taskId,
      taskStatus: task.state,
      message: task.message,
      appId: task.appId,
      host: this.host,
      ipAddresses: [{ ipAddress: this.host, protocol: 'IPv4' }],
      ports: task.hostPorts,
      version: task.app.version,
    });
    this.bus.publish('instance_changed_event', {
      instanceId: task.instanceId,
      condition: conditionOf(task.state),
      runSpecId: task.appId,
      agentId: this.agentId,
      host: this.host,
      runSpecVersion: task.app.version,
    });
  }

  /** `failed_health_check_event`, and on a change of `alive` the two health-changed events. */
  health({ task, check, previous, current }: HealthTransition): void {
    if (!current.alive) {
      this.bus.publish('failed_health_check_event', {
        appId: task.appId,
        healthCheck: check,
        taskId: task.instanceId,
      });
    }
    if (previous?.alive === current.alive) return;
    this.bus.publish('health_status_changed_event', {
      appId: task.appId,
      instanceId: task.instanceId,
      version: task.app.version,
      alive: current.alive,
    });
    this.bus.publish('instance_health_changed_event', {
      instanceId: task.instanceId,
      runSpecId: task.appId,
      healthy: isHealthy(task),
      runSpecVersion: task.app.version,
    });
  }

  unhealthyKill(task: Task, reason: string): void {
    this.bus.publish('unhealthy_instance_kill_event', {
      appId: task.appId,
      taskId: task.taskId,
      instanceId: task.instanceId,
      version: task.app.version,
      reason,
      host: this.host,
      slaveId: this.agentId,
    });
  }
}
