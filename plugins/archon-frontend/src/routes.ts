import { createRouteRef } from '@backstage/frontend-plugin-api';

/** archon's own pages, under /archon. */
export const rootRouteRef = createRouteRef();
