export interface Config {
  archon?: {
    marathon?: {
      /** Marathon instances archon deploys to and monitors. */
      instances: Array<{
        /** Name used in the API (`/api/archon/marathon/{instance}`), e.g. `local`. */
        name: string;
        /** Base URL of Marathon, e.g. `http://127.0.0.1:8080`. */
        url: string;
        /** Basic auth, or a token for DC/OS-style `Authorization: token=...`. */
        auth?: {
          username?: string;
          /** @visibility secret */
          password?: string;
          /** @visibility secret */
          token?: string;
        };
        /** Per-request timeout, ms. Default 10000. */
        requestTimeoutMs?: number;
      }>;
    };
  };
}
