import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppDefinition, TaskFailure } from './types';

/** How many versions of an app are kept (the server's `--max_versions` default is 50). */
const MAX_VERSIONS_PER_APP = 50;

interface PersistedState {
  schemaVersion: 1;
  agentId: string;
  frameworkId: string;
  rootVersion: string;
  apps: Record<string, { versions: AppDefinition[] }>;
  taskFailures: Record<string, TaskFailure>;
}

/**
 * App definitions with their version history, the last task failure per app, and the ids
 * of this fake agent/framework. Everything is written to `<dataDir>/state.json` after each
 * change (atomically, via rename) so a restarted server keeps its apps.
 */
export class AppStore {
  private state: PersistedState;

  constructor(private readonly stateFile: string) {
    this.state = {
      schemaVersion: 1,
      agentId: `${randomUUID()}-S0`,
      frameworkId: `${randomUUID()}-0000`,
      rootVersion: new Date().toISOString(),
      apps: {},
      taskFailures: {},
    };
  }

  load(): void {
    if (!fs.existsSync(this.stateFile)) {
      this.persist();
      return;
    }
    const loaded = JSON.parse(
      fs.readFileSync(this.stateFile, 'utf8'),
    ) as PersistedState;
    this.state = { ...this.state, ...loaded };
  }

  get agentId(): string {
    return this.state.agentId;
  }

  get frameworkId(): string {
    return this.state.frameworkId;
  }

  get rootVersion(): string {
    return this.state.rootVersion;
  }

  set rootVersion(version: string) {
    this.state.rootVersion = version;
    this.persist();
  }

  get(appId: string): AppDefinition | undefined {
    const versions = this.state.apps[appId]?.versions;
    return versions?.[versions.length - 1];
  }

  has(appId: string): boolean {
    return appId in this.state.apps;
  }

  all(): AppDefinition[] {
    return Object.keys(this.state.apps)
      .sort()
      .map(id => this.get(id)!)
      .filter(Boolean);
  }

  allVersionStrings(): string[] {
    return Object.values(this.state.apps).flatMap(app =>
      app.versions.map(v => v.version),
    );
  }

  /** Stores `app` as the current definition; a new `version` is appended to the history. */
  save(app: AppDefinition): void {
    const entry = this.state.apps[app.id] ?? { versions: [] };
    const last = entry.versions[entry.versions.length - 1];
    if (last && last.version === app.version)
      entry.versions[entry.versions.length - 1] = app;
    else entry.versions.push(app);
    if (entry.versions.length > MAX_VERSIONS_PER_APP) {
      entry.versions.splice(0, entry.versions.length - MAX_VERSIONS_PER_APP);
    }
    this.state.apps[app.id] = entry;
    this.persist();
  }

  /** Deleting an app drops its history too, as on the server (so it cannot be rolled back). */
  delete(appId: string): void {
    delete this.state.apps[appId];
    delete this.state.taskFailures[appId];
    this.persist();
  }

  versions(appId: string): string[] {
    return (this.state.apps[appId]?.versions ?? []).map(app => app.version);
  }

  atVersion(appId: string, version: string): AppDefinition | undefined {
    const wanted = Date.parse(version);
    return this.state.apps[appId]?.versions.find(
      app => app.version === version || Date.parse(app.version) === wanted,
    );
  }

  taskFailure(appId: string): TaskFailure | undefined {
    return this.state.taskFailures[appId];
  }

  recordTaskFailure(failure: TaskFailure): void {
    if (!this.has(failure.appId)) return;
    this.state.taskFailures[failure.appId] = failure;
    this.persist();
  }

  private persist(): void {
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.state, null, 2));
    fs.renameSync(temporary, this.stateFile);
  }
}
