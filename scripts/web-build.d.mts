/** Builds the web app (apps/web → apps/web/dist) when missing or stale; 0 on success. */
export function ensureWebBuild(opts?: { force?: boolean }): number;
export function webBuildIsStale(): boolean;
