/**
 * Projects (migration 12): listed, created, and their ingest quotas read by the quota check. The
 * table is tiny and changes rarely, so it is held in memory and re-read at most every `ttlMs`
 * (another collector's new project or quota is seen within that time; this collector's at once).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Project, ProjectInput } from '@sightline/contract';
import { nextRowVersion } from '../alerts/row-version.js';
import { SightlineError } from '../errors.js';
import { select } from '../storage/queries/common.js';

interface ProjectRow {
  id: string;
  name: string;
  created_ms: string;
  quota: number | string | null;
}

const DEFAULT_TTL_MS = 30_000;

export class ProjectStore {
  private cache: { at: number; projects: Map<string, Project> } | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  /** Every project, by id (cached). */
  async all(): Promise<Map<string, Project>> {
    const now = this.now();
    if (this.cache && now - this.cache.at < this.ttlMs && now >= this.cache.at) return this.cache.projects;
    const rows = await select<ProjectRow>(
      this.client,
      `SELECT id, name, toUnixTimestamp64Milli(created_at) AS created_ms, quota_spans_per_minute AS quota
       FROM projects FINAL WHERE deleted = 0 ORDER BY id`,
      {},
    );
    const projects = new Map(rows.map((r) => [r.id, toProject(r)]));
    this.cache = { at: now, projects };
    return projects;
  }

  async list(): Promise<Project[]> {
    return [...(await this.all()).values()];
  }

  async get(id: string): Promise<Project | undefined> {
    return (await this.all()).get(id);
  }

  /** A new project; an id in use is refused (409 would suit, but the API's codes say 400 naming `id`). */
  async create(input: ProjectInput): Promise<Project> {
    this.cache = undefined; // read what other collectors created before deciding the id is free
    if (await this.get(input.id)) throw new SightlineError('invalid_parameter', `id: project ${input.id} exists`, { field: 'id' });
    const project: Project = {
      id: input.id,
      name: input.name,
      createdAt: this.now(),
      quotaSpansPerMinute: input.quotaSpansPerMinute ?? null,
    };
    await this.client.insert({
      table: 'projects',
      format: 'JSONEachRow',
      values: [
        {
          id: project.id,
          name: project.name,
          created_at: project.createdAt,
          quota_spans_per_minute: project.quotaSpansPerMinute,
          deleted: 0,
          version: nextRowVersion(),
        },
      ],
    });
    this.cache = undefined;
    return project;
  }
}

function toProject(r: ProjectRow): Project {
  return {
    id: r.id,
    name: r.name,
    createdAt: Number(r.created_ms),
    quotaSpansPerMinute: r.quota === null ? null : Number(r.quota),
  };
}
