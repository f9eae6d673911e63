import type {
  HealthResponse,
  SystemHealth,
} from './schema/openapi/generated/models';

/**
 * The health of one configured system, as `GET /api/archon/health` reports
 * it. The OpenAPI spec is the source of this shape.
 */
export type ArchonSystemHealth = SystemHealth;

/** The body of `GET /api/archon/health`. */
export type ArchonHealthResponse = HealthResponse;
